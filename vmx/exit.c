/*
 * vmx/exit.c: what happens on each VM exit. The basic exit reason (SDM
 * Vol. 3D, Appendix C) indexes a table of small handlers, each returning
 * what the run loop does next. An exit without a handler dumps the VMCS
 * and stops that guest; so does every VM-entry failure (reasons 33, 34, 41
 * with bit 31 set, SDM Vol. 3C, 27.8).
 */
#include "vmx/vmx_vcpu.h"
#include "kernel/log.h"
#include "kernel/msr.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "lib/format.h"
#include "vm/cpuid.h"
#include "vm/irq.h"
#include "vmx/exit_handlers.h"
#include "vmx/vmcs.h"

enum {
	EXIT_EXCEPTION_NMI = 0, EXIT_EXTERNAL_INTERRUPT = 1, EXIT_TRIPLE_FAULT = 2,
	EXIT_INIT = 3, EXIT_SIPI = 4, EXIT_INTERRUPT_WINDOW = 7, EXIT_NMI_WINDOW = 8,
	EXIT_TASK_SWITCH = 9, EXIT_CPUID = 10, EXIT_GETSEC = 11, EXIT_HLT = 12,
	EXIT_INVD = 13, EXIT_INVLPG = 14, EXIT_RDPMC = 15, EXIT_RDTSC = 16, EXIT_RSM = 17,
	EXIT_VMCALL = 18, EXIT_VMCLEAR = 19, EXIT_VMLAUNCH = 20, EXIT_VMPTRLD = 21,
	EXIT_VMPTRST = 22, EXIT_VMREAD = 23, EXIT_VMRESUME = 24, EXIT_VMWRITE = 25,
	EXIT_VMXOFF = 26, EXIT_VMXON = 27, EXIT_CR_ACCESS = 28, EXIT_DR_ACCESS = 29,
	EXIT_IO = 30, EXIT_RDMSR = 31, EXIT_WRMSR = 32, EXIT_INVALID_GUEST_STATE = 33,
	EXIT_MSR_LOADING = 34, EXIT_MWAIT = 36, EXIT_MTF = 37, EXIT_MONITOR = 39,
	EXIT_PAUSE = 40, EXIT_MACHINE_CHECK = 41, EXIT_TPR_BELOW_THRESHOLD = 43,
	EXIT_APIC_ACCESS = 44, EXIT_VIRTUALIZED_EOI = 45, EXIT_GDTR_IDTR = 46,
	EXIT_LDTR_TR = 47, EXIT_EPT_VIOLATION = 48, EXIT_EPT_MISCONFIG = 49,
	EXIT_INVEPT = 50, EXIT_RDTSCP = 51, EXIT_PREEMPTION_TIMER = 52,
	EXIT_INVVPID = 53, EXIT_WBINVD = 54, EXIT_XSETBV = 55, EXIT_APIC_WRITE = 56,
	EXIT_RDRAND = 57, EXIT_INVPCID = 58, EXIT_VMFUNC = 59, EXIT_ENCLS = 60,
	EXIT_RDSEED = 61, EXIT_PML_FULL = 62, EXIT_XSAVES = 63, EXIT_XRSTORS = 64,
	EXIT_REASONS = 70,
};
STATIC_ASSERT(EXIT_REASONS <= VM_EXIT_COUNTERS, "a counter for every exit reason");

typedef enum vcpu_action (*exit_handler_fn)(struct vcpu *v);

struct exit_entry {
	exit_handler_fn fn;
	const char *name;
	bool in_delivery;       /* can happen while an event is delivered: check IDT-vectoring info */
};

bool
vmx_guest_64bit(void)
{
	return (vmcs_read64(VMCS_GUEST_EFER) & EFER_LMA) && (vmcs_read32(VMCS_GUEST_CS_AR) & AR_L);
}

static enum vcpu_action
exit_cpuid(struct vcpu *v)
{
	/* CR4.OSXSAVE, the one CR4 bit CPUID reflects (leaf 1), is the guest's own */
	cpuid_guest(v, (uint32_t)v->regs.rax == 1 ? vmcs_readnat(VMCS_GUEST_CR4) : 0);
	vmx_skip_instruction(v);
	return VCPU_RESUME;
}

/* Hypercalls are the guest kernel's: from CPL > 0 (SS.DPL, SDM Vol. 3C,
 * 27.3.1.1) VMCALL is #UD, as on a CPU without a hypervisor. */
static enum vcpu_action
exit_vmcall(struct vcpu *v)
{
	enum vcpu_action a;

	if ((vmcs_read32(VMCS_GUEST_SS_AR) >> AR_DPL_SHIFT) & 3)
		return vcpu_inject_exception(v, VEC_UD, false, 0);
	a = hypercall(v, vmx_guest_64bit());

	if (a != VCPU_STOP)             /* HC_YIELD reschedules: it resumes after VMCALL too */
		vmx_skip_instruction(v);
	return a;
}

/*
 * HLT waits for an interrupt. With one waiting it ends at once; with the
 * interrupt flag on the vCPU sleeps until a device timer could raise one
 * (the scheduler wakes it); with the flag off nothing but an NMI could wake
 * it, and the guest has in effect stopped: say so.
 */
static enum vcpu_action
exit_hlt(struct vcpu *v)
{
	vmx_skip_instruction(v);
	if (irq_pending(v)) {
		v->requests |= VCPU_REQ_IRQ;
		return VCPU_RESUME;
	}
	if (!(vmcs_readnat(VMCS_GUEST_RFLAGS) & RFLAGS_IF)) {
		vm_stop(v->vm, "halted with interrupts disabled at rip %#lx: nothing can wake it",
			vmcs_readnat(VMCS_GUEST_RIP));
		return VCPU_STOP;
	}
	v->halted = true;
	v->wake_tsc = irq_update(v);
	if (v->wake_tsc != UINT64_MAX)
		v->wake_tsc -= v->tsc_offset;           /* guest TSC to host TSC */
	return VCPU_RESCHEDULE;
}

static enum vcpu_action
exit_triple_fault(struct vcpu *v)
{
	vm_stop(v->vm, "triple fault at rip %#lx", vmcs_readnat(VMCS_GUEST_RIP));
	return VCPU_STOP;
}

/* VMX instructions, MONITOR/MWAIT and GETSEC: not there for the guest (CPUID
 * says so), so #UD as on a CPU without them. */
static enum vcpu_action
exit_undefined(struct vcpu *v)
{
	return vcpu_inject_exception(v, VEC_UD, false, 0);
}

static enum vcpu_action exit_preemption_timer(struct vcpu *v);

/*
 * A host interrupt arrived while the guest ran: it is the hypervisor's, and
 * goes to its own handler. With "acknowledge interrupt on exit" the CPU has
 * taken it from the local APIC and the vector is in the exit information;
 * without, opening the interrupt flag for one instruction lets it through
 * the host IDT.
 */
static enum vcpu_action
exit_external_interrupt(struct vcpu *v)
{
	uint32_t info = vmcs_read32(VMCS_EXIT_INTR_INFO);

	if (info & INTR_INFO_VALID) {
		trap_dispatch_vector(info & INTR_INFO_VECTOR_MASK);
	} else {
		sti();
		__asm__ volatile("nop");
		cli();
	}
	/* without the VMX-preemption timer, the host's timer ends slices and wakes device timers */
	if (!vmcs_has_preemption_timer())
		return exit_preemption_timer(v);
	return VCPU_RESUME;
}

/* A device timer is due, or the time slice is over. */
static enum vcpu_action
exit_preemption_timer(struct vcpu *v)
{
	v->requests |= VCPU_REQ_TIMER | VCPU_REQ_IRQ;
	return rdtsc() >= v->slice_end ? VCPU_RESCHEDULE : VCPU_RESUME;
}

/*
 * #DB or #BP of a guest with debug=on: say where, then deliver it as the CPU
 * would have. INT3 (and INT1) are software exceptions that re-execute with
 * their instruction length (SDM Vol. 3C, 26.6.1.3). A #DB exit leaves DR6
 * alone and puts what it would have set in the exit qualification (27.1);
 * it goes into DR6 before delivery.
 */
static enum vcpu_action
debug_exception(struct vcpu *v, uint8_t vector, uint32_t type)
{
	struct vcpu_event *e = &v->event;

	log_info("guest %s: %s at rip %#lx", v->vm->desc.name, vector == VEC_BP ? "#BP" : "#DB",
		 vmcs_readnat(VMCS_GUEST_RIP));
	if (vector == VEC_DB && type == INTR_TYPE_HW_EXCEPTION) {
		uint64_t dr6, q = vmcs_readnat(VMCS_EXIT_QUALIFICATION);

		__asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
		dr6 = (dr6 & ~0xFULL) | (q & 0x600F);   /* B0-B3, BD, BS */
		__asm__ volatile("mov %0, %%dr6" : : "r"(dr6));
	}
	if (type == INTR_TYPE_SW_EXCEPTION || type == INTR_TYPE_PRIV_SW_EXCEPTION) {
		*e = (struct vcpu_event){ .valid = true, .vector = vector, .type = (uint8_t)type,
					  .instruction_len = vmcs_read32(VMCS_EXIT_INSTRUCTION_LEN) };
		v->requests |= VCPU_REQ_INJECT;
		return VCPU_RESUME;
	}
	return vcpu_inject_exception(v, vector, false, 0);
}

static enum vcpu_action
exit_exception(struct vcpu *v)
{
	uint32_t info = vmcs_read32(VMCS_EXIT_INTR_INFO);
	uint32_t type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;
	uint8_t vector = info & INTR_INFO_VECTOR_MASK;

	if (type == INTR_TYPE_NMI) {            /* the host's NMI: handle it as the host */
		__asm__ volatile("int $2");
		return VCPU_RESUME;
	}
	if (vector == VEC_MC) {
		vm_stop(v->vm, "machine check while it ran (rip %#lx)", vmcs_readnat(VMCS_GUEST_RIP));
		return VCPU_STOP;
	}
	if (vector == VEC_DB || vector == VEC_BP)
		return debug_exception(v, vector, type);
	/* anything else in the exception bitmap goes back to the guest as it was */
	return vcpu_inject_exception(v, vector, info & INTR_INFO_DELIVER_CODE,
				     vmcs_read32(VMCS_EXIT_INTR_ERROR_CODE));
}

/* INVD would drop dirty lines the host owns: write them back instead. */
static enum vcpu_action
exit_wbinvd(struct vcpu *v)
{
	__asm__ volatile("wbinvd" ::: "memory");
	vmx_skip_instruction(v);
	return VCPU_RESUME;
}

static enum vcpu_action
exit_init(struct vcpu *v)
{
	vm_stop(v->vm, "INIT signal: vCPU reset is not supported yet");
	return VCPU_STOP;
}

/* SIPI matters only in wait-for-SIPI state, which our vCPUs never enter. */
static enum vcpu_action
exit_sipi(struct vcpu *v)
{
	return VCPU_RESUME;
}

static const struct exit_entry exit_table[EXIT_REASONS] = {
	[EXIT_EXCEPTION_NMI]       = { exit_exception, "exception or NMI", true },
	[EXIT_EXTERNAL_INTERRUPT]  = { exit_external_interrupt, "external interrupt", true },
	[EXIT_TRIPLE_FAULT]        = { exit_triple_fault, "triple fault", true },
	[EXIT_INIT]                = { exit_init, "INIT signal" },
	[EXIT_SIPI]                = { exit_sipi, "SIPI" },
	[EXIT_INTERRUPT_WINDOW]    = { vmx_exit_interrupt_window, "interrupt window" },
	[EXIT_NMI_WINDOW]          = { vmx_exit_nmi_window, "NMI window" },
	[EXIT_TASK_SWITCH]         = { NULL, "task switch", true },
	[EXIT_CPUID]               = { exit_cpuid, "CPUID" },
	[EXIT_GETSEC]              = { exit_undefined, "GETSEC" },
	[EXIT_HLT]                 = { exit_hlt, "HLT" },
	[EXIT_INVD]                = { exit_wbinvd, "INVD" },
	[EXIT_INVLPG]              = { NULL, "INVLPG" },
	[EXIT_RDPMC]               = { NULL, "RDPMC" },
	[EXIT_RDTSC]               = { NULL, "RDTSC" },
	[EXIT_RSM]                 = { NULL, "RSM" },
	[EXIT_VMCALL]              = { exit_vmcall, "VMCALL" },
	[EXIT_VMCLEAR]             = { exit_undefined, "VMCLEAR" },
	[EXIT_VMLAUNCH]            = { exit_undefined, "VMLAUNCH" },
	[EXIT_VMPTRLD]             = { exit_undefined, "VMPTRLD" },
	[EXIT_VMPTRST]             = { exit_undefined, "VMPTRST" },
	[EXIT_VMREAD]              = { exit_undefined, "VMREAD" },
	[EXIT_VMRESUME]            = { exit_undefined, "VMRESUME" },
	[EXIT_VMWRITE]             = { exit_undefined, "VMWRITE" },
	[EXIT_VMXOFF]              = { exit_undefined, "VMXOFF" },
	[EXIT_VMXON]               = { exit_undefined, "VMXON" },
	[EXIT_CR_ACCESS]           = { vmx_exit_cr, "control-register access" },
	[EXIT_DR_ACCESS]           = { NULL, "debug-register access" },
	[EXIT_IO]                  = { vmx_exit_io, "I/O instruction" },
	[EXIT_RDMSR]               = { vmx_exit_rdmsr, "RDMSR" },
	[EXIT_WRMSR]               = { vmx_exit_wrmsr, "WRMSR" },
	[EXIT_INVALID_GUEST_STATE] = { NULL, "VM-entry failure: invalid guest state" },
	[EXIT_MSR_LOADING]         = { NULL, "VM-entry failure: MSR loading" },
	[EXIT_MWAIT]               = { exit_undefined, "MWAIT" },
	[EXIT_MTF]                 = { NULL, "monitor trap flag" },
	[EXIT_MONITOR]             = { exit_undefined, "MONITOR" },
	[EXIT_PAUSE]               = { NULL, "PAUSE" },
	[EXIT_MACHINE_CHECK]       = { NULL, "VM-entry failure: machine check" },
	[EXIT_TPR_BELOW_THRESHOLD] = { vmx_exit_tpr_below_threshold, "TPR below threshold" },
	[EXIT_APIC_ACCESS]         = { vmx_exit_apic_access, "APIC access", true },
	[EXIT_VIRTUALIZED_EOI]     = { vmx_exit_virtualized_eoi, "virtualized EOI" },
	[EXIT_GDTR_IDTR]           = { NULL, "GDTR/IDTR access" },
	[EXIT_LDTR_TR]             = { NULL, "LDTR/TR access" },
	[EXIT_EPT_VIOLATION]       = { vmx_exit_ept_violation, "EPT violation", true },
	[EXIT_EPT_MISCONFIG]       = { vmx_exit_ept_misconfig, "EPT misconfiguration", true },
	[EXIT_INVEPT]              = { exit_undefined, "INVEPT" },
	[EXIT_RDTSCP]              = { NULL, "RDTSCP" },
	[EXIT_PREEMPTION_TIMER]    = { exit_preemption_timer, "preemption timer" },
	[EXIT_INVVPID]             = { exit_undefined, "INVVPID" },
	[EXIT_WBINVD]              = { exit_wbinvd, "WBINVD" },
	[EXIT_XSETBV]              = { vmx_exit_xsetbv, "XSETBV" },
	[EXIT_APIC_WRITE]          = { vmx_exit_apic_write, "APIC write" },
	[EXIT_RDRAND]              = { NULL, "RDRAND" },
	[EXIT_INVPCID]             = { NULL, "INVPCID" },
	[EXIT_VMFUNC]              = { exit_undefined, "VMFUNC" },
	[EXIT_ENCLS]               = { NULL, "ENCLS" },
	[EXIT_RDSEED]              = { NULL, "RDSEED" },
	[EXIT_PML_FULL]            = { NULL, "page-modification log full", true },
	[EXIT_XSAVES]              = { NULL, "XSAVES" },
	[EXIT_XRSTORS]             = { NULL, "XRSTORS" },
};

const char *
vmx_exit_name(uint32_t reason)
{
	if (reason < EXIT_REASONS && exit_table[reason].name)
		return exit_table[reason].name;
	return "unknown exit reason";
}

/* Qualification of an invalid-guest-state failure (SDM Vol. 3C, 27.8). */
static const char *
entry_failure_detail(uint64_t qual)
{
	switch (qual) {
	case 2: return "; while loading PDPTEs";
	case 3: return "; while injecting an NMI";
	case 4: return "; invalid VMCS link pointer";
	default: return "";
	}
}

/*
 * The exit cut short the delivery of an event through the guest's IDT (an
 * EPT violation on its stack, say): it must be delivered again on the next
 * entry (SDM Vol. 3C, 28.2.4 and 29.2.1.1).
 */
static void
requeue_interrupted_event(struct vcpu *v, uint32_t info)
{
	struct vcpu_event *e = &v->event;

	e->valid = true;
	e->vector = info & INTR_INFO_VECTOR_MASK;
	e->type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;
	e->has_error_code = info & INTR_INFO_DELIVER_CODE;
	e->error_code = e->has_error_code ? vmcs_read32(VMCS_IDT_VECTORING_ERROR_CODE) : 0;
	e->instruction_len = e->type >= VCPU_EVENT_SW_INTR ? vmcs_read32(VMCS_EXIT_INSTRUCTION_LEN) : 0;
	v->requests |= VCPU_REQ_INJECT;
}

enum vcpu_action
vmx_handle_exit(struct vcpu *v)
{
	uint32_t reason = vmcs_read32(VMCS_EXIT_REASON);
	uint32_t basic = reason & EXIT_REASON_BASIC_MASK;
	struct vm *vm = v->vm;

	/* instruction exits (CPUID, I/O, ...) never interrupt an event's delivery (SDM Vol. 3C, 28.2.4) */
	if (basic >= EXIT_REASONS || exit_table[basic].in_delivery) {
		uint32_t idt_vectoring = vmcs_read32(VMCS_IDT_VECTORING_INFO);

		if (idt_vectoring & INTR_INFO_VALID)
			requeue_interrupted_event(v, idt_vectoring);
	}
	vm->exits++;
	if (basic < VM_EXIT_COUNTERS)
		vm->exit_counts[basic]++;
	if (unlikely(reason & EXIT_REASON_ENTRY_FAILURE)) {
		vm_stop(vm, "VM entry failed: %s (exit reason %u)%s", vmx_exit_name(basic), basic,
			entry_failure_detail(vmcs_readnat(VMCS_EXIT_QUALIFICATION)));
		vmcs_dump();
		return VCPU_STOP;
	}
	if (likely(basic < EXIT_REASONS && exit_table[basic].fn))
		return exit_table[basic].fn(v);
	vm_stop(vm, "unhandled VM exit %u (%s) at rip %#lx", basic, vmx_exit_name(basic),
		vmcs_readnat(VMCS_GUEST_RIP));
	vmcs_dump();
	return VCPU_STOP;
}

void
vmx_report_exits(const struct vm *vm)
{
	char line[400];
	size_t n = 0;

	for (uint32_t i = 0; i < EXIT_REASONS && n < sizeof(line) - 1; i++)
		if (vm->exit_counts[i])
			n += (size_t)format(line + n, sizeof(line) - n, "%s%s %lu", n ? ", " : "",
					    vmx_exit_name(i), vm->exit_counts[i]);
	line[MIN(n, sizeof(line) - 1)] = '\0';
	log_info("guest %s: %lu exits: %s", vm->desc.name, vm->exits, n ? line : "none");
}
