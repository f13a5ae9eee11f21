/*
 * drivers/rtc.c: one reading of the host's CMOS clock (Motorola MC146818A
 * data sheet; every PC chipset copies it). Index port 0x70, data port 0x71;
 * bit 7 of the index is the NMI mask on PCs, left clear. The time registers
 * change during an update cycle, which register A's UIP bit announces at
 * least 244 us ahead: wait until UIP is clear, read, and read again until
 * two readings agree.
 */
#include "drivers/rtc.h"
#include "drivers/acpi.h"
#include "drivers/timer.h"
#include "kernel/log.h"
#include "kernel/x86.h"

#define CMOS_INDEX          0x70
#define CMOS_DATA           0x71
#define RTC_SECONDS         0x00
#define RTC_MINUTES         0x02
#define RTC_HOURS           0x04
#define   RTC_HOUR_PM       0x80        /* 12-hour mode: afternoon */
#define RTC_DAY             0x07
#define RTC_MONTH           0x08
#define RTC_YEAR            0x09
#define RTC_REG_A           0x0A
#define   RTC_A_UIP         0x80        /* update in progress */
#define RTC_REG_B           0x0B
#define   RTC_B_BINARY      0x04        /* DM: binary, else BCD */
#define   RTC_B_24H         0x02        /* 24-hour, else 12-hour */
#define UIP_WAIT_US         10000       /* an update cycle lasts under 2 ms */
#define READ_TRIES          5

static int64_t boot_seconds;
static uint64_t boot_tsc;

static uint8_t
cmos_read(uint8_t index)
{
	outb(CMOS_INDEX, index);
	return inb(CMOS_DATA);
}

static void
read_raw(struct rtc_raw *r, uint8_t century_index)
{
	r->second = cmos_read(RTC_SECONDS);
	r->minute = cmos_read(RTC_MINUTES);
	r->hour = cmos_read(RTC_HOURS);
	r->day = cmos_read(RTC_DAY);
	r->month = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = century_index ? cmos_read(century_index) : 0;
	r->has_century = century_index != 0;
	r->reg_b = cmos_read(RTC_REG_B);
}

static bool
same(const struct rtc_raw *a, const struct rtc_raw *b)
{
	return a->second == b->second && a->minute == b->minute && a->hour == b->hour && a->day == b->day &&
	       a->month == b->month && a->year == b->year && a->century == b->century && a->reg_b == b->reg_b;
}

static bool
bcd_ok(uint8_t v)
{
	return (v & 0xF) <= 9 && (v >> 4) <= 9;
}

bool
rtc_decode(const struct rtc_raw *r, struct date_time *t)
{
	bool bcd = !(r->reg_b & RTC_B_BINARY);
	uint8_t hour = r->hour & ~RTC_HOUR_PM;
	uint8_t year, century;

#define FIELD(v) (bcd ? date_from_bcd(v) : (v))
	if (bcd && !(bcd_ok(r->second) && bcd_ok(r->minute) && bcd_ok(hour) && bcd_ok(r->day) &&
		     bcd_ok(r->month) && bcd_ok(r->year)))
		return false;
	t->second = FIELD(r->second);
	t->minute = FIELD(r->minute);
	t->hour = FIELD(hour);
	t->day = FIELD(r->day);
	t->month = FIELD(r->month);
	year = FIELD(r->year);
	century = FIELD(r->century);
#undef FIELD
	if (!(r->reg_b & RTC_B_24H)) {          /* 12-hour: 12 AM is 0, 12 PM is 12 */
		if (t->hour < 1 || t->hour > 12)
			return false;
		t->hour = (uint8_t)(t->hour % 12 + (r->hour & RTC_HOUR_PM ? 12 : 0));
	}
	if (year > 99)
		return false;
	if (r->has_century && century >= 19 && century <= 99)
		t->year = century * 100 + year;
	else
		t->year = year < 70 ? 2000 + year : 1900 + year;
	t->weekday = 0;
	return date_valid(t);
}

void
rtc_init(void)
{
	const struct acpi_info *acpi = acpi_get();
	struct rtc_raw a, b;
	struct date_time t = { .year = 2000, .month = 1, .day = 1 };
	bool ok = false;

	if (!acpi->no_cmos_rtc) {
		for (int i = 0; i < READ_TRIES && !ok; i++) {
			uint64_t end = rdtsc() + timer_tsc_hz() / 1000000 * UIP_WAIT_US;

			while ((cmos_read(RTC_REG_A) & RTC_A_UIP) && rdtsc() < end)
				cpu_relax();
			read_raw(&a, acpi->century);
			read_raw(&b, acpi->century);
			ok = same(&a, &b);
		}
		boot_tsc = rdtsc();
	}
	if (ok && rtc_decode(&a, &t)) {
		log_info("rtc: host clock %04d-%02u-%02u %02u:%02u:%02u (%s, %s)", t.year, t.month, t.day,
			 t.hour, t.minute, t.second, a.reg_b & RTC_B_BINARY ? "binary" : "BCD",
			 a.reg_b & RTC_B_24H ? "24-hour" : "12-hour");
	} else {
		t = (struct date_time){ .year = 2000, .month = 1, .day = 1 };
		boot_tsc = rdtsc();
		log_warn("rtc: %s; guests' clocks start at 2000-01-01 00:00:00",
			 acpi->no_cmos_rtc ? "the FADT says there is no CMOS clock" :
			 ok ? "the host clock's registers are not a valid date" : "the host clock kept changing while read");
	}
	boot_seconds = date_to_seconds(&t);
}

int64_t
rtc_seconds_at(uint64_t tsc, uint64_t *into)
{
	uint64_t hz = timer_tsc_hz(), ticks = tsc >= boot_tsc ? tsc - boot_tsc : 0;

	if (into)
		*into = ticks % hz;
	return boot_seconds + (int64_t)(ticks / hz);
}
