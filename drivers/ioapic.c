/*
 * drivers/ioapic.c: I/O APICs (Intel 82093AA I/O APIC data sheet, 3.0
 * "Register Description"; the PCH data sheets keep the same layout). Each
 * has two MMIO registers, an index (IOREGSEL) and a window (IOWIN), behind
 * which sit its ID, version and one 64-bit redirection entry per input.
 * The MADT gives where each one is and which GSIs it serves.
 */
#include "drivers/ioapic.h"
#include "drivers/acpi.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/spinlock.h"
#include "mm/phys.h"

#define IOAPIC_REGSEL           0x00    /* MMIO: register index */
#define IOAPIC_WIN              0x10    /* MMIO: register data */

#define IOAPIC_REG_ID           0x00
#define   ID_SHIFT              24              /* APIC id in bits 27:24 */
#define   ID_MASK               0xF
#define IOAPIC_REG_VER          0x01
#define   VER_MASK              0xFF            /* version */
#define   VER_MAX_REDIR_SHIFT   16              /* highest redirection entry */
#define   VER_MAX_REDIR_MASK    0xFF
#define IOAPIC_REG_REDIR        0x10    /* entry n: low at 0x10 + 2n, high at 0x11 + 2n */

/* Redirection table entry (82093AA, 3.2.4). */
#define REDIR_VECTOR_MASK       0xFF
#define REDIR_FIXED             (0u << 8)       /* delivery mode: fixed */
#define REDIR_LOGICAL           BIT(11)         /* destination mode: logical */
#define REDIR_PENDING           BIT(12)         /* delivery status */
#define REDIR_ACTIVE_LOW        BIT(13)         /* input pin polarity */
#define REDIR_REMOTE_IRR        BIT(14)         /* level interrupt accepted, awaiting EOI */
#define REDIR_LEVEL             BIT(15)         /* trigger mode */
#define REDIR_MASKED            BIT(16)         /* interrupt mask */
#define REDIR_DEST_SHIFT        24              /* in the high word: destination APIC id */

#define VECTOR_MIN              0x10    /* below this the LAPIC rejects the vector */

struct ioapic {
	uint32_t id;
	uint64_t addr;
	uint32_t gsi_base;
	uint32_t entries;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static uint32_t ioapic_count;
static struct spinlock lock = SPINLOCK_INIT;    /* IOREGSEL/IOWIN is a two-step access */

static uint32_t
ioapic_read(const struct ioapic *io, uint32_t reg)
{
	*(volatile uint32_t *)phys_to_virt(io->addr + IOAPIC_REGSEL) = reg;
	return *(volatile uint32_t *)phys_to_virt(io->addr + IOAPIC_WIN);
}

static void
ioapic_write(const struct ioapic *io, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)phys_to_virt(io->addr + IOAPIC_REGSEL) = reg;
	*(volatile uint32_t *)phys_to_virt(io->addr + IOAPIC_WIN) = v;
}

static struct ioapic *
find(uint32_t gsi, uint32_t *pin)
{
	for (uint32_t i = 0; i < ioapic_count; i++) {
		struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi - io->gsi_base < io->entries) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

/*
 * Check each IOAPIC the ACPI info lists and mask every redirection entry,
 * so no device interrupt reaches a CPU until a driver routes it. An IOAPIC
 * that does not answer is reported and left out.
 */
void
ioapic_init(void)
{
	const struct acpi_info *a = acpi_get();

	ioapic_count = 0;
	for (uint32_t i = 0; i < a->ioapic_count; i++) {
		struct ioapic *io = &ioapics[ioapic_count];
		uint32_t ver, hw_id;

		io->id = a->ioapics[i].id;
		io->addr = a->ioapics[i].addr;
		io->gsi_base = a->ioapics[i].gsi_base;
		if (io->addr == 0 || io->addr >= 0x100000000ULL || !IS_ALIGNED(io->addr, 16)) {
			log_warn("ioapic: id %u at %#lx is out of reach; ignored", io->id, io->addr);
			continue;
		}
		ver = ioapic_read(io, IOAPIC_REG_VER);
		if (ver == 0xFFFFFFFF) {
			log_warn("ioapic: nothing answers at %#lx (id %u); ignored", io->addr, io->id);
			continue;
		}
		io->entries = ((ver >> VER_MAX_REDIR_SHIFT) & VER_MAX_REDIR_MASK) + 1;
		hw_id = (ioapic_read(io, IOAPIC_REG_ID) >> ID_SHIFT) & ID_MASK;
		for (uint32_t pin = 0; pin < io->entries; pin++) {
			ioapic_write(io, IOAPIC_REG_REDIR + 2 * pin, REDIR_MASKED);
			ioapic_write(io, IOAPIC_REG_REDIR + 2 * pin + 1, 0);
		}
		log_info("ioapic: id %u at %#lx, version %#x, GSI %u-%u, all masked", io->id, io->addr,
			 ver & VER_MASK, io->gsi_base, io->gsi_base + io->entries - 1);
		if (hw_id != (io->id & ID_MASK))
			log_debug("ioapic: id register says %u, MADT says %u", hw_id, io->id);
		ioapic_count++;
	}
	if (ioapic_count == 0)
		log_warn("ioapic: no working IOAPIC; device interrupts cannot be routed");
}

/*
 * Route gsi to vector on the CPU with dest_apic_id, fixed delivery,
 * physical destination, IOAPIC_* flags for trigger and polarity. The entry
 * is written masked and unmasked last, so it never fires half-written.
 * Returns 0, -ENOENT for a GSI no IOAPIC serves, -EINVAL for a vector below
 * 0x10 or a destination an IOAPIC cannot name (above 255 needs interrupt
 * remapping).
 */
int
ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest_apic_id, uint32_t flags)
{
	uint32_t pin, lo;
	struct ioapic *io = find(gsi, &pin);

	if (!io)
		return -ENOENT;
	if (vector < VECTOR_MIN || dest_apic_id > 0xFF)
		return -EINVAL;
	lo = REDIR_FIXED | vector;
	if (flags & IOAPIC_LEVEL)
		lo |= REDIR_LEVEL;
	if (flags & IOAPIC_ACTIVE_LOW)
		lo |= REDIR_ACTIVE_LOW;
	spin_lock(&lock);
	ioapic_write(io, IOAPIC_REG_REDIR + 2 * pin, lo | REDIR_MASKED);
	ioapic_write(io, IOAPIC_REG_REDIR + 2 * pin + 1, dest_apic_id << REDIR_DEST_SHIFT);
	ioapic_write(io, IOAPIC_REG_REDIR + 2 * pin, lo);
	spin_unlock(&lock);
	return 0;
}

int
ioapic_route_isa(uint8_t irq, uint8_t vector, uint32_t dest_apic_id)
{
	struct acpi_irq r = acpi_isa_irq(irq);

	return ioapic_route(r.gsi, vector, dest_apic_id,
			    (r.level ? IOAPIC_LEVEL : 0) | (r.active_low ? IOAPIC_ACTIVE_LOW : 0));
}

/* Returns 0, or -ENOENT for a GSI no IOAPIC serves. */
int
ioapic_mask(uint32_t gsi)
{
	uint32_t pin;
	struct ioapic *io = find(gsi, &pin);

	if (!io)
		return -ENOENT;
	spin_lock(&lock);
	ioapic_write(io, IOAPIC_REG_REDIR + 2 * pin,
		     ioapic_read(io, IOAPIC_REG_REDIR + 2 * pin) | REDIR_MASKED);
	spin_unlock(&lock);
	return 0;
}

uint32_t
ioapic_gsi_limit(void)
{
	uint32_t limit = 0;

	for (uint32_t i = 0; i < ioapic_count; i++)
		limit = MAX(limit, ioapics[i].gsi_base + ioapics[i].entries);
	return limit;
}
