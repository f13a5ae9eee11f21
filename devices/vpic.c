/*
 * devices/vpic.c: the 8259A pair (Intel 8259A data sheet: "Initialization
 * Command Words", "Operation Command Words", "Interrupt Sequence") and the
 * PIIX ELCR.
 *
 * Where this departs from the silicon, on purpose:
 * - An edge-triggered request stays latched in IRR until acknowledged even if
 *   the line drops first; on the 8259A it must stay high until the first
 *   INTA. Callers pulse lines (1 then 0) and expect the request to survive.
 * - The cascade wire is level-sensitive: the master's IR2 requests exactly
 *   while the slave's INT is high. An edge there would lose slave requests
 *   that keep INT high across an INTA (slave in AEOI). Because the INTA cycle
 *   is atomic here, the master never picks IR2 without a slave request, so a
 *   vanished request always gives the master's spurious IR7, never IR15.
 * - ICW1 also clears ISR (the data sheet lists IMR, the edge sense, priority
 *   and SMM), so a re-initialised chip starts with nothing in service.
 * - Buffered mode, master/slave select (ICW4 BUF, M/S) and the 8080/85 CALL
 *   sequence are ignored: the vector is ICW2's T7-T3 plus the IR number.
 */
#include "devices/vpic.h"

#define ICW1_IC4            0x01    /* ICW4 needed */
#define ICW1_SNGL           0x02    /* single chip, no ICW3 */
#define ICW1_LTIM           0x08    /* level-triggered inputs */
#define ICW1_SELECT         0x10    /* command-port write with D4 set is ICW1 */
#define ICW2_BASE_MASK      0xF8    /* T7-T3 */
#define ICW4_UPM            0x01    /* 8086/88 mode */
#define ICW4_AEOI           0x02    /* automatic EOI */
#define ICW4_SFNM           0x10    /* special fully nested mode */

#define OCW3_SELECT         0x08    /* command-port write with D4 clear, D3 set */
#define OCW3_RIS            0x01    /* read ISR (with RR) */
#define OCW3_RR             0x02    /* read register command */
#define OCW3_POLL           0x04
#define OCW3_SMM            0x20    /* special mask mode (with ESMM) */
#define OCW3_ESMM           0x40

#define OCW2_LEVEL_MASK     0x07    /* L2-L0 */
#define OCW2_CMD_MASK       0xE0    /* R, SL, EOI */
#define   OCW2_ROTATE_AEOI_CLEAR 0x00
#define   OCW2_NONSPECIFIC_EOI   0x20
#define   OCW2_NOP               0x40
#define   OCW2_SPECIFIC_EOI      0x60
#define   OCW2_ROTATE_AEOI_SET   0x80
#define   OCW2_ROTATE_NONSPEC    0xA0
#define   OCW2_SET_PRIORITY      0xC0
#define   OCW2_ROTATE_SPECIFIC   0xE0

#define POLL_INTERRUPT      0x80    /* poll word: I, a request was found */

/* PIIX: IRQ0, 1, 2 (timer, keyboard, cascade), 8 (RTC) and 13 (FPU) are always edge. */
#define ELCR_MASK_MASTER    0xF8
#define ELCR_MASK_SLAVE     0xDE

#define MASTER              0
#define SLAVE               1
#define SPURIOUS_IR         7
#define NO_IR               8       /* priority search found nothing */

static bool
cascaded(const struct vpic_chip *m)
{
	return !m->single && (m->icw3 & BIT(VPIC_CASCADE_IRQ));
}

static uint8_t
level_inputs(const struct vpic_chip *c)
{
	return c->ltim ? 0xFF : c->elcr;
}

/* Highest-priority IR in mask under the current rotation, or NO_IR. */
static unsigned
highest(const struct vpic_chip *c, uint8_t mask)
{
	for (unsigned i = 0; i < 8; i++) {
		unsigned ir = (c->prio_base + i) & 7;

		if (mask & BIT(ir))
			return ir;
	}
	return NO_IR;
}

/* Rank of ir in the rotation: 0 is the highest priority. */
static unsigned
rank(const struct vpic_chip *c, unsigned ir)
{
	return ir == NO_IR ? NO_IR : ((ir - c->prio_base) & 7);
}

static unsigned chip_pending(const struct vpic *p, unsigned which);

/* IRR as the chip sees it: latched edges, level inputs as they stand, and
 * on a cascading master the slave's INT on IR2. */
static uint8_t
chip_irr(const struct vpic *p, unsigned which)
{
	const struct vpic_chip *c = &p->chip[which];
	uint8_t level = level_inputs(c);
	uint8_t irr = (uint8_t)((c->irr & ~level) | (c->line & level));

	if (which == MASTER && cascaded(c)) {
		irr &= (uint8_t)~BIT(VPIC_CASCADE_IRQ);
		if (chip_pending(p, SLAVE) != NO_IR)
			irr |= (uint8_t)BIT(VPIC_CASCADE_IRQ);
	}
	return irr;
}

/* The IR the chip would present on INT now, or NO_IR: the highest unmasked
 * request ranking above everything in service. In special mask mode masked
 * in-service levels do not hold off others; in special fully nested mode
 * the master lets the slave interrupt over its own in-service cascade level. */
static unsigned
chip_pending(const struct vpic *p, unsigned which)
{
	const struct vpic_chip *c = &p->chip[which];
	uint8_t isr = c->isr;
	unsigned req;

	if (!c->ready || c->icw_next)
		return NO_IR;
	req = highest(c, (uint8_t)(chip_irr(p, which) & ~c->imr));
	if (req == NO_IR)
		return NO_IR;
	if (c->special_mask)
		isr &= (uint8_t)~c->imr;
	if (which == MASTER && c->sfnm && cascaded(c))
		isr &= (uint8_t)~BIT(VPIC_CASCADE_IRQ);
	return rank(c, req) < rank(c, highest(c, isr)) ? req : NO_IR;
}

/* The chip's half of an INTA (or of a poll): the request goes in service. */
static void
chip_accept(struct vpic_chip *c, unsigned ir)
{
	c->irr &= (uint8_t)~BIT(ir);    /* an edge is consumed; a level stays on its line */
	if (!c->aeoi)
		c->isr |= (uint8_t)BIT(ir);
	else if (c->rotate_aeoi)
		c->prio_base = (uint8_t)((ir + 1) & 7);
}

void
vpic_init(struct vpic *p)
{
	for (unsigned i = 0; i < 2; i++) {
		struct vpic_chip *c = &p->chip[i];

		*c = (struct vpic_chip){ .imr = 0xFF };
	}
	p->chip[MASTER].elcr_mask = ELCR_MASK_MASTER;
	p->chip[SLAVE].elcr_mask = ELCR_MASK_SLAVE;
}

void
vpic_set_irq(struct vpic *p, unsigned irq, bool level)
{
	struct vpic_chip *c;
	uint8_t bit;

	if (irq >= 16)
		return;
	c = &p->chip[irq >> 3];
	bit = (uint8_t)BIT(irq & 7);
	if (level && !(c->line & bit))
		c->irr |= bit;
	if (level)
		c->line |= bit;
	else
		c->line &= (uint8_t)~bit;
}

bool
vpic_has_intr(const struct vpic *p)
{
	return chip_pending(p, MASTER) != NO_IR;
}

uint8_t
vpic_ack(struct vpic *p)
{
	struct vpic_chip *m = &p->chip[MASTER], *s = &p->chip[SLAVE];
	unsigned ir = chip_pending(p, MASTER), sir;

	if (ir == NO_IR)
		return (uint8_t)(m->base | SPURIOUS_IR);
	if (ir == VPIC_CASCADE_IRQ && cascaded(m)) {
		sir = chip_pending(p, SLAVE);   /* there is one: it is what raised IR2 */
		chip_accept(m, ir);
		if (sir == NO_IR)
			return (uint8_t)(s->base | SPURIOUS_IR);
		chip_accept(s, sir);
		return (uint8_t)(s->base | sir);
	}
	chip_accept(m, ir);
	return (uint8_t)(m->base | ir);
}

static void
icw1(struct vpic_chip *c, uint8_t v)
{
	c->icw_next = 2;
	c->single = v & ICW1_SNGL;
	c->ltim = v & ICW1_LTIM;
	c->icw4_needed = v & ICW1_IC4;
	c->irr = 0;                     /* edge sense reset: a high line must fall and rise again */
	c->isr = 0;
	c->imr = 0;
	c->prio_base = 0;               /* IR7 lowest */
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->rotate_aeoi = false;
	if (!c->icw4_needed)
		c->x86_mode = c->aeoi = c->sfnm = false;
}

static void
icw_data(struct vpic_chip *c, uint8_t v)
{
	switch (c->icw_next) {
	case 2:
		c->base = v & ICW2_BASE_MASK;
		c->icw_next = !c->single ? 3 : c->icw4_needed ? 4 : 0;
		break;
	case 3:
		c->icw3 = v;
		c->icw_next = c->icw4_needed ? 4 : 0;
		break;
	default:
		c->x86_mode = v & ICW4_UPM;
		c->aeoi = v & ICW4_AEOI;
		c->sfnm = v & ICW4_SFNM;
		c->icw_next = 0;
		break;
	}
	if (!c->icw_next)
		c->ready = true;
}

static void
ocw2(struct vpic_chip *c, uint8_t v)
{
	unsigned level = v & OCW2_LEVEL_MASK;
	unsigned ir;

	switch (v & OCW2_CMD_MASK) {
	case OCW2_NONSPECIFIC_EOI:
	case OCW2_ROTATE_NONSPEC:
		ir = highest(c, c->isr);
		if (ir == NO_IR)
			break;
		c->isr &= (uint8_t)~BIT(ir);
		if ((v & OCW2_CMD_MASK) == OCW2_ROTATE_NONSPEC)
			c->prio_base = (uint8_t)((ir + 1) & 7);
		break;
	case OCW2_SPECIFIC_EOI:
		c->isr &= (uint8_t)~BIT(level);
		break;
	case OCW2_ROTATE_SPECIFIC:
		c->isr &= (uint8_t)~BIT(level);
		c->prio_base = (uint8_t)((level + 1) & 7);
		break;
	case OCW2_SET_PRIORITY:
		c->prio_base = (uint8_t)((level + 1) & 7);  /* L becomes the lowest */
		break;
	case OCW2_ROTATE_AEOI_SET:
		c->rotate_aeoi = true;
		break;
	case OCW2_ROTATE_AEOI_CLEAR:
		c->rotate_aeoi = false;
		break;
	default:                        /* OCW2_NOP */
		break;
	}
}

static void
ocw3(struct vpic_chip *c, uint8_t v)
{
	if (v & OCW3_ESMM)
		c->special_mask = v & OCW3_SMM;
	if (v & OCW3_RR)
		c->read_isr = v & OCW3_RIS;
	c->poll = v & OCW3_POLL;
}

/* The poll command's read: it acknowledges like INTA, on this chip alone. */
static uint8_t
poll_read(struct vpic *p, unsigned which)
{
	unsigned ir = chip_pending(p, which);

	p->chip[which].poll = false;
	if (ir == NO_IR)
		return 0;
	chip_accept(&p->chip[which], ir);
	return (uint8_t)(POLL_INTERRUPT | ir);
}

static void
elcr_io(struct vpic_chip *c, bool in, uint8_t *value)
{
	uint8_t level_before = level_inputs(c);

	if (in) {
		*value = c->elcr;
		return;
	}
	/* Inputs turning edge keep what their line requested as a latched edge. */
	c->irr = (uint8_t)((c->irr & ~level_before) | (c->line & level_before));
	c->elcr = *value & c->elcr_mask;
}

void
vpic_io(struct vpic *p, uint16_t port, bool in, uint8_t *value)
{
	unsigned which;
	struct vpic_chip *c;
	bool data;

	switch (port) {
	case VPIC_MASTER_CMD:  which = MASTER; data = false; break;
	case VPIC_MASTER_DATA: which = MASTER; data = true; break;
	case VPIC_SLAVE_CMD:   which = SLAVE; data = false; break;
	case VPIC_SLAVE_DATA:  which = SLAVE; data = true; break;
	case VPIC_ELCR_MASTER: elcr_io(&p->chip[MASTER], in, value); return;
	case VPIC_ELCR_SLAVE:  elcr_io(&p->chip[SLAVE], in, value); return;
	default:
		if (in)
			*value = 0xFF;
		return;
	}
	c = &p->chip[which];

	if (in) {
		if (c->poll)
			*value = poll_read(p, which);
		else if (data)
			*value = c->imr;
		else
			*value = c->read_isr ? c->isr : chip_irr(p, which);
		return;
	}
	if (data) {
		if (c->icw_next)
			icw_data(c, *value);
		else
			c->imr = *value;
	} else if (*value & ICW1_SELECT)
		icw1(c, *value);
	else if (*value & OCW3_SELECT)
		ocw3(c, *value);
	else
		ocw2(c, *value);
}
