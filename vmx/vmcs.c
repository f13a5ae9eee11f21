/*
 * vmx/vmcs.c: a vCPU's VMCS: execution controls fitted to the CPU, host
 * state, and the guest state for each way a guest starts.
 *
 * Every control is derived from the capability MSRs through
 * vmxcap_adjust() (SDM Vol. 3D, Appendix A); guest state follows the checks
 * of SDM Vol. 3C, 27.3.1 ("Checks on the Guest State Area"), host state
 * those of 27.2.2-27.2.4.
 */
#include "vmx/vmcs.h"
#include "kernel/cpu.h"
#include "kernel/gdt.h"
#include "kernel/log.h"
#include "kernel/msr.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/x86.h"
#include "lib/string.h"
#include "vm/loader.h"
#include "vm/vm.h"
#include "vmx/vmx_vcpu.h"
#include "vmx/vmxcap.h"

#define DR7_DEFAULT             0x400
#define LINK_POINTER_NONE       (~(uint64_t)0)
#define EXCEPTION_BITMAP        BIT(18)                 /* #MC: the host's to handle */
#define EXCEPTION_BITMAP_DEBUG  (BIT(1) | BIT(3))       /* #DB, #BP: a guest being debugged */

/* The controls every VMCS uses, fitted to this CPU once. */
struct vmcs_controls vmcs_ctls;
#define ctls vmcs_ctls

static bool preemption_timer_off;
static enum { APICV_ON, APICV_REGISTERS, APICV_OFF } apicv_option;

/* preemption_timer=off: time slices and device timers use the host's local
 * APIC timer instead, as on a CPU without the VMX-preemption timer. */
int
vmcs_set_preemption_timer_option(const char *value)
{
	if (!strcmp(value, "on"))
		preemption_timer_off = false;
	else if (!strcmp(value, "off"))
		preemption_timer_off = true;
	else
		return -1;
	return 0;
}

/* apicv=off: the local APIC is emulated on every access, as on a CPU
 * without APIC virtualization; apicv=registers: its registers are
 * virtualized but the hypervisor injects its interrupts, as on a CPU without
 * virtual-interrupt delivery (both also for testing those paths). */
int
vmcs_set_apicv_option(const char *value)
{
	if (!strcmp(value, "on"))
		apicv_option = APICV_ON;
	else if (!strcmp(value, "registers"))
		apicv_option = APICV_REGISTERS;
	else if (!strcmp(value, "off"))
		apicv_option = APICV_OFF;
	else
		return -1;
	return 0;
}

#define PROC2_APICV (PROC2_VIRT_APIC_ACCESSES | PROC2_APIC_REGISTER_VIRT | PROC2_VIRT_X2APIC | \
		     PROC2_VIRT_INTR_DELIVERY)

static const char *
yes_no(bool b)
{
	return b ? "yes" : "no";
}

/*
 * APIC virtualization, from what the CPU allows: everything builds on "use
 * TPR shadow" (27.2.1.1 requires it under "virtualize x2APIC mode",
 * APIC-register virtualization and virtual-interrupt delivery; "virtualize
 * APIC accesses" without it would only turn every access into an exit).
 * With it, MOV CR8 needs no exit. Virtual-interrupt delivery also needs
 * external-interrupt exiting, which is required anyway.
 */
static void
apicv_controls(const struct vmx_caps *c)
{
	if (!(ctls.proc & PROC_TPR_SHADOW))
		ctls.proc2 &= ~(uint32_t)PROC2_APICV | c->proc2.must_be_1;
	else
		ctls.proc &= ~(uint32_t)(PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING) | c->proc.must_be_1;
	if (apicv_option == APICV_REGISTERS)
		ctls.proc2 &= ~(uint32_t)PROC2_VIRT_INTR_DELIVERY | c->proc2.must_be_1;
	if (apicv_option == APICV_OFF)
		log_info("vmx: local APIC: emulated on every access (apicv=off)");
	else
		log_info("vmx: local APIC: TPR shadow %s, APIC-access page %s, APIC-register virtualization %s, "
			 "x2APIC virtualization %s, virtual-interrupt delivery %s", yes_no(ctls.proc & PROC_TPR_SHADOW),
			 yes_no(ctls.proc2 & PROC2_VIRT_APIC_ACCESSES), yes_no(ctls.proc2 & PROC2_APIC_REGISTER_VIRT),
			 yes_no(ctls.proc2 & PROC2_VIRT_X2APIC), yes_no(ctls.proc2 & PROC2_VIRT_INTR_DELIVERY));
}

static int
controls_init(void)
{
	const struct vmx_caps *c = &vmx_caps;

	if (ctls.ready)
		return 0;
	if (vmxcap_adjust(&c->pin, PIN_EXTINT_EXITING | PIN_NMI_EXITING,
			  PIN_VIRTUAL_NMIS | PIN_PREEMPTION_TIMER,
			  "pin-based controls", vmx_pin_names, &ctls.pin) < 0 ||
	    vmxcap_adjust(&c->proc, PROC_HLT_EXITING | PROC_IO_BITMAPS | PROC_MSR_BITMAPS |
			  PROC_SECONDARY_CONTROLS | PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING |
			  PROC_TSC_OFFSETTING | PROC_INTR_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING,
			  PROC_MWAIT_EXITING | PROC_MONITOR_EXITING | (apicv_option == APICV_OFF ? 0 : PROC_TPR_SHADOW),
			  "processor-based controls", vmx_proc_names, &ctls.proc) < 0 ||
	    vmxcap_adjust(&c->proc2, PROC2_EPT | PROC2_UNRESTRICTED_GUEST,
			  PROC2_VPID | PROC2_WBINVD_EXITING | (apicv_option == APICV_OFF ? 0 : PROC2_APICV),
			  "secondary controls", vmx_proc2_names, &ctls.proc2) < 0 ||
	    vmxcap_adjust(&c->exit, EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
			  EXIT_SAVE_PAT | EXIT_LOAD_PAT, EXIT_SAVE_PREEMPTION_TIMER | EXIT_ACK_INTR_ON_EXIT,
			  "VM-exit controls", NULL, &ctls.exit) < 0 ||
	    vmxcap_adjust(&c->entry, ENTRY_LOAD_EFER | ENTRY_LOAD_PAT, ENTRY_IA32E_MODE_GUEST,
			  "VM-entry controls", NULL, &ctls.entry) < 0)
		return -1;
	apicv_controls(c);
	if (preemption_timer_off)
		ctls.pin &= ~(uint32_t)PIN_PREEMPTION_TIMER | c->pin.must_be_1;
	/* saving the timer needs the timer (SDM Vol. 3C, 27.2.1.2) */
	if (!(ctls.pin & PIN_PREEMPTION_TIMER))
		ctls.exit &= ~(uint32_t)EXIT_SAVE_PREEMPTION_TIMER;
	ctls.timer_restarts = (ctls.pin & PIN_PREEMPTION_TIMER) && !(ctls.exit & EXIT_SAVE_PREEMPTION_TIMER);
	ctls.timer_saved = ctls.exit & EXIT_SAVE_PREEMPTION_TIMER;
	/* IA-32e mode guest is per vCPU: set at start and when EFER.LMA changes */
	ctls.entry &= ~ENTRY_IA32E_MODE_GUEST;
	/* interrupt- and NMI-window exiting are on only while something waits for the guest */
	ctls.proc &= ~(PROC_INTR_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING);
	ctls.ready = true;
	return 0;
}

static void
setup_host_state(void)
{
	struct cpu *c = this_cpu();
	struct desc_ptr idtr;

	sidt(&idtr);
	vmcs_writenat(VMCS_HOST_CR0, read_cr0());
	vmcs_writenat(VMCS_HOST_CR3, read_cr3());
	vmcs_writenat(VMCS_HOST_CR4, read_cr4());
	vmcs_write16(VMCS_HOST_CS_SEL, GDT_KERNEL_CS);
	vmcs_write16(VMCS_HOST_SS_SEL, GDT_KERNEL_DS);
	vmcs_write16(VMCS_HOST_DS_SEL, GDT_KERNEL_DS);
	vmcs_write16(VMCS_HOST_ES_SEL, GDT_KERNEL_DS);
	vmcs_write16(VMCS_HOST_FS_SEL, 0);
	vmcs_write16(VMCS_HOST_GS_SEL, 0);
	vmcs_write16(VMCS_HOST_TR_SEL, GDT_TSS);
	vmcs_writenat(VMCS_HOST_FS_BASE, rdmsr(MSR_IA32_FS_BASE));
	vmcs_writenat(VMCS_HOST_GS_BASE, (uint64_t)(uintptr_t)c);
	vmcs_writenat(VMCS_HOST_TR_BASE, (uint64_t)(uintptr_t)&c->tss);
	vmcs_writenat(VMCS_HOST_GDTR_BASE, (uint64_t)(uintptr_t)c->gdt);
	vmcs_writenat(VMCS_HOST_IDTR_BASE, idtr.base);
	vmcs_write32(VMCS_HOST_SYSENTER_CS, 0);
	vmcs_writenat(VMCS_HOST_SYSENTER_ESP, 0);
	vmcs_writenat(VMCS_HOST_SYSENTER_EIP, 0);
	vmcs_write64(VMCS_HOST_PAT, rdmsr(MSR_IA32_PAT));
	vmcs_write64(VMCS_HOST_EFER, rdmsr(MSR_IA32_EFER));
	vmcs_writenat(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_point);
}

static void
set_segment(uint32_t sel_field, uint16_t sel, uint64_t base, uint32_t limit, uint32_t ar)
{
	/* the eight segment registers' fields sit at fixed distances from the selector's */
	uint32_t i = (sel_field - VMCS_GUEST_ES_SEL) / 2;

	vmcs_write_raw(sel_field, sel);
	vmcs_write_raw(VMCS_GUEST_ES_BASE + 2 * i, base);
	vmcs_write_raw(VMCS_GUEST_ES_LIMIT + 2 * i, limit);
	vmcs_write_raw(VMCS_GUEST_ES_AR + 2 * i, ar);
}

/* ES, SS, DS, FS and GS alike, as a loader leaves them */
static void
set_data_segments(uint16_t sel, uint32_t limit, uint32_t ar)
{
	for (uint32_t f = VMCS_GUEST_ES_SEL; f <= VMCS_GUEST_GS_SEL; f += 2)
		if (f != VMCS_GUEST_CS_SEL)
			set_segment(f, sel, 0, limit, ar);
}

#define AR_CODE     (AR_P | AR_S | 0xB)         /* execute/read, accessed */
#define AR_DATA     (AR_P | AR_S | 0x3)         /* read/write, accessed */
#define AR_TSS_BUSY (AR_P | 0xB)                /* busy 32/64-bit TSS */
#define AR_LDT_NONE AR_UNUSABLE

/* CR0 as the CPU must hold it for a guest that wants cr0 (unrestricted
 * guest lets PE and PG be 0: SDM Vol. 3C, 25.8 and A.7). */
uint64_t
vmcs_guest_cr0(uint64_t cr0)
{
	uint64_t fixed0 = vmx_caps.cr0_fixed0 & ~(CR0_PE | CR0_PG);

	return (cr0 | fixed0) & vmx_caps.cr0_fixed1;
}

uint64_t
vmcs_guest_cr4(uint64_t cr4)
{
	return (cr4 | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1;
}

static void
setup_guest_state(const struct guest_start *s, struct vmx_vcpu *x)
{
	uint64_t cr0 = CR0_ET | CR0_NE, cr4 = 0, efer = 0;
	uint32_t entry = ctls.entry, idt_limit = 0;

	switch (s->mode) {
	case GUEST_MODE_REAL:
		set_segment(VMCS_GUEST_CS_SEL, s->cs, (uint64_t)s->cs << 4, 0xFFFF, AR_CODE);
		set_data_segments(0, 0xFFFF, AR_DATA);
		idt_limit = 0x3FF;                      /* the real-mode IVT */
		break;
	case GUEST_MODE_PROTECTED:
		cr0 |= CR0_PE;
		set_segment(VMCS_GUEST_CS_SEL, LOADER_SEL_CODE32, 0, 0xFFFFFFFF, AR_CODE | AR_DB | AR_G);
		set_data_segments(LOADER_SEL_DATA, 0xFFFFFFFF, AR_DATA | AR_DB | AR_G);
		break;
	case GUEST_MODE_LONG:
		cr0 |= CR0_PE | CR0_PG | CR0_WP;
		cr4 |= CR4_PAE;
		efer = EFER_LME | EFER_LMA | (cpu_features.nx ? EFER_NXE : 0);
		entry |= ENTRY_IA32E_MODE_GUEST;
		set_segment(VMCS_GUEST_CS_SEL, LOADER_SEL_CODE64, 0, 0xFFFFFFFF, AR_CODE | AR_L | AR_G);
		set_data_segments(LOADER_SEL_DATA, 0xFFFFFFFF, AR_DATA | AR_DB | AR_G);
		break;
	}
	vmcs_writenat(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write32(VMCS_GUEST_IDTR_LIMIT, idt_limit);
	set_segment(VMCS_GUEST_LDTR_SEL, 0, 0, 0, AR_LDT_NONE);
	set_segment(VMCS_GUEST_TR_SEL, 0, 0, 0x67, AR_TSS_BUSY);
	vmcs_writenat(VMCS_GUEST_GDTR_BASE, s->gdt_base);
	vmcs_write32(VMCS_GUEST_GDTR_LIMIT, s->gdt_base ? s->gdt_limit : 0);

	vmcs_writenat(VMCS_GUEST_CR0, vmcs_guest_cr0(cr0));
	vmcs_writenat(VMCS_CR0_READ_SHADOW, cr0);
	vmcs_writenat(VMCS_GUEST_CR3, s->cr3);
	vmcs_writenat(VMCS_GUEST_CR4, vmcs_guest_cr4(cr4));
	vmcs_writenat(VMCS_CR4_READ_SHADOW, cr4);
	vmcs_write64(VMCS_GUEST_EFER, efer);
	vmcs_write64(VMCS_GUEST_PAT, PAT_POWER_ON);
	vmcs_writenat(VMCS_GUEST_DR7, DR7_DEFAULT);
	vmcs_write64(VMCS_GUEST_DEBUGCTL, 0);
	vmcs_writenat(VMCS_GUEST_RSP, s->rsp);
	vmcs_writenat(VMCS_GUEST_RIP, s->rip);
	vmcs_writenat(VMCS_GUEST_RFLAGS, RFLAGS_FIXED);
	vmcs_writenat(VMCS_GUEST_PENDING_DBG, 0);
	vmcs_write32(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_write32(VMCS_GUEST_ACTIVITY_STATE, 0);
	vmcs_write32(VMCS_GUEST_SYSENTER_CS, 0);
	vmcs_writenat(VMCS_GUEST_SYSENTER_ESP, 0);
	vmcs_writenat(VMCS_GUEST_SYSENTER_EIP, 0);
	vmcs_write64(VMCS_LINK_POINTER, LINK_POINTER_NONE);

	x->entry_controls = entry;
	vmcs_write32(VMCS_ENTRY_CONTROLS, entry);
}

int
vmcs_setup(struct vcpu *v, const struct guest_start *s)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint32_t proc2;

	if (controls_init() < 0)
		return -1;
	proc2 = ctls.proc2 & ~(uint32_t)(PROC2_VIRT_APIC_ACCESSES | PROC2_VIRT_X2APIC);
	if (!x->vpid)
		proc2 &= ~PROC2_VPID;
	x->proc2_controls = proc2;      /* vmx_apicv_setup() adds the APIC mode's control */

	vmcs_write32(VMCS_PIN_CONTROLS, ctls.pin);
	x->proc_controls = ctls.proc;
	vmcs_write32(VMCS_PROC_CONTROLS, ctls.proc);
	vmcs_write32(VMCS_PROC2_CONTROLS, proc2);
	vmcs_write32(VMCS_EXIT_CONTROLS, ctls.exit);
	vmcs_write32(VMCS_EXCEPTION_BITMAP, EXCEPTION_BITMAP |
		     (v->vm->desc.debug ? EXCEPTION_BITMAP_DEBUG : 0));
	vmcs_write32(VMCS_PF_ERROR_CODE_MASK, 0);
	vmcs_write32(VMCS_PF_ERROR_CODE_MATCH, 0);
	vmcs_write32(VMCS_CR3_TARGET_COUNT, 0);
	vmcs_write32(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VMCS_ENTRY_INTR_INFO, 0);
	vmcs_write64(VMCS_IO_BITMAP_A, x->io_bitmap_pa);
	vmcs_write64(VMCS_IO_BITMAP_B, x->io_bitmap_pa + 4096);
	vmcs_write64(VMCS_MSR_BITMAP, x->msr_bitmap_pa);
	vmcs_write64(VMCS_EPT_POINTER, v->vm->ept_root);
	if (x->vpid)
		vmcs_write16(VMCS_VPID, x->vpid);
	vmcs_write64(VMCS_TSC_OFFSET, v->tsc_offset);   /* RDTSC runs unintercepted */

	/* CR bits the guest may not own: the fixed ones, and for CR0 also PE and
	 * PG, whose changes move EFER.LMA (handled in vmx/exit_cr.c) */
	x->cr0_mask = vmx_caps.cr0_fixed0 | ~vmx_caps.cr0_fixed1 | CR0_PE | CR0_PG;
	x->cr4_mask = vmx_caps.cr4_fixed0 | ~vmx_caps.cr4_fixed1;
	vmcs_writenat(VMCS_CR0_GUEST_HOST_MASK, x->cr0_mask);
	vmcs_writenat(VMCS_CR4_GUEST_HOST_MASK, x->cr4_mask);

	if (vmx_apicv_setup(v) < 0)
		return -1;
	setup_host_state();
	setup_guest_state(s, x);
	/* testing: paging without protection is a state VM entry refuses (27.3.1.1) */
	if (v->vm->test_bad_state)
		vmcs_writenat(VMCS_GUEST_CR0, (vmcs_readnat(VMCS_GUEST_CR0) | CR0_PG) & ~CR0_PE);
	v->regs.rax = s->rax;
	v->regs.rbx = s->rbx;
	v->regs.rsi = s->rsi;
	return 0;
}

/* A VMREAD or VMWRITE failed: which way, and why (SDM Vol. 3C, 31.2, 31.4). */
void
vmcs_fail(const char *op, uint64_t field)
{
	uint64_t current = 0;

	if (vmptrst(&current) != VMX_OK || current == ~(uint64_t)0)
		panic("%s of VMCS field %#lx (%s) failed: no current VMCS", op, field,
		      vmcs_field_name((uint32_t)field));
	panic("%s of VMCS field %#lx (%s) failed: %s", op, field, vmcs_field_name((uint32_t)field),
	      vmx_error_name(vmx_instruction_error()));
}
