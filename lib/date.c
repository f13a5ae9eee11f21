/*
 * lib/date.c: days since 1970 from a Gregorian date and back, with the
 * era arithmetic that needs no tables or loops: a 400-year era has 146097
 * days, and counting years from March puts the leap day last.
 */
#include "lib/date.h"

#define SECONDS_PER_DAY     86400
#define DAYS_PER_ERA        146097      /* 400 Gregorian years */
#define DAYS_0000_TO_1970   719468      /* from 0000-03-01 */

static bool
leap(int32_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned
date_month_days(int32_t year, unsigned month)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	return days[month - 1] + (month == 2 && leap(year));
}

bool
date_valid(const struct date_time *t)
{
	return t->month >= 1 && t->month <= 12 && t->day >= 1 && t->day <= date_month_days(t->year, t->month) &&
	       t->hour < 24 && t->minute < 60 && t->second < 60;
}

/* Floor division, for eras before year 0. */
static int64_t
div_floor(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t
days_from_civil(int32_t y, unsigned m, unsigned d)
{
	int64_t year = (int64_t)y - (m <= 2);
	int64_t era = div_floor(year, 400);
	int64_t yoe = year - era * 400;                                 /* 0-399 */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* 0-365, from March 1 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* 0-146096 */

	return era * DAYS_PER_ERA + doe - DAYS_0000_TO_1970;
}

int64_t
date_to_seconds(const struct date_time *t)
{
	return days_from_civil(t->year, t->month, t->day) * SECONDS_PER_DAY +
	       t->hour * 3600 + t->minute * 60 + t->second;
}

void
date_from_seconds(int64_t seconds, struct date_time *t)
{
	int64_t days = div_floor(seconds, SECONDS_PER_DAY);
	int64_t rest = seconds - days * SECONDS_PER_DAY;
	int64_t z = days + DAYS_0000_TO_1970;
	int64_t era = div_floor(z, DAYS_PER_ERA);
	int64_t doe = z - era * DAYS_PER_ERA;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t wd = (days + 4) % 7;            /* 1970-01-01 was a Thursday */

	t->day = (uint8_t)(doy - (153 * mp + 2) / 5 + 1);
	t->month = (uint8_t)(mp < 10 ? mp + 3 : mp - 9);
	t->year = (int32_t)(yoe + era * 400 + (t->month <= 2));
	t->hour = (uint8_t)(rest / 3600);
	t->minute = (uint8_t)(rest / 60 % 60);
	t->second = (uint8_t)(rest % 60);
	t->weekday = (uint8_t)(wd < 0 ? wd + 7 : wd);
}
