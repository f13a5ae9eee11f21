/*
 * guests/nmi64/main.c: NMIs from the IOAPIC (a redirection entry in NMI
 * delivery mode, SDM Vol. 3A, 11.5.1 and the 82093AA datasheet), fed by the
 * PIT. An NMI that arrives while the handler of the previous one runs is
 * held until that handler's IRET (SDM Vol. 3A, 6.7.1), which the hypervisor
 * honours with NMI-window exiting; handlers never nest.
 */
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/ioapic.h"
#include "guests/lib/lapic.h"
#include "guests/lib/pic.h"
#include "guests/lib/pit.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"

GUEST_NAME("nmi64");

#define VEC_NMI             2
#define VEC_SPURIOUS        0xFF
#define RTE_DELIVERY_NMI    (4u << 8)           /* delivery mode: NMI */
#define PIT_COUNT_1KHZ      1193

static volatile uint32_t nmis, depth, max_depth;

static void
on_nmi(struct trap_frame *tf)
{
	if (++depth > max_depth)
		max_depth = depth;
	/* long enough that the next PIT edge comes while this handler runs */
	tsc_delay_us(1500);
	nmis++;
	depth--;
}

void
guest_main(void)
{
	uint64_t end;

	idt_init();
	idt_set_handler(VEC_NMI, on_nmi);
	lapic_init(VEC_SPURIOUS);
	pic_init(0x20);
	pic_mask_all();
	ioapic_init();
	ioapic_route(IOAPIC_PIN_PIT, 0, lapic_id(), RTE_DELIVERY_NMI);
	pit_start(0, 2, PIT_COUNT_1KHZ);

	end = rdtsc() + tsc_from_us(50000);
	while (rdtsc() < end && nmis < 20)
		cpu_relax();
	ioapic_mask(IOAPIC_PIN_PIT);

	guest_check(nmis >= 10, "NMIs from an IOAPIC entry in NMI mode: %u in 50 ms", nmis);
	guest_check(max_depth == 1, "an NMI never interrupts the NMI handler (deepest %u)", max_depth);
	guest_pass();
}
