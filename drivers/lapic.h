/*
 * drivers/lapic.h: this CPU's local APIC, in x2APIC mode (MSRs) when the
 * CPU has it, else xAPIC (MMIO). SDM Vol. 3A, chapter 11.
 */
#ifndef DRIVERS_LAPIC_H
#define DRIVERS_LAPIC_H

#include "kernel/compiler.h"

/* Interrupt command register (SDM Vol. 3A, 11.6.1, Figure 11-12). */
#define LAPIC_ICR_VECTOR_MASK   0xFF
#define LAPIC_ICR_FIXED         (0u << 8)       /* delivery mode: fixed */
#define LAPIC_ICR_NMI           (4u << 8)       /* delivery mode: NMI */
#define LAPIC_ICR_INIT          (5u << 8)       /* delivery mode: INIT */
#define LAPIC_ICR_STARTUP       (6u << 8)       /* delivery mode: start-up (SIPI) */
#define LAPIC_ICR_LOGICAL       BIT(11)         /* destination mode: logical */
#define LAPIC_ICR_PENDING       BIT(12)         /* delivery status (xAPIC only) */
#define LAPIC_ICR_ASSERT        BIT(14)         /* level: assert */
#define LAPIC_ICR_LEVEL         BIT(15)         /* trigger mode: level */
#define LAPIC_ICR_SELF          (1u << 18)      /* shorthand: self */
#define LAPIC_ICR_ALL           (2u << 18)      /* shorthand: all including self */
#define LAPIC_ICR_OTHERS        (3u << 18)      /* shorthand: all excluding self */

/* Use xAPIC even when x2APIC is available; call before lapic_init(). */
void lapic_force_xapic(bool force);
void lapic_init(void);
bool lapic_x2apic_mode(void);
uint32_t lapic_id(void);
void lapic_eoi(void);

/* Send an IPI: icr holds the vector, delivery mode and shorthand bits. */
int lapic_send_ipi(uint32_t dest_apic_id, uint32_t icr);
int lapic_send_init(uint32_t dest_apic_id);
int lapic_send_startup(uint32_t dest_apic_id, uint64_t start_pa);

/*
 * The timer. Counts are in timer input ticks after the divider
 * (lapic_timer_set_divide(); 16 unless changed); the input frequency at
 * divide-by-1 is timer_lapic_hz() (drivers/timer.h).
 */
int lapic_timer_set_divide(uint32_t divide);
uint32_t lapic_timer_divide(void);
void lapic_timer_oneshot(uint32_t count);
void lapic_timer_periodic(uint32_t count);
int lapic_timer_deadline(uint64_t tsc);         /* -ENODEV without TSC-deadline mode */
void lapic_timer_stop(void);
void lapic_timer_free_run(void);                /* masked one-shot from ~0, for calibration */
uint32_t lapic_timer_current(void);
uint64_t lapic_timer_ticks(void);               /* timer interrupts taken so far */

#endif
