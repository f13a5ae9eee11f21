/*
 * guests/lib/trap.c: the IDT of a 64-bit test guest and what happens on an
 * exception (SDM Vol. 3A, 6.10 IDT, 6.14.1 64-bit IDT gate descriptors).
 */
#include "guests/lib/guest.h"
#include "guests/lib/trap.h"
#include "kernel/compiler.h"

#define TRAP_VECTORS    32
#define GATE_INTERRUPT  0x8E    /* present, DPL 0, 64-bit interrupt gate */

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;
STATIC_ASSERT(sizeof(struct idt_gate) == 16, "64-bit IDT gate is 16 bytes");

struct idt_pointer {
	uint16_t limit;
	uint64_t base;
} __packed;

STATIC_ASSERT(offsetof(struct trap_frame, rip) == 16, "trap.S pushes vector, error code");
STATIC_ASSERT(offsetof(struct trap_frame, rsp) == 40, "CPU frame: rip cs rflags rsp ss");

extern const uint64_t trap_stubs[TRAP_VECTORS];
extern char trap_landing[];

/* Shared with trap_try() in trap.S. */
uint64_t trap_saved_rsp;
struct trap_fault *trap_fault_out;

static struct idt_gate idt[TRAP_VECTORS] __aligned(16);

void
trap_init(void)
{
	struct idt_pointer p = { sizeof(idt) - 1, (uint64_t)idt };
	uint16_t cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	for (int i = 0; i < TRAP_VECTORS; i++) {
		uint64_t a = trap_stubs[i];

		idt[i] = (struct idt_gate){
			.offset_low = (uint16_t)a,
			.selector = cs,
			.type = GATE_INTERRUPT,
			.offset_mid = (uint16_t)(a >> 16),
			.offset_high = (uint32_t)(a >> 32),
		};
	}
	__asm__ volatile("lidt %0" : : "m"(p));
}

const char *
trap_name(uint64_t vector)
{
	static const char *const names[TRAP_VECTORS] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
		"#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#?",
		"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#?", "#?",
		"#?", "#?", "#?", "#?", "#HV", "#VC", "#SX", "#?",
	};

	if (vector == TRAP_NONE)
		return "no exception";
	return vector < TRAP_VECTORS ? names[vector] : "#?";
}

void
trap_dispatch(struct trap_frame *tf)
{
	if (!trap_saved_rsp)
		guest_fail("unexpected exception %s (vector %lu) at rip %#lx, error code %#lx",
			   trap_name(tf->vector), tf->vector, tf->rip, tf->error_code);
	if (trap_fault_out)
		*trap_fault_out = (struct trap_fault){ tf->vector, tf->error_code, tf->rip };
	tf->rip = (uint64_t)trap_landing;
	tf->rsp = trap_saved_rsp;
}
