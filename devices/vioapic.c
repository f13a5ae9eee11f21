/*
 * devices/vioapic.c: an emulated 82093AA I/O APIC: the indirect register
 * window, the redirection table, edge and level pins with polarity, and
 * Remote IRR for level-triggered interrupts, cleared by the local APIC's
 * EOI broadcast (82093AA data sheet, 3.2.4).
 */
#include "devices/vioapic.h"
#include "lib/string.h"

static uint32_t
rte_mode(uint64_t rte)
{
	return (rte & VIOAPIC_RTE_MODE_MASK) >> VIOAPIC_RTE_MODE_SHIFT;
}

/* Level semantics (Remote IRR) apply to fixed and lowest-priority only;
 * NMI, INIT and ExtINT are edge-triggered whatever the trigger bit says. */
static bool
rte_is_level(uint64_t rte)
{
	uint32_t mode = rte_mode(rte);

	return (rte & VIOAPIC_RTE_LEVEL) && (mode == VIOAPIC_MODE_FIXED || mode == VIOAPIC_MODE_LOWEST);
}

static bool
pin_asserted(const struct vioapic *io, unsigned pin)
{
	bool high = io->line & ((uint32_t)1 << pin);

	return (io->rte[pin] & VIOAPIC_RTE_ACTIVE_LOW) ? !high : high;
}

/* Send the pin's interrupt if its entry lets it through. */
static void
deliver(struct vioapic *io, unsigned pin, vioapic_deliver_fn fn, void *ctx)
{
	uint64_t rte = io->rte[pin];
	uint32_t mode = rte_mode(rte);
	uint8_t dest = (uint8_t)(rte >> VIOAPIC_RTE_DEST_SHIFT);
	bool level = rte_is_level(rte);

	if (rte & VIOAPIC_RTE_MASKED)
		return;
	if (level && (rte & VIOAPIC_RTE_REMOTE_IRR))
		return;                 /* the last one is not EOIed yet */
	switch (mode) {
	case VIOAPIC_MODE_FIXED:
	case VIOAPIC_MODE_LOWEST:       /* one CPU: the lowest priority is it */
		mode = VIOAPIC_MODE_FIXED;
		break;
	case VIOAPIC_MODE_NMI:
	case VIOAPIC_MODE_INIT:
	case VIOAPIC_MODE_EXTINT:
		break;
	default:
		return;                 /* SMI and the reserved modes: not delivered */
	}
	if ((rte & VIOAPIC_RTE_LOGICAL) && dest == 0)
		return;                 /* a logical destination naming no one */
	if (level)
		io->rte[pin] |= VIOAPIC_RTE_REMOTE_IRR;
	io->delivered++;
	fn(ctx, (uint8_t)(rte & VIOAPIC_RTE_VECTOR_MASK), dest, level, (uint8_t)mode);
}

void
vioapic_init(struct vioapic *io, uint8_t id)
{
	memset(io, 0, sizeof(*io));
	io->id = id & 0xF;
	for (unsigned i = 0; i < VIOAPIC_PINS; i++)
		io->rte[i] = VIOAPIC_RTE_MASKED;
}

void
vioapic_flush(struct vioapic *io, vioapic_deliver_fn fn, void *ctx)
{
	while (io->unmasked_pending) {
		unsigned pin = (unsigned)__builtin_ctz(io->unmasked_pending);

		io->unmasked_pending &= ~((uint32_t)1 << pin);
		if (rte_is_level(io->rte[pin]) && pin_asserted(io, pin))
			deliver(io, pin, fn, ctx);
	}
}

void
vioapic_set_irq(struct vioapic *io, unsigned pin, bool level, vioapic_deliver_fn fn, void *ctx)
{
	bool was;

	if (pin >= VIOAPIC_PINS)
		return;
	vioapic_flush(io, fn, ctx);
	was = pin_asserted(io, pin);
	if (level)
		io->line |= (uint32_t)1 << pin;
	else
		io->line &= ~((uint32_t)1 << pin);
	if (!pin_asserted(io, pin))
		return;
	if (rte_is_level(io->rte[pin]) || !was)
		deliver(io, pin, fn, ctx);
}

void
vioapic_eoi(struct vioapic *io, uint8_t vector, vioapic_deliver_fn fn, void *ctx)
{
	vioapic_flush(io, fn, ctx);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t rte = io->rte[pin];

		if ((rte & VIOAPIC_RTE_VECTOR_MASK) != vector || !(rte & VIOAPIC_RTE_REMOTE_IRR))
			continue;
		io->rte[pin] &= ~VIOAPIC_RTE_REMOTE_IRR;
		if (rte_is_level(rte) && pin_asserted(io, pin))
			deliver(io, pin, fn, ctx);
	}
}

/* Write one half of pin's entry; the read-only bits stay. */
static void
write_rte(struct vioapic *io, unsigned pin, bool high, uint32_t v)
{
	uint64_t half = high ? (uint64_t)v << 32 : v;
	uint64_t keep = high ? 0x00000000FFFFFFFFull : 0xFFFFFFFF00000000ull;
	uint64_t rte = (io->rte[pin] & (keep | VIOAPIC_RTE_REMOTE_IRR)) | (half & VIOAPIC_RTE_WRITABLE & ~keep);

	if (!rte_is_level(rte))
		rte &= ~VIOAPIC_RTE_REMOTE_IRR;  /* what OSes rely on to clear a stuck Remote IRR */
	io->rte[pin] = rte;
	if (rte_is_level(rte) && !(rte & (VIOAPIC_RTE_MASKED | VIOAPIC_RTE_REMOTE_IRR)) && pin_asserted(io, pin))
		io->unmasked_pending |= (uint32_t)1 << pin;
}

void
vioapic_mmio(struct vioapic *io, uint32_t offset, bool write, uint32_t *value)
{
	uint32_t reg = io->regsel;
	unsigned pin = (reg - VIOAPIC_REG_REDTBL) / 2;
	bool rte = reg >= VIOAPIC_REG_REDTBL && pin < VIOAPIC_PINS;
	bool high = reg & 1;

	if (offset == VIOAPIC_IOREGSEL) {
		if (write)
			io->regsel = (uint8_t)*value;
		else
			*value = io->regsel;
		return;
	}
	if (offset != VIOAPIC_IOWIN) {
		if (!write)
			*value = 0;
		return;
	}
	if (write) {
		if (reg == VIOAPIC_REG_ID)
			io->id = (*value & VIOAPIC_ID_MASK) >> 24;
		else if (rte)
			write_rte(io, pin, high, *value);
		return;                 /* VER, ARB and the rest are read-only */
	}
	if (reg == VIOAPIC_REG_ID || reg == VIOAPIC_REG_ARB)
		*value = (uint32_t)io->id << 24;
	else if (reg == VIOAPIC_REG_VER)
		*value = VIOAPIC_VERSION_VALUE;
	else if (rte)
		*value = (uint32_t)(high ? io->rte[pin] >> 32 : io->rte[pin]);
	else
		*value = 0;
}
