/*
 * devices/vlapic.c: an emulated local APIC (SDM Vol. 3A, chapter 11) for a
 * one-vCPU guest. The xAPIC page and the x2APIC MSRs share one register
 * file (11.12.1.2, Table 11-6), a page in the xAPIC layout that is also the
 * virtual-APIC page when the CPU virtualizes the APIC (SDM Vol. 3C, 30.1);
 * the timer is derived from the guest TSC on demand, so nothing happens
 * per tick.
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

/* --- 256-bit vector banks (ISR, TMR, IRR: eight words 16 bytes apart) --- */

static uint32_t *
bank_word(const struct vlapic *l, uint32_t bank, uint8_t v)
{
	return vlapic_reg(l, bank + (uint32_t)(v >> 5) * 0x10);
}

static void
bank_set(struct vlapic *l, uint32_t bank, uint8_t v)
{
	*bank_word(l, bank, v) |= (uint32_t)1 << (v & 31);
}

static void
bank_clear(struct vlapic *l, uint32_t bank, uint8_t v)
{
	*bank_word(l, bank, v) &= ~((uint32_t)1 << (v & 31));
}

static bool
bank_test(const struct vlapic *l, uint32_t bank, uint8_t v)
{
	return *bank_word(l, bank, v) & ((uint32_t)1 << (v & 31));
}

/* On most exits, often more than once: the loop is kept to five instructions. */
static int
bank_highest(const struct vlapic *l, uint32_t bank)
{
	const uint32_t *w = vlapic_reg(l, bank);

	for (long i = 7 * 4; i >= 0; i -= 4)     /* a word every 16 bytes */
		if (w[i])
			return (int)(i / 4) * 32 + 31 - __builtin_clz(w[i]);
	return -1;
}

/* The level-triggered EOIs owed to the IOAPIC: not a register, kept aside. */
static int
eoi_highest(const uint32_t *bank)
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

static uint32_t *
reg(const struct vlapic *l, uint32_t offset)
{
	return vlapic_reg(l, offset);
}

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
	return globally_enabled(l) && (*reg(l, LAPIC_SVR) & LAPIC_SVR_ENABLE);
}

/* x2APIC logical ID: cluster ID (x2APIC ID 31:4) in bits 31:16, one bit
 * for ID 3:0 below (11.12.10.2). */
static uint32_t
x2apic_ldr(const struct vlapic *l)
{
	return ((l->id >> 4) << 16) | ((uint32_t)1 << (l->id & 0xF));
}

/* The ID register as the mode shows it (11.4.6, 11.12.5.1). */
static uint32_t
id_view(const struct vlapic *l)
{
	return vlapic_x2apic_mode(l) ? l->id : (l->id & 0xFF) << 24;
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
	memset(l->regs, 0, sizeof(*l->regs));
	*reg(l, LAPIC_ID) = id_view(l);
	*reg(l, LAPIC_VERSION) = VLAPIC_VERSION_VALUE;
	*reg(l, LAPIC_DFR) = 0xFFFFFFFF;
	*reg(l, LAPIC_SVR) = 0xFF;
	for (uint32_t o = VLAPIC_LVT_FIRST; o <= VLAPIC_LVT_LAST; o += 0x10)
		*reg(l, o) = LVT_MASKED;
	l->esr_pending = 0;
	memset(l->eoi_pending, 0, sizeof(l->eoi_pending));
	l->tmr_changed = true;
	l->timer_lvt = LVT_MASKED;
	l->timer_icr = 0;
	l->timer_divide = divide_from_dcr(0);
	l->timer_running = false;
	l->timer_start = 0;
	l->timer_counted = 0;
	l->timer_periods = 0;
	l->tsc_deadline = 0;
	l->ipi.pending = false;
}

void
vlapic_init(struct vlapic *l, struct vlapic_regs *regs, uint32_t apic_id, uint64_t tsc_hz, uint64_t bus_hz)
{
	memset(l, 0, sizeof(*l));
	l->regs = regs;
	l->id = apic_id;
	l->tsc_hz = tsc_hz ? tsc_hz : 1;
	l->bus_hz = bus_hz ? bus_hz : 1;
	l->apic_base = LAPIC_DEFAULT_BASE | APIC_BASE_ENABLE | (apic_id == 0 ? APIC_BASE_BSP : 0);
	reset_registers(l);
}

void
vlapic_virtual_wire(struct vlapic *l)
{
	*reg(l, LAPIC_SVR) = LAPIC_SVR_ENABLE | 0xFF;
	*reg(l, LAPIC_LVT_LINT0) = LVT_DELIVERY_EXTINT;
	*reg(l, LAPIC_LVT_LINT1) = LVT_DELIVERY_NMI;
}

bool
vlapic_lint0_extint(const struct vlapic *l)
{
	uint32_t lvt = *reg(l, LAPIC_LVT_LINT0);

	if (!globally_enabled(l))
		return true;
	return !(lvt & LVT_MASKED) && (lvt & VLAPIC_LVT_MODE_MASK) == LVT_DELIVERY_EXTINT;
}

/* --- priorities and delivery (11.8) --- */

uint32_t
vlapic_tpr(const struct vlapic *l)
{
	return *reg(l, LAPIC_TPR) & 0xFF;
}

void
vlapic_set_tpr(struct vlapic *l, uint32_t tpr)
{
	*reg(l, LAPIC_TPR) = tpr & TPR_BITS;
}

uint32_t
vlapic_ppr(const struct vlapic *l)
{
	int isrv = bank_highest(l, LAPIC_ISR);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xF0;

	if ((vlapic_tpr(l) & 0xF0) >= isr_class)
		return vlapic_tpr(l);
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
	bank_set(l, LAPIC_IRR, vector);
	if (level == bank_test(l, LAPIC_TMR, vector))
		return;
	if (level)
		bank_set(l, LAPIC_TMR, vector);
	else
		bank_clear(l, LAPIC_TMR, vector);
	l->tmr_changed = true;
}

/* An error the ESR records (11.5.3); the error LVT raises its vector unless
 * masked. A vector below 16 there would only report itself: not raised. */
static void
raise_error(struct vlapic *l, uint32_t bits)
{
	uint32_t lvt = *reg(l, LAPIC_LVT_ERROR);

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
	v = bank_highest(l, LAPIC_IRR);
	if (v < 0 || ((uint32_t)v & 0xF0) <= (vlapic_ppr(l) & 0xF0))
		return -1;
	return v;
}

uint8_t
vlapic_tpr_threshold(const struct vlapic *l)
{
	uint32_t tpr_class = vlapic_tpr(l) >> 4;
	int v;

	if (!tpr_class)
		return 0;               /* TPR 0x00-0x0F holds nothing back: spare the scan */
	v = vlapic_enabled(l) ? bank_highest(l, LAPIC_IRR) : -1;
	return v >= 0 && ((uint32_t)v >> 4) <= tpr_class ? (uint8_t)(v >> 4) : 0;
}

void
vlapic_ack(struct vlapic *l, uint8_t v)
{
	bank_clear(l, LAPIC_IRR, v);
	bank_set(l, LAPIC_ISR, v);
}

/* EOI (11.8.5): the highest in-service vector is done; a level-triggered
 * one is owed to the IOAPIC. */
static void
do_eoi(struct vlapic *l)
{
	int v = bank_highest(l, LAPIC_ISR);

	if (v < 0)
		return;
	bank_clear(l, LAPIC_ISR, (uint8_t)v);
	if (bank_test(l, LAPIC_TMR, (uint8_t)v))
		l->eoi_pending[v >> 5] |= (uint32_t)1 << (v & 31);
}

int
vlapic_take_eoi(struct vlapic *l)
{
	int v = eoi_highest(l->eoi_pending);

	if (v >= 0)
		l->eoi_pending[v >> 5] &= ~((uint32_t)1 << (v & 31));
	return v;
}

uint16_t
vlapic_intr_status(struct vlapic *l)
{
	int rvi = vlapic_enabled(l) ? bank_highest(l, LAPIC_IRR) : -1;
	int svi = bank_highest(l, LAPIC_ISR);
	uint32_t tpr = vlapic_tpr(l), isr_class = svi < 0 ? 0 : (uint32_t)svi & 0xF0;

	*reg(l, LAPIC_PPR) = (tpr & 0xF0) >= isr_class ? tpr : isr_class;      /* as vlapic_ppr() */
	return (uint16_t)((rvi < 0 ? 0 : rvi) | (svi < 0 ? 0 : svi) << 8);
}

void
vlapic_eoi_exit(struct vlapic *l, uint8_t vector)
{
	if (bank_test(l, LAPIC_TMR, vector))
		l->eoi_pending[vector >> 5] |= (uint32_t)1 << (vector & 31);
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
	uint32_t mine = *reg(l, LAPIC_LDR) >> 24;
	if ((*reg(l, LAPIC_DFR) >> 28) == VLAPIC_DFR_FLAT)
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
	return l->timer_lvt & LVT_TIMER_MODE_MASK;
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
	if (l->timer_lvt & LVT_MASKED)
		return;
	l->timer_fired++;
	l->timer_coalesced += n - 1;
	vlapic_accept(l, l->timer_lvt & LVT_VECTOR_MASK, false);
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
	if (timer_deadline_mode(l)) {
		*reg(l, LAPIC_TIMER_ICR) = l->timer_icr;
		return;                 /* ignored in TSC-deadline mode (11.5.4.1) */
	}
	l->timer_icr = count;
	*reg(l, LAPIC_TIMER_ICR) = count;
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
	*reg(l, LAPIC_TIMER_DCR) = dcr;
	l->timer_divide = divide_from_dcr(dcr);
}

static void
timer_set_lvt(struct vlapic *l, uint32_t lvt)
{
	uint32_t old = timer_mode(l);

	l->timer_lvt = lvt;
	*reg(l, LAPIC_LVT_TIMER) = lvt;
	if (old != timer_mode(l) &&
	    (old == LVT_TIMER_TSC_DEADLINE || timer_mode(l) == LVT_TIMER_TSC_DEADLINE)) {
		/* a transition to or from TSC-deadline mode disarms (11.5.4.1) */
		l->tsc_deadline = 0;
		l->timer_icr = 0;
		*reg(l, LAPIC_TIMER_ICR) = 0;
		l->timer_running = false;
	}
}

uint64_t
vlapic_update_timer(struct vlapic *l, uint64_t now)
{
	uint64_t next;

	timer_advance(l, now);
	if (l->timer_lvt & LVT_MASKED)
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
		*v = *reg(l, offset);           /* ISR, TMR, IRR */
		return true;
	}
	switch (offset) {
	case LAPIC_PPR:        *v = vlapic_ppr(l); return true;
	case LAPIC_TIMER_CCR:  *v = timer_current(l, now); return true;
	case LAPIC_ID:
	case LAPIC_VERSION:
	case LAPIC_TPR:
	case LAPIC_LDR:
	case LAPIC_SVR:
	case LAPIC_ESR:
	case LAPIC_LVT_TIMER:
	case LAPIC_LVT_THERMAL:
	case LAPIC_LVT_PMC:
	case LAPIC_LVT_LINT0:
	case LAPIC_LVT_LINT1:
	case LAPIC_LVT_ERROR:
	case LAPIC_TIMER_ICR:
	case LAPIC_TIMER_DCR:
		*v = *reg(l, offset);
		return true;
	}
	if (x2)
		return false;   /* EOI, SELF IPI: write-only; APR, RRD, DFR, ICR high: absent */
	switch (offset) {
	case LAPIC_APR:
	case LAPIC_EOI:
	case LAPIC_RRD:
	case LAPIC_DFR:
	case LAPIC_ICR_LO:
	case LAPIC_ICR_HI:
		*v = *reg(l, offset);
		return true;
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
write_lvt(struct vlapic *l, uint32_t offset, uint32_t v, uint32_t mask, bool x2)
{
	TAKE_BITS(v, mask, x2);
	if (!(*reg(l, LAPIC_SVR) & LAPIC_SVR_ENABLE))
		v |= LVT_MASKED;         /* cannot be unmasked while software-disabled (11.4.7.2) */
	if (offset == LAPIC_LVT_TIMER)
		timer_set_lvt(l, v);
	else
		*reg(l, offset) = v;
	return true;
}

/*
 * Write the register at offset; false (#GP in x2APIC mode) if it is absent
 * or read-only, or reserved bits are set. Every path leaves the register as
 * the guest must read it next, also when the CPU has already stored the
 * guest's raw value there (an APIC-write VM exit).
 */
static bool
reg_write(struct vlapic *l, uint32_t offset, uint32_t v, uint64_t now, bool x2)
{
	timer_advance(l, now);
	if (offset >= LAPIC_ISR && offset < LAPIC_ESR)
		return !x2;                     /* ISR, TMR, IRR are read-only */
	switch (offset) {
	case LAPIC_ID:
		*reg(l, LAPIC_ID) = id_view(l); /* read-only here */
		return !x2;
	case LAPIC_VERSION:
	case LAPIC_PPR:
	case LAPIC_TIMER_CCR:
		return !x2;                     /* read-only */
	case LAPIC_TPR:
		TAKE_BITS(v, TPR_BITS, x2);
		*reg(l, LAPIC_TPR) = v;
		return true;
	case LAPIC_EOI:
		*reg(l, LAPIC_EOI) = 0;
		if (x2 && v)
			return false;
		do_eoi(l);
		return true;
	case LAPIC_SVR:
		TAKE_BITS(v, SVR_BITS, x2);
		*reg(l, LAPIC_SVR) = v;
		if (!(v & LAPIC_SVR_ENABLE)) {
			for (uint32_t o = VLAPIC_LVT_FIRST; o <= VLAPIC_LVT_LAST; o += 0x10)
				*reg(l, o) |= LVT_MASKED;
			l->timer_lvt |= LVT_MASKED;
		}
		return true;
	case LAPIC_ESR:
		if (x2 && v)
			return false;
		*reg(l, LAPIC_ESR) = l->esr_pending;    /* a write latches the errors so far (11.5.3) */
		l->esr_pending = 0;
		return true;
	case LAPIC_LVT_TIMER:   return write_lvt(l, offset, v, LVT_TIMER_BITS, x2);
	case LAPIC_LVT_THERMAL:
	case LAPIC_LVT_PMC:     return write_lvt(l, offset, v, LVT_OTHER_BITS, x2);
	case LAPIC_LVT_LINT0:
	case LAPIC_LVT_LINT1:   return write_lvt(l, offset, v, LVT_LINT_BITS, x2);
	case LAPIC_LVT_ERROR:   return write_lvt(l, offset, v, LVT_ERROR_BITS, x2);
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
		*reg(l, LAPIC_LDR) = v & LDR_BITS;
		break;
	case LAPIC_DFR:
		*reg(l, LAPIC_DFR) = (v & DFR_BITS) | ~DFR_BITS;
		break;
	case LAPIC_ICR_LO:
		*reg(l, LAPIC_ICR_LO) = v & VLAPIC_ICR_LO_MASK;
		send_ipi(l, v & VLAPIC_ICR_LO_MASK, *reg(l, LAPIC_ICR_HI) >> 24, false);
		break;
	case LAPIC_ICR_HI:
		*reg(l, LAPIC_ICR_HI) = v & ICR_HI_BITS;
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

void
vlapic_apic_write(struct vlapic *l, uint32_t offset, uint64_t now)
{
	uint32_t r = offset & ~0xFu;

	if (r >= VLAPIC_MMIO_LEN || (offset & 0xF) >= 4)
		return;
	reg_write(l, r, *reg(l, r), now, vlapic_x2apic_mode(l));
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
			*value = (uint64_t)*reg(l, LAPIC_ICR_HI) << 32 | *reg(l, LAPIC_ICR_LO);
			return true;
		}
		timer_advance(l, now);
		*reg(l, LAPIC_ICR_LO) = (uint32_t)*value & VLAPIC_ICR_LO_MASK;
		*reg(l, LAPIC_ICR_HI) = (uint32_t)(*value >> 32);
		send_ipi(l, *reg(l, LAPIC_ICR_LO), *reg(l, LAPIC_ICR_HI), true);
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
	if (x2 && !(was & APIC_BASE_X2APIC)) {
		/* xAPIC -> x2APIC: ID and LDR show their x2APIC values (11.12.5.1) */
		*reg(l, LAPIC_ID) = id_view(l);
		*reg(l, LAPIC_LDR) = x2apic_ldr(l);
	}
	return true;
}
