/*
 * test/unit/test_vlapic.c: the emulated local APIC (SDM Vol. 3A, chapter
 * 11) driven as guests drive it: Linux's bring-up in xAPIC and x2APIC
 * mode, timer calibration against a known TSC, each timer mode, interrupt
 * priorities, IPIs to self, and the #GP cases of the MSR interface.
 */
#include "test/unit/fake.h"

#include <stdlib.h>
#include <string.h>

#include "devices/vlapic.c"

#define TSC_HZ      2000000000ull       /* 2 GHz guest TSC */
#define BUS_HZ      100000000ull        /* 100 MHz timer input: 20 TSC ticks per count at divide 1 */

static struct vlapic lapic;
static struct vlapic_regs page __aligned(4096);        /* the register file */

static uint32_t
rd(struct vlapic *l, uint32_t off, uint64_t now)
{
	uint32_t v = 0xDEADBEEF;

	vlapic_mmio(l, off, false, &v, now);
	return v;
}

static void
wr(struct vlapic *l, uint32_t off, uint32_t v, uint64_t now)
{
	vlapic_mmio(l, off, true, &v, now);
}

static uint64_t
msr_rd(struct vlapic *l, uint32_t off, uint64_t now)
{
	uint64_t v = 0xDEADBEEF;

	assert_true(vlapic_msr(l, VLAPIC_MSR(off), false, &v, now));
	return v;
}

static void
msr_wr(struct vlapic *l, uint32_t off, uint64_t v, uint64_t now)
{
	assert_true(vlapic_msr(l, VLAPIC_MSR(off), true, &v, now));
}

static bool
msr_rd_gp(struct vlapic *l, uint32_t msr)
{
	uint64_t v = 0;

	return !vlapic_msr(l, msr, false, &v, 0);
}

static bool
msr_wr_gp(struct vlapic *l, uint32_t msr, uint64_t v)
{
	return !vlapic_msr(l, msr, true, &v, 0);
}

static bool
bit_in(uint32_t base, struct vlapic *l, uint8_t v)
{
	return rd(l, base + (v >> 5) * 0x10, 0) & ((uint32_t)1 << (v & 31));
}

/* A software-enabled xAPIC with spurious vector 0xFF. */
static struct vlapic *
enabled_lapic(uint32_t id)
{
	vlapic_init(&lapic, &page, id, TSC_HZ, BUS_HZ);
	wr(&lapic, LAPIC_SVR, LAPIC_SVR_ENABLE | 0xFF, 0);
	return &lapic;
}

static void
to_x2apic(struct vlapic *l)
{
	uint64_t base = LAPIC_DEFAULT_BASE | APIC_BASE_ENABLE | APIC_BASE_X2APIC;

	assert_true(vlapic_base_msr(l, true, &base));
	assert_true(vlapic_x2apic_mode(l));
}

/* Take the pending vector as the CPU would and return it. */
static int
take(struct vlapic *l)
{
	int v = vlapic_pending(l);

	if (v >= 0)
		vlapic_ack(l, (uint8_t)v);
	return v;
}

static void
test_power_on_state(void **state)
{
	struct vlapic *l = &lapic;
	uint64_t base = 0;

	vlapic_init(l, &page, 0, TSC_HZ, BUS_HZ);
	assert_true(vlapic_base_msr(l, false, &base));
	assert_int_equal(base, 0xFEE00900);             /* enabled, BSP */
	assert_int_equal(rd(l, LAPIC_ID, 0), 0);
	assert_int_equal(rd(l, LAPIC_VERSION, 0), 0x00050014);
	assert_int_equal(rd(l, LAPIC_SVR, 0), 0xFF);
	assert_int_equal(rd(l, LAPIC_DFR, 0), 0xFFFFFFFF);
	assert_int_equal(rd(l, LAPIC_TPR, 0), 0);
	assert_int_equal(rd(l, LAPIC_TIMER_DCR, 0), 0);
	for (uint32_t off = LAPIC_LVT_TIMER; off <= LAPIC_LVT_ERROR; off += 0x10)
		assert_int_equal(rd(l, off, 0), LVT_MASKED);
	assert_false(vlapic_enabled(l));
	assert_false(vlapic_lint0_extint(l));
	assert_false(vlapic_x2apic_mode(l));

	vlapic_accept(l, 0x40, false);                  /* software-disabled: not accepted */
	assert_int_equal(vlapic_pending(l), -1);
	assert_false(bit_in(LAPIC_IRR, l, 0x40));

	vlapic_init(l, &page, 3, TSC_HZ, BUS_HZ);
	assert_true(vlapic_base_msr(l, false, &base));
	assert_int_equal(base, 0xFEE00800);             /* an AP */
	assert_int_equal(rd(l, LAPIC_ID, 0), 3u << 24);
	wr(l, LAPIC_ID, 7u << 24, 0);                  /* read-only here */
	assert_int_equal(rd(l, LAPIC_ID, 0), 3u << 24);

	vlapic_virtual_wire(l);                         /* what a BIOS leaves behind */
	assert_true(vlapic_enabled(l));
	assert_true(vlapic_lint0_extint(l));
	assert_int_equal(rd(l, LAPIC_LVT_LINT1, 0), LVT_DELIVERY_NMI);
}

/* setup_local_APIC() in Linux's arch/x86/kernel/apic/apic.c, xAPIC flat. */
static void
test_linux_bringup_xapic(void **state)
{
	struct vlapic *l = &lapic;

	vlapic_init(l, &page, 0, TSC_HZ, BUS_HZ);
	wr(l, LAPIC_LVT_LINT0, LVT_DELIVERY_EXTINT, 0);     /* before enabling: stays masked */
	assert_int_equal(rd(l, LAPIC_LVT_LINT0, 0), LVT_DELIVERY_EXTINT | LVT_MASKED);

	wr(l, LAPIC_TPR, 0, 0);
	wr(l, LAPIC_DFR, 0xFFFFFFFF, 0);
	wr(l, LAPIC_LDR, 0x01000000 | 0x00ABCDEF, 0);
	assert_int_equal(rd(l, LAPIC_LDR, 0), 0x01000000);
	wr(l, LAPIC_DFR, 0x0, 0);
	assert_int_equal(rd(l, LAPIC_DFR, 0), 0x0FFFFFFF);     /* 27:0 read as ones */
	wr(l, LAPIC_DFR, 0xFFFFFFFF, 0);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(rd(l, LAPIC_ISR + i * 0x10, 0), 0);

	wr(l, LAPIC_SVR, VLAPIC_SVR_FOCUS_OFF | LAPIC_SVR_ENABLE | 0xFF, 0);
	assert_int_equal(rd(l, LAPIC_SVR, 0), 0x3FF);
	assert_true(vlapic_enabled(l));

	wr(l, LAPIC_LVT_LINT0, LVT_DELIVERY_EXTINT, 0);
	wr(l, LAPIC_LVT_LINT1, LVT_DELIVERY_NMI, 0);
	assert_int_equal(rd(l, LAPIC_LVT_LINT0, 0), LVT_DELIVERY_EXTINT);
	assert_true(vlapic_lint0_extint(l));
	wr(l, LAPIC_LVT_LINT0, LVT_DELIVERY_EXTINT | LVT_MASKED, 0);
	assert_false(vlapic_lint0_extint(l));

	wr(l, LAPIC_ESR, 0, 0);
	wr(l, LAPIC_ESR, 0, 0);
	assert_int_equal(rd(l, LAPIC_ESR, 0), 0);
	wr(l, LAPIC_LVT_ERROR, 0xFE | 0xFFF00, 0);            /* junk bits dropped */
	assert_int_equal(rd(l, LAPIC_LVT_ERROR, 0), 0x100FE);
	wr(l, LAPIC_LVT_ERROR, 0xFE, 0);
	wr(l, LAPIC_LVT_THERMAL, 0xFA, 0);
	wr(l, LAPIC_LVT_PMC, LVT_DELIVERY_NMI | 0x1000, 0);
	assert_int_equal(rd(l, LAPIC_LVT_THERMAL, 0), 0xFA);
	assert_int_equal(rd(l, LAPIC_LVT_PMC, 0), LVT_DELIVERY_NMI);   /* delivery status is read-only */

	vlapic_accept(l, 0xEC, false);
	assert_int_equal(vlapic_pending(l), 0xEC);
	assert_int_equal(take(l), 0xEC);
	assert_true(bit_in(LAPIC_ISR, l, 0xEC));
	assert_false(bit_in(LAPIC_IRR, l, 0xEC));
	wr(l, LAPIC_EOI, 0, 0);
	assert_false(bit_in(LAPIC_ISR, l, 0xEC));
	assert_int_equal(vlapic_take_eoi(l), -1);               /* edge: nothing for the IOAPIC */
}

static void
test_software_disable(void **state)
{
	struct vlapic *l = enabled_lapic(0);

	wr(l, LAPIC_LVT_TIMER, 0x30, 0);
	wr(l, LAPIC_LVT_LINT0, LVT_DELIVERY_EXTINT, 0);
	vlapic_accept(l, 0x50, false);
	wr(l, LAPIC_SVR, 0xFF, 0);                     /* software disable */
	assert_false(vlapic_enabled(l));
	for (uint32_t off = LAPIC_LVT_TIMER; off <= LAPIC_LVT_ERROR; off += 0x10)
		assert_true(rd(l, off, 0) & LVT_MASKED);
	assert_int_equal(rd(l, LAPIC_LVT_TIMER, 0), 0x30 | LVT_MASKED);
	wr(l, LAPIC_LVT_TIMER, 0x31, 0);
	assert_int_equal(rd(l, LAPIC_LVT_TIMER, 0), 0x31 | LVT_MASKED);
	assert_int_equal(vlapic_pending(l), -1);        /* held, not dispatched */
	assert_true(bit_in(LAPIC_IRR, l, 0x50));
	wr(l, LAPIC_SVR, LAPIC_SVR_ENABLE | 0xFF, 0);
	assert_int_equal(vlapic_pending(l), 0x50);
	assert_true(rd(l, LAPIC_LVT_TIMER, 0) & LVT_MASKED);    /* stays masked until rewritten */
}

/*
 * Calibration as Linux does it without a known frequency: divide by 16,
 * masked timer from 0xFFFFFFFF, read the current count at two known TSC
 * values and work out the rate.
 */
static void
test_timer_calibration(void **state)
{
	struct vlapic *l = enabled_lapic(0);
	uint64_t t0 = 123456789, t1 = t0 + TSC_HZ / 10;       /* 100 ms later */
	uint32_t c0, c1;

	wr(l, LAPIC_TIMER_DCR, 0x3, t0);
	wr(l, LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_PERIODIC | 0xEC, t0);
	wr(l, LAPIC_TIMER_ICR, 0xFFFFFFFF, t0);
	assert_int_equal(rd(l, LAPIC_TIMER_ICR, t0), 0xFFFFFFFF);
	c0 = rd(l, LAPIC_TIMER_CCR, t0);
	assert_int_equal(c0, 0xFFFFFFFF);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, t0 + 319), 0xFFFFFFFF);        /* 320 TSC ticks per count */
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, t0 + 320), 0xFFFFFFFE);
	c1 = rd(l, LAPIC_TIMER_CCR, t1);
	assert_int_equal(c0 - c1, BUS_HZ / 16 / 10);
	assert_int_equal((uint64_t)(c0 - c1) * 16 * 10, BUS_HZ);
	assert_int_equal(vlapic_update_timer(l, t1), UINT64_MAX);      /* masked: nothing to wake for */
	assert_int_equal(vlapic_pending(l), -1);
	wr(l, LAPIC_TIMER_ICR, 0, t1);                 /* stop */
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, t1 + 1000), 0);
}

static void
test_timer_divide_codes(void **state)
{
	static const struct { uint32_t dcr, divide; } codes[] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xA, 128 }, { 0xB, 1 },
	};
	struct vlapic *l = enabled_lapic(0);

	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		uint64_t per_count = TSC_HZ / BUS_HZ * codes[i].divide;

		wr(l, LAPIC_TIMER_DCR, codes[i].dcr | 0xF4, 0);       /* bit 2 and up: reserved */
		assert_int_equal(rd(l, LAPIC_TIMER_DCR, 0), codes[i].dcr);
		wr(l, LAPIC_TIMER_ICR, 1000, 1000);
		assert_int_equal(rd(l, LAPIC_TIMER_CCR, 1000 + per_count * 10 - 1), 991);
		assert_int_equal(rd(l, LAPIC_TIMER_CCR, 1000 + per_count * 10), 990);
	}
}

static void
test_timer_oneshot(void **state)
{
	struct vlapic *l = enabled_lapic(0);
	uint64_t start = 5000, expiry = start + 1000 * 320;

	wr(l, LAPIC_TIMER_DCR, 0x3, start);
	wr(l, LAPIC_LVT_TIMER, 0x30, start);
	assert_int_equal(vlapic_update_timer(l, start), UINT64_MAX);    /* no count yet */
	wr(l, LAPIC_TIMER_ICR, 1000, start);
	assert_int_equal(vlapic_update_timer(l, start), expiry);
	assert_int_equal(vlapic_update_timer(l, expiry - 1), expiry);
	assert_int_equal(vlapic_pending(l), -1);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, expiry - 1), 1);
	assert_int_equal(vlapic_update_timer(l, expiry), UINT64_MAX);
	assert_int_equal(vlapic_pending(l), 0x30);
	assert_false(bit_in(LAPIC_TMR, l, 0x30));
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, expiry), 0);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, expiry + 1000000), 0);
	assert_int_equal(l->timer_fired, 1);

	/* an expiry noticed only by a register access still raises it */
	assert_int_equal(take(l), 0x30);
	wr(l, LAPIC_EOI, 0, expiry);
	wr(l, LAPIC_TIMER_ICR, 10, expiry);
	wr(l, LAPIC_TPR, 0, expiry + 10 * 320);
	assert_int_equal(vlapic_pending(l), 0x30);
	assert_int_equal(vlapic_update_timer(l, expiry + 10 * 320), UINT64_MAX);
	assert_int_equal(l->timer_fired, 2);
}

static void
test_timer_periodic_coalescing(void **state)
{
	struct vlapic *l = enabled_lapic(0);
	uint64_t start = 777, period = 100 * 20;        /* 100 counts at divide 1 */
	uint64_t far = start + period * 1000000 + 5;    /* a million periods: 1 s of guest time */

	wr(l, LAPIC_TIMER_DCR, 0xB, start);
	wr(l, LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | 0xEF, start);
	wr(l, LAPIC_TIMER_ICR, 100, start);
	assert_int_equal(vlapic_update_timer(l, start), start + period);
	assert_int_equal(vlapic_update_timer(l, start + period), start + 2 * period);
	assert_int_equal(take(l), 0xEF);
	wr(l, LAPIC_EOI, 0, start + period);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, start + period), 100);        /* reloaded */
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, start + period + 20 * 37), 63);

	/* the guest did not run for a million periods: one interrupt */
	assert_int_equal(vlapic_update_timer(l, far), start + period * 1000001);
	assert_int_equal(take(l), 0xEF);
	assert_int_equal(vlapic_pending(l), -1);
	assert_int_equal(l->timer_fired, 2);
	assert_int_equal(l->timer_coalesced, 999998);   /* periods 2..999999 */
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, far), 100);   /* 5 TSC ticks < one count */
	wr(l, LAPIC_EOI, 0, far);

	/* and goes on at the same phase: no drift over the span */
	for (uint64_t k = 1000001; k < 1000005; k++) {
		assert_int_equal(vlapic_update_timer(l, start + period * k - 1), start + period * k);
		assert_int_equal(vlapic_pending(l), -1);
		assert_int_equal(vlapic_update_timer(l, start + period * k), start + period * (k + 1));
		assert_int_equal(take(l), 0xEF);
		wr(l, LAPIC_EOI, 0, start + period * k);
	}

	/* hours of guest time at a slow rate stay exact */
	wr(l, LAPIC_TIMER_DCR, 0xA, far);              /* divide by 128: 2560 TSC ticks per count */
	wr(l, LAPIC_TIMER_ICR, 0xFFFFFFFF, far);
	uint64_t span = 2560ull * 0xFFFFFFFF;           /* about 1.5 hours */
	assert_int_equal(vlapic_update_timer(l, far), far + span);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, far + span - 2560), 1);
	assert_int_equal(vlapic_update_timer(l, far + 3 * span + 1), far + 4 * span);
}

static void
test_timer_masked_still_counts(void **state)
{
	struct vlapic *l = enabled_lapic(0);
	uint64_t period = 50 * 20;

	wr(l, LAPIC_TIMER_DCR, 0xB, 0);
	wr(l, LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_PERIODIC | 0x40, 0);
	wr(l, LAPIC_TIMER_ICR, 50, 0);
	assert_int_equal(vlapic_update_timer(l, period * 10 + 5), UINT64_MAX);
	assert_int_equal(vlapic_pending(l), -1);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, period * 10 + 20 * 7), 43);
	/* unmasking mid-period raises nothing for the periods gone by */
	wr(l, LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | 0x40, period * 10 + 20 * 7);
	assert_int_equal(vlapic_pending(l), -1);
	assert_int_equal(vlapic_update_timer(l, period * 10 + 20 * 7), period * 11);
	assert_int_equal(vlapic_update_timer(l, period * 11), period * 12);
	assert_int_equal(vlapic_pending(l), 0x40);
	assert_int_equal(l->timer_coalesced, 0);

	/* a masked one-shot runs down to 0 and raises nothing */
	wr(l, LAPIC_LVT_TIMER, LVT_MASKED | 0x41, period * 11);
	wr(l, LAPIC_TIMER_ICR, 10, period * 11);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, period * 11 + 20 * 4), 6);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, period * 11 + 20 * 10), 0);
	wr(l, LAPIC_LVT_TIMER, 0x41, period * 12);
	assert_int_equal(vlapic_update_timer(l, period * 12), UINT64_MAX);
	assert_false(bit_in(LAPIC_IRR, l, 0x41));
}

static void
test_timer_divide_change_midcount(void **state)
{
	struct vlapic *l = enabled_lapic(0);

	wr(l, LAPIC_TIMER_DCR, 0xB, 0);                /* 20 TSC ticks per count */
	wr(l, LAPIC_LVT_TIMER, 0x33, 0);
	wr(l, LAPIC_TIMER_ICR, 1000, 0);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, 4000), 800);
	wr(l, LAPIC_TIMER_DCR, 0x0, 4000);             /* divide by 2: 40 ticks per count */
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, 4000), 800);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, 4000 + 40 * 100), 700);
	assert_int_equal(vlapic_update_timer(l, 4000), 4000 + 40 * 800);

	/* periodic: the period under way ends at the new rate, the next are whole */
	wr(l, LAPIC_TIMER_DCR, 0xB, 100000);
	wr(l, LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | 0x33, 100000);
	wr(l, LAPIC_TIMER_ICR, 100, 100000);
	assert_int_equal(vlapic_update_timer(l, 100000 + 20 * 250), 100000 + 20 * 300);
	wr(l, LAPIC_TIMER_DCR, 0x1, 100000 + 20 * 250);       /* divide by 4: 80 ticks per count */
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, 100000 + 20 * 250), 50);
	assert_int_equal(vlapic_update_timer(l, 100000 + 20 * 250), 105000 + 80 * 50);
	assert_int_equal(vlapic_update_timer(l, 109000), 109000 + 80 * 100);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, 109000 + 80 * 30), 70);
}

static void
test_tsc_deadline(void **state)
{
	struct vlapic *l = enabled_lapic(0);
	uint64_t v;

	/* not in TSC-deadline mode: the MSR reads 0 and ignores writes */
	v = 5000;
	vlapic_tsc_deadline(l, true, &v, 0);
	vlapic_tsc_deadline(l, false, &v, 0);
	assert_int_equal(v, 0);

	wr(l, LAPIC_TIMER_ICR, 1000, 0);               /* one-shot armed, then switched away */
	wr(l, LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | 0xEC, 10);
	assert_int_equal(rd(l, LAPIC_TIMER_ICR, 10), 0);
	assert_int_equal(vlapic_update_timer(l, 100000), UINT64_MAX);
	assert_int_equal(vlapic_pending(l), -1);
	wr(l, LAPIC_TIMER_ICR, 1000, 10);              /* ignored in this mode */
	assert_int_equal(rd(l, LAPIC_TIMER_ICR, 10), 0);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, 10), 0);

	v = 5000;
	vlapic_tsc_deadline(l, true, &v, 1000);
	vlapic_tsc_deadline(l, false, &v, 1000);
	assert_int_equal(v, 5000);
	assert_int_equal(vlapic_update_timer(l, 1000), 5000);
	assert_int_equal(vlapic_update_timer(l, 4999), 5000);
	assert_int_equal(vlapic_pending(l), -1);
	assert_int_equal(vlapic_update_timer(l, 5000), UINT64_MAX);
	assert_int_equal(vlapic_pending(l), 0xEC);
	vlapic_tsc_deadline(l, false, &v, 5000);
	assert_int_equal(v, 0);                         /* disarmed by firing */
	assert_int_equal(take(l), 0xEC);
	wr(l, LAPIC_EOI, 0, 5000);

	/* disarm by writing 0 */
	v = 9000;
	vlapic_tsc_deadline(l, true, &v, 6000);
	v = 0;
	vlapic_tsc_deadline(l, true, &v, 6000);
	assert_int_equal(vlapic_update_timer(l, 10000), UINT64_MAX);
	assert_int_equal(vlapic_pending(l), -1);

	/* a deadline in the past fires at once */
	v = 100;
	vlapic_tsc_deadline(l, true, &v, 10000);
	assert_int_equal(vlapic_pending(l), 0xEC);
	assert_int_equal(l->timer_fired, 2);
	assert_int_equal(take(l), 0xEC);
	wr(l, LAPIC_EOI, 0, 10000);

	/* leaving TSC-deadline mode disarms */
	v = 20000;
	vlapic_tsc_deadline(l, true, &v, 10000);
	wr(l, LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | 0xEC, 11000);
	assert_int_equal(vlapic_update_timer(l, 30000), UINT64_MAX);
	assert_int_equal(vlapic_pending(l), -1);
	wr(l, LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | 0xEC, 30000);
	vlapic_tsc_deadline(l, false, &v, 30000);
	assert_int_equal(v, 0);

	/* a masked deadline still disarms when it passes */
	wr(l, LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_TSC_DEADLINE | 0xEC, 30000);
	v = 40000;
	vlapic_tsc_deadline(l, true, &v, 30000);
	assert_int_equal(vlapic_update_timer(l, 30000), UINT64_MAX);
	vlapic_tsc_deadline(l, false, &v, 40000);
	assert_int_equal(v, 0);
	assert_int_equal(vlapic_pending(l), -1);
}

static void
test_priority_classes(void **state)
{
	struct vlapic *l = enabled_lapic(0);

	vlapic_accept(l, 0x45, false);
	vlapic_accept(l, 0x51, false);
	wr(l, LAPIC_TPR, 0x50, 0);
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0x50);
	assert_int_equal(vlapic_pending(l), -1);        /* class 5 is not above class 5 */
	wr(l, LAPIC_TPR, 0x4F, 0);
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0x4F);
	assert_int_equal(vlapic_pending(l), 0x51);
	assert_int_equal(take(l), 0x51);
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0x50);   /* ISR class above TPR: class only */
	assert_int_equal(vlapic_pending(l), -1);        /* 0x45 waits */
	wr(l, LAPIC_EOI, 0, 0);
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0x4F);
	assert_int_equal(vlapic_pending(l), -1);        /* class 4 is not above TPR class 4 */
	wr(l, LAPIC_TPR, 0, 0);
	assert_int_equal(vlapic_pending(l), 0x45);
	wr(l, LAPIC_TPR, 0x1FF, 0);                    /* bits 31:8 dropped over MMIO */
	assert_int_equal(rd(l, LAPIC_TPR, 0), 0xFF);
	assert_int_equal(vlapic_pending(l), -1);
}

static void
test_isr_nesting_and_eoi_order(void **state)
{
	struct vlapic *l = enabled_lapic(0);

	vlapic_accept(l, 0x40, false);
	assert_int_equal(take(l), 0x40);
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0x40);
	vlapic_accept(l, 0x35, false);
	vlapic_accept(l, 0x4A, false);
	assert_int_equal(vlapic_pending(l), -1);        /* same or lower class than in service */
	vlapic_accept(l, 0x62, false);
	assert_int_equal(take(l), 0x62);                /* nests */
	vlapic_accept(l, 0x91, false);
	assert_int_equal(take(l), 0x91);
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0x90);
	assert_true(bit_in(LAPIC_ISR, l, 0x40));
	assert_true(bit_in(LAPIC_ISR, l, 0x62));
	assert_true(bit_in(LAPIC_ISR, l, 0x91));

	wr(l, LAPIC_EOI, 0, 0);                        /* ends the highest: 0x91 */
	assert_false(bit_in(LAPIC_ISR, l, 0x91));
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0x60);
	assert_int_equal(vlapic_pending(l), -1);
	wr(l, LAPIC_EOI, 0, 0);                        /* 0x62 */
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0x40);
	assert_int_equal(vlapic_pending(l), -1);
	wr(l, LAPIC_EOI, 0, 0);                        /* 0x40 */
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0);
	assert_int_equal(take(l), 0x4A);
	assert_int_equal(vlapic_pending(l), -1);
	wr(l, LAPIC_EOI, 0, 0);
	assert_int_equal(take(l), 0x35);
	wr(l, LAPIC_EOI, 0, 0);
	wr(l, LAPIC_EOI, 0, 0);                        /* nothing in service: ignored */
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0);
	assert_int_equal(vlapic_pending(l), -1);
}

static void
test_level_eoi_broadcast(void **state)
{
	struct vlapic *l = enabled_lapic(0);

	vlapic_accept(l, 0x71, true);
	vlapic_accept(l, 0x80, true);
	assert_true(bit_in(LAPIC_TMR, l, 0x71));
	assert_true(bit_in(LAPIC_IRR, l, 0x71));
	assert_int_equal(take(l), 0x80);
	assert_int_equal(take(l), -1);
	wr(l, LAPIC_EOI, 0, 0);
	assert_int_equal(take(l), 0x71);
	wr(l, LAPIC_EOI, 0, 0);
	assert_int_equal(vlapic_take_eoi(l), 0x80);
	assert_int_equal(vlapic_take_eoi(l), 0x71);
	assert_int_equal(vlapic_take_eoi(l), -1);

	vlapic_accept(l, 0x71, false);                  /* edge now: TMR cleared */
	assert_false(bit_in(LAPIC_TMR, l, 0x71));
	assert_int_equal(take(l), 0x71);
	wr(l, LAPIC_EOI, 0, 0);
	assert_int_equal(vlapic_take_eoi(l), -1);
}

static void
test_readonly_registers_xapic(void **state)
{
	struct vlapic *l = enabled_lapic(0);

	vlapic_accept(l, 0x99, true);
	wr(l, LAPIC_IRR + 0x40, 0, 0);
	wr(l, LAPIC_TMR + 0x40, 0, 0);
	wr(l, LAPIC_ISR + 0x40, 0xFFFFFFFF, 0);
	wr(l, LAPIC_PPR, 0xFF, 0);
	wr(l, LAPIC_VERSION, 0, 0);
	wr(l, LAPIC_TIMER_CCR, 55, 0);
	assert_true(bit_in(LAPIC_IRR, l, 0x99));
	assert_true(bit_in(LAPIC_TMR, l, 0x99));
	assert_int_equal(rd(l, LAPIC_ISR + 0x40, 0), 0);
	assert_int_equal(rd(l, LAPIC_PPR, 0), 0);
	assert_int_equal(rd(l, LAPIC_VERSION, 0), VLAPIC_VERSION_VALUE);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, 0), 0);

	/* between registers, absent ones, past the page: 0, writes dropped */
	assert_int_equal(rd(l, LAPIC_TPR + 4, 0), 0);
	assert_int_equal(rd(l, LAPIC_LVT_CMCI, 0), 0);
	assert_int_equal(rd(l, LAPIC_SELF_IPI, 0), 0);
	assert_int_equal(rd(l, 0x400, 0), 0);
	assert_int_equal(rd(l, 0x1000, 0), 0);
	assert_int_equal(rd(l, LAPIC_EOI, 0), 0);
	wr(l, LAPIC_SELF_IPI, 0x60, 0);                /* x2APIC only */
	wr(l, LAPIC_TPR + 4, 0x60, 0);
	assert_int_equal(rd(l, LAPIC_TPR, 0), 0);
	assert_false(bit_in(LAPIC_IRR, l, 0x60));
}

static void
test_esr(void **state)
{
	struct vlapic *l = enabled_lapic(0);

	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_SHORT_SELF | 0x05, 0);  /* illegal vector */
	assert_int_equal(rd(l, LAPIC_ESR, 0), 0);              /* not until written */
	wr(l, LAPIC_ESR, 0, 0);
	assert_int_equal(rd(l, LAPIC_ESR, 0), VLAPIC_ESR_SEND_ILLEGAL | VLAPIC_ESR_RECV_ILLEGAL);
	assert_int_equal(vlapic_pending(l), -1);
	wr(l, LAPIC_ESR, 0, 0);
	assert_int_equal(rd(l, LAPIC_ESR, 0), 0);

	/* with the error LVT unmasked an error raises its vector */
	wr(l, LAPIC_LVT_ERROR, 0xFE, 0);
	vlapic_accept(l, 0x0F, false);
	assert_int_equal(vlapic_pending(l), 0xFE);
	wr(l, LAPIC_ESR, 0, 0);
	assert_int_equal(rd(l, LAPIC_ESR, 0), VLAPIC_ESR_RECV_ILLEGAL);

	/* an error vector that is itself illegal does not loop */
	wr(l, LAPIC_LVT_ERROR, 0x02, 0);
	vlapic_accept(l, 0x03, false);
	wr(l, LAPIC_ESR, 0, 0);
	assert_int_equal(rd(l, LAPIC_ESR, 0), VLAPIC_ESR_RECV_ILLEGAL);
}

static void
test_ipi_xapic(void **state)
{
	struct vlapic *l = enabled_lapic(2);

	/* self shorthand: delivered, nothing left for the wiring */
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_SHORT_SELF | VLAPIC_ICR_ASSERT | 0x55, 0);
	assert_true(bit_in(LAPIC_IRR, l, 0x55));
	assert_false(l->ipi.pending);
	assert_int_equal(rd(l, LAPIC_ICR_LO, 0) & VLAPIC_ICR_PENDING, 0);     /* delivered at once */
	assert_int_equal(rd(l, LAPIC_ICR_LO, 0), VLAPIC_ICR_SHORT_SELF | VLAPIC_ICR_ASSERT | 0x55);

	/* physical, to its own ID */
	wr(l, LAPIC_ICR_HI, 2u << 24 | 0x123, 0);
	assert_int_equal(rd(l, LAPIC_ICR_HI, 0), 2u << 24);
	wr(l, LAPIC_ICR_LO, 0x56, 0);
	assert_true(bit_in(LAPIC_IRR, l, 0x56));
	assert_false(l->ipi.pending);

	/* physical, to another ID: left for the wiring */
	wr(l, LAPIC_ICR_HI, 5u << 24, 0);
	wr(l, LAPIC_ICR_LO, 0x57, 0);
	assert_false(bit_in(LAPIC_IRR, l, 0x57));
	assert_true(l->ipi.pending);
	assert_int_equal(l->ipi.icr, 0x57);
	assert_int_equal(l->ipi.dest, 5);
	l->ipi.pending = false;

	/* broadcast: self and the others */
	wr(l, LAPIC_ICR_HI, 0xFFu << 24, 0);
	wr(l, LAPIC_ICR_LO, 0x58, 0);
	assert_true(bit_in(LAPIC_IRR, l, 0x58));
	assert_true(l->ipi.pending);
	l->ipi.pending = false;
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_SHORT_ALL | 0x59, 0);
	assert_true(bit_in(LAPIC_IRR, l, 0x59));
	assert_true(l->ipi.pending);
	l->ipi.pending = false;
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_SHORT_OTHERS | 0x5A, 0);
	assert_false(bit_in(LAPIC_IRR, l, 0x5A));
	assert_true(l->ipi.pending);
	l->ipi.pending = false;

	/* INIT, SIPI and NMI are the wiring's, even to self */
	wr(l, LAPIC_ICR_HI, 2u << 24, 0);
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_INIT | VLAPIC_ICR_LEVEL | VLAPIC_ICR_ASSERT, 0);
	assert_true(l->ipi.pending);
	assert_int_equal(l->ipi.icr, VLAPIC_ICR_INIT | VLAPIC_ICR_LEVEL | VLAPIC_ICR_ASSERT);
	assert_int_equal(l->ipi.dest, 2);
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_STARTUP | 0x9A, 0);
	assert_int_equal(l->ipi.icr, VLAPIC_ICR_STARTUP | 0x9A);
	assert_int_equal(l->ipi.dropped, 1);            /* the INIT was not drained */
	assert_false(bit_in(LAPIC_IRR, l, 0x9A));
	l->ipi.pending = false;
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_SHORT_SELF | VLAPIC_ICR_NMI, 0);
	assert_true(l->ipi.pending);
	assert_int_equal(l->ipi.icr & VLAPIC_ICR_MODE_MASK, VLAPIC_ICR_NMI);
	l->ipi.pending = false;

	/* lowest priority to self is fixed */
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_LOWEST | 0x5B, 0);
	assert_true(bit_in(LAPIC_IRR, l, 0x5B));
	assert_false(l->ipi.pending);
}

static void
test_ipi_logical_xapic(void **state)
{
	struct vlapic *l = enabled_lapic(0);

	wr(l, LAPIC_LDR, 0x02000000, 0);               /* flat: bit 1 */
	wr(l, LAPIC_ICR_HI, 0x06u << 24, 0);
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_LOGICAL | 0x60, 0);
	assert_true(bit_in(LAPIC_IRR, l, 0x60));
	assert_true(l->ipi.pending);                    /* bit 2 may be someone else */
	l->ipi.pending = false;
	wr(l, LAPIC_ICR_HI, 0x01u << 24, 0);
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_LOGICAL | 0x61, 0);
	assert_false(bit_in(LAPIC_IRR, l, 0x61));
	assert_true(l->ipi.pending);
	l->ipi.pending = false;

	wr(l, LAPIC_DFR, 0x0FFFFFFF, 0);               /* cluster 3, member bit 1 */
	wr(l, LAPIC_LDR, 0x32000000, 0);
	wr(l, LAPIC_ICR_HI, 0x33u << 24, 0);
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_LOGICAL | 0x62, 0);
	assert_true(bit_in(LAPIC_IRR, l, 0x62));
	wr(l, LAPIC_ICR_HI, 0x23u << 24, 0);           /* another cluster */
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_LOGICAL | 0x63, 0);
	assert_false(bit_in(LAPIC_IRR, l, 0x63));
}

/* The same registers through the other door after switching modes. */
static void
test_x2apic_views(void **state)
{
	struct vlapic *l = enabled_lapic(0x12);
	uint64_t v;

	wr(l, LAPIC_TPR, 0x20, 0);
	wr(l, LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | 0x31, 0);
	wr(l, LAPIC_TIMER_DCR, 0xB, 0);
	wr(l, LAPIC_TIMER_ICR, 1000, 0);
	wr(l, LAPIC_LDR, 0x80000000, 0);
	vlapic_accept(l, 0x77, true);

	to_x2apic(l);
	assert_true(vlapic_enabled(l));
	assert_int_equal(msr_rd(l, LAPIC_ID, 0), 0x12);                /* 32-bit ID, not shifted */
	assert_int_equal(msr_rd(l, LAPIC_VERSION, 0), VLAPIC_VERSION_VALUE);
	assert_int_equal(msr_rd(l, LAPIC_LDR, 0), (1u << 16) | (1u << 2));   /* derived from the ID */
	assert_int_equal(msr_rd(l, LAPIC_TPR, 0), 0x20);
	assert_int_equal(msr_rd(l, LAPIC_SVR, 0), LAPIC_SVR_ENABLE | 0xFF);
	assert_int_equal(msr_rd(l, LAPIC_LVT_TIMER, 0), LVT_TIMER_PERIODIC | 0x31);
	assert_int_equal(msr_rd(l, LAPIC_TIMER_ICR, 0), 1000);
	assert_int_equal(msr_rd(l, LAPIC_TIMER_CCR, 20 * 250), 750);   /* the count went on */
	assert_int_equal(msr_rd(l, LAPIC_TIMER_DCR, 0), 0xB);
	assert_int_equal(msr_rd(l, LAPIC_IRR + 0x30, 0), 1u << (0x77 - 0x60));
	assert_int_equal(msr_rd(l, LAPIC_TMR + 0x30, 0), 1u << (0x77 - 0x60));

	/* the xAPIC page is gone */
	assert_int_equal(rd(l, LAPIC_TPR, 0), 0);
	wr(l, LAPIC_TPR, 0x90, 0);
	assert_int_equal(msr_rd(l, LAPIC_TPR, 0), 0x20);

	msr_wr(l, LAPIC_TPR, 0x70, 0);
	assert_int_equal(msr_rd(l, LAPIC_PPR, 0), 0x70);
	assert_int_equal(vlapic_pending(l), -1);
	msr_wr(l, LAPIC_TPR, 0x60, 0);
	assert_int_equal(take(l), 0x77);
	assert_int_equal(msr_rd(l, LAPIC_ISR + 0x30, 0), 1u << (0x77 - 0x60));
	msr_wr(l, LAPIC_EOI, 0, 0);
	assert_int_equal(vlapic_take_eoi(l), 0x77);
	msr_wr(l, LAPIC_TPR, 0, 0);

	/* ICR is one 64-bit MSR with a 32-bit destination */
	msr_wr(l, LAPIC_ICR_LO, (uint64_t)0x12 << 32 | 0x41, 0);
	assert_true(bit_in(LAPIC_IRR, l, 0x41) == false);      /* MMIO view is gone... */
	assert_int_equal(msr_rd(l, LAPIC_IRR + 0x20, 0), 1u << 1);    /* ...the MSR sees it */
	assert_false(l->ipi.pending);
	assert_int_equal(msr_rd(l, LAPIC_ICR_LO, 0), (uint64_t)0x12 << 32 | 0x41);
	msr_wr(l, LAPIC_ICR_LO, (uint64_t)0x112 << 32 | 0x42, 0);
	assert_true(l->ipi.pending);
	assert_int_equal(l->ipi.dest, 0x112);
	l->ipi.pending = false;
	/* logical: cluster 1, bit 2 */
	msr_wr(l, LAPIC_ICR_LO, (uint64_t)0x00010004 << 32 | VLAPIC_ICR_LOGICAL | 0x43, 0);
	msr_wr(l, LAPIC_ICR_LO, (uint64_t)0x00020004 << 32 | VLAPIC_ICR_LOGICAL | 0x44, 0);
	assert_int_equal(msr_rd(l, LAPIC_IRR + 0x20, 0), (1u << 1) | (1u << 3));
	l->ipi.pending = false;

	/* SELF IPI, write-only */
	v = 0x66;
	assert_true(vlapic_msr(l, VLAPIC_MSR(LAPIC_SELF_IPI), true, &v, 0));
	assert_int_equal(msr_rd(l, LAPIC_IRR + 0x30, 0), 1u << (0x66 - 0x60));
	assert_false(l->ipi.pending);
	assert_true(msr_rd_gp(l, 0x83F));

	/* ESR through the MSR */
	v = 0x07;
	assert_true(vlapic_msr(l, 0x83F, true, &v, 0));
	msr_wr(l, LAPIC_ESR, 0, 0);
	assert_int_equal(msr_rd(l, LAPIC_ESR, 0), VLAPIC_ESR_SEND_ILLEGAL | VLAPIC_ESR_RECV_ILLEGAL);
}

static void
test_x2apic_gp(void **state)
{
	struct vlapic *l = enabled_lapic(1);
	static const uint32_t absent[] = {
		0x800, 0x801, 0x804, 0x807, 0x809, 0x80C, 0x80E, 0x829, 0x82E, 0x82F,
		0x831, 0x83A, 0x83D, 0x840, 0x8FF,
	};
	static const uint32_t read_only[] = {
		0x802, 0x803, 0x80A, 0x80D, 0x810, 0x817, 0x818, 0x81F, 0x820, 0x827, 0x839,
	};

	/* xAPIC mode: every x2APIC MSR faults */
	assert_true(msr_rd_gp(l, 0x808));
	assert_true(msr_wr_gp(l, 0x808, 0));
	to_x2apic(l);
	assert_true(msr_rd_gp(l, 0x7FF));
	assert_true(msr_rd_gp(l, 0x900));

	for (size_t i = 0; i < ARRAY_SIZE(absent); i++) {
		assert_true(msr_rd_gp(l, absent[i]));
		assert_true(msr_wr_gp(l, absent[i], 0));
	}
	for (size_t i = 0; i < ARRAY_SIZE(read_only); i++) {
		assert_false(msr_rd_gp(l, read_only[i]));
		assert_true(msr_wr_gp(l, read_only[i], 0));
	}
	assert_true(msr_rd_gp(l, 0x80B));               /* EOI is write-only */
	assert_true(msr_wr_gp(l, 0x80B, 1));            /* and takes only 0 */
	assert_false(msr_wr_gp(l, 0x80B, 0));
	assert_true(msr_wr_gp(l, 0x828, 1));            /* ESR too */

	/* reserved bits (11.12.1.3) */
	assert_true(msr_wr_gp(l, 0x808, 0x100));        /* TPR 31:8 */
	assert_true(msr_wr_gp(l, 0x808, 1ull << 32));   /* 63:32 of all but ICR */
	assert_true(msr_wr_gp(l, 0x80F, 0x1000 | 0x1FF));      /* SVR: no EOI-broadcast suppression */
	assert_true(msr_wr_gp(l, 0x832, LVT_PENDING));  /* LVT timer */
	assert_true(msr_wr_gp(l, 0x835, 1u << 17));     /* LINT0 */
	assert_true(msr_wr_gp(l, 0x837, LVT_DELIVERY_NMI)); /* error LVT has no delivery mode */
	assert_true(msr_wr_gp(l, 0x83E, 0x4));          /* DCR bit 2 */
	assert_true(msr_wr_gp(l, 0x83F, 0x100));        /* SELF IPI 31:8 */
	assert_int_equal(msr_rd(l, LAPIC_TPR, 0), 0);  /* nothing taken from them */
	assert_int_equal(msr_rd(l, LAPIC_LVT_TIMER, 0), LVT_MASKED);

	/* but ICR takes 64 bits */
	assert_false(msr_wr_gp(l, 0x830, (uint64_t)1 << 32 | VLAPIC_ICR_SHORT_SELF | 0x80));
}

static void
test_apic_base_transitions(void **state)
{
	struct vlapic *l = enabled_lapic(0);
	uint64_t v, xapic = LAPIC_DEFAULT_BASE | APIC_BASE_ENABLE;
	uint32_t r;

	wr(l, LAPIC_TPR, 0x30, 0);
	wr(l, LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | 0x31, 0);
	wr(l, LAPIC_TIMER_ICR, 100, 0);

	v = xapic | 0x1;                                /* reserved bit 0 */
	assert_false(vlapic_base_msr(l, true, &v));
	v = xapic | (1ull << 52);                       /* above any MAXPHYADDR */
	assert_false(vlapic_base_msr(l, true, &v));
	v = LAPIC_DEFAULT_BASE | APIC_BASE_X2APIC;     /* EXTD without EN: invalid */
	assert_false(vlapic_base_msr(l, true, &v));
	v = xapic;                                      /* BSP is read-only */
	assert_true(vlapic_base_msr(l, true, &v));
	assert_true(vlapic_base_msr(l, false, &v));
	assert_int_equal(v, xapic | APIC_BASE_BSP);
	assert_false(vlapic_x2apic_mode(l));

	to_x2apic(l);
	assert_int_equal(msr_rd(l, LAPIC_TPR, 0), 0x30);       /* state kept */
	v = xapic;
	assert_false(vlapic_base_msr(l, true, &v));             /* x2APIC -> xAPIC */
	assert_true(vlapic_x2apic_mode(l));

	v = LAPIC_DEFAULT_BASE;                                /* x2APIC -> disabled */
	assert_true(vlapic_base_msr(l, true, &v));
	assert_false(vlapic_enabled(l));
	assert_false(vlapic_x2apic_mode(l));
	assert_true(vlapic_lint0_extint(l));                    /* LINT0 is plain INTR now */
	assert_true(msr_rd_gp(l, 0x808));
	r = 0x1234;
	vlapic_mmio(l, LAPIC_TPR, false, &r, 0);
	assert_int_equal(r, 0);
	vlapic_accept(l, 0x40, false);
	assert_int_equal(vlapic_pending(l), -1);

	v = LAPIC_DEFAULT_BASE | APIC_BASE_ENABLE | APIC_BASE_X2APIC;
	assert_false(vlapic_base_msr(l, true, &v));             /* disabled -> x2APIC */
	v = xapic;
	assert_true(vlapic_base_msr(l, true, &v));              /* disabled -> xAPIC: reset state */
	assert_int_equal(rd(l, LAPIC_TPR, 0), 0);
	assert_int_equal(rd(l, LAPIC_SVR, 0), 0xFF);
	assert_int_equal(rd(l, LAPIC_LVT_TIMER, 0), LVT_MASKED);
	assert_int_equal(rd(l, LAPIC_TIMER_ICR, 0), 0);
	assert_false(bit_in(LAPIC_IRR, l, 0x40));
	assert_int_equal(vlapic_update_timer(l, 1000000), UINT64_MAX);
}

/* The 128-by-64 division that keeps libgcc out of the kernel, against the
 * host compiler's own. */
static void
test_mul_div(void **state)
{
	uint64_t seed = 0x9E3779B97F4A7C15ull;

	for (int i = 0; i < 200000; i++) {
		uint64_t a, b, c;
		unsigned __int128 p, q;

		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		a = seed >> (seed & 63);
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		b = seed >> (seed & 63);
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		c = (seed >> (seed & 63)) | 1;
		p = (unsigned __int128)a * b;
		q = p / c;
		assert_int_equal(mul_div(a, b, c, false), q >> 64 ? UINT64_MAX : (uint64_t)q);
		q = (p + c - 1) / c;
		assert_int_equal(mul_div(a, b, c, true), q >> 64 ? UINT64_MAX : (uint64_t)q);
	}
	assert_int_equal(mul_div(UINT64_MAX, UINT64_MAX, UINT64_MAX, false), UINT64_MAX);
	assert_int_equal(mul_div(UINT64_MAX, UINT64_MAX - 1, UINT64_MAX, true), UINT64_MAX - 1);
	assert_int_equal(mul_div(1ull << 63, 4, 3, false), 0xAAAAAAAAAAAAAAAAull);
}

/* --- the register file is the virtual-APIC page (SDM Vol. 3C, 30.1) --- */

static uint32_t
word(uint32_t off)
{
	return page.word[off / 4];
}

/* What the CPU reads from the virtual-APIC page is what MMIO reads give. */
static void
test_register_file_is_the_page(void **state)
{
	struct vlapic *l = enabled_lapic(5);

	assert_ptr_equal(vlapic_reg(l, 0), &page.word[0]);
	assert_int_equal(word(LAPIC_ID), 5u << 24);
	assert_int_equal(word(LAPIC_VERSION), VLAPIC_VERSION_VALUE);
	assert_int_equal(word(LAPIC_SVR), LAPIC_SVR_ENABLE | 0xFF);
	wr(l, LAPIC_TPR, 0x1FF, 0);                     /* bits above 7 dropped */
	assert_int_equal(word(LAPIC_TPR), 0xFF);
	wr(l, LAPIC_TPR, 0, 0);
	wr(l, LAPIC_LVT_LINT0, LVT_DELIVERY_EXTINT | 0xFFF00000, 0);
	assert_int_equal(word(LAPIC_LVT_LINT0), LVT_DELIVERY_EXTINT);
	wr(l, LAPIC_TIMER_DCR, 0xB, 0);
	wr(l, LAPIC_TIMER_ICR, 1234, 0);
	assert_int_equal(word(LAPIC_TIMER_DCR), 0xB);
	assert_int_equal(word(LAPIC_TIMER_ICR), 1234);
	assert_int_equal(word(LAPIC_TIMER_CCR), 0);     /* computed on a read, never stored */
	wr(l, LAPIC_ICR_HI, 0xFF123456, 0);
	assert_int_equal(word(LAPIC_ICR_HI), 0xFF000000);

	vlapic_accept(l, 0x61, true);
	assert_int_equal(word(LAPIC_IRR + 0x30), 1u << 1);
	assert_int_equal(word(LAPIC_TMR + 0x30), 1u << 1);
	assert_int_equal(take(l), 0x61);
	assert_int_equal(word(LAPIC_IRR + 0x30), 0);
	assert_int_equal(word(LAPIC_ISR + 0x30), 1u << 1);
	for (uint32_t off = 0; off < VLAPIC_MMIO_LEN; off += 4)
		if (off & 0xF)
			assert_int_equal(word(off), 0);         /* the rest of each slot stays 0 */

	to_x2apic(l);                                   /* ID and LDR as x2APIC reads them */
	assert_int_equal(word(LAPIC_ID), 5);
	assert_int_equal(word(LAPIC_LDR), 1u << 5);
	vlapic_set_tpr(l, 0x30);                        /* MOV CR8, in either mode */
	assert_int_equal(msr_rd(l, LAPIC_TPR, 0), 0x30);
	assert_int_equal(word(LAPIC_TPR), 0x30);
}

/* An APIC-write exit: the CPU stored the guest's raw value, then we hear of it. */
static void
cpu_writes(struct vlapic *l, uint32_t off, uint32_t v, uint64_t now)
{
	page.word[off / 4] = v;
	vlapic_apic_write(l, off, now);
}

static void
test_apic_write(void **state)
{
	struct vlapic *l = enabled_lapic(2);
	uint64_t period = 50 * 20;

	cpu_writes(l, LAPIC_ID, 0x07000000, 0);         /* read-only: put back */
	assert_int_equal(rd(l, LAPIC_ID, 0), 2u << 24);
	cpu_writes(l, LAPIC_LDR, 0x12345678, 0);
	assert_int_equal(rd(l, LAPIC_LDR, 0), 0x12000000);
	cpu_writes(l, LAPIC_DFR, 0x0, 0);
	assert_int_equal(rd(l, LAPIC_DFR, 0), 0x0FFFFFFF);

	/* the timer: the periods gone by while masked raise nothing, as over MMIO */
	wr(l, LAPIC_TIMER_DCR, 0xB, 0);
	wr(l, LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_PERIODIC | 0x40, 0);
	wr(l, LAPIC_TIMER_ICR, 50, 0);
	cpu_writes(l, LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | 0x40 | 0xF000, period * 3 + 7);
	assert_int_equal(rd(l, LAPIC_LVT_TIMER, 0), LVT_TIMER_PERIODIC | 0x40);
	assert_int_equal(vlapic_pending(l), -1);
	assert_int_equal(vlapic_update_timer(l, period * 4), period * 5);
	assert_int_equal(take(l), 0x40);
	cpu_writes(l, LAPIC_EOI, 0x1234, period * 4);   /* any value; EOI reads 0 after */
	assert_false(bit_in(LAPIC_ISR, l, 0x40));
	assert_int_equal(word(LAPIC_EOI), 0);

	/* a new divider counts from where the old one got (the old one counts until then) */
	cpu_writes(l, LAPIC_TIMER_DCR, 0x0, period * 4 + 20 * 10);     /* divide by 2 */
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, period * 4 + 20 * 10), 40);
	assert_int_equal(rd(l, LAPIC_TIMER_CCR, period * 4 + 20 * 10 + 40 * 5), 35);

	/* to TSC-deadline mode: disarms, initial count reads 0 (11.5.4.1) */
	cpu_writes(l, LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | 0x40, period * 6);
	assert_int_equal(rd(l, LAPIC_TIMER_ICR, 0), 0);
	cpu_writes(l, LAPIC_TIMER_ICR, 99, period * 6);         /* ignored in this mode */
	assert_int_equal(rd(l, LAPIC_TIMER_ICR, 0), 0);
	assert_int_equal(vlapic_update_timer(l, period * 7), UINT64_MAX);

	/* ESR: a write latches the errors since the last one */
	wr(l, LAPIC_ICR_LO, VLAPIC_ICR_SHORT_SELF | 3, 0);      /* illegal vector */
	cpu_writes(l, LAPIC_ESR, 0xFFFFFFFF, 0);
	assert_int_equal(rd(l, LAPIC_ESR, 0), VLAPIC_ESR_SEND_ILLEGAL | VLAPIC_ESR_RECV_ILLEGAL);

	/* a byte write inside a register's first dword is that register's */
	cpu_writes(l, LAPIC_LVT_LINT1, 0, 0);
	page.word[LAPIC_LVT_LINT1 / 4] = 0x00010000;
	vlapic_apic_write(l, LAPIC_LVT_LINT1 + 2, 0);
	assert_int_equal(rd(l, LAPIC_LVT_LINT1, 0), LVT_MASKED);
	vlapic_apic_write(l, LAPIC_LVT_LINT1 + 4, 0);           /* not a register: ignored */

	/* SVR software-disable masks every LVT entry, the timer's own copy too */
	cpu_writes(l, LAPIC_SVR, 0xFF, 0);
	assert_false(vlapic_enabled(l));
	for (uint32_t off = VLAPIC_LVT_FIRST; off <= VLAPIC_LVT_LAST; off += 0x10)
		assert_true(rd(l, off, 0) & LVT_MASKED);
	assert_true(l->timer_lvt & LVT_MASKED);

	/* ICR low: the IPI goes, to self here */
	cpu_writes(l, LAPIC_SVR, LAPIC_SVR_ENABLE | 0xFF, 0);
	cpu_writes(l, LAPIC_ICR_LO, VLAPIC_ICR_SHORT_SELF | 0x77, 0);
	assert_true(bit_in(LAPIC_IRR, l, 0x77));
}

/* The TPR threshold (SDM Vol. 3C, 30.1.2): the class TPR alone holds back. */
static void
test_tpr_threshold(void **state)
{
	struct vlapic *l = enabled_lapic(0);

	assert_int_equal(vlapic_tpr_threshold(l), 0);
	wr(l, LAPIC_TPR, 0x50, 0);
	assert_int_equal(vlapic_tpr_threshold(l), 0);           /* nothing requested */
	vlapic_accept(l, 0x40, false);
	assert_int_equal(vlapic_pending(l), -1);
	assert_int_equal(vlapic_tpr_threshold(l), 4);           /* TPR below 0x40 lets it go */
	wr(l, LAPIC_TPR, 0x4F, 0);
	assert_int_equal(vlapic_tpr_threshold(l), 4);           /* same class: still held */
	wr(l, LAPIC_TPR, 0x30, 0);
	assert_int_equal(vlapic_tpr_threshold(l), 0);           /* deliverable now */
	assert_int_equal(take(l), 0x40);

	/* held back by ISR, not TPR: the EOI will exit anyway */
	vlapic_accept(l, 0x45, false);
	wr(l, LAPIC_TPR, 0x20, 0);
	assert_int_equal(vlapic_pending(l), -1);
	assert_int_equal(vlapic_tpr_threshold(l), 0);
	/* software-disabled: nothing is pending, no threshold */
	wr(l, LAPIC_TPR, 0x60, 0);
	assert_int_equal(vlapic_tpr_threshold(l), 4);
	wr(l, LAPIC_SVR, 0xFF, 0);
	assert_int_equal(vlapic_tpr_threshold(l), 0);
}

/* Virtual-interrupt delivery (SDM Vol. 3C, 30.2): the CPU works on the page itself. */
static void
test_virtual_interrupt_delivery(void **state)
{
	struct vlapic *l = enabled_lapic(0);

	assert_int_equal(vlapic_intr_status(l), 0);
	l->tmr_changed = false;
	vlapic_accept(l, 0x51, false);
	vlapic_accept(l, 0x32, false);
	assert_false(l->tmr_changed);                   /* edge, TMR as it was */
	assert_int_equal(vlapic_intr_status(l), 0x51);  /* RVI 0x51, SVI 0 */

	/* the CPU delivers 0x51 as virtual-interrupt delivery does (30.2.2) */
	page.word[(LAPIC_IRR + 0x20) / 4] &= ~(1u << 17);
	page.word[(LAPIC_ISR + 0x20) / 4] |= 1u << 17;
	wr(l, LAPIC_TPR, 0x20, 0);
	assert_int_equal(vlapic_intr_status(l), 0x5132);        /* SVI 0x51, RVI 0x32 */
	assert_int_equal(word(LAPIC_PPR), 0x50);                /* what the CPU compares RVI with */
	wr(l, LAPIC_TPR, 0x60, 0);
	vlapic_intr_status(l);
	assert_int_equal(word(LAPIC_PPR), 0x60);

	/* a level-triggered vector: its EOI must reach the IOAPIC */
	vlapic_accept(l, 0x70, true);
	assert_true(l->tmr_changed);
	page.word[(LAPIC_IRR + 0x30) / 4] &= ~(1u << 16);       /* delivered ... */
	vlapic_eoi_exit(l, 0x70);                               /* ... and EOIed by the CPU */
	assert_int_equal(vlapic_take_eoi(l), 0x70);
	assert_int_equal(vlapic_take_eoi(l), -1);
	vlapic_eoi_exit(l, 0x51);                               /* edge: nothing owed */
	assert_int_equal(vlapic_take_eoi(l), -1);

	wr(l, LAPIC_SVR, 0xFF, 0);                              /* software-disabled: no request */
	assert_int_equal(vlapic_intr_status(l) & 0xFF, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_on_state),
		cmocka_unit_test(test_linux_bringup_xapic),
		cmocka_unit_test(test_software_disable),
		cmocka_unit_test(test_timer_calibration),
		cmocka_unit_test(test_timer_divide_codes),
		cmocka_unit_test(test_timer_oneshot),
		cmocka_unit_test(test_timer_periodic_coalescing),
		cmocka_unit_test(test_timer_masked_still_counts),
		cmocka_unit_test(test_timer_divide_change_midcount),
		cmocka_unit_test(test_tsc_deadline),
		cmocka_unit_test(test_priority_classes),
		cmocka_unit_test(test_isr_nesting_and_eoi_order),
		cmocka_unit_test(test_level_eoi_broadcast),
		cmocka_unit_test(test_readonly_registers_xapic),
		cmocka_unit_test(test_esr),
		cmocka_unit_test(test_ipi_xapic),
		cmocka_unit_test(test_ipi_logical_xapic),
		cmocka_unit_test(test_x2apic_views),
		cmocka_unit_test(test_x2apic_gp),
		cmocka_unit_test(test_apic_base_transitions),
		cmocka_unit_test(test_mul_div),
		cmocka_unit_test(test_register_file_is_the_page),
		cmocka_unit_test(test_apic_write),
		cmocka_unit_test(test_tpr_threshold),
		cmocka_unit_test(test_virtual_interrupt_delivery),
	};
	return cmocka_run_group_tests_name("vlapic", tests, NULL, NULL);
}
