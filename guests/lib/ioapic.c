/*
 * guests/lib/ioapic.c: I/O APIC registers through IOREGSEL/IOWIN (82093AA
 * data sheet, 3.0 and 3.2).
 */
#include "guests/lib/ioapic.h"
#include "guests/lib/paging.h"

#define IOREGSEL        0x00
#define IOWIN           0x10
#define REG_VERSION     0x01
#define REG_REDTBL      0x10
#define RTE_DEST_SHIFT  24              /* in the high half: destination 63:56 */

static volatile uint32_t *const regs = (volatile uint32_t *)IOAPIC_DEFAULT_BASE;

uint32_t
ioapic_read(uint32_t reg)
{
	regs[IOREGSEL / 4] = reg;
	return regs[IOWIN / 4];
}

void
ioapic_write(uint32_t reg, uint32_t value)
{
	regs[IOREGSEL / 4] = reg;
	regs[IOWIN / 4] = value;
}

unsigned
ioapic_pins(void)
{
	return (ioapic_read(REG_VERSION) >> 16 & 0xFF) + 1;
}

void
ioapic_init(void)
{
	paging_map_mmio(IOAPIC_DEFAULT_BASE);
	for (unsigned pin = 0, n = ioapic_pins(); pin < n; pin++)
		ioapic_mask(pin);
}

void
ioapic_route(unsigned pin, uint8_t vector, uint32_t apic_id, uint32_t flags)
{
	ioapic_write(REG_REDTBL + 2 * pin, IOAPIC_RTE_MASKED);
	ioapic_write(REG_REDTBL + 2 * pin + 1, apic_id << RTE_DEST_SHIFT);
	ioapic_write(REG_REDTBL + 2 * pin, vector | flags);
}

void
ioapic_mask(unsigned pin)
{
	ioapic_write(REG_REDTBL + 2 * pin, ioapic_read(REG_REDTBL + 2 * pin) | IOAPIC_RTE_MASKED);
}
