/*
 * guests/lib/tsc.h: time in a test guest, from the TSC. Its frequency is
 * what CPUID leaf 0x15 says (SDM Vol. 2A, CPUID: TSC Hz = ECX * EBX / EAX),
 * else the hypervisor's leaf 0x40000010 (EAX: TSC kHz, vm/cpuid.h).
 */
#ifndef GUESTS_LIB_TSC_H
#define GUESTS_LIB_TSC_H

#include <stdint.h>

/* TSC ticks per second; fails the guest when CPUID tells neither way. */
uint64_t tsc_hz(void);

/* Ticks in us microseconds. */
uint64_t tsc_from_us(uint64_t us);

/* Microseconds in ticks. */
uint64_t tsc_to_us(uint64_t ticks);

/* Spin (PAUSE) until us microseconds of TSC have passed. */
void tsc_delay_us(uint64_t us);

/* Sort n tick counts in place, smallest first (for medians of timings). */
void tsc_sort_samples(uint64_t *a, int n);

#endif
