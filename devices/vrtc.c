/*
 * devices/vrtc.c: the MC146818A real-time clock (Motorola data sheet:
 * "Address Map", "Time, Calendar and Alarm Locations", "Registers A-D",
 * "Update Cycle", "Interrupts") and the CMOS RAM beside it.
 *
 * The update cycle: UIP rises 244 us (8 ticks of 32.768 kHz) before each
 * second ends and falls as the new second begins, with the time registers
 * already advanced, when UF is set and the alarm compared. The periodic
 * flag is set every 2^(RS-1) ticks (RS 1 and 2: as 8 and 9), on the same
 * divider chain. IRQF is PF.PIE + AF.AIE + UF.UIE; reading register C
 * clears the flags and with them the interrupt request.
 */
#include "devices/vrtc.h"
#include "devices/pc.h"
#include "drivers/rtc.h"
#include "drivers/timer.h"
#include "kernel/x86.h"
#include "lib/string.h"
#include "vm/irq.h"
#include "vm/vm.h"

#define UIP_TICKS           8           /* 244 us before the update */
#define ALARM_SCAN_MAX      86400       /* a day of seconds: every alarm that can match has */

static uint64_t
ticks_from_tsc(uint64_t tsc, uint64_t hz)
{
	return tsc / hz * VRTC_HZ + tsc % hz * VRTC_HZ / hz;
}

static uint64_t
tsc_for_ticks(uint64_t ticks, uint64_t hz)
{
	return ticks / VRTC_HZ * hz + (ticks % VRTC_HZ * hz + VRTC_HZ - 1) / VRTC_HZ;
}

static bool
running(const struct vrtc *r)
{
	return (r->reg_a & VRTC_A_DV_MASK) == VRTC_A_DV_32K;
}

static bool
held(const struct vrtc *r)
{
	return !running(r) || (r->reg_b & VRTC_B_SET);
}

/* The divider's tick count at now (the clock running). */
static uint64_t
count(const struct vrtc *r, uint64_t now)
{
	return r->origin_ticks + ticks_from_tsc(now > r->origin_tsc ? now - r->origin_tsc : 0, r->tsc_hz);
}

/* The periodic interrupt's period in ticks, 0 when RS is 0. */
static uint64_t
period(const struct vrtc *r)
{
	unsigned rs = r->reg_a & VRTC_A_RS_MASK;

	if (rs == 0)
		return 0;
	return (uint64_t)1 << (rs <= 2 ? rs + 6 : rs - 1);
}

/* Fields set one by one may be out of range: days, hours, minutes and
 * seconds carry over (31 February is 3 March), a month outside 1-12 is
 * taken as the nearest. */
static int64_t
fields_seconds(const struct date_time *t)
{
	struct date_time c = *t;

	c.month = c.month < 1 ? 1 : c.month > 12 ? 12 : c.month;
	if (c.day < 1)
		c.day = 1;
	return date_to_seconds(&c);
}

int64_t
vrtc_seconds(const struct vrtc *r, uint64_t now)
{
	if (held(r))
		return fields_seconds(&r->held);
	return r->base_seconds + (int64_t)(count(r, now) / VRTC_HZ);
}

static struct date_time
fields(const struct vrtc *r, uint64_t now)
{
	struct date_time t;

	date_from_seconds(vrtc_seconds(r, now), &t);
	if (held(r)) {
		uint8_t weekday = t.weekday;

		t = r->held;
		t.weekday = weekday;
	}
	return t;
}

static uint8_t
encode(const struct vrtc *r, unsigned v)
{
	return r->reg_b & VRTC_B_BINARY ? (uint8_t)v : date_to_bcd((uint8_t)(v % 100));
}

static unsigned
decode(const struct vrtc *r, uint8_t v)
{
	return r->reg_b & VRTC_B_BINARY ? v : date_from_bcd(v);
}

/* 12-hour mode: 1-12 with bit 7 for PM; midnight is 12 AM, noon 12 PM. */
static uint8_t
encode_hour(const struct vrtc *r, unsigned hour)
{
	if (r->reg_b & VRTC_B_24H)
		return encode(r, hour);
	return (uint8_t)(encode(r, hour % 12 ? hour % 12 : 12) | (hour >= 12 ? VRTC_HOUR_PM : 0));
}

static unsigned
decode_hour(const struct vrtc *r, uint8_t v)
{
	if (r->reg_b & VRTC_B_24H)
		return decode(r, v);
	return decode(r, v & ~VRTC_HOUR_PM) % 12 + (v & VRTC_HOUR_PM ? 12 : 0);
}

static bool
alarm_matches(const struct vrtc *r, int64_t seconds)
{
	struct date_time t;

	date_from_seconds(seconds, &t);
	return (r->alarm[0] >= VRTC_ALARM_ANY || r->alarm[0] == encode(r, t.second)) &&
	       (r->alarm[1] >= VRTC_ALARM_ANY || r->alarm[1] == encode(r, t.minute)) &&
	       (r->alarm[2] >= VRTC_ALARM_ANY || r->alarm[2] == encode_hour(r, t.hour));
}

static void
update_irqf(struct vrtc *r)
{
	uint8_t c = r->reg_c, b = r->reg_b;

	if (((c & VRTC_C_PF) && (b & VRTC_B_PIE)) || ((c & VRTC_C_AF) && (b & VRTC_B_AIE)) ||
	    ((c & VRTC_C_UF) && (b & VRTC_B_UIE)))
		r->reg_c |= VRTC_C_IRQF;
	else
		r->reg_c &= ~VRTC_C_IRQF;
}

void
vrtc_update(struct vrtc *r, uint64_t now)
{
	uint64_t t, p = period(r);

	if (!running(r) || (t = count(r, now)) <= r->seen_ticks)
		return;
	if (p && t / p != r->seen_ticks / p)
		r->reg_c |= VRTC_C_PF;
	if (!(r->reg_b & VRTC_B_SET) && t / VRTC_HZ != r->seen_ticks / VRTC_HZ) {
		uint64_t last = t / VRTC_HZ, first = r->seen_ticks / VRTC_HZ + 1;

		r->reg_c |= VRTC_C_UF;
		if (last - first >= ALARM_SCAN_MAX)
			first = last - ALARM_SCAN_MAX + 1;
		for (uint64_t k = first; k <= last; k++) {
			if (alarm_matches(r, r->base_seconds + (int64_t)k)) {
				r->reg_c |= VRTC_C_AF;
				break;
			}
		}
	}
	r->seen_ticks = t;
	update_irqf(r);
}

uint64_t
vrtc_next_event(const struct vrtc *r)
{
	uint64_t next = UINT64_MAX, p = period(r);

	if (!running(r) || vrtc_irq(r))
		return UINT64_MAX;
	if ((r->reg_b & VRTC_B_PIE) && p)
		next = (r->seen_ticks / p + 1) * p;
	if (!(r->reg_b & VRTC_B_SET) && (r->reg_b & (VRTC_B_UIE | VRTC_B_AIE)))
		next = MIN(next, (r->seen_ticks / VRTC_HZ + 1) * VRTC_HZ);
	if (next == UINT64_MAX)
		return UINT64_MAX;
	return r->origin_tsc + tsc_for_ticks(next - r->origin_ticks, r->tsc_hz);
}

/* The clock from now on reads t (seconds past their range carry over). */
static void
set_clock(struct vrtc *r, const struct date_time *t, uint64_t now)
{
	if (held(r))
		r->held = *t;
	else
		r->base_seconds = fields_seconds(t) - (int64_t)(count(r, now) / VRTC_HZ);
}

static uint8_t
read_reg(struct vrtc *r, uint8_t index, uint64_t now)
{
	struct date_time t = fields(r, now);
	uint8_t v;

	switch (index) {
	case VRTC_SECONDS:          return encode(r, t.second);
	case VRTC_MINUTES:          return encode(r, t.minute);
	case VRTC_HOURS:            return encode_hour(r, t.hour);
	case VRTC_WEEKDAY:          return encode(r, t.weekday + 1u);
	case VRTC_DAY:              return encode(r, t.day);
	case VRTC_MONTH:            return encode(r, t.month);
	case VRTC_YEAR:             return encode(r, (unsigned)(t.year % 100));
	case VRTC_CMOS_CENTURY:     return encode(r, (unsigned)(t.year / 100));
	case VRTC_SECONDS_ALARM:    return r->alarm[0];
	case VRTC_MINUTES_ALARM:    return r->alarm[1];
	case VRTC_HOURS_ALARM:      return r->alarm[2];
	case VRTC_REG_A:
		v = r->reg_a;
		if (!held(r) && count(r, now) % VRTC_HZ >= VRTC_HZ - UIP_TICKS)
			v |= VRTC_A_UIP;
		return v;
	case VRTC_REG_B:            return r->reg_b;
	case VRTC_REG_C:
		v = r->reg_c;
		r->reg_c = 0;
		return v;
	case VRTC_REG_D:            return VRTC_D_VRT;
	default:                    return r->cmos[index];
	}
}

static void
write_reg_a(struct vrtc *r, uint8_t v, uint64_t now)
{
	bool was = running(r), set = r->reg_b & VRTC_B_SET;

	if (was && !set)
		r->held = fields(r, now);
	r->reg_a = v & ~VRTC_A_UIP;
	if (!was && running(r)) {
		/* the divider leaves reset: the first update comes half a second later */
		r->origin_tsc = now;
		r->origin_ticks = r->seen_ticks = VRTC_HZ / 2;
		if (!set)
			r->base_seconds = fields_seconds(&r->held);
	}
}

static void
write_reg_b(struct vrtc *r, uint8_t v, uint64_t now)
{
	bool was = r->reg_b & VRTC_B_SET;

	if (v & VRTC_B_SET)
		v &= ~VRTC_B_UIE;               /* SET clears UIE (data sheet, register B) */
	if (running(r) && !was && (v & VRTC_B_SET))
		r->held = fields(r, now);
	if (running(r) && was && !(v & VRTC_B_SET))
		r->base_seconds = fields_seconds(&r->held) - (int64_t)(count(r, now) / VRTC_HZ);
	r->reg_b = v;
	update_irqf(r);
}

static void
write_reg(struct vrtc *r, uint8_t index, uint8_t v, uint64_t now)
{
	struct date_time t = fields(r, now);

	switch (index) {
	case VRTC_SECONDS:          t.second = (uint8_t)decode(r, v); break;
	case VRTC_MINUTES:          t.minute = (uint8_t)decode(r, v); break;
	case VRTC_HOURS:            t.hour = (uint8_t)decode_hour(r, v); break;
	case VRTC_DAY:              t.day = (uint8_t)decode(r, v); break;
	case VRTC_MONTH:            t.month = (uint8_t)decode(r, v); break;
	case VRTC_YEAR:             t.year = t.year / 100 * 100 + (int32_t)decode(r, v); break;
	case VRTC_CMOS_CENTURY:     t.year = (int32_t)decode(r, v) * 100 + t.year % 100; break;
	case VRTC_SECONDS_ALARM:    r->alarm[0] = v; return;
	case VRTC_MINUTES_ALARM:    r->alarm[1] = v; return;
	case VRTC_HOURS_ALARM:      r->alarm[2] = v; return;
	case VRTC_REG_A:            write_reg_a(r, v, now); return;
	case VRTC_REG_B:            write_reg_b(r, v, now); return;
	case VRTC_WEEKDAY:                                      /* worked out from the date */
	case VRTC_REG_C:
	case VRTC_REG_D:            return;                     /* read-only */
	default:                    r->cmos[index] = v; return;
	}
	set_clock(r, &t, now);
}

void
vrtc_io(struct vrtc *r, uint16_t port, bool in, uint8_t *value, uint64_t now)
{
	vrtc_update(r, now);
	if (port == PC_PORT_CMOS_INDEX) {
		if (in) {
			*value = 0xFF;          /* write-only on PCs */
		} else {
			r->index = *value & 0x7F;
			r->nmi_masked = *value & 0x80;
		}
	} else if (port == PC_PORT_CMOS_DATA) {
		if (in)
			*value = read_reg(r, r->index, now);
		else
			write_reg(r, r->index, *value, now);
	} else if (in) {
		*value = 0xFF;
	}
}

void
vrtc_init(struct vrtc *r, int64_t seconds, uint64_t into, uint64_t tsc_hz, uint64_t now)
{
	memset(r, 0, sizeof(*r));
	r->tsc_hz = tsc_hz;
	r->reg_a = VRTC_A_DV_32K | 0x06;        /* 1024 Hz periodic rate, as PC firmware leaves it */
	r->reg_b = VRTC_B_24H;                  /* BCD, 24-hour */
	r->origin_tsc = now;
	r->origin_ticks = r->seen_ticks = ticks_from_tsc(into % tsc_hz, tsc_hz);
	r->base_seconds = seconds;
	r->cmos[VRTC_CMOS_EQUIPMENT] = 0x02;    /* FPU */
	r->cmos[VRTC_CMOS_BASE_KB] = 640 & 0xFF;
	r->cmos[VRTC_CMOS_BASE_KB + 1] = 640 >> 8;
}

void
vrtc_set_memory_size(struct vrtc *r, uint64_t ram)
{
	uint64_t ext_kb = ram > MiB(1) ? MIN((ram - MiB(1)) / KiB(1), 0xFFFF) : 0;
	uint64_t below_4g = MIN(ram, GiB(4));
	uint64_t mem_16m = below_4g > MiB(16) ? MIN((below_4g - MiB(16)) / KiB(64), 0xFFFF) : 0;
	uint64_t mem_4g = ram > GiB(4) ? MIN((ram - GiB(4)) / KiB(64), 0xFFFFFF) : 0;

	r->cmos[VRTC_CMOS_EXT_KB] = r->cmos[VRTC_CMOS_EXT_KB2] = (uint8_t)ext_kb;
	r->cmos[VRTC_CMOS_EXT_KB + 1] = r->cmos[VRTC_CMOS_EXT_KB2 + 1] = (uint8_t)(ext_kb >> 8);
	r->cmos[VRTC_CMOS_MEM_16M] = (uint8_t)mem_16m;
	r->cmos[VRTC_CMOS_MEM_16M + 1] = (uint8_t)(mem_16m >> 8);
	r->cmos[VRTC_CMOS_MEM_4G] = (uint8_t)mem_4g;
	r->cmos[VRTC_CMOS_MEM_4G + 1] = (uint8_t)(mem_4g >> 8);
	r->cmos[VRTC_CMOS_MEM_4G + 2] = (uint8_t)(mem_4g >> 16);
	r->cmos[VRTC_CMOS_CPUS] = 0;            /* one CPU */
}

/* --- on a guest's ports and IRQ 8 ------------------------------------------ */

static void
sync_irq(struct vm *vm, struct vrtc *r)
{
	if (vrtc_irq(r) != r->irq) {
		r->irq = vrtc_irq(r);
		irq_set(vm, PC_IRQ_RTC, r->irq);
	}
}

static void
vrtc_port(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	struct vrtc *r = dev;
	uint64_t now = vcpu_tsc(&vm->vcpu);
	uint32_t out = 0xFFFFFFFFu;

	for (uint8_t i = 0; i < size; i++) {
		uint8_t b = (uint8_t)(*value >> (8 * i));

		vrtc_io(r, (uint16_t)(port + i), in, &b, now);
		out = (out & ~(0xFFu << (8 * i))) | (uint32_t)b << (8 * i);
	}
	if (in)
		*value = out;
	sync_irq(vm, r);
	irq_timer_changed(vm);          /* an interrupt enabled or taken (C read), a new rate */
}

static uint64_t
vrtc_timer(struct vm *vm, void *dev, uint64_t now)
{
	struct vrtc *r = dev;

	vrtc_update(r, now);
	sync_irq(vm, r);
	return vrtc_next_event(r);
}

int
vrtc_attach(struct vm *vm, struct vrtc *r)
{
	uint64_t into;
	int64_t seconds = rtc_seconds_at(rdtsc(), &into);
	int err;

	vrtc_init(r, seconds, into, timer_tsc_hz(), 0);     /* the guest's TSC starts near 0 */
	vrtc_set_memory_size(r, vm->ram_size);
	if ((err = iobus_register(&vm->iobus, PC_PORT_CMOS_INDEX, PC_PORT_CMOS_DATA, vrtc_port, r, "CMOS RTC")) < 0)
		return err;
	return irq_add_timer(vm, vrtc_timer, r);
}
