/*
 * drivers/ioapic.h: the I/O APICs the MADT lists, which turn device
 * interrupt lines (GSIs) into messages to local APICs.
 */
#ifndef DRIVERS_IOAPIC_H
#define DRIVERS_IOAPIC_H

#include "kernel/compiler.h"

/* Flags for ioapic_route(). */
#define IOAPIC_LEVEL            BIT(0)  /* level-triggered, else edge */
#define IOAPIC_ACTIVE_LOW       BIT(1)  /* active low, else active high */

void ioapic_init(void);
/* Deliver gsi as vector to one CPU (fixed, physical destination), unmasked. */
int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest_apic_id, uint32_t flags);
/* The same for an ISA IRQ, after the MADT's interrupt source overrides. */
int ioapic_route_isa(uint8_t irq, uint8_t vector, uint32_t dest_apic_id);
int ioapic_mask(uint32_t gsi);
/* Total GSIs the working IOAPICs cover (the highest GSI + 1). */
uint32_t ioapic_gsi_limit(void);

#endif
