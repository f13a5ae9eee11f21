/*
 * drivers/rtc.h: the host's real-time clock (the MC146818-compatible CMOS
 * clock at ports 0x70/0x71), read once at boot. From then on the date and
 * time are that reading plus the TSC ticks since, so the clock itself is
 * never touched again. Guests' clocks (devices/vrtc.c) start from it.
 */
#ifndef DRIVERS_RTC_H
#define DRIVERS_RTC_H

#include "kernel/compiler.h"
#include "lib/date.h"

/* The clock's registers as read (CMOS indexes 0x00-0x09, 0x0B, century). */
struct rtc_raw {
	uint8_t second, minute, hour, day, month, year, century;
	uint8_t reg_b;                  /* data mode (binary or BCD), 12- or 24-hour */
	bool has_century;
};

/* Read the host's clock (after timer_init and acpi_init); an unreadable
 * clock is reported in one line and 2000-01-01 00:00:00 is used. */
void rtc_init(void);

/* Registers to a date: BCD or binary and 12- or 24-hour by register B;
 * without a century byte, years 70-99 are 19xx, the rest 20xx. false when
 * a field is out of range (no clock there: every byte 0xFF). */
bool rtc_decode(const struct rtc_raw *r, struct date_time *t);

/* The host's date and time at host TSC tsc (at or after boot), as seconds
 * since 1970 (date_from_seconds() turns them into a date); *into gets the
 * TSC ticks since that second began. */
int64_t rtc_seconds_at(uint64_t tsc, uint64_t *into);

#endif
