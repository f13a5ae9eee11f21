/*
 * vmx/vmx_vcpu.h: what VT-x keeps per vCPU besides the neutral struct vcpu.
 */
#ifndef VMX_VMX_VCPU_H
#define VMX_VMX_VCPU_H

#include "vm/backend.h"
#include "vmx/entry.h"
#include "kernel/cpu.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "vmx/vmcs.h"
#include "vmx/vmxcap.h"

struct vmx_vcpu {
	uint64_t vmcs_pa;
	uint64_t msr_bitmap_pa;
	uint64_t io_bitmap_pa;          /* two pages: A (ports 0-7FFF) then B */
	uint16_t vpid;                  /* 0 when VPID is off */
	bool launched;                  /* VMLAUNCH done: the next entry is VMRESUME */
	uint32_t entry_controls;        /* cached: IA-32e mode guest changes with EFER.LMA */
	uint32_t proc_controls;         /* cached: interrupt-window exiting comes and goes */
	uint32_t proc2_controls;        /* cached: APIC virtualization follows the APIC's mode */
	uint64_t apic_access_pa;        /* the APIC-access page (vmx/apicv.c), 0 without one */
	uint8_t tpr_threshold;          /* as last written */
	bool apic_x2apic;               /* the APIC mode the controls are set for */
	uint64_t cr0_mask, cr4_mask;    /* bits the host owns (guest/host masks) */
	/* MSRs the VMCS does not switch, kept while another vCPU runs */
	uint64_t kernel_gs_base, star, lstar, cstar, fmask;
};

static inline struct vmx_vcpu *
to_vmx(struct vcpu *v)
{
	return v->arch;
}

/* vmx/entry.S: enter the guest with regs loaded; returns on the next VM exit
 * with regs saved, or at once when the entry instruction itself fails. */
int vmx_enter(struct vcpu_regs *regs, bool launched);
void vmx_exit_point(void);

/* vmx/vmcs.c: the controls every VMCS uses, fitted to this CPU once */
struct vmcs_controls {
	bool ready;
	bool timer_restarts;
	bool timer_saved;
	uint32_t pin, proc, proc2, exit, entry;
};
extern struct vmcs_controls vmcs_ctls;

static inline bool
vmcs_has_proc2(uint32_t bit)
{
	return vmcs_ctls.proc2 & bit;
}

/* Is the local APIC virtualized ("use TPR shadow" and what builds on it)? */
static inline bool
vmcs_apicv(void)
{
	return vmcs_ctls.proc & PROC_TPR_SHADOW;
}

static inline bool
vmcs_has_preemption_timer(void)
{
	return vmcs_ctls.pin & PIN_PREEMPTION_TIMER;
}

/* Does the preemption timer restart at each entry (present, but not saved
 * on exit), so that every entry must re-arm it? Decided once with the controls. */
static inline bool
vmcs_timer_restarts(void)
{
	return vmcs_ctls.timer_restarts;
}

/* Does it go on from its value saved at the last exit, so that time the
 * hypervisor spends handling exits never counts against a time slice? */
static inline bool
vmcs_timer_saved(void)
{
	return vmcs_ctls.timer_saved;
}
uint64_t vmcs_guest_cr0(uint64_t cr0);
uint64_t vmcs_guest_cr4(uint64_t cr4);

/* vmx/apicv.c: APIC virtualization, when vmcs_apicv(). vmx_apicv_setup()
 * fills the current VMCS's APIC fields (and the APIC-access page into the
 * EPT); vmx_apicv_sync() fits controls, MSR bitmap and TPR threshold to the
 * APIC's state before an entry. */
int vmx_apicv_setup(struct vcpu *v);
void vmx_apicv_sync(struct vcpu *v);
void vmx_apicv_destroy(struct vcpu *v);

/* vmx/exit_ept.c: carry out the instruction that touched device memory at gpa */
enum vcpu_action vmx_emulate_mmio(struct vcpu *v, uint64_t gpa);

/* vmx/ept.c */
int vmx_ept_init(struct vm *vm);
void vmx_ept_destroy(struct vm *vm);

/* vmx/exit.c */
void vmx_report_exits(const struct vm *vm);
enum vcpu_action vmx_handle_exit(struct vcpu *v);
enum vcpu_action vmx_exit_interrupt_window(struct vcpu *v);    /* vmx/vcpu.c */
enum vcpu_action vmx_exit_nmi_window(struct vcpu *v);          /* vmx/vcpu.c */
const char *vmx_exit_name(uint32_t reason);

/*
 * Step the guest over the instruction that exited, the one way every
 * emulated instruction completes. Inline: it is on most exit paths.
 */
static inline void
vmx_skip_instruction(struct vcpu *v)
{
	uint32_t intr = vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY);

	vmcs_writenat(VMCS_GUEST_RIP, vmcs_readnat(VMCS_GUEST_RIP) + vmcs_read32(VMCS_EXIT_INSTRUCTION_LEN));
	/* an emulated instruction ends STI and MOV-SS blocking (SDM Vol. 3C, 25.4.2, Table 25-3) */
	if (unlikely(intr & (INTR_BLOCK_STI | INTR_BLOCK_MOV_SS)))
		vmcs_write32(VMCS_GUEST_INTERRUPTIBILITY, intr & ~(uint32_t)(INTR_BLOCK_STI | INTR_BLOCK_MOV_SS));
}

#endif
