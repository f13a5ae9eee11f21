/*
 * test/unit/test_rtc.c: the calendar (lib/date.c), the host clock's
 * register decoding (drivers/rtc.c) and the guest's MC146818 (devices/
 * vrtc.c) driven through its ports at chosen guest TSC values: the time in
 * every register format, updates across midnight, month ends, leap days
 * and the century, UIP, the update, alarm and periodic flags and the
 * interrupt request, setting the clock as Linux does, divider reset, and
 * the CMOS RAM bytes.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "lib/date.c"
#include "lib/string.c"
#include "drivers/rtc.c"
#include "devices/vrtc.c"

#define HZ      1000000000ULL           /* a 1 GHz TSC: one tick per nanosecond */
#define T0      5000000000ULL           /* guest TSC at power-on in these tests */

/* What the device's glue needs from the rest of the hypervisor. */
static int irq_sets, irq_level;
void irq_set(struct vm *vm, uint32_t irq, bool level) { irq_sets++; irq_level = level; }
int iobus_register(struct iobus *bus, uint16_t first, uint16_t last, iobus_fn fn, void *dev, const char *name)
{ return 0; }
int irq_add_timer(struct vm *vm, irq_timer_fn fn, void *dev) { return 0; }
uint64_t vcpu_tsc(const struct vcpu *v) { return 0; }
uint64_t timer_tsc_hz(void) { return HZ; }
void timer_delay_us(uint64_t us) { }
const struct acpi_info *acpi_get(void) { static struct acpi_info a; return &a; }

static struct vrtc rtc;

static uint8_t
rd(uint8_t index, uint64_t now)
{
	uint8_t v = index;

	vrtc_io(&rtc, PC_PORT_CMOS_INDEX, false, &v, now);
	vrtc_io(&rtc, PC_PORT_CMOS_DATA, true, &v, now);
	return v;
}

static void
wr(uint8_t index, uint8_t value, uint64_t now)
{
	vrtc_io(&rtc, PC_PORT_CMOS_INDEX, false, &index, now);
	vrtc_io(&rtc, PC_PORT_CMOS_DATA, false, &value, now);
}

/* Power on at date d, frac nanoseconds into its second, at guest TSC T0. */
static void
start(int32_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, uint64_t frac)
{
	struct date_time t = { .year = y, .month = (uint8_t)mo, .day = (uint8_t)d,
			       .hour = (uint8_t)h, .minute = (uint8_t)mi, .second = (uint8_t)s };

	vrtc_init(&rtc, date_to_seconds(&t), frac, HZ, T0);
}

static void
assert_bcd_time(uint64_t now, uint8_t cent, uint8_t yr, uint8_t mo, uint8_t d, uint8_t h, uint8_t mi, uint8_t s)
{
	assert_int_equal(rd(VRTC_CMOS_CENTURY, now), cent);
	assert_int_equal(rd(VRTC_YEAR, now), yr);
	assert_int_equal(rd(VRTC_MONTH, now), mo);
	assert_int_equal(rd(VRTC_DAY, now), d);
	assert_int_equal(rd(VRTC_HOURS, now), h);
	assert_int_equal(rd(VRTC_MINUTES, now), mi);
	assert_int_equal(rd(VRTC_SECONDS, now), s);
}

/* --- lib/date.c ------------------------------------------------------------ */

static void
test_date_known_values(void **state)
{
	struct date_time t = { 2026, 11, 24, 15, 36, 23, 0 };

	assert_int_equal(date_to_seconds(&t), 1795534583);
	date_from_seconds(1795534583, &t);
	assert_int_equal(t.weekday, 2);         /* a Tuesday */
	t = (struct date_time){ 2000, 2, 29, 0, 0, 0, 0 };
	assert_int_equal(date_to_seconds(&t), 951782400);
	date_from_seconds(4107542400, &t);      /* 2100 is not a leap year */
	assert_int_equal(t.year, 2100);
	assert_int_equal(t.month, 3);
	assert_int_equal(t.day, 1);
	assert_int_equal(t.weekday, 1);
	date_from_seconds(-1, &t);
	assert_int_equal(t.year, 1969);
	assert_int_equal(t.month, 12);
	assert_int_equal(t.day, 31);
	assert_int_equal(t.second, 59);
	assert_int_equal(t.weekday, 3);
	assert_int_equal(date_month_days(2024, 2), 29);
	assert_int_equal(date_month_days(1900, 2), 28);
	assert_int_equal(date_month_days(2000, 2), 29);
	t = (struct date_time){ 2023, 2, 29, 0, 0, 0, 0 };
	assert_false(date_valid(&t));
}

/* Every day from 1600 to 2400: consecutive, each the next date, round trip. */
static void
test_date_every_day(void **state)
{
	struct date_time t = { 1600, 1, 1, 12, 0, 0, 0 }, u;
	int64_t s = date_to_seconds(&t);
	unsigned weekday;

	date_from_seconds(s, &u);
	weekday = u.weekday;
	while (t.year < 2400) {
		date_from_seconds(s, &u);
		assert_int_equal(u.year, t.year);
		assert_int_equal(u.month, t.month);
		assert_int_equal(u.day, t.day);
		assert_int_equal(u.hour, 12);
		assert_int_equal(u.weekday, weekday);
		assert_int_equal(date_to_seconds(&u), s);
		s += 86400;
		weekday = (weekday + 1) % 7;
		if (++t.day > date_month_days(t.year, t.month)) {
			t.day = 1;
			if (++t.month > 12) {
				t.month = 1;
				t.year++;
			}
		}
	}
}

static void
test_bcd(void **state)
{
	for (unsigned v = 0; v < 100; v++)
		assert_int_equal(date_from_bcd(date_to_bcd((uint8_t)v)), v);
	assert_int_equal(date_to_bcd(59), 0x59);
	assert_int_equal(date_from_bcd(0x23), 23);
}

/* --- drivers/rtc.c: the host's registers ------------------------------------- */

static void
test_host_decode(void **state)
{
	struct rtc_raw r = { .second = 0x23, .minute = 0x36, .hour = 0x15, .day = 0x24, .month = 0x11,
			     .year = 0x26, .century = 0x20, .reg_b = RTC_B_24H, .has_century = true };
	struct date_time t;

	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t.year, 2026);
	assert_int_equal(t.month, 11);
	assert_int_equal(t.hour, 15);
	assert_int_equal(t.second, 23);

	/* binary, 12-hour: 3 PM, then 12 AM (midnight) and 12 PM (noon) */
	r = (struct rtc_raw){ .second = 5, .minute = 7, .hour = 0x80 | 3, .day = 29, .month = 2,
			      .year = 24, .reg_b = RTC_B_BINARY };
	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t.year, 2024);         /* no century byte: 20xx */
	assert_int_equal(t.hour, 15);
	r.hour = 12;
	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t.hour, 0);
	r.hour = 0x80 | 12;
	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t.hour, 12);
	r.hour = 0;                             /* no hour 0 in 12-hour mode */
	assert_false(rtc_decode(&r, &t));
	r.hour = 1;
	r.day = 28;
	r.year = 99;
	assert_true(rtc_decode(&r, &t));
	assert_int_equal(t.year, 1999);
	r.day = 29;
	r.year = 23;                            /* 2023-02-29 does not exist */
	assert_false(rtc_decode(&r, &t));

	/* no clock at all: every byte 0xFF */
	memset(&r, 0xFF, sizeof(r));
	r.has_century = false;
	assert_false(rtc_decode(&r, &t));
	/* BCD with a digit above 9 */
	r = (struct rtc_raw){ .second = 0x1A, .minute = 0, .hour = 0, .day = 1, .month = 1, .year = 0,
			      .reg_b = RTC_B_24H };
	assert_false(rtc_decode(&r, &t));
}

/* --- devices/vrtc.c --------------------------------------------------------- */

static void
test_power_on_registers(void **state)
{
	start(2026, 11, 24, 15, 36, 23, 0);
	assert_bcd_time(T0, 0x20, 0x26, 0x11, 0x24, 0x15, 0x36, 0x23);
	assert_int_equal(rd(VRTC_WEEKDAY, T0), 3);              /* Tuesday, Sunday being 1 */
	assert_int_equal(rd(VRTC_REG_A, T0), 0x26);
	assert_int_equal(rd(VRTC_REG_B, T0), VRTC_B_24H);
	assert_int_equal(rd(VRTC_REG_C, T0), 0);
	assert_int_equal(rd(VRTC_REG_D, T0), VRTC_D_VRT);
	assert_false(vrtc_irq(&rtc));
	assert_int_equal(vrtc_next_event(&rtc), UINT64_MAX);    /* no interrupt enabled */
}

static void
test_binary_and_12_hour(void **state)
{
	start(2026, 1, 2, 0, 5, 9, 0);
	wr(VRTC_REG_B, VRTC_B_BINARY, T0);                      /* binary, 12-hour */
	assert_int_equal(rd(VRTC_HOURS, T0), 12);               /* 12 AM */
	assert_int_equal(rd(VRTC_SECONDS, T0), 9);
	assert_int_equal(rd(VRTC_YEAR, T0), 26);
	assert_int_equal(rd(VRTC_CMOS_CENTURY, T0), 20);
	wr(VRTC_HOURS, 0x80 | 1, T0);                           /* 1 PM */
	wr(VRTC_REG_B, VRTC_B_24H, T0);
	assert_int_equal(rd(VRTC_HOURS, T0), 0x13);
	wr(VRTC_REG_B, 0, T0);                                  /* BCD, 12-hour */
	assert_int_equal(rd(VRTC_HOURS, T0), 0x81);
	wr(VRTC_HOURS, 0x80 | 0x12, T0);                        /* 12 PM: noon */
	wr(VRTC_REG_B, VRTC_B_24H | VRTC_B_BINARY, T0);
	assert_int_equal(rd(VRTC_HOURS, T0), 12);
	assert_int_equal(rd(VRTC_MINUTES, T0), 5);
}

static void
test_updates_across_midnight_month_year_leap(void **state)
{
	/* half a second before the end of 1999 */
	start(1999, 12, 31, 23, 59, 59, HZ / 2);
	assert_bcd_time(T0, 0x19, 0x99, 0x12, 0x31, 0x23, 0x59, 0x59);
	assert_bcd_time(T0 + HZ / 2, 0x20, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00);
	assert_int_equal(rd(VRTC_WEEKDAY, T0 + HZ / 2), 7);     /* 2000-01-01 was a Saturday */

	start(2024, 2, 28, 23, 59, 59, 0);                      /* a leap year */
	assert_bcd_time(T0 + HZ, 0x20, 0x24, 0x02, 0x29, 0x00, 0x00, 0x00);
	assert_bcd_time(T0 + 86401 * HZ, 0x20, 0x24, 0x03, 0x01, 0x00, 0x00, 0x00);

	start(2100, 2, 28, 23, 59, 59, 0);                      /* not a leap year */
	assert_bcd_time(T0 + HZ, 0x21, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00);

	start(2026, 4, 30, 23, 59, 58, 0);                      /* a 30-day month */
	assert_bcd_time(T0 + 2 * HZ, 0x20, 0x26, 0x05, 0x01, 0x00, 0x00, 0x00);
	/* a year later, to the second */
	assert_bcd_time(T0 + 2 * HZ + 365ULL * 86400 * HZ, 0x20, 0x27, 0x05, 0x01, 0x00, 0x00, 0x00);
}

static void
test_uip(void **state)
{
	start(2026, 1, 1, 0, 0, 0, 0);
	assert_false(rd(VRTC_REG_A, T0 + HZ - 300000) & VRTC_A_UIP);    /* 300 us before */
	assert_true(rd(VRTC_REG_A, T0 + HZ - 200000) & VRTC_A_UIP);     /* 200 us before */
	assert_int_equal(rd(VRTC_SECONDS, T0 + HZ - 1000), 0x00);      /* not yet updated */
	assert_false(rd(VRTC_REG_A, T0 + HZ) & VRTC_A_UIP);
	assert_int_equal(rd(VRTC_SECONDS, T0 + HZ), 0x01);
	wr(VRTC_REG_B, VRTC_B_SET | VRTC_B_24H, T0 + HZ);
	assert_false(rd(VRTC_REG_A, T0 + 2 * HZ - 100000) & VRTC_A_UIP); /* held: no updates */
}

static void
test_update_interrupt(void **state)
{
	start(2026, 1, 1, 0, 0, 0, HZ / 4);
	wr(VRTC_REG_B, VRTC_B_24H | VRTC_B_UIE, T0);
	assert_false(vrtc_irq(&rtc));
	/* the next update ends three quarters of a second on */
	assert_int_equal(vrtc_next_event(&rtc), T0 + 3 * HZ / 4);
	vrtc_update(&rtc, T0 + 3 * HZ / 4 - 1);
	assert_false(vrtc_irq(&rtc));
	vrtc_update(&rtc, T0 + 3 * HZ / 4);
	assert_true(vrtc_irq(&rtc));
	assert_int_equal(vrtc_next_event(&rtc), UINT64_MAX);    /* IRQF stays until C is read */
	assert_int_equal(rd(VRTC_REG_C, T0 + 3 * HZ / 4), VRTC_C_IRQF | VRTC_C_UF | VRTC_C_PF);
	assert_false(vrtc_irq(&rtc));
	assert_int_equal(rd(VRTC_REG_C, T0 + 3 * HZ / 4), 0);
	assert_int_equal(vrtc_next_event(&rtc), T0 + 7 * HZ / 4);
	/* UF without UIE: a flag, no interrupt */
	wr(VRTC_REG_B, VRTC_B_24H, T0 + HZ);
	vrtc_update(&rtc, T0 + 2 * HZ);
	assert_false(vrtc_irq(&rtc));
	/* enabling UIE with UF already set raises IRQF at once */
	wr(VRTC_REG_B, VRTC_B_24H | VRTC_B_UIE, T0 + 2 * HZ);
	assert_true(vrtc_irq(&rtc));
	/* and disabling it lowers it again */
	wr(VRTC_REG_B, VRTC_B_24H, T0 + 2 * HZ);
	assert_false(vrtc_irq(&rtc));
}

static void
test_periodic_interrupt(void **state)
{
	uint64_t t;
	unsigned n = 0;

	start(2026, 1, 1, 0, 0, 0, 0);
	wr(VRTC_REG_B, VRTC_B_24H | VRTC_B_PIE, T0);            /* reg A's power-on rate: 1024 Hz */
	rd(VRTC_REG_C, T0);
	/* count the interrupts of one second, as an OS would, through next_event */
	for (t = T0; (t = vrtc_next_event(&rtc)) <= T0 + HZ;) {
		vrtc_update(&rtc, t);
		assert_true(vrtc_irq(&rtc));
		assert_true(rd(VRTC_REG_C, t) & VRTC_C_PF);
		n++;
	}
	assert_int_equal(n, 1024);
	/* RS 3: 8192 Hz; RS 15: 2 Hz; RS 1 is 256 Hz, not 32768 Hz */
	wr(VRTC_REG_A, VRTC_A_DV_32K | 15, T0 + HZ);
	rd(VRTC_REG_C, T0 + HZ);
	assert_int_equal(vrtc_next_event(&rtc), T0 + HZ + HZ / 2);
	wr(VRTC_REG_A, VRTC_A_DV_32K | 1, T0 + HZ);
	assert_int_equal(vrtc_next_event(&rtc), T0 + HZ + HZ / 256);
}

static void
test_alarm(void **state)
{
	start(2026, 1, 1, 10, 20, 30, 0);
	wr(VRTC_SECONDS_ALARM, 0x32, T0);
	wr(VRTC_MINUTES_ALARM, 0x20, T0);
	wr(VRTC_HOURS_ALARM, 0x10, T0);
	wr(VRTC_REG_B, VRTC_B_24H | VRTC_B_AIE, T0);
	vrtc_update(&rtc, T0 + HZ);
	assert_false(vrtc_irq(&rtc));
	vrtc_update(&rtc, T0 + 2 * HZ);                         /* 10:20:32 */
	assert_true(vrtc_irq(&rtc));
	assert_int_equal(rd(VRTC_REG_C, T0 + 2 * HZ) & (VRTC_C_AF | VRTC_C_IRQF), VRTC_C_AF | VRTC_C_IRQF);
	/* "don't care" in every byte: once a second */
	wr(VRTC_SECONDS_ALARM, 0xFF, T0 + 2 * HZ);
	wr(VRTC_MINUTES_ALARM, 0xC0, T0 + 2 * HZ);
	wr(VRTC_HOURS_ALARM, 0xFF, T0 + 2 * HZ);
	vrtc_update(&rtc, T0 + 3 * HZ);
	assert_true(rd(VRTC_REG_C, T0 + 3 * HZ) & VRTC_C_AF);
	/* an alarm passed while nobody looked, hours ago, still counts */
	wr(VRTC_SECONDS_ALARM, 0x00, T0 + 3 * HZ);
	wr(VRTC_MINUTES_ALARM, 0x00, T0 + 3 * HZ);
	wr(VRTC_HOURS_ALARM, 0x12, T0 + 3 * HZ);
	vrtc_update(&rtc, T0 + 5 * 3600 * HZ);                  /* 15:20:30 */
	assert_true(rd(VRTC_REG_C, T0 + 5 * 3600 * HZ) & VRTC_C_AF);
	/* and one that never matched does not */
	wr(VRTC_HOURS_ALARM, 0x25, T0 + 5 * 3600 * HZ);
	vrtc_update(&rtc, T0 + 40 * 3600 * HZ);
	assert_false(rd(VRTC_REG_C, T0 + 40 * 3600 * HZ) & VRTC_C_AF);
}

/* Linux's mc146818_set_time: SET, then year, month, day, hours, minutes,
 * seconds, then SET clear. Fields in between may not be a date. */
static void
test_set_time_like_linux(void **state)
{
	uint64_t t = T0 + HZ / 3;

	start(2023, 1, 31, 8, 0, 0, 0);
	wr(VRTC_REG_B, VRTC_B_24H | VRTC_B_SET | VRTC_B_UIE, t);
	assert_false(rd(VRTC_REG_B, t) & VRTC_B_UIE);           /* SET clears UIE */
	wr(VRTC_YEAR, 0x24, t);
	wr(VRTC_MONTH, 0x02, t);                                /* 2024-02-31 for a moment */
	wr(VRTC_DAY, 0x29, t);
	wr(VRTC_HOURS, 0x23, t);
	wr(VRTC_MINUTES, 0x59, t);
	wr(VRTC_SECONDS, 0x59, t);
	assert_bcd_time(t + 5 * HZ, 0x20, 0x24, 0x02, 0x29, 0x23, 0x59, 0x59);  /* held */
	wr(VRTC_REG_B, VRTC_B_24H, t + 5 * HZ);
	/* it runs on with the divider's phase: the next second ends at T0 + 6 s */
	assert_bcd_time(T0 + 6 * HZ - 1, 0x20, 0x24, 0x02, 0x29, 0x23, 0x59, 0x59);
	assert_bcd_time(T0 + 6 * HZ, 0x20, 0x24, 0x03, 0x01, 0x00, 0x00, 0x00);
	/* a write while running sets that field at once */
	wr(VRTC_CMOS_CENTURY, 0x21, T0 + 6 * HZ);
	assert_bcd_time(T0 + 6 * HZ, 0x21, 0x24, 0x03, 0x01, 0x00, 0x00, 0x00);
	assert_int_equal(vrtc_seconds(&rtc, T0 + 6 * HZ) - vrtc_seconds(&rtc, T0 + 5 * HZ), 1);
	/* the day of the week follows the date; writing it does nothing */
	wr(VRTC_WEEKDAY, 0x05, T0 + 6 * HZ);
	assert_int_equal(rd(VRTC_WEEKDAY, T0 + 6 * HZ), 0x04);  /* 2124-03-01 is a Wednesday */
}

static void
test_divider_reset(void **state)
{
	start(2026, 6, 1, 12, 0, 0, HZ / 10);
	wr(VRTC_REG_A, 0x70, T0);                               /* divider held in reset */
	assert_bcd_time(T0 + 10 * HZ, 0x20, 0x26, 0x06, 0x01, 0x12, 0x00, 0x00);
	wr(VRTC_MINUTES, 0x30, T0 + 10 * HZ);
	wr(VRTC_REG_B, VRTC_B_24H | VRTC_B_UIE, T0 + 10 * HZ);
	assert_int_equal(vrtc_next_event(&rtc), UINT64_MAX);
	wr(VRTC_REG_A, 0x26, T0 + 10 * HZ);                     /* released: first update 500 ms on */
	assert_int_equal(vrtc_next_event(&rtc), T0 + 10 * HZ + HZ / 2);
	assert_bcd_time(T0 + 10 * HZ + HZ / 2 - 1, 0x20, 0x26, 0x06, 0x01, 0x12, 0x30, 0x00);
	assert_bcd_time(T0 + 10 * HZ + HZ / 2, 0x20, 0x26, 0x06, 0x01, 0x12, 0x30, 0x01);
}

static void
test_cmos_ram(void **state)
{
	uint8_t v = 0x80 | VRTC_CMOS_SHUTDOWN;

	start(2026, 1, 1, 0, 0, 0, 0);
	vrtc_io(&rtc, PC_PORT_CMOS_INDEX, false, &v, T0);       /* with the NMI mask bit */
	assert_true(rtc.nmi_masked);
	v = 0xA5;
	vrtc_io(&rtc, PC_PORT_CMOS_DATA, false, &v, T0);
	assert_int_equal(rd(VRTC_CMOS_SHUTDOWN, T0), 0xA5);
	assert_false(rtc.nmi_masked);
	v = 0;
	vrtc_io(&rtc, PC_PORT_CMOS_INDEX, true, &v, T0);
	assert_int_equal(v, 0xFF);                              /* the index port is write-only */
	wr(VRTC_REG_D, 0x00, T0);
	assert_int_equal(rd(VRTC_REG_D, T0), VRTC_D_VRT);
	assert_int_equal(rd(VRTC_CMOS_BASE_KB, T0) | rd(VRTC_CMOS_BASE_KB + 1, T0) << 8, 640);

	vrtc_set_memory_size(&rtc, MiB(4));
	assert_int_equal(rd(VRTC_CMOS_EXT_KB, T0) | rd(VRTC_CMOS_EXT_KB + 1, T0) << 8, 3072);
	assert_int_equal(rd(VRTC_CMOS_EXT_KB2, T0) | rd(VRTC_CMOS_EXT_KB2 + 1, T0) << 8, 3072);
	assert_int_equal(rd(VRTC_CMOS_MEM_16M, T0) | rd(VRTC_CMOS_MEM_16M + 1, T0) << 8, 0);
	vrtc_set_memory_size(&rtc, MiB(256));
	assert_int_equal(rd(VRTC_CMOS_EXT_KB, T0) | rd(VRTC_CMOS_EXT_KB + 1, T0) << 8, 65535);
	assert_int_equal(rd(VRTC_CMOS_MEM_16M, T0) | rd(VRTC_CMOS_MEM_16M + 1, T0) << 8, 240 * 16);
	assert_int_equal(rd(VRTC_CMOS_MEM_4G, T0), 0);
	vrtc_set_memory_size(&rtc, GiB(5));                     /* 4 GiB below, 1 GiB above */
	assert_int_equal(rd(VRTC_CMOS_MEM_16M, T0) | rd(VRTC_CMOS_MEM_16M + 1, T0) << 8, 65536 - 256);
	assert_int_equal(rd(VRTC_CMOS_MEM_4G, T0) | rd(VRTC_CMOS_MEM_4G + 1, T0) << 8 |
			 rd(VRTC_CMOS_MEM_4G + 2, T0) << 16, 16384);
	assert_int_equal(rd(VRTC_CMOS_CPUS, T0), 0);
}

static void
test_long_gap_is_not_a_loop(void **state)
{
	/* a century with nobody looking: flags, not per-second work beyond a day */
	start(2000, 1, 1, 0, 0, 0, 0);
	wr(VRTC_REG_B, VRTC_B_24H | VRTC_B_UIE, T0);
	vrtc_update(&rtc, T0 + 3155760000ULL * HZ);
	assert_true(vrtc_irq(&rtc));
	assert_bcd_time(T0 + 3155760000ULL * HZ, 0x21, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_known_values),
		cmocka_unit_test(test_date_every_day),
		cmocka_unit_test(test_bcd),
		cmocka_unit_test(test_host_decode),
		cmocka_unit_test(test_power_on_registers),
		cmocka_unit_test(test_binary_and_12_hour),
		cmocka_unit_test(test_updates_across_midnight_month_year_leap),
		cmocka_unit_test(test_uip),
		cmocka_unit_test(test_update_interrupt),
		cmocka_unit_test(test_periodic_interrupt),
		cmocka_unit_test(test_alarm),
		cmocka_unit_test(test_set_time_like_linux),
		cmocka_unit_test(test_divider_reset),
		cmocka_unit_test(test_cmos_ram),
		cmocka_unit_test(test_long_gap_is_not_a_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
