/*
 * drivers/pmtimer.c: the ACPI PM timer (ACPI 6.5, 4.8.3.3 "Power
 * Management Timer"), at the FADT's X_PM_TMR_BLK or PM_TMR_BLK. It has no
 * control register: reading it is all there is. Only 24 bits count unless
 * the FADT sets TMR_VAL_EXT; the rest read as zero.
 */
#include "drivers/pmtimer.h"
#include "drivers/acpi.h"
#include "kernel/x86.h"
#include "mm/phys.h"

#define PMTIMER_MASK_24 0x00FFFFFFu
#define PMTIMER_MASK_32 0xFFFFFFFFu

bool
pmtimer_present(void)
{
	return acpi_get()->pm_timer.address != 0;
}

static uint32_t
mask(void)
{
	return acpi_get()->pm_timer_32bit ? PMTIMER_MASK_32 : PMTIMER_MASK_24;
}

/* The counter's value; 0 without a PM timer. */
uint32_t
pmtimer_read(void)
{
	const struct acpi_gas *g = &acpi_get()->pm_timer;

	if (!g->address)
		return 0;
	if (g->space_id == ACPI_SPACE_IO)
		return inl((uint16_t)g->address) & mask();
	return *(volatile uint32_t *)phys_to_virt(g->address) & mask();
}

uint32_t
pmtimer_delta(uint32_t from, uint32_t to)
{
	return (to - from) & mask();
}
