/*
 * guests/pingpong64/main.c: what a machine switch costs, measured from
 * inside guests, for `make bench`. Two of these guests, alone on the CPU,
 * hand it to each other with HC_YIELD. One yield round trip, timed in this
 * guest's TSC, is: its VMCALL exit, the hypervisor's switch to the other
 * guest, the other's return from its own yield and its next yield, and the
 * switch back. Figures (medians of ROUNDS, less the cost of an empty timed
 * region):
 *   bench: yield_handoff: N ticks    half a yield round trip: one guest's
 *                                    VMCALL to the other guest running
 *   bench: machine_switch: N ticks   yield_handoff less the round trip of
 *                                    an ordinary hypercall (HC_VERSION,
 *                                    printed too): what switching guests
 *                                    adds to an exit
 * Both yield from the start to END_MS of their TSC, and time the round
 * trips between FROM_MS and TO_MS only: the guests' TSCs start when each is
 * created, about 0.1 s apart, and a yield with the other guest gone (or
 * still being created) would time no switch at all. A round trip longer
 * than LONG_US (the other guest did not yield at once) is left out; the
 * guest fails when most are.
 */
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/tsc.h"

GUEST_NAME("pingpong64");

#define ROUNDS          1000            /* of the ordinary hypercall */
#define SAMPLES_MAX     8192            /* of yield round trips */
#define FROM_MS         300
#define TO_MS           400
#define END_MS          600
#define LONG_US         1000

static uint64_t samples[SAMPLES_MAX];

static uint64_t
median(int n)
{
	tsc_sort_samples(samples, n);
	return samples[n / 2];
}

/* Median ticks of one timed region around op(). */
static uint64_t
measure(long (*op)(void))
{
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = cpu_rdtsc_fenced();

		op();
		samples[i] = cpu_rdtsc_fenced() - t0;
	}
	return median(ROUNDS);
}

static long op_empty(void)      { return 0; }
static long op_vmcall(void)     { return hypercall_version(); }
static long op_yield(void)      { return hypercall(HC_YIELD, 0, 0, 0, 0); }

void
guest_main(void)
{
	uint64_t empty, vmcall, t0, t, longest = tsc_from_us(LONG_US);
	uint64_t from = tsc_from_us(FROM_MS * 1000), to = tsc_from_us(TO_MS * 1000), end = tsc_from_us(END_MS * 1000);
	int n = 0, left_out = 0;

	empty = measure(op_empty);
	vmcall = measure(op_vmcall) - empty;
	while (rdtsc() < from)
		op_yield();
	while (rdtsc() < to && n < SAMPLES_MAX) {
		t0 = cpu_rdtsc_fenced();
		op_yield();
		t = cpu_rdtsc_fenced() - t0;
		if (t > longest)
			left_out++;
		else
			samples[n++] = t - empty;
	}
	while (rdtsc() < end)
		op_yield();
	if (n < left_out)
		guest_fail("pingpong64: %d of %d yields did not come back within %d us: is the other guest there?",
			   left_out, n + left_out, LONG_US);
	t = median(n) / 2;
	guest_printf("pingpong64: %d yield round trips, %d longer than %d us left out; HC_VERSION round trip %lu ticks\n",
		     n, left_out, LONG_US, vmcall);
	guest_printf("bench: yield_handoff: %lu ticks\n", t);
	guest_printf("bench: machine_switch: %lu ticks\n", t > vmcall ? t - vmcall : 0);
	guest_pass();
}
