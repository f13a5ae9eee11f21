/*
 * vm/mca.c: the guest's machine-check architecture (SDM Vol. 3B, ch. 16,
 * "Machine-Check Architecture"; the MSRs in 16.3 and Vol. 4, Table 2-2).
 *
 * CPUID.1:EDX shows MCE and MCA (vm/cpuid.c), so the MSRs they promise must
 * be there: Linux reads IA32_MCG_CAP and the banks at boot and panics ("MCA
 * architectural violation") when a promised MSR faults. Hiding MCE/MCA would
 * also be correct, but a guest kernel then runs without its machine-check
 * handler and boots down a path no real CPU takes; KVM and bhyve show a
 * virtual MCA too. This one never reports an error: real machine checks
 * are the hypervisor's (it never forwards them), so every status register
 * reads 0 and a guest's write can only enable, disable or clear. The
 * host's own MCA MSRs are never read or written for a guest.
 *
 *   IA32_MCG_CAP      MCA_BANKS banks, IA32_MCG_CTL present (MCG_CTL_P);
 *                     no CMCI, so IA32_MCi_CTL2 (0x280 + i) is absent: #GP.
 *   IA32_MCG_STATUS   RIPV EIPV MCIP LMCE_S, which software may set or
 *                     clear (16.3.1.2); reserved bits #GP.
 *   IA32_MCG_CTL      all 1s enables, all 0s disables; other values are
 *                     "undefined and/or implementation specific" (16.3.1.3):
 *                     here #GP.
 *   IA32_MCi_CTL      any value: one enable bit per error type (16.3.2.1).
 *   IA32_MCi_STATUS   0; "writing 1s to them causes a general-protection
 *                     exception" (16.3.2.2), so only 0 may be written.
 *   IA32_MCi_ADDR     0: ADDRV and MISCV are never set, so there is no
 *   IA32_MCi_MISC     address or detail; writing 0 is allowed, else #GP.
 */
#include "vm/mca.h"
#include "kernel/msr.h"

#define MCG_STATUS_WRITABLE     (MCG_STATUS_RIPV | MCG_STATUS_EIPV | MCG_STATUS_MCIP | MCG_STATUS_LMCE_S)

static bool
global_msr(struct mca *m, uint32_t msr, bool write, uint64_t *value)
{
	switch (msr) {
	case MSR_IA32_MCG_CAP:
		if (write)
			return false;           /* read-only */
		*value = MCA_BANKS | MCG_CAP_CTL_P;
		return true;
	case MSR_IA32_MCG_STATUS:
		if (!write) {
			*value = m->mcg_status;
			return true;
		}
		if (*value & ~MCG_STATUS_WRITABLE)
			return false;
		m->mcg_status = *value;
		return true;
	case MSR_IA32_MCG_CTL:
		if (!write) {
			*value = m->mcg_ctl;
			return true;
		}
		if (*value != 0 && *value != ~0ul)
			return false;
		m->mcg_ctl = *value;
		return true;
	default:
		return false;
	}
}

bool
mca_is_msr(uint32_t msr)
{
	return msr == MSR_IA32_MCG_CAP || msr == MSR_IA32_MCG_STATUS || msr == MSR_IA32_MCG_CTL ||
	       (msr >= MSR_IA32_MC0_CTL && msr < MSR_IA32_MC0_CTL + 4 * MCA_BANKS);
}

bool
mca_msr(struct mca *m, uint32_t msr, bool write, uint64_t *value)
{
	uint32_t bank = (msr - MSR_IA32_MC0_CTL) / 4;

	if (msr < MSR_IA32_MC0_CTL || bank >= MCA_BANKS)
		return global_msr(m, msr, write, value);
	switch ((msr - MSR_IA32_MC0_CTL) % 4) {
	case MCI_CTL:
		if (write)
			m->bank_ctl[bank] = *value;
		else
			*value = m->bank_ctl[bank];
		return true;
	default:                        /* STATUS, ADDR, MISC: nothing ever logged */
		if (write)
			return *value == 0;
		*value = 0;
		return true;
	}
}
