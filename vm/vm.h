/*
 * vm/vm.h: a virtual machine and its virtual CPUs, as the vendor-neutral
 * layer sees them. The CPU vendor's backend (vmx/ now, svm/ later) keeps its
 * own per-vCPU state behind vcpu->arch and is reached through
 * struct vm_backend (vm/backend.h).
 */
#ifndef VM_VM_H
#define VM_VM_H

#include "kernel/compiler.h"
#include "vm/event.h"
#include "vm/guest_desc.h"
#include "vm/iobus.h"
#include "vm/mca.h"
#include "vm/mmio.h"

#define VM_EXIT_COUNTERS    80      /* indexed by the backend's basic exit reason */
#define VM_STOP_REASON_MAX  160

enum vm_state {
	VM_RUNNABLE,
	VM_PAUSED,              /* kept whole, not scheduled until resumed (the monitor) */
	VM_STOPPED,
};

/* General registers the CPU does not keep in the VMCS; vmx/entry.S loads
 * and saves them by offset (checked there). */
struct vcpu_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t cr2;
};

/* Requests drained in one place just before the next entry. */
#define VCPU_REQ_INJECT     BIT(0)   /* deliver vcpu->event */
#define VCPU_REQ_IRQ        BIT(1)   /* an interrupt may be waiting: check the controllers */
#define VCPU_REQ_TIMER      BIT(2)   /* a device timer changed: re-arm the exit for it */
#define VCPU_REQ_NMI        BIT(3)   /* an NMI waits for delivery */
#define VCPU_REQ_LEAVE      BIT(4)   /* the VM stopped, paused or is restarting: leave the run loop */

/* What a handled exit asks for next. */
enum vcpu_action {
	VCPU_RESUME,            /* enter the same guest again */
	VCPU_RESCHEDULE,        /* its time slice is over: let the next guest run */
	VCPU_STOP,              /* the guest has stopped (vm_stop() said why) */
};

struct vm;
struct vm_irqchip;

struct vcpu {
	struct vcpu_regs regs;
	struct vm *vm;
	uint32_t index;
	uint32_t requests;      /* VCPU_REQ_* */
	struct vcpu_event event;        /* the one event waiting for delivery (vm/event.h) */
	uint64_t xcr0;          /* the guest's XCR0, loaded while it runs */
	uint64_t xsave_pa;      /* its x87/SSE/AVX... state while another vCPU runs (XSAVE area) */
	uint64_t tsc_offset;    /* guest TSC = host TSC + this: it starts near 0 and never goes back */
	uint64_t tsc_adjust;    /* its IA32_TSC_ADJUST: what its writes added to its TSC (0 at start) */
	struct mca mca;         /* its machine-check MSRs (vm/mca.c) */
	bool halted;            /* HLT with interrupts on: waits for an interrupt */
	uint64_t wake_tsc;      /* host TSC of the next timer event that could wake it */
	uint64_t slice_end;     /* host TSC at which its time slice ends */
	void *arch;             /* the backend's per-vCPU state */
};

struct vm {
	uint32_t id;
	struct guest_desc desc;         /* name, memory, console, ... */
	enum vm_state state;
	char stop_reason[VM_STOP_REASON_MAX];
	int exit_code;                  /* HC_EXIT code, or -1 when stopped by the hypervisor */

	uint64_t ram_hpa;               /* host-physical base of the guest's RAM */
	uint64_t ram_size;              /* guest-physical [0, ram_size) */
	uint64_t ept_root;              /* backend's second-level table root */

	struct iobus iobus;             /* emulated ports */
	struct vm_irqchip *irq;         /* interrupt controllers and timers (vm/irq.c) */
	struct mmio_bus mmio;           /* emulated device memory, absent from the EPT */
	struct uart *uart;              /* the guest's COM1 */
	struct pc *pc;                  /* the rest of its PC: RTC, ACPI PM, PCI, 8042, fw_cfg (devices/pc.h) */
	struct vcpu vcpu;               /* one vCPU for now */

	uint64_t exits;
	uint64_t exit_counts[VM_EXIT_COUNTERS];
	uint32_t weight;                /* its share of the CPU relative to the others (vm/sched.c) */
	uint64_t run_tsc;               /* host TSC ticks it has run, hypervisor time on its behalf included */
	uint64_t switches;              /* times the scheduler switched to it */

	bool test_bad_state;            /* testing: start with a guest state VM entry must refuse */
	bool destroyed;                 /* stopped, and every resource given back */

	/* Lifecycle: what a restart needs to build it again, as vm_create did. */
	const struct boot_module *image;        /* the boot module it starts from */
	const struct boot_module *initrd;       /* a Linux guest's initrd module, or NULL */
	bool restart;                   /* stopped, to start again from its image once off the CPU */
	uint32_t restarts;              /* times it started again */
	uint32_t crash_restarts;        /* restarts after crashes soon after starting, in a row */
	uint64_t started_tsc;           /* host TSC when it (last) started */
	void *testdev;                  /* devices/testdev.c, when attached */
};

/* Create a VM from a parsed description: RAM, second-level tables, devices,
 * the image (and a Linux guest's initrd module, else NULL) loaded. Returns
 * NULL after one line naming the guest and why. test_bad_state gives it a
 * guest state VM entry must refuse (testing). */
struct vm *vm_create(const struct guest_desc *d, const struct boot_module *image,
		     const struct boot_module *initrd, bool test_bad_state);

/* vm/sched.c: every guest runs, a time slice each, until all have ended;
 * then each is destroyed and the scheduler holds none. */
int sched_add(struct vm *vm);
void sched_run(void);

/* Give back everything a stopped VM holds: RAM, tables, devices, vCPU
 * state. Called by the scheduler once the VM is off every CPU. */
void vm_destroy(struct vm *vm);

/* The guest asked to end (HC_EXIT): "guest NAME: exited with code N". */
void vm_exit(struct vm *vm, int code);
/* The guest turned its machine off (ACPI S5): "guest NAME: powered off". */
void vm_poweroff(struct vm *vm);
/* The guest reset its machine (keyboard controller 0xFE, the ACPI reset
 * register): it starts again from its image, as after power-on.
 * why names the way, e.g. "keyboard controller reset". */
void vm_reset(struct vm *vm, const char *why);
/* The guest misbehaved or cannot go on (a crash): "guest NAME: stopped:
 * REASON". Every other guest goes on. It never runs again, unless its
 * description says on_crash=restart: then it starts again from its image
 * (vm_restart), at most VM_CRASH_RESTARTS_MAX times in a row when each
 * crash comes within VM_CRASH_WINDOW_S seconds of its start. */
void vm_stop(struct vm *vm, const char *fmt, ...) __printf(2, 3);
#define VM_CRASH_RESTARTS_MAX   3
#define VM_CRASH_WINDOW_S       10

/*
 * Lifecycle (the monitor, vm/monitor.c). Each prints one line naming the
 * guest. They may be called from an exit handler of the guest itself: the
 * vCPU then leaves its run loop before it enters again (VCPU_REQ_LEAVE).
 */
/* Ended on purpose, whatever on_crash says: "guest NAME: stopped: WHY". */
void vm_end(struct vm *vm, const char *why);
/* Not scheduled until vm_resume(); it keeps all its state. */
void vm_pause(struct vm *vm);
void vm_resume(struct vm *vm);
/* "guest NAME: restarting (WHY)": once off the CPU (vm_settle) everything
 * it has is given back and it is built again from its description and
 * image, as at boot. A stopped guest is started again the same way. */
void vm_restart(struct vm *vm, const char *why);
/* The scheduler, with vm off every CPU: a restart that is due is done, a
 * stopped VM gives back what it holds (vm_destroy). Returns true while the
 * VM has not ended (runnable or paused). */
bool vm_settle(struct vm *vm);
/* "running", "halted", "paused" or "stopped". */
const char *vm_state_name(const struct vm *vm);

/*
 * A general register by the number instructions and exit qualifications use
 * (RAX RCX RDX RBX RSP RBP RSI RDI R8-R15, SDM Vol. 2A, Table 2-2), or NULL
 * for RSP, which the backend keeps in its own state.
 */
static inline uint64_t *
vcpu_gpr(struct vcpu *v, unsigned n)
{
	uint64_t *const regs[16] = {
		&v->regs.rax, &v->regs.rcx, &v->regs.rdx, &v->regs.rbx, NULL, &v->regs.rbp,
		&v->regs.rsi, &v->regs.rdi, &v->regs.r8, &v->regs.r9, &v->regs.r10, &v->regs.r11,
		&v->regs.r12, &v->regs.r13, &v->regs.r14, &v->regs.r15,
	};
	return regs[n & 15];
}

/* The guest's time stamp counter now, as RDTSC in the guest reads it. */
uint64_t vcpu_tsc(const struct vcpu *v);

/* Guest-physical to host pointer, or NULL if [gpa, gpa+len) is not all RAM. */
void *vm_gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len);

/* Queue an exception for delivery before the next entry, combined with one
 * already waiting as the CPU would (a double fault, or a triple fault that
 * stops the guest). Returns what the run loop does next. */
enum vcpu_action vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error_code, uint32_t error_code);

#endif
