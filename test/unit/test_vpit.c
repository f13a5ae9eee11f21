/*
 * test/unit/test_vpit.c: the emulated 8254 and port 0x61, driven by what
 * Linux writes (the i8253 clockevent's periodic and one-shot setup,
 * pit_calibrate_tsc on channel 2, the shutdown sequence) and a BIOS's
 * 18.2 Hz mode 3 timer, at chosen times. Spans of up to 2^40 ticks check
 * that nothing loops per tick.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "devices/vpit.c"

#define T0      1000000007ULL           /* an arbitrary start: nothing assumes time 0 */

static struct vpit pit;

static void
out8(uint16_t port, uint8_t v, uint64_t now)
{
	vpit_io(&pit, port, false, &v, now);
}

static uint8_t
in8(uint16_t port, uint64_t now)
{
	uint8_t v = 0x5A;

	vpit_io(&pit, port, true, &v, now);
	return v;
}

/* Control word, then a low-then-high count. */
static void
program(unsigned ch, uint8_t mode_bits, uint16_t count, uint64_t now)
{
	out8(VPIT_CONTROL, (uint8_t)(ch << 6 | 0x30 | mode_bits << 1), now);
	out8((uint16_t)(VPIT_CH0 + ch), (uint8_t)count, now);
	out8((uint16_t)(VPIT_CH0 + ch), (uint8_t)(count >> 8), now);
}

/* Counter latch command, then both bytes. */
static unsigned
latched(unsigned ch, uint64_t now)
{
	unsigned lo, hi;

	out8(VPIT_CONTROL, (uint8_t)(ch << 6), now);
	lo = in8((uint16_t)(VPIT_CH0 + ch), now);
	hi = in8((uint16_t)(VPIT_CH0 + ch), now);
	return lo | hi << 8;
}

/* Read-back of one channel's status. */
static uint8_t
status(unsigned ch, uint64_t now)
{
	out8(VPIT_CONTROL, (uint8_t)(0xE0 | 2 << ch), now);
	return in8((uint16_t)(VPIT_CH0 + ch), now);
}

static bool
out_of(unsigned ch, uint64_t now)
{
	return status(ch, now) & 0x80;
}

static void
test_power_on(void **state)
{
	vpit_init(&pit, T0);
	assert_int_equal(vpit_next_irq0(&pit, T0 + 5), UINT64_MAX);
	assert_int_equal(vpit_irq0_edges(&pit, T0 + 10000000), 0);
	assert_int_equal(in8(VPIT_PORT_B, T0) & 0x2F, 0x20);       /* gate off, OUT2 high */
	assert_int_equal(status(0, T0) & 0xC0, 0xC0);               /* OUT high, null count */
	assert_int_equal(in8(VPIT_CONTROL, T0), 0xFF);
	assert_int_equal(in8(0x44, T0), 0xFF);                      /* not ours */
}

/* Linux's i8253 periodic setup at HZ=1000: 0x34, then PIT_LATCH = 1193. */
static void
test_linux_periodic(void **state)
{
	const unsigned latch = (VPIT_HZ + 500) / 1000;
	uint64_t t = T0 + 3;

	vpit_init(&pit, T0);
	program(0, 2, (uint16_t)latch, t);
	assert_int_equal(latch, 1193);
	assert_int_equal(vpit_irq0_edges(&pit, t), 0);      /* OUT was high and stays high */
	assert_int_equal(status(0, t), 0xB4);               /* OUT, lo/hi, mode 2, binary */
	assert_int_equal(latched(0, t + 1), latch - 1);
}

static void
test_linux_periodic_edges(void **state)
{
	const unsigned latch = 1193;
	uint64_t t = T0 + 3;

	vpit_init(&pit, T0);
	program(0, 2, latch, t);
	assert_int_equal(vpit_next_irq0(&pit, t), t + latch);
	assert_int_equal(vpit_irq0_edges(&pit, t + latch - 1), 0);
	assert_int_equal(vpit_next_irq0(&pit, t + latch - 1), t + latch);
	assert_int_equal(vpit_irq0_edges(&pit, t + latch), 1);
	assert_int_equal(vpit_next_irq0(&pit, t + latch), t + 2 * latch);
	/* A million periods and a bit, in one call. */
	assert_int_equal(vpit_irq0_edges(&pit, t + 1000001ULL * latch + 5), 1000000);
	assert_int_equal(vpit_next_irq0(&pit, t + 1000001ULL * latch + 5), t + 1000002ULL * latch);
	/* The count as read: 1193 down to 1, reloading. */
	assert_int_equal(latched(0, t), 1193);
	assert_int_equal(latched(0, t + 100), 1093);
	assert_int_equal(latched(0, t + latch - 1), 1);
	assert_int_equal(latched(0, t + latch), 1193);
	assert_int_equal(latched(0, t + 5ULL * latch + 1000), 193);
	/* OUT is low only while the count is 1 */
	assert_true(out_of(0, t + latch - 2));
	assert_false(out_of(0, t + latch - 1));
	assert_true(out_of(0, t + latch));
	assert_int_equal(status(0, t + 100), 0xB4);         /* OUT, lo/hi, mode 2, binary */
}

static void
test_mode2_new_count_at_reload(void **state)
{
	uint64_t t = T0;

	vpit_init(&pit, T0);
	program(0, 2, 1000, t);
	assert_int_equal(vpit_irq0_edges(&pit, t + 300), 0);
	out8(VPIT_CH0, 500 & 0xFF, t + 300);
	out8(VPIT_CH0, 500 >> 8, t + 300);
	assert_int_equal(latched(0, t + 400), 600);         /* the old count runs out */
	assert_int_equal(status(0, t + 400) & 0x40, 0x40);  /* null count until loaded */
	assert_int_equal(vpit_next_irq0(&pit, t + 400), t + 1000);
	assert_int_equal(latched(0, t + 1000), 500);
	assert_int_equal(latched(0, t + 1100), 400);
	assert_int_equal(status(0, t + 1100) & 0x40, 0);
	assert_int_equal(vpit_next_irq0(&pit, t + 1000), t + 1500);
	/* edges across the reload in one call: 1000, 1500, 2000 */
	assert_int_equal(vpit_irq0_edges(&pit, t + 2000), 3);
}

static void
test_mode2_new_count_edges_unobserved(void **state)
{
	uint64_t t = T0;

	/* Nothing looks at the channel between the write and long after the reload. */
	vpit_init(&pit, T0);
	program(0, 2, 1000, t);
	out8(VPIT_CH0, 100, t + 10);
	out8(VPIT_CH0, 0, t + 10);
	assert_int_equal(vpit_next_irq0(&pit, t + 999), t + 1000);
	assert_int_equal(vpit_next_irq0(&pit, t + 1000), t + 1100);
	assert_int_equal(vpit_irq0_edges(&pit, t + 1000 + 100 * 50), 51);
}

static void
test_mode3_square_wave(void **state)
{
	static const unsigned even[] = { 10, 8, 6, 4, 2, 10, 8, 6, 4, 2, 10 };
	static const bool even_out[] = { 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1 };
	static const unsigned odd[] = { 7, 6, 4, 2, 7, 4, 2, 7 };
	static const bool odd_out[] = { 1, 1, 1, 1, 0, 0, 0, 1 };
	uint64_t t = T0;

	vpit_init(&pit, T0);
	program(0, 3, 10, t);
	for (unsigned i = 0; i < ARRAY_SIZE(even); i++) {
		assert_int_equal(latched(0, t + i), even[i]);
		assert_int_equal(out_of(0, t + i), even_out[i]);
	}
	assert_int_equal(vpit_irq0_edges(&pit, t + 100), 10);
	program(0, 3, 7, t + 100);                          /* odd: high 4 ticks, low 3 */
	t += 100;
	for (unsigned i = 0; i < ARRAY_SIZE(odd); i++) {
		assert_int_equal(latched(0, t + i), odd[i]);
		assert_int_equal(out_of(0, t + i), odd_out[i]);
	}
	assert_int_equal(vpit_irq0_edges(&pit, t + 70), 10);
	assert_int_equal(vpit_next_irq0(&pit, t + 70), t + 77);
	assert_int_equal(status(0, t), 0x36 | 0x80);
}

static void
test_mode3_new_count_at_half_cycle(void **state)
{
	uint64_t t = T0;

	vpit_init(&pit, T0);
	program(0, 3, 10, t);
	program(0, 3, 10, t);                   /* control word again: a fresh start */
	out8(VPIT_CH0, 20, t + 2);              /* during the high half */
	out8(VPIT_CH0, 0, t + 2);
	assert_int_equal(vpit_next_irq0(&pit, t + 3), t + 15);
	assert_int_equal(latched(0, t + 4), 2);
	assert_true(out_of(0, t + 4));
	/* The high half ends on time; the low half is the new count's. */
	assert_int_equal(latched(0, t + 5), 20);
	assert_false(out_of(0, t + 5));
	assert_int_equal(latched(0, t + 6), 18);
	assert_false(out_of(0, t + 14));
	assert_true(out_of(0, t + 15));
	assert_int_equal(latched(0, t + 15), 20);
	assert_int_equal(vpit_irq0_edges(&pit, t + 15 + 20 * 3), 4);

	/* Written during a low half: that half ends on time, the next high is new. */
	t += 1000;
	vpit_irq0_edges(&pit, t);
	program(0, 3, 10, t);
	out8(VPIT_CH0, 4, t + 7);
	out8(VPIT_CH0, 0, t + 7);
	assert_int_equal(vpit_next_irq0(&pit, t + 7), t + 10);
	assert_int_equal(latched(0, t + 9), 2);
	assert_int_equal(latched(0, t + 10), 4);
	assert_int_equal(vpit_next_irq0(&pit, t + 10), t + 14);
	assert_int_equal(vpit_irq0_edges(&pit, t + 14), 2);
}

/* A BIOS's timer: mode 3, count 0 = 65536, 18.2 Hz. */
static void
test_bios_mode3_count_zero(void **state)
{
	uint64_t t = T0;

	vpit_init(&pit, T0);
	out8(VPIT_CONTROL, 0x36, t);
	out8(VPIT_CH0, 0, t);
	out8(VPIT_CH0, 0, t);
	assert_int_equal(latched(0, t), 0);                 /* 65536 reads as 0 */
	assert_int_equal(latched(0, t + 1), 65534);
	assert_true(out_of(0, t + 32767));
	assert_false(out_of(0, t + 32768));
	assert_int_equal(vpit_next_irq0(&pit, t), t + 65536);
	assert_int_equal(vpit_irq0_edges(&pit, t + 18 * 65536), 18);
	/* 10^12 ticks (nine days) in one call */
	assert_int_equal(vpit_irq0_edges(&pit, t + 1000000000000ULL), 1000000000000ULL / 65536 - 18);
}

static void
test_edges_saturate(void **state)
{
	uint64_t t = T0;

	vpit_init(&pit, T0);
	program(0, 2, 2, t);
	assert_int_equal(vpit_irq0_edges(&pit, t + (1ULL << 40)), UINT32_MAX);
	assert_int_equal(vpit_irq0_edges(&pit, t + (1ULL << 40) + 4), 2);
	/* count 1 is illegal in mode 2: it counts 2 */
	program(0, 2, 1, t + (1ULL << 41));
	assert_int_equal(vpit_next_irq0(&pit, t + (1ULL << 41)), t + (1ULL << 41) + 2);
}

/* Linux's pit_calibrate_tsc: mode 0 on channel 2, gate on, poll bit 5. */
static void
test_linux_calibrate_channel2(void **state)
{
	const unsigned latch = VPIT_HZ / 100;   /* CAL_LATCH for CAL_MS = 10 */
	uint64_t t = T0;

	vpit_init(&pit, T0);
	out8(VPIT_PORT_B, (uint8_t)((in8(VPIT_PORT_B, t) & ~0x02) | 0x01), t);
	out8(VPIT_CONTROL, 0xB0, t);
	assert_int_equal(in8(VPIT_PORT_B, t) & 0x20, 0);   /* mode 0: OUT low at the control word */
	out8(VPIT_CH2, latch & 0xFF, t);
	out8(VPIT_CH2, latch >> 8, t);
	assert_int_equal(in8(VPIT_PORT_B, t + 1) & 0x23, 0x01);
	assert_int_equal(in8(VPIT_PORT_B, t + latch - 1) & 0x20, 0);
	assert_int_equal(in8(VPIT_PORT_B, t + latch) & 0x20, 0x20);
	assert_int_equal(in8(VPIT_PORT_B, t + 100 * latch) & 0x20, 0x20);  /* stays high */
	/* channel 2 never makes IRQ0 edges */
	assert_int_equal(vpit_irq0_edges(&pit, t + 100 * latch), 0);
	/* live lo/hi reads (quick_pit_calibrate reads the MSB this way) */
	t += 200 * latch;
	program(2, 0, 0xFFFF, t);
	assert_int_equal(in8(VPIT_CH2, t + 0x100), 0xFF);
	assert_int_equal(in8(VPIT_CH2, t + 0x100), 0xFE);
	assert_int_equal(in8(VPIT_CH2, t + 0x201), 0xFE);
	assert_int_equal(in8(VPIT_CH2, t + 0x201), 0xFD);
	/* after terminal count the counter wraps and keeps going */
	assert_int_equal(latched(2, t + 0xFFFF + 1), 0xFFFF);
}

static void
test_channel2_gate(void **state)
{
	uint64_t t = T0;

	vpit_init(&pit, T0);
	program(2, 0, 1000, t);                 /* gate still off: loaded, not counting */
	assert_int_equal(latched(2, t + 500), 1000);
	out8(VPIT_PORT_B, 0x03, t + 500);       /* gate on, speaker data on */
	assert_int_equal(in8(VPIT_PORT_B, t + 500) & 0x0F, 0x03);
	assert_int_equal(latched(2, t + 800), 700);
	out8(VPIT_PORT_B, 0x02, t + 800);       /* gate off: counting holds */
	assert_int_equal(latched(2, t + 5000), 700);
	assert_int_equal(in8(VPIT_PORT_B, t + 5000) & 0x20, 0);
	out8(VPIT_PORT_B, 0x01, t + 6000);      /* on again: resumes, no reload */
	assert_int_equal(latched(2, t + 6100), 600);
	assert_int_equal(in8(VPIT_PORT_B, t + 6699) & 0x20, 0);
	assert_int_equal(in8(VPIT_PORT_B, t + 6700) & 0x20, 0x20);

	/* Mode 2 and 3: a low gate forces OUT high; its rise reloads. */
	t += 10000;
	program(2, 3, 100, t);
	assert_false(out_of(2, t + 60));
	out8(VPIT_PORT_B, 0x00, t + 60);
	assert_true(out_of(2, t + 61));
	assert_int_equal(latched(2, t + 70), 100 - 2 * 10);     /* held where it was */
	out8(VPIT_CH2, 40, t + 80);             /* new count while held: the trigger loads it */
	out8(VPIT_CH2, 0, t + 80);
	out8(VPIT_PORT_B, 0x01, t + 90);
	assert_int_equal(latched(2, t + 90), 40);
	assert_true(out_of(2, t + 109));
	assert_false(out_of(2, t + 110));
}

static void
test_refresh_toggle(void **state)
{
	uint64_t t = 18 * 1000;

	vpit_init(&pit, t);
	assert_int_equal(in8(VPIT_PORT_B, t) & 0x10, 0);
	assert_int_equal(in8(VPIT_PORT_B, t + 17) & 0x10, 0);
	assert_int_equal(in8(VPIT_PORT_B, t + 18) & 0x10, 0x10);
	assert_int_equal(in8(VPIT_PORT_B, t + 36) & 0x10, 0);
	out8(VPIT_PORT_B, 0xFF, t);             /* only bits 0-3 are kept */
	assert_int_equal(in8(VPIT_PORT_B, t) & 0xCF, 0x0F);
}

static void
test_latch_and_readback(void **state)
{
	uint64_t t = T0;

	vpit_init(&pit, T0);
	program(0, 2, 5000, t);
	program(1, 2, 3000, t);
	/* A latch holds its value until read; a second latch is ignored. */
	out8(VPIT_CONTROL, 0x00, t + 100);
	out8(VPIT_CONTROL, 0x00, t + 200);
	assert_int_equal(in8(VPIT_CH0, t + 300), 4900 & 0xFF);
	out8(VPIT_CONTROL, 0x00, t + 400);      /* half read: still ignored */
	assert_int_equal(in8(VPIT_CH0, t + 500), 4900 >> 8);
	assert_int_equal(latched(0, t + 600), 4400);

	/* Read-back of status and count for channels 0 and 1 at once. */
	out8(VPIT_CONTROL, 0xC6, t + 1000);
	assert_int_equal(in8(VPIT_CH0, t + 2000), 0xB4);        /* status first */
	assert_int_equal(in8(VPIT_CH0, t + 2000), 4000 & 0xFF);
	assert_int_equal(in8(VPIT_CH0, t + 2000), 4000 >> 8);
	assert_int_equal(in8(VPIT_CH1, t + 2000), 0xB4);        /* status names no channel */
	assert_int_equal(in8(VPIT_CH1, t + 2000), 2000 & 0xFF);
	assert_int_equal(in8(VPIT_CH1, t + 2000), 2000 >> 8);
	/* then live again */
	assert_int_equal(in8(VPIT_CH1, t + 2001), (3000 - 2001 % 3000) & 0xFF);

	/* Read-back of the count only, then the status only. */
	out8(VPIT_CONTROL, 0xD2, t + 2100);
	out8(VPIT_CONTROL, 0xE2, t + 2200);
	assert_int_equal(in8(VPIT_CH0, t + 2300), 0xB4);        /* status still comes first */
	assert_int_equal(in8(VPIT_CH0, t + 2300), 2900 & 0xFF);
	assert_int_equal(in8(VPIT_CH0, t + 2300), 2900 >> 8);

	/* Low-byte-only and high-byte-only access. */
	t += 10000;
	out8(VPIT_CONTROL, 0x14, t);            /* ch0, low byte only, mode 2 */
	out8(VPIT_CH0, 200, t);
	assert_int_equal(in8(VPIT_CH0, t + 50), 150);
	assert_int_equal(in8(VPIT_CH0, t + 51), 149);
	out8(VPIT_CONTROL, 0x00, t + 60);
	assert_int_equal(in8(VPIT_CH0, t + 70), 140);
	assert_int_equal(in8(VPIT_CH0, t + 70), 130);   /* one byte read the latch */
	t += 1000;
	out8(VPIT_CONTROL, 0x24, t);            /* high byte only: count 0x0200 */
	out8(VPIT_CH0, 0x02, t);
	assert_int_equal(in8(VPIT_CH0, t + 0x100), 0x01);
	assert_int_equal(status(0, t + 0x100), 0xA4);
	/* A control word drops a latch not yet read. */
	out8(VPIT_CONTROL, 0x00, t + 0x101);
	program(0, 2, 300, t + 0x102);
	assert_int_equal(latched(0, t + 0x102 + 100), 200);
}

/* Mode 0 on channel 0, and the edges programming itself makes. */
static void
test_mode0_oneshot_and_programming_edges(void **state)
{
	uint64_t t = T0;

	vpit_init(&pit, T0);
	program(0, 0, 100, t);
	assert_int_equal(vpit_next_irq0(&pit, t), t + 100);
	assert_int_equal(vpit_irq0_edges(&pit, t + 99), 0);
	assert_int_equal(latched(0, t + 99), 1);
	assert_int_equal(latched(0, t + 101), 0xFFFF);                   /* wrapped */
	assert_int_equal(vpit_irq0_edges(&pit, t + 5000000), 1);        /* once */
	assert_int_equal(vpit_next_irq0(&pit, t + 5000000), UINT64_MAX);

	/* A new count restarts it: OUT low again, one more edge. */
	out8(VPIT_CH0, 50, t + 6000000);
	out8(VPIT_CH0, 0, t + 6000000);
	assert_false(out_of(0, t + 6000000));
	assert_int_equal(vpit_next_irq0(&pit, t + 6000000), t + 6000050);

	/* Reprogramming to mode 2 while OUT is low raises it: an edge now. */
	out8(VPIT_CONTROL, 0x34, t + 6000010);
	assert_int_equal(vpit_irq0_edges(&pit, t + 6000010), 1);
	assert_int_equal(vpit_next_irq0(&pit, t + 6000010), UINT64_MAX);        /* no count yet */

	/* Linux's shutdown: mode 0, count 0. OUT falls; one edge 65536 later. */
	t += 7000000;
	out8(VPIT_CONTROL, 0x30, t);
	out8(VPIT_CH0, 0, t);
	out8(VPIT_CH0, 0, t);
	assert_int_equal(vpit_irq0_edges(&pit, t), 0);
	assert_int_equal(vpit_next_irq0(&pit, t), t + 65536);
	assert_int_equal(vpit_irq0_edges(&pit, t + 1000000), 1);
}

/* Linux's one-shot clockevent: mode 4, a count per event. */
static void
test_mode4_strobe(void **state)
{
	uint64_t t = T0;

	vpit_init(&pit, T0);
	out8(VPIT_CONTROL, 0x38, t);
	assert_true(out_of(0, t));
	out8(VPIT_CH0, 50, t);
	out8(VPIT_CH0, 0, t);
	assert_int_equal(vpit_next_irq0(&pit, t), t + 51);
	assert_int_equal(vpit_irq0_edges(&pit, t + 50), 0);
	assert_true(out_of(0, t + 49));
	assert_false(out_of(0, t + 50));        /* low for the tick at zero */
	assert_int_equal(vpit_irq0_edges(&pit, t + 51), 1);
	assert_true(out_of(0, t + 51));
	assert_int_equal(vpit_next_irq0(&pit, t + 51), UINT64_MAX);
	/* rewritten during counting: starts over */
	out8(VPIT_CH0, 30, t + 60);
	out8(VPIT_CH0, 0, t + 60);
	out8(VPIT_CH0, 30, t + 70);
	out8(VPIT_CH0, 0, t + 70);
	assert_int_equal(vpit_next_irq0(&pit, t + 70), t + 101);
	assert_int_equal(vpit_irq0_edges(&pit, t + 1000), 1);
}

/* Modes 1 and 5 need a gate trigger: only channel 2 can have one. */
static void
test_mode1_and_mode5_triggered(void **state)
{
	uint64_t t = T0;

	vpit_init(&pit, T0);
	program(2, 1, 10, t);
	assert_true(out_of(2, t + 5));
	assert_int_equal(status(2, t + 5) & 0x40, 0x40);        /* not loaded before a trigger */
	out8(VPIT_PORT_B, 0x01, t + 10);
	assert_false(out_of(2, t + 10));
	assert_int_equal(latched(2, t + 13), 7);
	out8(VPIT_PORT_B, 0x00, t + 15);        /* a falling gate does not hold mode 1 */
	assert_int_equal(latched(2, t + 16), 4);
	out8(VPIT_PORT_B, 0x01, t + 17);        /* retrigger */
	assert_false(out_of(2, t + 26));
	assert_true(out_of(2, t + 27));

	program(2, 5, 10, t + 100);
	out8(VPIT_PORT_B, 0x00, t + 100);
	assert_true(out_of(2, t + 105));
	out8(VPIT_PORT_B, 0x01, t + 105);
	assert_true(out_of(2, t + 114));
	assert_false(out_of(2, t + 115));
	assert_true(out_of(2, t + 116));

	/* On channel 0 the gate is tied high: mode 1 never triggers. */
	program(0, 1, 10, t + 200);
	assert_int_equal(vpit_next_irq0(&pit, t + 200), UINT64_MAX);
	assert_int_equal(vpit_irq0_edges(&pit, t + 1000), 0);
}

static void
test_bcd(void **state)
{
	uint64_t t = T0;

	vpit_init(&pit, T0);
	out8(VPIT_CONTROL, 0x35, t);            /* mode 2, BCD */
	out8(VPIT_CH0, 0x00, t);
	out8(VPIT_CH0, 0x10, t);                /* 1000 */
	assert_int_equal(latched(0, t + 1), 0x0999);
	assert_int_equal(latched(0, t + 1000 + 12), 0x0988);
	assert_int_equal(vpit_next_irq0(&pit, t), t + 1000);
	assert_int_equal(status(0, t) & 0x0F, 0x05);
	t += 2000;
	out8(VPIT_CONTROL, 0x31, t);            /* mode 0, BCD, count 0 = 10000 */
	out8(VPIT_CH0, 0, t);
	out8(VPIT_CH0, 0, t);
	assert_int_equal(latched(0, t + 1), 0x9999);
	assert_int_equal(vpit_next_irq0(&pit, t), t + 10000);
	assert_int_equal(latched(0, t + 10001), 0x9999);        /* wraps in decimal */
}

static void
test_tsc_conversion(void **state)
{
	static const uint64_t hz[] = { 1000000000ULL, 2893437000ULL, 3600000001ULL, 14000000000000ULL };
	static const uint64_t tsc[] = { 0, 1, 999999999ULL, 123456789012345ULL, UINT64_MAX / 3, UINT64_MAX };

	for (unsigned i = 0; i < ARRAY_SIZE(hz); i++) {
		for (unsigned j = 0; j < ARRAY_SIZE(tsc); j++) {
			unsigned __int128 want = (unsigned __int128)tsc[j] * VPIT_HZ / hz[i];
			uint64_t ticks, back;

			if (want > UINT64_MAX)
				continue;
			ticks = vpit_ticks_from_tsc(tsc[j], hz[i]);
			assert_true(ticks == (uint64_t)want);
			if ((unsigned __int128)ticks * hz[i] / VPIT_HZ + hz[i] > UINT64_MAX)
				continue;
			back = vpit_tsc_for_ticks(ticks, hz[i]);
			assert_true(vpit_ticks_from_tsc(back, hz[i]) >= ticks);
			assert_true(back == 0 || vpit_ticks_from_tsc(back - 1, hz[i]) < ticks);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_on),
		cmocka_unit_test(test_linux_periodic),
		cmocka_unit_test(test_linux_periodic_edges),
		cmocka_unit_test(test_mode2_new_count_at_reload),
		cmocka_unit_test(test_mode2_new_count_edges_unobserved),
		cmocka_unit_test(test_mode3_square_wave),
		cmocka_unit_test(test_mode3_new_count_at_half_cycle),
		cmocka_unit_test(test_bios_mode3_count_zero),
		cmocka_unit_test(test_edges_saturate),
		cmocka_unit_test(test_linux_calibrate_channel2),
		cmocka_unit_test(test_channel2_gate),
		cmocka_unit_test(test_refresh_toggle),
		cmocka_unit_test(test_latch_and_readback),
		cmocka_unit_test(test_mode0_oneshot_and_programming_edges),
		cmocka_unit_test(test_mode4_strobe),
		cmocka_unit_test(test_mode1_and_mode5_triggered),
		cmocka_unit_test(test_bcd),
		cmocka_unit_test(test_tsc_conversion),
	};

	return cmocka_run_group_tests_name("vpit", tests, NULL, NULL);
}
