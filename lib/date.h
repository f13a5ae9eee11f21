/*
 * lib/date.h: the proleptic Gregorian calendar as a count of seconds, and
 * the BCD digits clock chips keep it in. Shared by the host's clock driver
 * (drivers/rtc.c) and the clock guests see (devices/vrtc.c). No time zones:
 * a date is whatever the clock says.
 */
#ifndef LIB_DATE_H
#define LIB_DATE_H

#include "kernel/compiler.h"

struct date_time {
	int32_t year;           /* e.g. 2026 */
	uint8_t month;          /* 1-12 */
	uint8_t day;            /* 1-31 */
	uint8_t hour;           /* 0-23 */
	uint8_t minute;         /* 0-59 */
	uint8_t second;         /* 0-59 */
	uint8_t weekday;        /* 0 Sunday - 6 Saturday; date_from_seconds fills it, the others ignore it */
};

/* Days in month (1-12) of year. */
unsigned date_month_days(int32_t year, unsigned month);

/* Is every field in range (the day within its month)? */
bool date_valid(const struct date_time *t);

/* Seconds since 1970-01-01 00:00:00 (negative before); t must be valid. */
int64_t date_to_seconds(const struct date_time *t);

/* The inverse, weekday included. */
void date_from_seconds(int64_t seconds, struct date_time *t);

/* Two BCD digits to 0-99 and back (v < 100). A digit above 9 counts as is. */
static inline uint8_t
date_from_bcd(uint8_t v)
{
	return (uint8_t)((v >> 4) * 10 + (v & 0xF));
}

static inline uint8_t
date_to_bcd(uint8_t v)
{
	return (uint8_t)((v / 10) << 4 | v % 10);
}

#endif
