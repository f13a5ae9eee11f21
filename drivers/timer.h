/*
 * drivers/timer.h: how fast this machine's clocks run: the TSC, which the
 * hypervisor reads for time, and the local APIC timer's input clock.
 */
#ifndef DRIVERS_TIMER_H
#define DRIVERS_TIMER_H

#include "kernel/compiler.h"

/* Measure both frequencies (after lapic_init()); falls back to guesses with a warning. */
void timer_init(void);
uint64_t timer_tsc_hz(void);
/* The LAPIC timer's input clock at divide-by-1 (bus or core crystal clock). */
uint64_t timer_lapic_hz(void);
/* Busy-wait on the TSC. */
void timer_delay_us(uint64_t us);
void timer_arm(uint64_t tsc);
void timer_sleep_until(uint64_t tsc);

#endif
