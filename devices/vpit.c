/*
 * devices/vpit.c: the 8254 (Intel 8254 data sheet: "Control Word Format",
 * "Read-Back Command", "Mode Definitions") and port 0x61's timer bits.
 *
 * A counter is described by when its count was loaded, never by ticking:
 * the counting element's elapsed time is acc + (now - since) while it
 * counts, acc while its gate holds it. Values, OUT and OUT's rising edges
 * are arithmetic on that.
 *
 * Departures from the data sheet, on purpose:
 * - A count is loaded at the write, not on the next CLK, so mode 0's OUT
 *   rises N ticks after the write rather than N + 1 (modes 4 and 5 keep
 *   their one-tick strobe: low at zero, high again one tick later).
 * - Mode 0 does not stop counting between the two bytes of a low-then-high
 *   count; the new count simply starts at the second byte.
 * - A count of 1 in modes 2 and 3, which the data sheet forbids, counts 2.
 * - BCD counting is supported (counts of 1-10000, values read back in BCD);
 *   a count with a digit above 9 counts its binary-weighted digit sum.
 */
#include "devices/vpit.h"

#define CW_SC_SHIFT         6           /* select counter */
#define   CW_SC_READ_BACK   3
#define CW_RW_SHIFT         4           /* read/write access */
#define CW_RW_MASK          0x3
#define   CW_RW_LATCH       0           /* counter latch command */
#define   ACCESS_LOW        1
#define   ACCESS_HIGH       2
#define   ACCESS_WORD       3           /* low byte, then high byte */
#define CW_MODE_SHIFT       1
#define CW_MODE_MASK        0x7
#define CW_BCD              0x01

#define RB_NO_COUNT         0x20        /* read-back: do not latch the count (active low) */
#define RB_NO_STATUS        0x10        /* read-back: do not latch the status (active low) */
#define RB_COUNTER(i)       BIT((i) + 1)

#define STATUS_OUT          0x80
#define STATUS_NULL_COUNT   0x40

#define PORTB_GATE2         0x01        /* channel 2 gate */
#define PORTB_SPEAKER       0x02        /* speaker data enable */
#define PORTB_WRITABLE      0x0F        /* bits 2-3: parity and I/O check enables, kept as written */
#define PORTB_REFRESH       0x10        /* toggles with each memory refresh request */
#define PORTB_OUT2          0x20        /* channel 2 output */
#define REFRESH_TICKS       18          /* a refresh request every 15.09 us */

#define BINARY_MODULUS      65536u
#define BCD_MODULUS         10000u

static uint32_t
modulus(const struct vpit_channel *c)
{
	return c->bcd ? BCD_MODULUS : BINARY_MODULUS;
}

static uint32_t
from_bcd(uint16_t v)
{
	return (v >> 12 & 15) * 1000u + (v >> 8 & 15) * 100u + (v >> 4 & 15) * 10u + (v & 15);
}

static uint16_t
to_bcd(uint32_t v)
{
	v %= BCD_MODULUS;
	return (uint16_t)((v / 1000) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10);
}

/* The count register as a number of ticks: 0 is the largest count. */
static uint32_t
count_of(const struct vpit_channel *c)
{
	uint32_t n = c->bcd ? from_bcd(c->cr) : c->cr;

	if (n == 0)
		n = modulus(c);
	if (n == 1 && (c->mode == 2 || c->mode == 3))
		n = 2;
	return n;
}

/* Modes whose counting stops while the gate is low (1 and 5 only trigger on it). */
static bool
gate_holds(uint8_t mode)
{
	return mode != 1 && mode != 5;
}

static uint64_t
elapsed(const struct vpit_channel *c, uint64_t now)
{
	if (c->paused || now < c->since)
		return c->acc;
	return c->acc + (now - c->since);
}

static uint32_t
high_half(uint32_t n)
{
	return (n + 1) / 2;             /* mode 3: an odd count is high one tick longer */
}

static void
apply_reload(struct vpit_channel *c)
{
	c->n = count_of(c);
	c->since = c->reload_at;
	c->acc = c->mode == 3 && c->reload_low ? high_half(c->n) : 0;
	c->null_count = false;
	c->reload_pending = false;
}

/* The channel as it stands at now: a mode 2/3 reload that is due, applied.
 * Returns c itself or tmp. */
static const struct vpit_channel *
at(const struct vpit_channel *c, uint64_t now, struct vpit_channel *tmp)
{
	if (!c->reload_pending || c->reload_at > now)
		return c;
	*tmp = *c;
	apply_reload(tmp);
	return tmp;
}

static void
advance(struct vpit_channel *c, uint64_t now)
{
	if (c->reload_pending && c->reload_at <= now)
		apply_reload(c);
}

/* The counting element, 0 to modulus - 1; c must stand at now. */
static uint32_t
value(const struct vpit_channel *c, uint64_t now)
{
	uint64_t e;
	uint32_t n = c->n, p, h;

	if (!c->running)
		return c->hold;
	e = elapsed(c, now);
	switch (c->mode) {
	case 2:
		return (n - (uint32_t)(e % n)) % modulus(c);
	case 3:
		/* Decrements by two; an odd count spends one extra tick at N - 1
		 * in the high half and drops by three first in the low half. */
		p = (uint32_t)(e % n);
		if (!(n & 1))
			return (n - 2 * (p % (n / 2))) % modulus(c);
		h = high_half(n);
		if (p < h)
			return p ? n - 1 - 2 * (p - 1) : n;
		p -= h;
		return p ? n - 3 - 2 * (p - 1) : n;
	default:
		/* modes 0, 1, 4, 5: one per tick, wrapping past zero */
		return (uint32_t)((n + modulus(c) - e % modulus(c)) % modulus(c));
	}
}

static uint16_t
value_as_read(const struct vpit_channel *c, uint64_t now)
{
	uint32_t v = value(c, now);

	return c->bcd ? to_bcd(v) : (uint16_t)v;
}

/* OUT; c must stand at now. */
static bool
out(const struct vpit_channel *c, uint64_t now)
{
	uint64_t e;

	if (!c->running)
		return c->out_idle;
	if (c->paused && (c->mode == 2 || c->mode == 3))
		return true;            /* a low gate forces OUT high */
	e = elapsed(c, now);
	switch (c->mode) {
	case 0:
	case 1:
		return e >= c->n;
	case 2:
		return e % c->n != c->n - 1;
	case 3:
		return e % c->n < high_half(c->n);
	default:
		return e != c->n;       /* 4, 5: low for the one tick at zero */
	}
}

/* OUT's rising edges from the load up to elapsed time e. */
static uint64_t
rises(const struct vpit_channel *c, uint64_t e)
{
	switch (c->mode) {
	case 0:
	case 1:
		return e >= c->n;
	case 2:
	case 3:
		return e / c->n;
	default:
		return e >= (uint64_t)c->n + 1;
	}
}

/* Rising edges in (a, b] with nothing loaded in between. */
static uint64_t
regime_rises(const struct vpit_channel *c, uint64_t a, uint64_t b)
{
	if (!c->running)
		return 0;
	return rises(c, elapsed(c, b)) - rises(c, elapsed(c, a));
}

/* Rising edges in (a, b], across a pending mode 2/3 reload. */
static uint64_t
rises_between(const struct vpit_channel *c, uint64_t a, uint64_t b)
{
	struct vpit_channel tmp;
	uint64_t r = 0;

	if (!c->reload_pending || c->reload_at > b)
		return regime_rises(c, a, b);
	if (a < c->reload_at)
		r = regime_rises(c, a, c->reload_at);
	tmp = *c;
	apply_reload(&tmp);
	return r + regime_rises(&tmp, MAX(a, c->reload_at), b);
}

/* The next rising edge after now with nothing loaded in between. */
static uint64_t
regime_next_rise(const struct vpit_channel *c, uint64_t now)
{
	uint64_t e, target;

	if (!c->running || c->paused)
		return UINT64_MAX;
	e = elapsed(c, now);
	switch (c->mode) {
	case 0:
	case 1:
		target = c->n;
		break;
	case 2:
	case 3:
		target = (e / c->n + 1) * c->n;
		break;
	default:
		target = (uint64_t)c->n + 1;
		break;
	}
	return e < target ? now + (target - e) : UINT64_MAX;
}

static void
load(struct vpit_channel *c, uint64_t now)
{
	c->n = count_of(c);
	c->acc = 0;
	c->since = now;
	c->running = true;
	c->paused = !c->gate && gate_holds(c->mode);
	c->null_count = false;
	c->reload_pending = false;
}

/* Modes 2 and 3: a count written while counting is loaded at the end of
 * the current period (mode 2) or half-cycle (mode 3). */
static void
schedule_reload(struct vpit_channel *c, uint64_t now)
{
	uint64_t e = elapsed(c, now);
	uint32_t p = (uint32_t)(e % c->n);

	if (c->reload_pending)
		return;                 /* the next boundary is already known */
	c->reload_low = c->mode == 3 && p < high_half(c->n);
	c->reload_at = now + (c->reload_low ? high_half(c->n) - p : c->n - p);
	c->reload_pending = true;
}

static void
count_written(struct vpit_channel *c, uint64_t now)
{
	c->cr_written = true;
	c->null_count = true;
	switch (c->mode) {
	case 0:
	case 4:
		load(c, now);
		break;
	case 2:
	case 3:
		if (!c->running)
			load(c, now);
		else if (!c->paused)
			schedule_reload(c, now);
		break;                  /* while the gate holds it, its rise loads the count */
	default:
		break;                  /* 1, 5: loaded by the next gate trigger */
	}
}

static void
set_gate(struct vpit_channel *c, bool gate, uint64_t now)
{
	if (gate == c->gate)
		return;
	c->gate = gate;
	if (!gate) {
		if (c->running && !c->paused && gate_holds(c->mode)) {
			c->acc = elapsed(c, now);
			c->paused = true;
			c->reload_pending = false;      /* the rise loads the count register */
		}
		return;
	}
	if (c->mode == 0 || c->mode == 4) {
		if (c->running && c->paused) {
			c->since = now;
			c->paused = false;
		}
	} else if (c->cr_written)
		load(c, now);           /* 1, 2, 3, 5: a trigger reloads */
}

static void
control_word(struct vpit_channel *c, uint8_t v, uint64_t now)
{
	uint8_t mode = v >> CW_MODE_SHIFT & CW_MODE_MASK;

	c->hold = (uint16_t)value(c, now);
	c->mode = mode > 5 ? mode - 4 : mode;   /* 6 and 7 are 2 and 3 */
	c->access = v >> CW_RW_SHIFT & CW_RW_MASK;
	c->bcd = v & CW_BCD;
	c->hold %= modulus(c);
	c->write_high = c->read_high = false;
	c->latch_bytes = 0;
	c->status_latched = false;
	c->running = false;
	c->reload_pending = false;
	c->cr_written = false;
	c->null_count = true;
	c->out_idle = c->mode != 0;     /* mode 0 sets OUT low, the others high */
}

static void
latch_count(struct vpit_channel *c, uint64_t now)
{
	if (c->latch_bytes)
		return;                 /* a latched count is held until read */
	c->latched = value_as_read(c, now);
	c->latch_bytes = c->access == ACCESS_WORD ? 2 : 1;
}

static void
latch_status(struct vpit_channel *c, uint64_t now)
{
	if (c->status_latched)
		return;
	c->status = (uint8_t)((out(c, now) ? STATUS_OUT : 0) | (c->null_count ? STATUS_NULL_COUNT : 0) |
			      c->access << CW_RW_SHIFT | c->mode << CW_MODE_SHIFT | (c->bcd ? CW_BCD : 0));
	c->status_latched = true;
}

static void
control_port(struct vpit *t, uint8_t v, uint64_t now)
{
	unsigned sc = v >> CW_SC_SHIFT;

	if (sc == CW_SC_READ_BACK) {
		for (unsigned i = 0; i < 3; i++) {
			if (!(v & RB_COUNTER(i)))
				continue;
			/* status first: when both are latched the status reads first */
			if (!(v & RB_NO_STATUS))
				latch_status(&t->ch[i], now);
			if (!(v & RB_NO_COUNT))
				latch_count(&t->ch[i], now);
		}
		return;
	}
	if ((v >> CW_RW_SHIFT & CW_RW_MASK) == CW_RW_LATCH)
		latch_count(&t->ch[sc], now);
	else
		control_word(&t->ch[sc], v, now);
}

static uint8_t
read_counter(struct vpit_channel *c, uint64_t now)
{
	uint16_t v;
	bool high;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latch_bytes) {
		high = c->access == ACCESS_HIGH || (c->access == ACCESS_WORD && c->latch_bytes == 1);
		c->latch_bytes--;
		v = c->latched;
	} else {
		high = c->access == ACCESS_HIGH || (c->access == ACCESS_WORD && c->read_high);
		if (c->access == ACCESS_WORD)
			c->read_high = !c->read_high;
		v = value_as_read(c, now);
	}
	return (uint8_t)(high ? v >> 8 : v);
}

static void
write_counter(struct vpit_channel *c, uint8_t v, uint64_t now)
{
	switch (c->access) {
	case ACCESS_LOW:
		c->cr = v;
		break;
	case ACCESS_HIGH:
		c->cr = (uint16_t)(v << 8);
		break;
	default:
		if (!c->write_high) {
			c->cr_low = v;
			c->write_high = true;
			return;
		}
		c->cr = (uint16_t)(c->cr_low | v << 8);
		c->write_high = false;
		break;
	}
	count_written(c, now);
}

static void
add_edges(struct vpit *t, uint64_t n)
{
	uint64_t sum = t->irq0_carry + n;

	t->irq0_carry = sum > UINT32_MAX || sum < n ? UINT32_MAX : (uint32_t)sum;
}

/* Count OUT0's edges up to now, before anything changes channel 0. */
static void
irq0_flush(struct vpit *t, uint64_t now)
{
	if (now <= t->irq0_last)
		return;
	add_edges(t, rises_between(&t->ch[0], t->irq0_last, now));
	t->irq0_last = now;
}

void
vpit_init(struct vpit *t, uint64_t now)
{
	*t = (struct vpit){ .irq0_last = now };
	for (unsigned i = 0; i < 3; i++) {
		struct vpit_channel *c = &t->ch[i];

		c->access = ACCESS_WORD;
		c->gate = i != 2;       /* channels 0 and 1: gate tied high; 2: port 0x61 bit 0 */
		c->out_idle = true;
		c->null_count = true;
		c->n = BINARY_MODULUS;
	}
}

void
vpit_io(struct vpit *t, uint16_t port, bool in, uint8_t *value_io, uint64_t now)
{
	struct vpit_channel *c2 = &t->ch[2];
	bool out0_before;

	irq0_flush(t, now);
	for (unsigned i = 0; i < 3; i++)
		advance(&t->ch[i], now);
	out0_before = out(&t->ch[0], now);

	switch (port) {
	case VPIT_CH0:
	case VPIT_CH1:
	case VPIT_CH2:
		if (in)
			*value_io = read_counter(&t->ch[port - VPIT_CH0], now);
		else
			write_counter(&t->ch[port - VPIT_CH0], *value_io, now);
		break;
	case VPIT_CONTROL:
		if (in)
			*value_io = 0xFF;       /* the control word register is write-only */
		else
			control_port(t, *value_io, now);
		break;
	case VPIT_PORT_B:
		if (in) {
			*value_io = (uint8_t)(t->port_b | (now / REFRESH_TICKS & 1 ? PORTB_REFRESH : 0) |
					      (out(c2, now) ? PORTB_OUT2 : 0));
		} else {
			t->port_b = *value_io & PORTB_WRITABLE;
			set_gate(c2, *value_io & PORTB_GATE2, now);
		}
		break;
	default:
		if (in)
			*value_io = 0xFF;
		break;
	}

	if (!out0_before && out(&t->ch[0], now))
		add_edges(t, 1);        /* programming raised OUT0 */
}

uint32_t
vpit_irq0_edges(struct vpit *t, uint64_t now)
{
	uint32_t n;

	irq0_flush(t, now);
	n = t->irq0_carry;
	t->irq0_carry = 0;
	return n;
}

uint64_t
vpit_next_irq0(const struct vpit *t, uint64_t now)
{
	struct vpit_channel tmp;
	const struct vpit_channel *c = at(&t->ch[0], now, &tmp);
	uint64_t next = regime_next_rise(c, now);

	if (c->reload_pending && next > c->reload_at) {
		tmp = *c;
		apply_reload(&tmp);
		next = regime_next_rise(&tmp, c->reload_at);
	}
	return next;
}
