/*
 * guests/attack64/ipi.c: INIT, SIPI, NMI and SMI sent through this guest's
 * local APIC (SDM Vol. 3A, 11.6.1: the ICR), in xAPIC mode (the MMIO page)
 * and x2APIC mode (MSR 0x830, 11.12.9), to itself, to all, to all others,
 * to an APIC id no CPU of this guest has and to the broadcast id. The
 * guest has one CPU: none of these reaches another guest or a real CPU
 * (an INIT or SMI that did would stop or reset the machine); the local
 * APIC it has is emulated (devices/vlapic.c) and drops what it cannot
 * deliver. The guest must simply run on.
 */
#include "guests/attack64/attack.h"
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/lapic.h"
#include "kernel/msr.h"
#include "kernel/x86.h"

#define ICR_SMI             (2u << 8)
#define ICR_NMI             (4u << 8)
#define ICR_INIT            (5u << 8)
#define ICR_STARTUP         (6u << 8)
#define ICR_LOGICAL         (1u << 11)
#define ICR_ASSERT          (1u << 14)
#define ICR_LEVEL           (1u << 15)
#define ICR_SELF            (1u << 18)
#define ICR_ALL             (2u << 18)
#define ICR_OTHERS          (3u << 18)
#define SIPI_VECTOR         0x10        /* start at 0x10000 */
#define VEC_NMI             2
#define VEC_SPURIOUS        0xFF
#define MSR_X2APIC_ICR      (MSR_IA32_X2APIC_BASE + (LAPIC_ICR_LO >> 4))

static volatile unsigned nmis;

static void nmi(struct trap_frame *tf) { nmis++; }

static const struct {
	uint32_t icr;
	const char *name;
} modes[] = {
	{ ICR_INIT | ICR_ASSERT | ICR_LEVEL, "INIT" },
	{ ICR_INIT | ICR_LEVEL, "INIT de-assert" },
	{ ICR_STARTUP | ICR_ASSERT | SIPI_VECTOR, "SIPI" },
	{ ICR_NMI | ICR_ASSERT, "NMI" },
	{ ICR_SMI | ICR_ASSERT, "SMI" },
};

/* Each destination: shorthand bits, the id (xAPIC: 8 bits; x2APIC: 32) and its logical bit. */
static const struct {
	uint32_t shorthand;
	uint32_t dest_x, dest_x2;
	bool logical;
} dests[] = {
	{ ICR_SELF, 0, 0, false },
	{ ICR_ALL, 0, 0, false },
	{ ICR_OTHERS, 0, 0, false },
	{ 0, 1, 1, false },                     /* APIC id 1: no CPU of this guest */
	{ 0, 0xFF, 0xFFFFFFFF, false },         /* physical broadcast */
	{ 0, 0xFF, 0xFFFFFFFF, true },          /* logical: every CPU */
};

static void
send_all(bool x2)
{
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		for (size_t d = 0; d < sizeof(dests) / sizeof(dests[0]); d++) {
			uint32_t icr = modes[m].icr | dests[d].shorthand | (dests[d].logical ? ICR_LOGICAL : 0);

			if (x2) {
				wrmsr(MSR_X2APIC_ICR, (uint64_t)dests[d].dest_x2 << 32 | icr);
			} else {
				lapic_write(LAPIC_ICR_HI, dests[d].dest_x << 24);
				lapic_write(LAPIC_ICR_LO, icr);
			}
		}
		guest_printf("attack64: ipi: %s %s to self, all, others, APIC 1, broadcast, logical all: "
			     "still running (%u NMIs taken)\n", x2 ? "x2APIC" : "xAPIC", modes[m].name, nmis);
	}
}

void
attack_ipi(void)
{
	if (!guest_check(lapic_present(), "ipi: CPUID shows a local APIC"))
		return;
	idt_set_handler(VEC_NMI, nmi);
	lapic_init(VEC_SPURIOUS);
	send_all(false);
	if (!lapic_has_x2apic()) {
		guest_printf("attack64: ipi: CPUID shows no x2APIC: xAPIC only\n");
		return;
	}
	lapic_enable_x2apic();
	send_all(true);
	wrmsr(MSR_IA32_X2APIC_BASE + (LAPIC_SELF_IPI >> 4), VEC_NMI);  /* an illegal vector, to itself */
	guest_printf("attack64: ipi: x2APIC SELF IPI of vector 2: still running\n");
}
