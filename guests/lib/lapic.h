/*
 * guests/lib/lapic.h: the local APIC (SDM Vol. 3A, chapter 11), as xAPIC
 * registers in the page at IA32_APIC_BASE (0xFEE00000) or, after
 * lapic_enable_x2apic(), as x2APIC MSRs 0x800 + (offset >> 4) (11.12).
 * lapic_read()/lapic_write() take the xAPIC offset in either mode.
 */
#ifndef GUESTS_LIB_LAPIC_H
#define GUESTS_LIB_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/apic.h"        /* the register map and LVT bits */

/* Divide configuration (Figure 11-10) */
#define LAPIC_DCR_DIV1          0xB
#define LAPIC_DCR_DIV16         0x3

/* CPUID (SDM Vol. 2A, Table 3-10 and 3-11) */
#define CPUID1_EDX_APIC         (1u << 9)
#define CPUID1_ECX_X2APIC       (1u << 21)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)

/* Does CPUID say there is a local APIC (and x2APIC mode, TSC-deadline)? */
bool lapic_present(void);
bool lapic_has_x2apic(void);
bool lapic_has_tsc_deadline(void);

/*
 * Map the xAPIC page (uncached), make sure IA32_APIC_BASE has the APIC
 * enabled, and software-enable it with spurious vector spurious; every LVT
 * entry masked, TPR 0. Fails the guest when CPUID shows no APIC.
 */
void lapic_init(uint8_t spurious);

/* Switch to x2APIC mode (IA32_APIC_BASE bit 10); registers are MSRs after. */
void lapic_enable_x2apic(void);
bool lapic_x2apic_mode(void);

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);
void lapic_eoi(void);

/* This APIC's id (xAPIC: bits 31:24 of the ID register). */
uint32_t lapic_id(void);

/* Is vector's bit set in the 256-bit register at reg (LAPIC_ISR, LAPIC_IRR)? */
bool lapic_vector_bit(uint32_t reg, uint8_t vector);

#endif
