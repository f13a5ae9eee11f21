/*
 * drivers/pmtimer.h: the ACPI power-management timer, a free-running
 * 3.579545 MHz counter of 24 or 32 bits (ACPI 6.5, 4.8.3.3).
 */
#ifndef DRIVERS_PMTIMER_H
#define DRIVERS_PMTIMER_H

#include "kernel/compiler.h"

#define PMTIMER_HZ      3579545

bool pmtimer_present(void);
uint32_t pmtimer_read(void);
/* Ticks from from to to, across one wrap of the counter's width. */
uint32_t pmtimer_delta(uint32_t from, uint32_t to);

#endif
