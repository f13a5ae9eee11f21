/*
 * vmx/exit_msr.c: RDMSR and WRMSR. The MSR bitmap lets a guest reach only
 * the MSRs the VMCS or the vCPU switch (vmx/vcpu.c); every other access
 * exits here. A few are emulated; the rest get #GP(0), as on a CPU that
 * lacks them. A guest never reads or writes the real MSR.
 */
#include "vmx/vmx_vcpu.h"
#include "kernel/msr.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "vm/irq.h"
#include "vm/mca.h"
#include "vmx/exit_handlers.h"
#include "vmx/vmcs.h"


#define EFER_GUEST_WRITABLE         (EFER_SCE | EFER_LME | EFER_NXE)

/* Value of an emulated MSR, or false when the guest should get #GP. */
static bool
msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	if (msr >= MSR_IA32_X2APIC_BASE && msr <= MSR_IA32_X2APIC_LAST)
		return irq_msr(v, msr, false, value);
	if (mca_is_msr(msr))
		return mca_msr(&v->mca, msr, false, value);
	switch (msr) {
	case MSR_IA32_TSC:
		*value = vcpu_tsc(v);
		return true;
	case MSR_IA32_TSC_ADJUST:
		*value = v->tsc_adjust;
		return true;
	case MSR_IA32_APIC_BASE:
	case MSR_IA32_TSC_DEADLINE:
		return irq_msr(v, msr, false, value);
	case MSR_IA32_FEATURE_CONTROL:
		*value = FEATURE_CONTROL_LOCK;                  /* locked, VMX off */
		return true;
	case MSR_IA32_BIOS_SIGN_ID:
		*value = 0;
		return true;
	case MSR_IA32_MISC_ENABLE:
		*value = MISC_ENABLE_FAST_STRINGS | MISC_ENABLE_NO_BTS | MISC_ENABLE_NO_PEBS;
		return true;
	default:
		return false;
	}
}

/* EFER: LMA follows CR0.PG (vmx/exit_cr.c); LME may not change while paging is on. */
static bool
efer_write(struct vcpu *v, uint64_t value)
{
	uint64_t old = vmcs_read64(VMCS_GUEST_EFER);
	uint64_t cr0 = vmcs_readnat(VMCS_GUEST_CR0);

	if (value & ~(EFER_GUEST_WRITABLE | EFER_LMA))
		return false;
	if ((cr0 & CR0_PG) && ((value ^ old) & EFER_LME))
		return false;
	vmcs_write64(VMCS_GUEST_EFER, (value & EFER_GUEST_WRITABLE) | (old & EFER_LMA));
	return true;
}

/*
 * The guest's TSC is the host's plus tsc_offset, and IA32_TSC_ADJUST is what
 * the guest's own writes added to it (SDM Vol. 3B, 18.17.3): writing the
 * TSC moves both by the same amount, writing IA32_TSC_ADJUST moves the TSC
 * by the change. Neither touches the host's TSC or its TSC_ADJUST.
 */
static void
tsc_move(struct vcpu *v, uint64_t delta)
{
	v->tsc_offset += delta;
	v->tsc_adjust += delta;
	vmcs_write64(VMCS_TSC_OFFSET, v->tsc_offset);
}

static bool
msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	if (msr >= MSR_IA32_X2APIC_BASE && msr <= MSR_IA32_X2APIC_LAST)
		return irq_msr(v, msr, true, &value);
	if (mca_is_msr(msr))
		return mca_msr(&v->mca, msr, true, &value);
	switch (msr) {
	case MSR_IA32_APIC_BASE:
	case MSR_IA32_TSC_DEADLINE:
		return irq_msr(v, msr, true, &value);
	case MSR_IA32_EFER:
		return efer_write(v, value);
	case MSR_IA32_TSC:
		tsc_move(v, value - vcpu_tsc(v));
		return true;
	case MSR_IA32_TSC_ADJUST:
		tsc_move(v, value - v->tsc_adjust);
		return true;
	case MSR_IA32_BIOS_SIGN_ID:
	case MSR_IA32_MISC_ENABLE:
		return true;            /* accepted and ignored */
	default:
		return false;           /* IA32_FEATURE_CONTROL (locked) and everything unknown */
	}
}

enum vcpu_action
vmx_exit_rdmsr(struct vcpu *v)
{
	uint64_t value;

	if (!msr_read(v, (uint32_t)v->regs.rcx, &value)) {
		return vcpu_inject_exception(v, VEC_GP, true, 0);
	}
	v->regs.rax = (uint32_t)value;
	v->regs.rdx = value >> 32;
	vmx_skip_instruction(v);
	return VCPU_RESUME;
}

enum vcpu_action
vmx_exit_wrmsr(struct vcpu *v)
{
	uint64_t value = ((v->regs.rdx & 0xFFFFFFFF) << 32) | (v->regs.rax & 0xFFFFFFFF);

	if (!msr_write(v, (uint32_t)v->regs.rcx, value)) {
		return vcpu_inject_exception(v, VEC_GP, true, 0);
	}
	vmx_skip_instruction(v);
	return VCPU_RESUME;
}
