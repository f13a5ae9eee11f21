/*
 * vmx/vcpu.c: a vCPU under VT-x: its VMCS, bitmaps and VPID, switching this
 * CPU to it, and one round trip through the guest.
 *
 * One round trip is: drain pending requests (event injection), set the
 * time slice, VMLAUNCH or VMRESUME, and hand the exit to the exit table.
 * A failed entry stops that guest only, with the SDM's reason. Changing
 * the vCPU a CPU runs is machine_switch(), the hypervisor's context switch.
 */
#include "vmx/vmx_vcpu.h"
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/msr.h"
#include "kernel/x86.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/phys.h"
#include "mm/pmm.h"
#include "vm/irq.h"
#include "vm/loader.h"
#include "vmx/vmcs.h"
#include "vmx/vmxcap.h"

STATIC_ASSERT(offsetof(struct vcpu_regs, rax) == VCPU_REGS_RAX, "entry.S offsets");
STATIC_ASSERT(offsetof(struct vcpu_regs, rbx) == VCPU_REGS_RBX, "entry.S offsets");
STATIC_ASSERT(offsetof(struct vcpu_regs, rcx) == VCPU_REGS_RCX, "entry.S offsets");
STATIC_ASSERT(offsetof(struct vcpu_regs, rdx) == VCPU_REGS_RDX, "entry.S offsets");
STATIC_ASSERT(offsetof(struct vcpu_regs, rsi) == VCPU_REGS_RSI, "entry.S offsets");
STATIC_ASSERT(offsetof(struct vcpu_regs, rdi) == VCPU_REGS_RDI, "entry.S offsets");
STATIC_ASSERT(offsetof(struct vcpu_regs, rbp) == VCPU_REGS_RBP, "entry.S offsets");
STATIC_ASSERT(offsetof(struct vcpu_regs, r8) == VCPU_REGS_R8, "entry.S offsets");
STATIC_ASSERT(offsetof(struct vcpu_regs, r15) == VCPU_REGS_R15, "entry.S offsets");
STATIC_ASSERT(offsetof(struct vcpu_regs, cr2) == VCPU_REGS_CR2, "entry.S offsets");

/* MSRs a guest reaches directly: the CPU switches them through the VMCS
 * (FS/GS base, SYSENTER, PAT) or we switch them with the vCPU (the rest). */
static const uint32_t msr_passthrough[] = {
	MSR_IA32_FS_BASE, MSR_IA32_GS_BASE, MSR_IA32_KERNEL_GS_BASE,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	MSR_IA32_STAR, MSR_IA32_LSTAR, MSR_IA32_CSTAR, MSR_IA32_FMASK, MSR_IA32_PAT,
};

static uint16_t next_vpid = 1;
/* The vCPU each CPU runs: its VMCS is current there, and its extended state
 * and MSRs are in that CPU's registers (NULL: nobody's, or a dead vCPU's). */
static struct vcpu *loaded_vcpu[MAX_CPUS];

/* Clear the read and write exit bits of one MSR (SDM Vol. 3C, 25.6.9). */
static void
msr_bitmap_allow(uint8_t *bitmap, uint32_t msr, bool read, bool write)
{
	uint32_t base, bit;

	if (msr <= 0x1FFF) {
		base = 0;
		bit = msr;
	} else if (msr >= 0xC0000000 && msr <= 0xC0001FFF) {
		base = 1024;
		bit = msr - 0xC0000000;
	} else {
		return;
	}
	if (read)
		bitmap[base + bit / 8] &= ~(1u << (bit % 8));
	if (write)
		bitmap[2048 + base + bit / 8] &= ~(1u << (bit % 8));
}

/*
 * Build v's VMCS and bitmaps. Its saved MSRs start at their reset value, 0
 * (SDM Vol. 3A, Table 10-1), and its XSAVE area in the initial state; the
 * vCPU this CPU was running stays loaded: v runs after vmx_vcpu_load(v).
 */
static int
vmx_vcpu_init(struct vcpu *v, const struct guest_start *start)
{
	struct vmx_vcpu *x = heap_zalloc(sizeof(*x), "vmx: vCPU state");
	struct vcpu *prev;
	uint8_t *msr_bitmap;
	int r;

	if (!x)
		return -ENOMEM;
	v->arch = x;
	x->vmcs_pa = pmm_alloc(1, PAGE_SIZE, "vmx: VMCS");
	x->msr_bitmap_pa = pmm_alloc(1, PAGE_SIZE, "vmx: MSR bitmap");
	x->io_bitmap_pa = pmm_alloc(2, PAGE_SIZE, "vmx: I/O bitmaps");
	if (!x->vmcs_pa || !x->msr_bitmap_pa || !x->io_bitmap_pa)
		return -ENOMEM;

	memset(phys_to_virt(x->vmcs_pa), 0, PAGE_SIZE);
	*(uint32_t *)phys_to_virt(x->vmcs_pa) = (uint32_t)(vmx_caps.basic & VMX_BASIC_REVISION_MASK);
	memset(phys_to_virt(x->io_bitmap_pa), 0xFF, 2 * PAGE_SIZE);     /* every port exits */
	msr_bitmap = phys_to_virt(x->msr_bitmap_pa);
	memset(msr_bitmap, 0xFF, PAGE_SIZE);                            /* every MSR exits ... */
	for (size_t i = 0; i < ARRAY_SIZE(msr_passthrough); i++)         /* ... but these */
		msr_bitmap_allow(msr_bitmap, msr_passthrough[i], true, true);
	msr_bitmap_allow(msr_bitmap, MSR_IA32_EFER, true, false);        /* EFER writes move LMA */

	if (vmcs_has_proc2(PROC2_VPID))
		x->vpid = next_vpid++;
	if (read_cr4() & CR4_OSXSAVE) {
		/* CPUID.(EAX=0DH,ECX=0):ECX is the area for every component the CPU has */
		uint64_t pages = ALIGN_UP((uint64_t)cpuid(0xD, 0).ecx, PAGE_SIZE) / PAGE_SIZE;

		v->xsave_pa = pmm_alloc(pages, PAGE_SIZE, "vmx: XSAVE area");
		if (!v->xsave_pa)
			return -ENOMEM;
		memset(phys_to_virt(v->xsave_pa), 0, pages * PAGE_SIZE);
	}

	if ((r = vmclear(x->vmcs_pa)) != VMX_OK || (r = vmptrld(x->vmcs_pa)) != VMX_OK) {
		log_err("vmx: guest '%s': cannot make its VMCS current: %s", v->vm->desc.name,
			r == VMX_FAIL_VALID ? vmx_error_name(vmx_instruction_error()) : vmx_result_name(r));
		return -EIO;
	}
	if (x->vpid && (vmx_caps.ept_vpid & VPID_CAP_INVVPID_SINGLE) &&
	    invvpid(INVVPID_SINGLE_CONTEXT, x->vpid, 0) != VMX_OK)
		log_warn("vmx: INVVPID for vpid %u failed", x->vpid);
	r = vmcs_setup(v, start) < 0 ? -EIO : 0;
	/* the CPU goes on with the vCPU it runs: its VMCS is current again */
	prev = loaded_vcpu[this_cpu()->index];
	if (prev && vmptrld(to_vmx(prev)->vmcs_pa) != VMX_OK)
		panic("vmx: VMPTRLD of guest '%s' failed", prev->vm->desc.name);
	return r;
}

/*
 * The extended state (x87, SSE, AVX, ...) is the guest's own and the VMCS
 * does not switch it: save the outgoing vCPU's with XSAVE, restore the
 * incoming one's with XRSTOR (SDM Vol. 1, 13.7, 13.8). XSAVE covers only
 * what XCR0 enables, and a guest that never set XCR0 still uses SSE
 * (through CR4.OSFXSR alone), so both run with SSE added to the guest's
 * XCR0; the guest's own XCR0 goes back in last. A fresh area (XSTATE_BV 0)
 * restores the initial state. The hypervisor never touches these registers.
 */
#define XCR0_X87_SSE    3

static void
xsetbv0(uint64_t xcr0)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)));
}

static void
save_extended_state(struct vcpu *v)
{
	xsetbv0(v->xcr0 | XCR0_X87_SSE);
	__asm__ volatile("xsave64 (%0)" : : "r"(phys_to_virt(v->xsave_pa)), "a"(~0u), "d"(~0u) : "memory");
}

static void
restore_extended_state(struct vcpu *v)
{
	xsetbv0(v->xcr0 | XCR0_X87_SSE);
	__asm__ volatile("xrstor64 (%0)" : : "r"(phys_to_virt(v->xsave_pa)), "a"(~0u), "d"(~0u) : "memory");
	xsetbv0(v->xcr0);
}

/* MSRs the VMCS does not switch move with the vCPU (SDM Vol. 3C, 28.3);
 * the guest reaches them without exits (msr_passthrough). */
static void
save_msrs(struct vmx_vcpu *x)
{
	x->kernel_gs_base = rdmsr(MSR_IA32_KERNEL_GS_BASE);
	x->star = rdmsr(MSR_IA32_STAR);
	x->lstar = rdmsr(MSR_IA32_LSTAR);
	x->cstar = rdmsr(MSR_IA32_CSTAR);
	x->fmask = rdmsr(MSR_IA32_FMASK);
}

static void
restore_msrs(const struct vmx_vcpu *x)
{
	wrmsr(MSR_IA32_KERNEL_GS_BASE, x->kernel_gs_base);
	wrmsr(MSR_IA32_STAR, x->star);
	wrmsr(MSR_IA32_LSTAR, x->lstar);
	wrmsr(MSR_IA32_CSTAR, x->cstar);
	wrmsr(MSR_IA32_FMASK, x->fmask);
}

/*
 * The machine switch: this CPU stops running from (NULL: nobody, or a
 * destroyed vCPU) and runs to, as an OS switches processes. Everything
 * else a vCPU owns is already where it belongs: the VMCS holds its
 * control registers, segments, RIP, RSP, RFLAGS, EFER, PAT, FS/GS base
 * and SYSENTER MSRs and VM entry loads them (SDM Vol. 3C, 28.3.2);
 * vmx_enter() saves and loads its general registers at every exit and
 * entry; VPID and EPTP tag its TLB entries, so nothing is flushed (29.4).
 */
static void
machine_switch(struct vcpu *from, struct vcpu *to)
{
	int r;

	if (from) {                                     /* save one ... */
		save_msrs(to_vmx(from));
		if (from->xsave_pa)
			save_extended_state(from);
	}
	r = vmptrld(to_vmx(to)->vmcs_pa);               /* ... make the other's VMCS current ... */
	if (r != VMX_OK)
		panic("vmx: VMPTRLD of guest '%s' failed: %s", to->vm->desc.name, vmx_result_name(r));
	restore_msrs(to_vmx(to));                       /* ... and restore it */
	if (to->xsave_pa)
		restore_extended_state(to);
}

/* The next VM exit comes at host TSC until: the VMX-preemption timer
 * (SDM Vol. 3C, 26.5.1), or the host's LAPIC timer on a CPU without one. */
static void
exit_at(uint64_t until)
{
	uint64_t now = rdtsc(), ticks;

	if (!vmcs_has_preemption_timer()) {
		timer_arm(until);                       /* the host's timer interrupt makes the exit */
		return;
	}
	ticks = until > now ? (until - now) >> (vmx_caps.misc & VMX_MISC_PREEMPT_RATE_MASK) : 0;
	vmcs_write32(VMCS_PREEMPTION_TIMER_VALUE, (uint32_t)MIN(ticks, (uint64_t)0xFFFFFFFF));
}

/*
 * A fresh time slice, to end at the scheduler's v->slice_end, or sooner for
 * the guest's next device-timer event. When that event (v->wake_tsc, as the
 * last arm_timer() found it) did not come due while the guest was away and
 * no other work waits, re-arming the exit is all there is to do; else the
 * devices catch up first (VCPU_REQ_TIMER).
 */
static void
start_time_slice(struct vcpu *v)
{
	if (v->requests || rdtsc() >= v->wake_tsc) {
		v->requests |= VCPU_REQ_TIMER;
		return;
	}
	exit_at(MIN(v->slice_end, v->wake_tsc));
}

static void
vmx_vcpu_load(struct vcpu *v)
{
	struct vcpu **cur = &loaded_vcpu[this_cpu()->index];

	if (*cur != v) {
		machine_switch(*cur, v);
		*cur = v;
	}
	start_time_slice(v);
}

static void
set_window(struct vmx_vcpu *x, uint32_t window, bool on)
{
	uint32_t proc = on ? x->proc_controls | window : x->proc_controls & ~window;

	if (proc != x->proc_controls) {
		x->proc_controls = proc;
		vmcs_write32(VMCS_PROC_CONTROLS, proc);
	}
}

/* Can the guest take an external interrupt right now (SDM Vol. 3A, 6.8.1;
 * Vol. 3C, 25.4.2: no STI or MOV-SS blocking)? */
static bool
interruptible(void)
{
	return (vmcs_readnat(VMCS_GUEST_RFLAGS) & RFLAGS_IF) &&
	       !(vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY) & (INTR_BLOCK_STI | INTR_BLOCK_MOV_SS));
}

static void
inject(const struct vcpu_event *e)
{
	vmcs_write32(VMCS_ENTRY_INTR_INFO, INTR_INFO_VALID | e->vector |
		     ((uint32_t)e->type << INTR_INFO_TYPE_SHIFT) |
		     (e->has_error_code ? INTR_INFO_DELIVER_CODE : 0));
	if (e->has_error_code)
		vmcs_write32(VMCS_ENTRY_EXCEPTION_ERROR_CODE, e->error_code);
	/* software interrupts and exceptions re-execute from the instruction (SDM Vol. 3C, 26.6.1.3) */
	if (e->type >= VCPU_EVENT_SW_INTR)
		vmcs_write32(VMCS_ENTRY_INSTRUCTION_LEN, e->instruction_len);
}

/* Exit again in time for the next device timer event, or at the slice's end. */
static void
arm_timer(struct vcpu *v)
{
	uint64_t next = irq_update(v);

	v->wake_tsc = next == UINT64_MAX ? UINT64_MAX : next - v->tsc_offset;   /* guest TSC to host TSC */
	exit_at(MIN(v->slice_end, v->wake_tsc));
}

/*
 * Events first: an exception or an event to deliver again goes first; an
 * external interrupt goes when the guest can take it, else
 * interrupt-window exiting calls us back when it can; device timers decide
 * when the next exit must come.
 */
static void
deliver_events(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint32_t req = v->requests;

	v->requests = 0;
	if (req & VCPU_REQ_TIMER)
		arm_timer(v);
	if (req & VCPU_REQ_INJECT) {
		inject(&v->event);
		v->event.valid = false;
		if (req & VCPU_REQ_NMI)
			set_window(x, PROC_NMI_WINDOW_EXITING, true);
		if (req & VCPU_REQ_IRQ)
			set_window(x, PROC_INTR_WINDOW_EXITING, true);  /* the interrupt waits for the window */
		v->requests |= req & VCPU_REQ_NMI;
		return;
	}
	if (req & VCPU_REQ_NMI) {
		/* an NMI goes unless NMIs or MOV SS block it (SDM Vol. 3C, 25.4.2, 27.3.1.5) */
		if (!(vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY) & (INTR_BLOCK_MOV_SS | INTR_BLOCK_NMI))) {
			struct vcpu_event e = { .valid = true, .vector = 2, .type = VCPU_EVENT_NMI };

			inject(&e);
			if (req & VCPU_REQ_IRQ)
				set_window(x, PROC_INTR_WINDOW_EXITING, true);
			return;
		}
		set_window(x, PROC_NMI_WINDOW_EXITING, true);
		v->requests |= VCPU_REQ_NMI;
	}
	if (!(req & VCPU_REQ_IRQ) || !irq_injectable(v))
		return;
	if (interruptible()) {
		struct vcpu_event e = { .valid = true, .vector = irq_ack(v), .type = VCPU_EVENT_EXT_INTR };

		inject(&e);
		v->requests |= VCPU_REQ_IRQ;            /* another may be waiting behind it */
	} else {
		set_window(x, PROC_INTR_WINDOW_EXITING, true);
	}
}

/*
 * The one place pending work is done before an entry: events, then, with
 * APIC virtualization, the controls and TPR threshold for the local APIC as
 * those events (and the exit before them) left it.
 */
static void
drain_requests(struct vcpu *v)
{
	deliver_events(v);
	if (vmcs_apicv())
		vmx_apicv_sync(v);
}

/* NMIs are no longer blocked (SDM Vol. 3C, 26.7.6): deliver the NMI now. */
enum vcpu_action
vmx_exit_nmi_window(struct vcpu *v)
{
	set_window(to_vmx(v), PROC_NMI_WINDOW_EXITING, false);
	v->requests |= VCPU_REQ_NMI;
	return VCPU_RESUME;
}

/* The guest's interrupt flag opened (SDM Vol. 3C, 26.7.5): deliver now. */
enum vcpu_action
vmx_exit_interrupt_window(struct vcpu *v)
{
	set_window(to_vmx(v), PROC_INTR_WINDOW_EXITING, false);
	v->requests |= VCPU_REQ_IRQ;
	return VCPU_RESUME;
}

/* Why did VMLAUNCH/VMRESUME not enter? (SDM Vol. 3C, 27.2-27.3) */
static enum vcpu_action
entry_failed(struct vcpu *v, int how)
{
	if (how == VMX_ENTER_FAIL_VALID) {
		uint32_t err = vmx_instruction_error();

		vm_stop(v->vm, "VM entry failed: %s (VM-instruction error %u)", vmx_error_name(err), err);
	} else {
		vm_stop(v->vm, "VM entry failed: %s", vmx_result_name(VMX_FAIL_INVALID));
	}
	vmcs_dump();
	return VCPU_STOP;
}

/*
 * The run loop of one vCPU: drain requests, enter, handle the exit, again,
 * until the exit handler ends the time slice or the guest stops.
 */
static enum vcpu_action
vmx_vcpu_run(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);
	enum vcpu_action a;
	int r;

	do {
		if (unlikely(v->requests & VCPU_REQ_LEAVE)) {   /* stopped, paused or restarting */
			v->requests &= ~VCPU_REQ_LEAVE;
			return VCPU_RESCHEDULE;
		}
		if (v->requests)
			drain_requests(v);
		if (vmcs_timer_restarts())
			v->requests |= VCPU_REQ_TIMER;  /* the timer restarts at every entry */
		r = vmx_enter(&v->regs, x->launched);
		if (unlikely(r != VMX_ENTER_EXITED))
			return entry_failed(v, r);
		x->launched = true;
		a = vmx_handle_exit(v);
		/* the preemption timer counts down only in the guest (SDM Vol. 3C, 26.5.1),
		 * and a saved one goes on from where it stopped: a guest keeping the
		 * hypervisor busy with exits must not outrun its slice (a timer that
		 * restarts is re-armed from the TSC at each entry, and the host's timer
		 * counts the time here too) */
		if (a == VCPU_RESUME && vmcs_timer_saved() && rdtsc() >= v->slice_end)
			a = VCPU_RESCHEDULE;
	} while (a == VCPU_RESUME);
	return a;
}

/* RFLAGS is in the VMCS (guest-state area, SDM Vol. 3C, 25.4.1); v is the loaded vCPU. */
static uint64_t
vmx_get_rflags(struct vcpu *v)
{
	return vmcs_readnat(VMCS_GUEST_RFLAGS);
}

static void
vmx_set_rflags(struct vcpu *v, uint64_t rflags)
{
	vmcs_writenat(VMCS_GUEST_RFLAGS, rflags);
}

/* VMCLEAR first: the VMCS must not be current or active anywhere when its
 * page goes back (SDM Vol. 3C, 25.11.3). */
static void
vmx_vcpu_destroy(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint32_t cpu = this_cpu()->index;
	int r;

	if (x->vmcs_pa && (r = vmclear(x->vmcs_pa)) != VMX_OK)
		panic("vmx: VMCLEAR of guest '%s' failed: %s", v->vm->desc.name, vmx_result_name(r));
	if (loaded_vcpu[cpu] == v)
		loaded_vcpu[cpu] = NULL;
	if (x->vmcs_pa)
		pmm_free(x->vmcs_pa, 1);
	if (x->msr_bitmap_pa)
		pmm_free(x->msr_bitmap_pa, 1);
	if (x->io_bitmap_pa)
		pmm_free(x->io_bitmap_pa, 2);
	vmx_apicv_destroy(v);
	if (v->xsave_pa)
		pmm_free(v->xsave_pa, ALIGN_UP((uint64_t)cpuid(0xD, 0).ecx, PAGE_SIZE) / PAGE_SIZE);
	v->xsave_pa = 0;
	heap_free(x);
	v->arch = NULL;
}

const struct vm_backend vmx_backend = {
	.name = "Intel VT-x",
	.vm_init = vmx_ept_init,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_load = vmx_vcpu_load,
	.vcpu_run = vmx_vcpu_run,
	.vcpu_destroy = vmx_vcpu_destroy,
	.vm_destroy = vmx_ept_destroy,
	.report_exits = vmx_report_exits,
	.get_rflags = vmx_get_rflags,
	.set_rflags = vmx_set_rflags,
	.dump_vcpu = vmx_vcpu_dump,
};
