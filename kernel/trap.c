/*
 * kernel/trap.c: what happens on each vector in root mode. An exception here
 * is the hypervisor's own bug (guests' exceptions arrive as VM exits, not
 * through this IDT), so it panics with the vector's name, error code, RIP
 * and CR2. Interrupts go to handlers registered by their drivers.
 */
#include "kernel/trap.h"
#include "kernel/gdt.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/x86.h"

static trap_handler_fn handlers[256];

static const char *const exception_names[32] = {
	[VEC_DE] = "#DE divide error",
	[VEC_DB] = "#DB debug",
	[VEC_NMI] = "NMI",
	[VEC_BP] = "#BP breakpoint",
	[VEC_OF] = "#OF overflow",
	[VEC_BR] = "#BR bound range",
	[VEC_UD] = "#UD invalid opcode",
	[VEC_NM] = "#NM device not available",
	[VEC_DF] = "#DF double fault",
	[9] = "coprocessor segment overrun",
	[VEC_TS] = "#TS invalid TSS",
	[VEC_NP] = "#NP segment not present",
	[VEC_SS] = "#SS stack fault",
	[VEC_GP] = "#GP general protection",
	[VEC_PF] = "#PF page fault",
	[VEC_MF] = "#MF x87 floating point",
	[VEC_AC] = "#AC alignment check",
	[VEC_MC] = "#MC machine check",
	[VEC_XM] = "#XM SIMD floating point",
	[VEC_VE] = "#VE virtualization exception",
	[VEC_CP] = "#CP control protection",
	[28] = "#HV hypervisor injection",
	[29] = "#VC VMM communication",
	[30] = "#SX security",
};

const char *
trap_name(uint64_t vector)
{
	if (vector < 32)
		return exception_names[vector] ? exception_names[vector] : "reserved exception";
	if (vector == VEC_SPURIOUS)
		return "spurious interrupt";
	return "interrupt";
}

void
trap_set_handler(uint8_t vector, trap_handler_fn fn)
{
	handlers[vector] = fn;
}

void
trap_dispatch(struct trap_frame *tf)
{
	uint64_t v = tf->vector;

	if (handlers[v]) {
		handlers[v](tf);
		return;
	}
	if (v == VEC_NMI) {
		this_cpu()->nmi_count++;
		log_warn("trap: NMI on cpu %u (no handler yet), rip %lx", this_cpu()->index, tf->rip);
		return;
	}
	if (v == VEC_SPURIOUS) {        /* no EOI for a spurious interrupt (SDM Vol. 3A, 11.9) */
		this_cpu()->spurious_count++;
		return;
	}
	if (v < 32)
		panic_trap(tf, "%s (vector %lu) in the hypervisor: error code %#lx, rip %#lx, cr2 %#lx",
			   trap_name(v), v, tf->error_code, tf->rip, read_cr2());
	panic_trap(tf, "unexpected interrupt vector %lu (%#lx) at rip %#lx", v, v, tf->rip);
}

/*
 * An interrupt the CPU acknowledged on our behalf during a VM exit
 * ("acknowledge interrupt on exit", SDM Vol. 3C, 28.2.2): handle it as if
 * it had come through the IDT. No registers of the hypervisor were
 * interrupted, so the frame holds only the vector.
 */
void
trap_dispatch_vector(uint8_t vector)
{
	struct trap_frame tf = { .vector = vector, .cs = GDT_KERNEL_CS, .rflags = RFLAGS_FIXED };

	tf.rip = (uint64_t)(uintptr_t)__builtin_return_address(0);
	trap_dispatch(&tf);
}
