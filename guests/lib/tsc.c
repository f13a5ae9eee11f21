/*
 * guests/lib/tsc.c: the TSC's frequency from CPUID, and delays on it.
 */
#include "guests/lib/guest.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"
#include "vm/cpuid.h"

#define LEAF_TSC        0x15

uint64_t
tsc_hz(void)
{
	static uint64_t hz;

	if (hz)
		return hz;
	if (cpuid(0, 0).eax >= LEAF_TSC) {
		struct cpuid_regs r = cpuid(LEAF_TSC, 0);

		if (r.eax && r.ebx && r.ecx)
			hz = (uint64_t)r.ecx * r.ebx / r.eax;
	}
	if (!hz && guest_hypervisor_present() && cpuid(CPUID_HV_LEAF_BASE, 0).eax >= CPUID_HV_LEAF_TIMING)
		hz = (uint64_t)cpuid(CPUID_HV_LEAF_TIMING, 0).eax * 1000;
	if (!hz)
		guest_fail("tsc: neither CPUID 0x15 nor 0x40000010 gives the TSC frequency");
	return hz;
}

uint64_t
tsc_from_us(uint64_t us)
{
	return tsc_hz() / 1000 * us / 1000;
}

uint64_t
tsc_to_us(uint64_t ticks)
{
	return ticks * 1000 / (tsc_hz() / 1000);
}

void
tsc_delay_us(uint64_t us)
{
	uint64_t end = rdtsc() + tsc_from_us(us);

	while (rdtsc() < end)
		cpu_relax();
}

void
tsc_sort_samples(uint64_t *a, int n)
{
	for (int i = 1; i < n; i++) {           /* insertion sort: a few thousand at most */
		uint64_t v = a[i];
		int j = i;

		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}
