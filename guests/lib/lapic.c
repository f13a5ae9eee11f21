/*
 * guests/lib/lapic.c: local APIC register access in xAPIC and x2APIC mode
 * (SDM Vol. 3A, 11.4 and 11.12).
 */
#include "guests/lib/guest.h"
#include "guests/lib/lapic.h"
#include "guests/lib/paging.h"
#include "kernel/msr.h"
#include "kernel/x86.h"

#define LVT_COUNT       6               /* timer, thermal, perf, LINT0, LINT1, error */

static volatile uint32_t *mmio;
static bool x2apic;

bool
lapic_present(void)
{
	return cpuid(1, 0).edx & CPUID1_EDX_APIC;
}

bool
lapic_has_x2apic(void)
{
	return cpuid(1, 0).ecx & CPUID1_ECX_X2APIC;
}

bool
lapic_has_tsc_deadline(void)
{
	return cpuid(1, 0).ecx & CPUID1_ECX_TSC_DEADLINE;
}

uint32_t
lapic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(MSR_IA32_X2APIC_BASE + (reg >> 4));
	return mmio[reg / 4];
}

void
lapic_write(uint32_t reg, uint32_t value)
{
	if (x2apic)
		wrmsr(MSR_IA32_X2APIC_BASE + (reg >> 4), value);
	else
		mmio[reg / 4] = value;
}

void
lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void
lapic_init(uint8_t spurious)
{
	static const uint32_t lvts[LVT_COUNT] = {
		LAPIC_LVT_TIMER, LAPIC_LVT_THERMAL, LAPIC_LVT_PMC,
		LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_ERROR,
	};
	uint64_t base;

	if (!lapic_present())
		guest_fail("lapic: CPUID.1:EDX[9] says there is no local APIC");
	base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_ENABLE);
	x2apic = base & APIC_BASE_X2APIC;
	if (!x2apic) {
		uint64_t pa = base & APIC_BASE_ADDR_MASK;

		paging_map_mmio(pa);
		mmio = (volatile uint32_t *)pa;
	}
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | spurious);
	for (int i = 0; i < LVT_COUNT; i++)
		lapic_write(lvts[i], LVT_MASKED);
	lapic_write(LAPIC_TIMER_ICR, 0);
	lapic_write(LAPIC_TPR, 0);
}

void
lapic_enable_x2apic(void)
{
	wrmsr(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
	x2apic = true;
}

bool
lapic_x2apic_mode(void)
{
	return x2apic;
}

uint32_t
lapic_id(void)
{
	return x2apic ? lapic_read(LAPIC_ID) : lapic_read(LAPIC_ID) >> 24;
}

bool
lapic_vector_bit(uint32_t reg, uint8_t vector)
{
	return lapic_read(reg + (vector / 32u) * 0x10) >> (vector % 32) & 1;
}
