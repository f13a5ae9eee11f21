/*
 * vm/mca.h: the guest's machine-check architecture, a virtual one that
 * never reports an error (vm/mca.c).
 */
#ifndef VM_MCA_H
#define VM_MCA_H

#include "kernel/compiler.h"

#define MCA_BANKS       2       /* error-reporting banks the guest sees */

/* Its writable state: what the guest last enabled. */
struct mca {
	uint64_t mcg_status;            /* IA32_MCG_STATUS: only the guest sets it */
	uint64_t mcg_ctl;               /* IA32_MCG_CTL */
	uint64_t bank_ctl[MCA_BANKS];   /* IA32_MCi_CTL */
};

/* Whether msr is one of the guest's MCA MSRs. */
bool mca_is_msr(uint32_t msr);

/* RDMSR/WRMSR of one of them: false when the write is not allowed, so the
 * guest gets #GP. */
bool mca_msr(struct mca *m, uint32_t msr, bool write, uint64_t *value);

#endif
