/*
 * kernel/idt.c: the hypervisor's interrupt descriptor table: 256 interrupt
 * gates to the stubs in kernel/isr.S; #DF, NMI and #MC on their own IST
 * stacks so they work even when the current stack is not.
 * Gate format: SDM Vol. 3A, 6.14.1, Figure 6-8.
 */
#include "kernel/gdt.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

#define GATE_INTERRUPT  0x8E    /* present, DPL0, 64-bit interrupt gate */

struct __packed idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};
STATIC_ASSERT(sizeof(struct idt_gate) == 16, "64-bit IDT gate is 16 bytes");

extern const uint64_t isr_stubs[256];
static struct idt_gate idt[256] __aligned(16);

static uint8_t
ist_for(int vector)
{
	switch (vector) {
	case VEC_DF: return IST_DOUBLE_FAULT;
	case VEC_NMI: return IST_NMI;
	case VEC_MC: return IST_MACHINE_CHECK;
	default: return 0;
	}
}

void
idt_init(void)
{
	for (int v = 0; v < 256; v++) {
		uint64_t a = isr_stubs[v];

		idt[v] = (struct idt_gate){
			.offset_lo = a & 0xFFFF,
			.selector = GDT_KERNEL_CS,
			.ist = ist_for(v),
			.type = GATE_INTERRUPT,
			.offset_mid = (a >> 16) & 0xFFFF,
			.offset_hi = a >> 32,
		};
	}
	idt_load();
}

/* Load the shared IDT on this CPU. */
void
idt_load(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	lidt(&p);
}
