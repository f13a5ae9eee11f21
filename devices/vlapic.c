/*
 * devices/vlapic.c: an emulated local APIC (SDM Vol. 3A, chapter 11) for a
 * one-vCPU guest. The xAPIC page and the x2APIC MSRs share one register
 * file (11.12.1.2, Table 11-6); the timer is derived from the guest TSC on
 * demand, so nothing happens per tick.
 */
#include "devices/vlapic.h"
#include "kernel/msr.h"
#include "lib/string.h"

#define VLAPIC_PHYS_BROADCAST_X     0xFFu           /* xAPIC physical broadcast */
#define VLAPIC_PHYS_BROADCAST_X2    0xFFFFFFFFu     /* x2APIC (logical or physical) broadcast */
#define VLAPIC_DFR_FLAT             0xFu            /* DFR model, bits 31:28 */
#define VLAPIC_DFR_CLUSTER          0x0u

/* Writable bits of each register; in x2APIC mode a write with any other bit
 * set is a #GP (11.12.1.3), over MMIO they are dropped. */
#define TPR_BITS            0xFFu
#define LDR_BITS            0xFF000000u
#define DFR_BITS            0xF0000000u
#define SVR_BITS            (VLAPIC_SVR_VECTOR_MASK | LAPIC_SVR_ENABLE | VLAPIC_SVR_FOCUS_OFF)
#define ICR_HI_BITS         0xFF000000u
#define DCR_BITS            0xBu
#define SELF_IPI_BITS       0xFFu
#define LVT_TIMER_BITS      (LVT_VECTOR_MASK | LVT_MASKED | LVT_TIMER_MODE_MASK)
#define LVT_LINT_BITS       (LVT_VECTOR_MASK | VLAPIC_LVT_MODE_MASK | LVT_ACTIVE_LOW | \
			     LVT_LEVEL | LVT_MASKED)
#define LVT_ERROR_BITS      (LVT_VECTOR_MASK | LVT_MASKED)
#define LVT_OTHER_BITS      (LVT_VECTOR_MASK | VLAPIC_LVT_MODE_MASK | LVT_MASKED)

/* --- 256-bit vector banks (IRR, ISR, TMR) --- */

static void
bank_set(uint32_t *bank, uint8_t v)
{
	bank[v >> 5] |= (uint32_t)1 << (v & 31);
}

static void
bank_clear(uint32_t *bank, uint8_t v)
{
	bank[v >> 5] &= ~((uint32_t)1 << (v & 31));
}

static bool
bank_test(const uint32_t *bank, uint8_t v)
{
	return bank[v >> 5] & ((uint32_t)1 << (v & 31));
}

static int
bank_highest(const uint32_t *bank)
{
	for (int i = 7; i >= 0; i--)
		if (bank[i])
			return i * 32 + 31 - __builtin_clz(bank[i]);
	return -1;
}

/* --- arithmetic --- */

/*
 * Divide the 128-bit (hi:lo) by d when hi < d, so the quotient fits 64 bits:
 * schoolbook division in 32-bit digits after normalising d (Knuth 4.3.1,
 * algorithm D), so the kernel needs no libgcc __udivti3.
 */
static uint64_t
div_128_64(uint64_t hi, uint64_t lo, uint64_t d)
{
	const uint64_t b = (uint64_t)1 << 32;
	int s = __builtin_clzll(d);
	uint64_t dn1, dn0, n32, n21, n1, n0, q1, q0, r;

	d <<= s;
	dn1 = d >> 32;
	dn0 = d & 0xFFFFFFFF;
	n32 = s ? (hi << s) | (lo >> (64 - s)) : hi;
	lo <<= s;
	n1 = lo >> 32;
	n0 = lo & 0xFFFFFFFF;

	q1 = n32 / dn1;
	r = n32 - q1 * dn1;
	while (q1 >= b || q1 * dn0 > ((r << 32) | n1)) {
		q1--;
		r += dn1;
		if (r >= b)
			break;
	}
	n21 = (n32 << 32) + n1 - q1 * d;        /* mod 2^64: the true value is below d */

	q0 = n21 / dn1;
	r = n21 - q0 * dn1;
	while (q0 >= b || q0 * dn0 > ((r << 32) | n0)) {
		q0--;
		r += dn1;
		if (r >= b)
			break;
	}
	return (q1 << 32) + q0;
}

/* a * b / c, rounded down or up, UINT64_MAX when it does not fit. c != 0. */
static uint64_t
mul_div(uint64_t a, uint64_t b, uint64_t c, bool round_up)
{
	unsigned __int128 p = (unsigned __int128)a * b;
	uint64_t hi = (uint64_t)(p >> 64), lo = (uint64_t)p;

	if (round_up) {
		p += c - 1;             /* cannot wrap: a * b <= 2^128 - 2^65 + 1 */
		hi = (uint64_t)(p >> 64);
		lo = (uint64_t)p;
	}
	if (hi >= c)
		return UINT64_MAX;
	return hi ? div_128_64(hi, lo, c) : lo / c;
}

/* --- state --- */

static bool
globally_enabled(const struct vlapic *l)
{
	return l->apic_base & APIC_BASE_ENABLE;
}

bool
vlapic_x2apic_mode(const struct vlapic *l)
{
	return (l->apic_base & (APIC_BASE_ENABLE | APIC_BASE_X2APIC)) ==
	       (APIC_BASE_ENABLE | APIC_BASE_X2APIC);
}

static bool
xapic_mode(const struct vlapic *l)
{
	return (l->apic_base & (APIC_BASE_ENABLE | APIC_BASE_X2APIC)) == APIC_BASE_ENABLE;
}

bool
vlapic_enabled(const struct vlapic *l)
{
	return globally_enabled(l) && (l->svr & LAPIC_SVR_ENABLE);
}

/* x2APIC logical ID: cluster ID (x2APIC ID 31:4) in bits 31:16, one bit
 * for ID 3:0 below (11.12.10.2). */
static uint32_t
x2apic_ldr(const struct vlapic *l)
{
	return ((l->id >> 4) << 16) | ((uint32_t)1 << (l->id & 0xF));
}

static uint32_t
divide_from_dcr(uint32_t dcr)
{
	uint32_t code = ((dcr & 8) >> 1) | (dcr & 3);    /* 11.5.4, Figure 11-10 */

	return code == 7 ? 1 : 2u << code;
}

/* Registers' power-on state (11.4.7.1); ID, base and frequencies kept. */
static void
reset_registers(struct vlapic *l)
{
	l->tpr = 0;
	l->ldr = 0;
	l->dfr = 0xFFFFFFFF;
	l->svr = 0xFF;
	l->esr = l->esr_pending = 0;
	memset(l->isr, 0, sizeof(l->isr));
	memset(l->tmr, 0, sizeof(l->tmr));
	memset(l->irr, 0, sizeof(l->irr));
	memset(l->eoi_pending, 0, sizeof(l->eoi_pending));
	l->icr_lo = l->icr_hi = 0;
	for (int i = 0; i < VLAPIC_LVT_COUNT; i++)
		l->lvt[i] = LVT_MASKED;
	l->timer_icr = 0;
	l->timer_dcr = 0;
	l->timer_divide = divide_from_dcr(0);
	l->timer_running = false;
	l->timer_start = 0;
	l->timer_counted = 0;
	l->timer_periods = 0;
	l->tsc_deadline = 0;
	l->ipi.pending = false;
}

void
vlapic_init(struct vlapic *l, uint32_t apic_id, uint64_t tsc_hz, uint64_t bus_hz)
{
	memset(l, 0, sizeof(*l));
	l->id = apic_id;
	l->tsc_hz = tsc_hz ? tsc_hz : 1;
	l->bus_hz = bus_hz ? bus_hz : 1;
	l->apic_base = LAPIC_DEFAULT_BASE | APIC_BASE_ENABLE | (apic_id == 0 ? APIC_BASE_BSP : 0);
	reset_registers(l);
}

void
vlapic_virtual_wire(struct vlapic *l)
{
	l->svr = LAPIC_SVR_ENABLE | 0xFF;
	l->lvt[VLAPIC_LVT_IDX_LINT0] = LVT_DELIVERY_EXTINT;
	l->lvt[VLAPIC_LVT_IDX_LINT1] = LVT_DELIVERY_NMI;
}

bool
vlapic_lint0_extint(const struct vlapic *l)
{
	uint32_t lvt = l->lvt[VLAPIC_LVT_IDX_LINT0];

	if (!globally_enabled(l))
		return true;
	return !(lvt & LVT_MASKED) && (lvt & VLAPIC_LVT_MODE_MASK) == LVT_DELIVERY_EXTINT;
}

/* --- priorities and delivery (11.8) --- */

uint32_t
vlapic_ppr(const struct vlapic *l)
{
	int isrv = bank_highest(l->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xF0;

	if ((l->tpr & 0xF0) >= isr_class)
		return l->tpr & 0xFF;
	return isr_class;
}

static void raise_error(struct vlapic *l, uint32_t bits);

void
vlapic_accept(struct vlapic *l, uint8_t vector, bool level)
{
	if (!vlapic_enabled(l))
		return;
	if (vector < 16) {
		raise_error(l, VLAPIC_ESR_RECV_ILLEGAL);
		return;
	}
	bank_set(l->irr, vector);
	if (level)
		bank_set(l->tmr, vector);
	else
		bank_clear(l->tmr, vector);
}

/* An error the ESR records (11.5.3); the error LVT raises its vector unless
 * masked. A vector below 16 there would only report itself: not raised. */
static void
raise_error(struct vlapic *l, uint32_t bits)
{
	uint32_t lvt = l->lvt[VLAPIC_LVT_IDX_ERROR];

	l->esr_pending |= bits;
	if (!(lvt & LVT_MASKED) && (lvt & LVT_VECTOR_MASK) >= 16)
		vlapic_accept(l, lvt & LVT_VECTOR_MASK, false);
}

int
vlapic_pending(const struct vlapic *l)
{
	int v;

	if (!vlapic_enabled(l))
		return -1;
	v = bank_highest(l->irr);
	if (v < 0 || ((uint32_t)v & 0xF0) <= (vlapic_ppr(l) & 0xF0))
		return -1;
	return v;
}

void
vlapic_ack(struct vlapic *l, uint8_t v)
{
	bank_clear(l->irr, v);
	bank_set(l->isr, v);
}

/* EOI (11.8.5): the highest in-service vector is done; a level-triggered
 * one is owed to the IOAPIC. */
static void
do_eoi(struct vlapic *l)
{
	int v = bank_highest(l->isr);

	if (v < 0)
		return;
	bank_clear(l->isr, (uint8_t)v);
	if (bank_test(l->tmr, (uint8_t)v))
		bank_set(l->eoi_pending, (uint8_t)v);
}

int
vlapic_take_eoi(struct vlapic *l)
{
	int v = bank_highest(l->eoi_pending);

	if (v >= 0)
		bank_clear(l->eoi_pending, (uint8_t)v);
	return v;
}

/* --- IPIs (11.6) --- */

/* Whether a destination field in the given mode names this APIC (11.6.2). */
static bool
dest_is_me(const struct vlapic *l, uint32_t dest, bool logical, bool x2)
{
	if (x2) {
		if (dest == VLAPIC_PHYS_BROADCAST_X2)
			return true;
		if (!logical)
			return dest == l->id;
		return (dest >> 16) == (x2apic_ldr(l) >> 16) && (dest & x2apic_ldr(l) & 0xFFFF);
	}
	if (dest == VLAPIC_PHYS_BROADCAST_X)
		return true;
	if (!logical)
		return dest == (l->id & 0xFF);
	uint32_t mine = l->ldr >> 24;
	if ((l->dfr >> 28) == VLAPIC_DFR_FLAT)
		return dest & mine;
	return (dest >> 4) == (mine >> 4) && (dest & mine & 0xF);
}

static void
send_ipi(struct vlapic *l, uint32_t icr, uint32_t dest, bool x2)
{
	uint32_t mode = icr & VLAPIC_ICR_MODE_MASK;
	uint8_t vector = icr & VLAPIC_ICR_VECTOR_MASK;
	bool logical = icr & VLAPIC_ICR_LOGICAL;
	bool fixed = mode == VLAPIC_ICR_FIXED || mode == VLAPIC_ICR_LOWEST;
	bool to_me, only_me;

	switch (icr & VLAPIC_ICR_SHORT_MASK) {
	case VLAPIC_ICR_SHORT_SELF:
		to_me = only_me = true;
		break;
	case VLAPIC_ICR_SHORT_ALL:
		to_me = true;
		only_me = false;
		break;
	case VLAPIC_ICR_SHORT_OTHERS:
		to_me = only_me = false;
		break;
	default:
		to_me = dest_is_me(l, dest, logical, x2);
		only_me = to_me && !logical &&
			  dest != (x2 ? VLAPIC_PHYS_BROADCAST_X2 : VLAPIC_PHYS_BROADCAST_X);
		break;
	}
	if (fixed && vector < 16) {
		raise_error(l, VLAPIC_ESR_SEND_ILLEGAL);
		if (to_me)
			raise_error(l, VLAPIC_ESR_RECV_ILLEGAL);
		return;
	}
	if (fixed && to_me)
		vlapic_accept(l, vector, false);
	if (!fixed || !only_me) {
		if (l->ipi.pending)
			l->ipi.dropped++;
		l->ipi.pending = true;
		l->ipi.icr = icr;
		l->ipi.dest = dest;
	}
}

/* --- the timer (11.5.4) --- */

static uint32_t
timer_mode(const struct vlapic *l)
{
	return l->lvt[VLAPIC_LVT_IDX_TIMER] & LVT_TIMER_MODE_MASK;
}

/* Mode 11b is reserved; it counts as one-shot here. */
static bool
timer_periodic(const struct vlapic *l)
{
	return timer_mode(l) == LVT_TIMER_PERIODIC;
}

static bool
timer_deadline_mode(const struct vlapic *l)
{
	return timer_mode(l) == LVT_TIMER_TSC_DEADLINE;
}

static uint64_t
tsc_to_counts(const struct vlapic *l, uint64_t tsc)
{
	return mul_div(tsc, l->bus_hz, l->tsc_hz * l->timer_divide, false);
}

/* The first TSC distance at which at least counts have elapsed. */
static uint64_t
counts_to_tsc(const struct vlapic *l, uint64_t counts)
{
	return mul_div(counts, l->tsc_hz * l->timer_divide, l->bus_hz, true);
}

/* Counts gone by since the initial count was written. */
static uint64_t
timer_elapsed(const struct vlapic *l, uint64_t now)
{
	return l->timer_counted + (now > l->timer_start ? tsc_to_counts(l, now - l->timer_start) : 0);
}

/* n expiries happened since the last look: one interrupt unless masked. */
static void
timer_fire(struct vlapic *l, uint64_t n)
{
	uint32_t lvt = l->lvt[VLAPIC_LVT_IDX_TIMER];

	if (lvt & LVT_MASKED)
		return;
	l->timer_fired++;
	l->timer_coalesced += n - 1;
	vlapic_accept(l, lvt & LVT_VECTOR_MASK, false);
}

/* Bring the timer up to now, raising what expired since the last call. */
static void
timer_advance(struct vlapic *l, uint64_t now)
{
	uint64_t periods;

	if (timer_deadline_mode(l)) {
		if (l->tsc_deadline && now >= l->tsc_deadline) {
			l->tsc_deadline = 0;
			timer_fire(l, 1);
		}
		return;
	}
	if (!l->timer_running)
		return;
	periods = timer_elapsed(l, now) / l->timer_icr;
	if (periods <= l->timer_periods)
		return;
	if (timer_periodic(l)) {
		timer_fire(l, periods - l->timer_periods);
		l->timer_periods = periods;
	} else {
		l->timer_running = false;
		timer_fire(l, 1);
	}
}

static uint32_t
timer_current(const struct vlapic *l, uint64_t now)
{
	uint64_t elapsed, end;

	if (timer_deadline_mode(l) || !l->timer_running)
		return 0;
	elapsed = timer_elapsed(l, now);
	if (timer_periodic(l))
		return l->timer_icr - (uint32_t)(elapsed % l->timer_icr);
	end = (l->timer_periods + 1) * l->timer_icr;
	return elapsed >= end ? 0 : (uint32_t)(end - elapsed);
}

static void
timer_set_initial(struct vlapic *l, uint32_t count, uint64_t now)
{
	if (timer_deadline_mode(l))
		return;                 /* ignored in TSC-deadline mode (11.5.4.1) */
	l->timer_icr = count;
	l->timer_running = count != 0;
	l->timer_start = now;
	l->timer_counted = 0;
	l->timer_periods = 0;
}

/* A new divider: the count goes on from where it is, at the new rate. */
static void
timer_set_divide(struct vlapic *l, uint32_t dcr, uint64_t now)
{
	if (l->timer_running) {
		l->timer_counted = timer_elapsed(l, now);
		l->timer_start = now;
	}
	l->timer_dcr = dcr;
	l->timer_divide = divide_from_dcr(dcr);
}

static void
timer_set_lvt(struct vlapic *l, uint32_t lvt)
{
	uint32_t old = timer_mode(l);

	l->lvt[VLAPIC_LVT_IDX_TIMER] = lvt;
	if (old != timer_mode(l) &&
	    (old == LVT_TIMER_TSC_DEADLINE || timer_mode(l) == LVT_TIMER_TSC_DEADLINE)) {
		/* a transition to or from TSC-deadline mode disarms (11.5.4.1) */
		l->tsc_deadline = 0;
		l->timer_icr = 0;
		l->timer_running = false;
	}
}

uint64_t
vlapic_update_timer(struct vlapic *l, uint64_t now)
{
	uint64_t next;

	timer_advance(l, now);
	if (l->lvt[VLAPIC_LVT_IDX_TIMER] & LVT_MASKED)
		return UINT64_MAX;
	if (timer_deadline_mode(l))
		return l->tsc_deadline ? l->tsc_deadline : UINT64_MAX;
	if (!l->timer_running)
		return UINT64_MAX;
	next = counts_to_tsc(l, (l->timer_periods + 1) * l->timer_icr - l->timer_counted);
	if (next > UINT64_MAX - l->timer_start)
		return UINT64_MAX;
	return l->timer_start + next;
}

void
vlapic_tsc_deadline(struct vlapic *l, bool write, uint64_t *value, uint64_t now)
{
	timer_advance(l, now);
	if (!write) {
		*value = timer_deadline_mode(l) ? l->tsc_deadline : 0;
		return;
	}
	if (!timer_deadline_mode(l))
		return;
	l->tsc_deadline = *value;
	timer_advance(l, now);          /* a deadline already past fires at once */
}

/* --- the register file --- */

/* Read the register at offset; false if there is none in this mode. */
static bool
reg_read(struct vlapic *l, uint32_t offset, uint32_t *v, uint64_t now, bool x2)
{
	if (offset >= LAPIC_ISR && offset < LAPIC_ESR) {
		uint32_t i = (offset - LAPIC_ISR) >> 4;

		*v = i < 8 ? l->isr[i] : i < 16 ? l->tmr[i - 8] : l->irr[i - 16];
		return true;
	}
	switch (offset) {
	case LAPIC_ID:         *v = x2 ? l->id : (l->id & 0xFF) << 24; return true;
	case LAPIC_VERSION:    *v = VLAPIC_VERSION_VALUE; return true;
	case LAPIC_TPR:        *v = l->tpr; return true;
	case LAPIC_PPR:        *v = vlapic_ppr(l); return true;
	case LAPIC_LDR:        *v = x2 ? x2apic_ldr(l) : l->ldr; return true;
	case LAPIC_SVR:        *v = l->svr; return true;
	case LAPIC_ESR:        *v = l->esr; return true;
	case LAPIC_LVT_TIMER:  *v = l->lvt[VLAPIC_LVT_IDX_TIMER]; return true;
	case LAPIC_LVT_THERMAL: *v = l->lvt[VLAPIC_LVT_IDX_THERMAL]; return true;
	case LAPIC_LVT_PMC:   *v = l->lvt[VLAPIC_LVT_IDX_PERF]; return true;
	case LAPIC_LVT_LINT0:  *v = l->lvt[VLAPIC_LVT_IDX_LINT0]; return true;
	case LAPIC_LVT_LINT1:  *v = l->lvt[VLAPIC_LVT_IDX_LINT1]; return true;
	case LAPIC_LVT_ERROR:  *v = l->lvt[VLAPIC_LVT_IDX_ERROR]; return true;
	case LAPIC_TIMER_ICR:  *v = l->timer_icr; return true;
	case LAPIC_TIMER_CCR:  *v = timer_current(l, now); return true;
	case LAPIC_TIMER_DCR:  *v = l->timer_dcr; return true;
	}
	if (x2)
		return false;   /* EOI, SELF IPI: write-only; APR, RRD, DFR, ICR high: absent */
	switch (offset) {
	case LAPIC_APR:        *v = 0; return true;
	case LAPIC_EOI:        *v = 0; return true;
	case LAPIC_RRD:        *v = 0; return true;
	case LAPIC_DFR:        *v = l->dfr; return true;
	case LAPIC_ICR_LO:     *v = l->icr_lo; return true;
	case LAPIC_ICR_HI:     *v = l->icr_hi; return true;
	}
	return false;
}

/* In x2APIC mode bits outside mask make the write a #GP; over MMIO they
 * are dropped. */
#define TAKE_BITS(v, mask, x2) do {                     \
		if ((x2) && ((v) & ~(uint32_t)(mask)))  \
			return false;                   \
		(v) &= (mask);                          \
	} while (0)

static bool
write_lvt(struct vlapic *l, enum vlapic_lvt i, uint32_t v, uint32_t mask, bool x2)
{
	TAKE_BITS(v, mask, x2);
	if (!(l->svr & LAPIC_SVR_ENABLE))
		v |= LVT_MASKED;         /* cannot be unmasked while software-disabled (11.4.7.2) */
	if (i == VLAPIC_LVT_IDX_TIMER)
		timer_set_lvt(l, v);
	else
		l->lvt[i] = v;
	return true;
}

/* Write the register at offset; false (#GP in x2APIC mode) if it is absent
 * or read-only, or reserved bits are set. */
static bool
reg_write(struct vlapic *l, uint32_t offset, uint32_t v, uint64_t now, bool x2)
{
	timer_advance(l, now);
	if (offset >= LAPIC_ISR && offset < LAPIC_ESR)
		return !x2;                     /* ISR, TMR, IRR are read-only */
	switch (offset) {
	case LAPIC_ID:
	case LAPIC_VERSION:
	case LAPIC_PPR:
	case LAPIC_TIMER_CCR:
		return !x2;                     /* read-only (the xAPIC ID too, here) */
	case LAPIC_TPR:
		TAKE_BITS(v, TPR_BITS, x2);
		l->tpr = v;
		return true;
	case LAPIC_EOI:
		if (x2 && v)
			return false;
		do_eoi(l);
		return true;
	case LAPIC_SVR:
		TAKE_BITS(v, SVR_BITS, x2);
		l->svr = v;
		if (!(v & LAPIC_SVR_ENABLE))
			for (int i = 0; i < VLAPIC_LVT_COUNT; i++)
				l->lvt[i] |= LVT_MASKED;
		return true;
	case LAPIC_ESR:
		if (x2 && v)
			return false;
		l->esr = l->esr_pending;        /* a write latches the errors so far (11.5.3) */
		l->esr_pending = 0;
		return true;
	case LAPIC_LVT_TIMER:   return write_lvt(l, VLAPIC_LVT_IDX_TIMER, v, LVT_TIMER_BITS, x2);
	case LAPIC_LVT_THERMAL: return write_lvt(l, VLAPIC_LVT_IDX_THERMAL, v, LVT_OTHER_BITS, x2);
	case LAPIC_LVT_PMC:    return write_lvt(l, VLAPIC_LVT_IDX_PERF, v, LVT_OTHER_BITS, x2);
	case LAPIC_LVT_LINT0:   return write_lvt(l, VLAPIC_LVT_IDX_LINT0, v, LVT_LINT_BITS, x2);
	case LAPIC_LVT_LINT1:   return write_lvt(l, VLAPIC_LVT_IDX_LINT1, v, LVT_LINT_BITS, x2);
	case LAPIC_LVT_ERROR:   return write_lvt(l, VLAPIC_LVT_IDX_ERROR, v, LVT_ERROR_BITS, x2);
	case LAPIC_TIMER_ICR:
		timer_set_initial(l, v, now);
		return true;
	case LAPIC_TIMER_DCR:
		TAKE_BITS(v, DCR_BITS, x2);
		timer_set_divide(l, v, now);
		return true;
	}
	if (x2) {
		if (offset != LAPIC_SELF_IPI)
			return false;
		TAKE_BITS(v, SELF_IPI_BITS, x2);
		send_ipi(l, VLAPIC_ICR_SHORT_SELF | v, 0, true);
		return true;
	}
	switch (offset) {
	case LAPIC_LDR:
		l->ldr = v & LDR_BITS;
		break;
	case LAPIC_DFR:
		l->dfr = (v & DFR_BITS) | ~DFR_BITS;
		break;
	case LAPIC_ICR_LO:
		l->icr_lo = v & VLAPIC_ICR_LO_MASK;
		send_ipi(l, l->icr_lo, l->icr_hi >> 24, false);
		break;
	case LAPIC_ICR_HI:
		l->icr_hi = v & ICR_HI_BITS;
		break;
	}
	return true;
}

void
vlapic_mmio(struct vlapic *l, uint32_t offset, bool write, uint32_t *value, uint64_t now)
{
	bool ok = xapic_mode(l) && offset < VLAPIC_MMIO_LEN && !(offset & 0xF);

	if (write) {
		if (ok)
			reg_write(l, offset, *value, now, false);
		return;
	}
	if (!ok || !reg_read(l, offset, value, now, false))
		*value = 0;
}

bool
vlapic_msr(struct vlapic *l, uint32_t msr, bool write, uint64_t *value, uint64_t now)
{
	uint32_t offset, v;

	if (!vlapic_x2apic_mode(l) || msr < MSR_IA32_X2APIC_BASE || msr > MSR_IA32_X2APIC_LAST)
		return false;
	offset = (msr - MSR_IA32_X2APIC_BASE) << 4;
	if (offset == LAPIC_ICR_LO) {
		/* one 64-bit register, destination in bits 63:32 (11.12.9) */
		if (!write) {
			*value = (uint64_t)l->icr_hi << 32 | l->icr_lo;
			return true;
		}
		timer_advance(l, now);
		l->icr_lo = (uint32_t)*value & VLAPIC_ICR_LO_MASK;
		l->icr_hi = (uint32_t)(*value >> 32);
		send_ipi(l, l->icr_lo, l->icr_hi, true);
		return true;
	}
	if (write)
		return !(*value >> 32) && reg_write(l, offset, (uint32_t)*value, now, true);
	if (!reg_read(l, offset, &v, now, true))
		return false;
	*value = v;
	return true;
}

#define APIC_BASE_BITS  (APIC_BASE_BSP | APIC_BASE_X2APIC | APIC_BASE_ENABLE | APIC_BASE_ADDR_MASK)

bool
vlapic_base_msr(struct vlapic *l, bool write, uint64_t *value)
{
	uint64_t v = *value, was = l->apic_base;
	bool en = v & APIC_BASE_ENABLE, x2 = v & APIC_BASE_X2APIC;

	if (!write) {
		*value = l->apic_base;
		return true;
	}
	if (v & ~APIC_BASE_BITS)
		return false;
	if (x2 && !en)
		return false;                   /* the invalid state */
	if (x2 && !(was & APIC_BASE_ENABLE))
		return false;                   /* disabled -> x2APIC */
	if (en && !x2 && vlapic_x2apic_mode(l))
		return false;                   /* x2APIC -> xAPIC */
	l->apic_base = (v & ~APIC_BASE_BSP) | (was & APIC_BASE_BSP);
	if (!en && (was & APIC_BASE_ENABLE))
		reset_registers(l);             /* disabling resets the APIC (11.4.3, 11.12.5.1) */
	return true;
}
