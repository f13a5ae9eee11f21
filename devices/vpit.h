/*
 * devices/vpit.h: the 8254 programmable interval timer as a guest sees it
 * (Intel 8254 data sheet), ports 0x40-0x43, and the bits of port 0x61 that
 * belong to it: channel 2's gate (bit 0), the speaker data enable (bit 1),
 * the refresh toggle (bit 4) and channel 2's output (bit 5).
 *
 * Time is the caller's: `now` counts PIT input clock ticks (VPIT_HZ), is
 * monotonic, and nothing here does work per tick. Counter values and
 * outputs are computed from the time a count was loaded.
 */
#ifndef DEVICES_VPIT_H
#define DEVICES_VPIT_H

#include "kernel/compiler.h"

#define VPIT_HZ             1193182     /* input clock, Hz */

#define VPIT_CH0            0x40
#define VPIT_CH1            0x41
#define VPIT_CH2            0x42
#define VPIT_CONTROL        0x43
#define VPIT_PORT_B         0x61        /* the PC's "system control port B" */

struct vpit_channel {
	/* programming */
	uint8_t mode;           /* 0-5 */
	uint8_t access;         /* 1 low byte, 2 high byte, 3 low then high */
	bool bcd;
	bool gate;
	uint16_t cr;            /* count register as written; 0 is the largest count */
	bool cr_written;        /* a count was written since the control word */
	uint8_t cr_low;         /* low byte waiting for its high byte */
	bool write_high;        /* low-then-high: the next write is the high byte */
	bool read_high;         /* low-then-high: the next unlatched read is the high byte */
	bool null_count;        /* status bit 6: the count register is not yet loaded */
	/* output latches */
	uint16_t latched;       /* latched count, as it reads (BCD when bcd) */
	uint8_t latch_bytes;    /* latched count bytes still to read: 0, 1 or 2 */
	uint8_t status;         /* latched status */
	bool status_latched;
	/* the counting element: elapsed(now) = acc + (paused ? 0 : now - since) */
	bool running;           /* a count is loaded (modes 1 and 5: and triggered) */
	bool paused;            /* the gate holds counting */
	bool out_idle;          /* OUT while nothing is running */
	uint16_t hold;          /* what the counter reads while nothing is running */
	uint32_t n;             /* the loaded count, 1-65536 (BCD: 1-10000) */
	uint64_t since;
	uint64_t acc;
	/* modes 2 and 3: a count written while counting waits for the next reload */
	bool reload_pending;
	bool reload_low;        /* mode 3: the reload ends a high half-cycle */
	uint64_t reload_at;
};

struct vpit {
	struct vpit_channel ch[3];
	uint8_t port_b;         /* 0x61 bits 0-3 as written */
	uint64_t irq0_last;     /* OUT0 edges are counted up to here */
	uint32_t irq0_carry;    /* edges counted but not yet reported */
};

/* Power-on at time now. The data sheet leaves mode, count and output
 * undefined; here no channel runs and every OUT is high, so nothing
 * fires until the guest programs a channel. */
void vpit_init(struct vpit *t, uint64_t now);

/* One byte-wide access to 0x40-0x43 or 0x61 at time now: a write takes
 * *value, a read fills it. Other ports read 0xFF and drop writes. */
void vpit_io(struct vpit *t, uint16_t port, bool in, uint8_t *value, uint64_t now);

/* How many rising edges OUT0 (IRQ0) made in (last call, now], including
 * those caused by programming. Saturates at UINT32_MAX. */
uint32_t vpit_irq0_edges(struct vpit *t, uint64_t now);

/* The time of the next OUT0 rising edge after now, or UINT64_MAX if none
 * will come without the guest reprogramming channel 0. */
uint64_t vpit_next_irq0(const struct vpit *t, uint64_t now);

/*
 * TSC to PIT ticks and back, exact and without overflow for any TSC value
 * and any TSC frequency below 15 THz (no 128-bit division, which the
 * freestanding kernel has no libgcc for). vpit_tsc_for_ticks rounds up: the
 * first TSC value at which vpit_ticks_from_tsc has reached ticks.
 */
static inline uint64_t
vpit_ticks_from_tsc(uint64_t tsc, uint64_t tsc_hz)
{
	return tsc / tsc_hz * VPIT_HZ + tsc % tsc_hz * VPIT_HZ / tsc_hz;
}

static inline uint64_t
vpit_tsc_for_ticks(uint64_t ticks, uint64_t tsc_hz)
{
	return ticks / VPIT_HZ * tsc_hz + (ticks % VPIT_HZ * tsc_hz + VPIT_HZ - 1) / VPIT_HZ;
}

#endif
