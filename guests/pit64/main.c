/*
 * guests/pit64/main.c: the 8254 PIT as a PC guest uses it, its rates
 * measured against the TSC (guests/lib/tsc.h):
 *   - channel 2 in mode 0, gated by port 0x61 bit 0: OUT2 (port 0x61 bit
 *     5) rises after count / 1.193182 MHz, the way Linux calibrates the TSC;
 *   - channel 0 in mode 2 at 1000 Hz (count 1193) through the 8259 pair
 *     (initialised as Linux does, IRQs at vectors 0x20-0x2F) with the local
 *     APIC in virtual-wire mode (LINT0 ExtINT, SDM Vol. 3A, 11.5.1; skipped
 *     when CPUID shows no APIC, and the 8259 drives INTR itself);
 *   - channel 0 in mode 3 through the IOAPIC: the 8259s masked, IOAPIC pin
 *     2 (the PIT's, on a PC) to vector 0x30, EOI to the local APIC.
 * Each interrupt-driven phase counts ticks over 200 ms of TSC and wants
 * the PIT's rate within 10%.
 */
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/ioapic.h"
#include "guests/lib/lapic.h"
#include "guests/lib/pic.h"
#include "guests/lib/pit.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"

GUEST_NAME("pit64");

#define VEC_PIC_BASE    0x20
#define VEC_IOAPIC_PIT  0x30
#define VEC_SPURIOUS    0xFF
#define PIT_COUNT       1193            /* 1000.15 Hz */
#define GATE2_COUNT     11932           /* 10 ms */
#define SPAN_US         200000
#define FIRST_TICK_US   100000          /* the longest wait for a first tick */
#define IOAPIC_PINS     24

static volatile uint64_t ticks;
static volatile unsigned spurious;

static void pic_tick(struct trap_frame *tf)     { ticks++; pic_eoi(0); }
static void ioapic_tick(struct trap_frame *tf)  { ticks++; lapic_eoi(); }
static void spurious_irq(struct trap_frame *tf) { spurious++; }     /* no EOI: SDM 11.9, 8259A IR7 */

/* Within 10% of want? */
static bool
near(uint64_t got, uint64_t want)
{
	uint64_t d = got > want ? got - want : want - got;

	return d * 10 <= want;
}

/* Let the ticks come for SPAN_US of TSC after the first one; check their number. */
static void
count_ticks(const char *what)
{
	uint64_t want = (uint64_t)SPAN_US * PIT_HZ / PIT_COUNT / 1000000;
	uint64_t t0 = rdtsc(), n0 = ticks, n;

	sti();
	while (ticks == n0 && rdtsc() - t0 < tsc_from_us(FIRST_TICK_US))
		cpu_relax();
	if (!guest_check(ticks != n0, "%s: a first tick within %d ms", what, FIRST_TICK_US / 1000)) {
		cli();
		return;
	}
	n0 = ticks;
	t0 = rdtsc();
	while (rdtsc() - t0 < tsc_from_us(SPAN_US))
		cpu_relax();
	n = ticks - n0;
	cli();
	guest_check(near(n, want), "%s: %lu ticks in %d ms, want %lu +- 10%%", what, n, SPAN_US / 1000, want);
}

static void
gate2_check(void)
{
	uint64_t want = tsc_from_us((uint64_t)GATE2_COUNT * 1000000 / PIT_HZ), t0, t;

	pit_gate2(false);
	pit_start(2, PIT_MODE_TERMINAL, GATE2_COUNT);
	guest_check(!pit_out2(), "channel 2, mode 0: OUT2 low while counting");
	pit_gate2(true);
	t0 = rdtsc();
	while (!pit_out2() && (t = rdtsc()) - t0 < 10 * want)
		cpu_relax();
	t = rdtsc() - t0;
	pit_gate2(false);
	guest_check(pit_out2() && near(t, want),
		    "channel 2, mode 0, count %d: OUT2 rises after %lu us, want %lu +- 10%%", GATE2_COUNT,
		    tsc_to_us(t), tsc_to_us(want));
}

void
guest_main(void)
{
	bool apic = lapic_present();

	guest_printf("pit64: TSC at %lu kHz; the PIT through the 8259 and the IOAPIC\n", tsc_hz() / 1000);
	for (unsigned i = 0; i < 16; i++)
		idt_set_handler((uint8_t)(VEC_PIC_BASE + i), i == 7 || i == 15 ? spurious_irq : NULL);
	idt_set_handler(VEC_PIC_BASE, pic_tick);
	idt_set_handler(VEC_IOAPIC_PIT, ioapic_tick);
	idt_set_handler(VEC_SPURIOUS, spurious_irq);

	gate2_check();

	if (apic) {
		lapic_init(VEC_SPURIOUS);
		lapic_write(LAPIC_LVT_LINT0, LVT_DELIVERY_EXTINT);
		lapic_write(LAPIC_LVT_LINT1, LVT_DELIVERY_NMI);
	} else {
		guest_printf("pit64: CPUID shows no local APIC: the 8259 drives INTR\n");
	}
	pic_init(VEC_PIC_BASE);
	uint16_t elcr = pic_elcr();
	guest_check(!(elcr & 1), "ELCR: IRQ0 edge-triggered (%#x)", elcr);
	pit_start(0, PIT_MODE_RATE, PIT_COUNT);
	pic_unmask(0);
	count_ticks("PIT mode 2 via the 8259");
	pic_mask(0);
	guest_check(pic_isr() == 0, "8259: nothing in service after the last EOI (ISR %#x)", pic_isr());

	if (!guest_check(apic, "CPUID.1:EDX[9]: a local APIC, for the IOAPIC phase"))
		guest_pass();
	ioapic_init();
	guest_check(ioapic_pins() == IOAPIC_PINS, "IOAPIC: %u pins", ioapic_pins());
	pic_mask_all();
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED | LVT_DELIVERY_EXTINT);
	ioapic_route(IOAPIC_PIN_PIT, VEC_IOAPIC_PIT, lapic_id(), 0);
	pit_start(0, PIT_MODE_SQUARE, PIT_COUNT);
	count_ticks("PIT mode 3 via IOAPIC pin 2");
	ioapic_mask(IOAPIC_PIN_PIT);
	guest_check(!lapic_vector_bit(LAPIC_ISR, VEC_IOAPIC_PIT), "LAPIC: vector 0x30 not in service after EOI");
	guest_printf("pit64: %u spurious interrupts\n", spurious);
	guest_pass();
}
