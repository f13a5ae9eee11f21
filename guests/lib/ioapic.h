/*
 * guests/lib/ioapic.h: the I/O APIC at 0xFEC00000 (Intel 82093AA data
 * sheet: IOREGSEL at +0x00, IOWIN at +0x10; redirection entries from
 * register 0x10, two 32-bit halves each). On a PC, ISA IRQ n is pin n
 * except the PIT's IRQ0, which is pin 2 (the ACPI MADT's interrupt
 * source override).
 */
#ifndef GUESTS_LIB_IOAPIC_H
#define GUESTS_LIB_IOAPIC_H

#include <stdint.h>

#define IOAPIC_DEFAULT_BASE     0xFEC00000ul
#define IOAPIC_PIN_PIT          2

/* Redirection entry, low half (82093AA, 3.2.4) */
#define IOAPIC_RTE_LEVEL        (1u << 15)      /* trigger mode: level (else edge) */
#define IOAPIC_RTE_ACTIVE_LOW   (1u << 13)      /* polarity */
#define IOAPIC_RTE_MASKED       (1u << 16)

/* Map the IOAPIC's page (uncached) and mask every pin. */
void ioapic_init(void);

uint32_t ioapic_read(uint32_t reg);
void ioapic_write(uint32_t reg, uint32_t value);

/* Number of pins (version register, maximum redirection entry + 1). */
unsigned ioapic_pins(void);

/* Pin to vector, fixed delivery, physical destination apic_id; flags are
 * IOAPIC_RTE_* (0: edge, active high, unmasked). */
void ioapic_route(unsigned pin, uint8_t vector, uint32_t apic_id, uint32_t flags);
void ioapic_mask(unsigned pin);

#endif
