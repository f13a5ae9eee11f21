/*
 * guests/bystander64/main.c: the guest an attacker must not hurt. It fills
 * the upper half of its RAM (mem=4M: [2 MiB, 4 MiB)) with a pattern that
 * depends on each word's address, runs its own PIT at 1 kHz through its own
 * 8259 (as guests/pit64 does), and then, round after round, checks every
 * word of the pattern, adds the round's checksum to a running one and
 * checks that its timer ticked meanwhile:
 *   bystander64: checksum ok, round N (running checksum 0x..., T timer ticks)
 * A changed word or a timer that stopped fails it at once, naming the
 * address or the round. It ends by itself after RUN_MS of its TSC and at
 * least ROUNDS_MIN rounds, so a test beside a short attacker ends.
 */
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/lapic.h"
#include "guests/lib/pic.h"
#include "guests/lib/pit.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"

GUEST_NAME("bystander64");

#define PATTERN_START   0x200000ul
#define PATTERN_END     0x400000ul      /* the end of mem=4M */
#define RUN_MS          1500
#define ROUNDS_MIN      10
#define VEC_PIC_BASE    0x20
#define VEC_SPURIOUS    0xFF
#define PIT_COUNT       1193            /* 1000.15 Hz */

static volatile uint64_t ticks;

static void tick(struct trap_frame *tf)         { ticks++; pic_eoi(0); }
static void spurious_irq(struct trap_frame *tf) { }

static uint64_t
pattern(uint64_t gpa)
{
	return gpa * 0x9E3779B97F4A7C15ul ^ 0x5A5A0000A5A50000ul;
}

static void
timer_start(void)
{
	for (unsigned i = 0; i < 16; i++)
		idt_set_handler((uint8_t)(VEC_PIC_BASE + i), i == 7 || i == 15 ? spurious_irq : NULL);
	idt_set_handler(VEC_PIC_BASE, tick);
	idt_set_handler(VEC_SPURIOUS, spurious_irq);
	if (lapic_present()) {
		lapic_init(VEC_SPURIOUS);
		lapic_write(LAPIC_LVT_LINT0, LVT_DELIVERY_EXTINT);
		lapic_write(LAPIC_LVT_LINT1, LVT_DELIVERY_NMI);
	}
	pic_init(VEC_PIC_BASE);
	pit_start(0, PIT_MODE_RATE, PIT_COUNT);
	pic_unmask(0);
}

void
guest_main(void)
{
	uint64_t want = 0, running = 0, last_ticks = 0, start;
	unsigned round;

	for (uint64_t a = PATTERN_START; a < PATTERN_END; a += 8) {
		*(volatile uint64_t *)a = pattern(a);
		want += pattern(a);
	}
	guest_printf("bystander64: pattern in guest-physical [%#lx, %#lx), checksum %#lx; timer at 1 kHz\n",
		     PATTERN_START, PATTERN_END, want);
	timer_start();
	sti();
	start = rdtsc();
	for (round = 1;; round++) {
		uint64_t sum = 0, now;

		for (uint64_t a = PATTERN_START; a < PATTERN_END; a += 8) {
			uint64_t v = *(volatile uint64_t *)a;

			if (v != pattern(a))
				guest_fail("bystander64: memory changed at guest-physical %#lx in round %u: %#lx, want %#lx",
					   a, round, v, pattern(a));
			sum += v;
		}
		if (sum != want)
			guest_fail("bystander64: checksum %#lx in round %u, want %#lx", sum, round, want);
		running += sum;
		now = ticks;
		if (now == last_ticks)
			guest_fail("bystander64: its timer did not tick during round %u (%lu ticks)", round, now);
		last_ticks = now;
		guest_printf("bystander64: checksum ok, round %u (running checksum %#lx, %lu timer ticks)\n",
			     round, running, now);
		if (round >= ROUNDS_MIN && rdtsc() - start >= tsc_from_us(RUN_MS * 1000ul))
			break;
	}
	cli();
	pic_mask(0);
	guest_pass();
}
