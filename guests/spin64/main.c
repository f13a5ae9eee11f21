/*
 * guests/spin64/main.c: a guest that turns interrupts off and spins for
 * 2 seconds of its TSC without a single exit of its own. The hypervisor
 * must still take the CPU back (a host timer interrupt or the preemption
 * timer, neither of which the guest's IF masks) so that other guests run
 * meanwhile. Gaps of over 1 ms between two reads of the TSC are the times
 * it was away; it reports how many and the longest.
 */
#include "guests/lib/guest.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"

GUEST_NAME("spin64");

#define SPIN_US         2000000
#define GAP_US          1000

void
guest_main(void)
{
	uint64_t span = tsc_from_us(SPIN_US), gap = tsc_from_us(GAP_US);
	uint64_t start, last, now, longest = 0;
	unsigned gaps = 0;

	guest_printf("spin64: interrupts off, spinning for %d ms of TSC\n", SPIN_US / 1000);
	cli();
	start = last = rdtsc();
	do {
		now = rdtsc();
		if (now - last > gap) {
			gaps++;
			longest = MAX(longest, now - last);
		}
		last = now;
	} while (now - start < span);
	guest_printf("spin64: done; away %u times for over %d ms, the longest %lu us\n", gaps, GAP_US / 1000,
		     tsc_to_us(longest));
	guest_pass();
}
