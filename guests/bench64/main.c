/*
 * guests/bench64/main.c: the round-trip cost of the exits a guest causes
 * most, for `make bench`. Each figure is timed 1000 times around a single
 * instruction with cpu_rdtsc_fenced() (LFENCE; RDTSC; LFENCE, so nothing
 * overlaps the timed region); the figure is the median of those 1000
 * costs less the median cost of an empty timed region, which is printed
 * too as timing_overhead. Under Bochs the TSC advances one tick per
 * instruction, so the figures count the instructions the hypervisor spends
 * per exit.
 *
 * Output, one line per figure, which scripts/bench.sh collects:
 *   bench: NAME: VALUE ticks
 * Figures: cpuid_roundtrip (CPUID leaf 0), vmcall_roundtrip (HC_VERSION),
 * io_out_roundtrip (OUT to an unclaimed port), ept_mmio_roundtrip (a 32-bit
 * store to the test device's register: EPT violation, instruction fetch
 * through the guest's page tables, decode, device; needs testdev=on).
 */
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/testdev.h"
#include "kernel/x86.h"

GUEST_NAME("bench64");

#define ROUNDS          1000
#define PORT_UNCLAIMED  0x1234

static uint64_t samples[ROUNDS];

static void op_empty(void)      { }
static void op_cpuid(void)      { cpuid(0, 0); }
static void op_vmcall(void)     { hypercall_version(); }
static void op_io_out(void)     { outb(PORT_UNCLAIMED, 0); }
static volatile uint64_t *scratch;
static void op_mmio(void)       { *(volatile uint32_t *)scratch = 0; }

static void
sort(uint64_t *a, int n)
{
	for (int i = 1; i < n; i++) {
		uint64_t v = a[i];
		int j = i;

		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/* Median cost in ticks of one call of op, timing overhead included. */
static uint64_t
measure(void (*op)(void))
{
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = cpu_rdtsc_fenced();

		op();
		samples[i] = cpu_rdtsc_fenced() - t0;
	}
	sort(samples, ROUNDS);
	return samples[ROUNDS / 2];
}

static void
report(const char *name, void (*op)(void), uint64_t overhead)
{
	uint64_t t = measure(op);

	guest_printf("bench: %s: %lu ticks\n", name, t > overhead ? t - overhead : 0);
}

void
guest_main(void)
{
	if (!guest_hypervisor_present())
		guest_fail("not under the hypervisor: nothing to measure");
	uint64_t overhead = measure(op_empty);

	guest_printf("bench: timing_overhead: %lu ticks\n", overhead);
	report("cpuid_roundtrip", op_cpuid, overhead);
	report("vmcall_roundtrip", op_vmcall, overhead);
	report("io_out_roundtrip", op_io_out, overhead);
	scratch = testdev_map();
	report("ept_mmio_roundtrip", op_mmio, overhead);
	guest_pass();
}
