/*
 * test/unit/test_acpi_pm.c: the ACPI fixed hardware of the guest's PC: the
 * PM timer's rate and 24-bit wrap and TMR_STS, status bits cleared by
 * writing 1, enables, the SCI, entering S5 through PM1a_CNT a word or a
 * byte at a time, another sleep type, and the reset control register.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "devices/acpi_pm.c"

#define HZ      2500000000ULL           /* a 2.5 GHz TSC */

void irq_set(struct vm *vm, uint32_t irq, bool level) { }
void vm_reset(struct vm *vm, const char *why) { }
void vm_poweroff(struct vm *vm) { }
uint64_t vcpu_tsc(const struct vcpu *v) { return 0; }
uint64_t timer_tsc_hz(void) { return HZ; }
int irq_add_timer(struct vm *vm, irq_timer_fn fn, void *dev) { return 0; }
int iobus_register(struct iobus *bus, uint16_t first, uint16_t last, iobus_fn fn, void *dev, const char *name)
{ return 0; }

static struct acpi_pm pm;

static uint16_t
rd16(uint16_t offset, uint64_t now)
{
	uint8_t lo, hi;

	acpi_pm_io(&pm, offset, true, &lo, now);
	acpi_pm_io(&pm, offset + 1, true, &hi, now);
	return (uint16_t)(lo | hi << 8);
}

static enum acpi_pm_action
wr16(uint16_t offset, uint16_t v, uint64_t now)
{
	uint8_t lo = (uint8_t)v, hi = (uint8_t)(v >> 8);
	enum acpi_pm_action a = acpi_pm_io(&pm, offset, false, &lo, now);

	return a != ACPI_PM_NONE ? a : acpi_pm_io(&pm, offset + 1, false, &hi, now);
}

static uint32_t
timer(uint64_t now)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < 4; i++) {
		uint8_t b;

		acpi_pm_io(&pm, ACPI_PM_TMR + i, true, &b, now);
		v |= (uint32_t)b << (8 * i);
	}
	return v;
}

static void
test_timer(void **state)
{
	acpi_pm_init(&pm, HZ, 0);
	assert_int_equal(timer(0), 0);
	assert_int_equal(timer(HZ), PC_PM_TMR_HZ);             /* one second */
	assert_int_equal(timer(HZ / 1000), 3579);               /* 1 ms, rounded down */
	/* 24 bits: wraps after 2^24 / 3.579545 MHz = 4.687 s */
	assert_int_equal(timer(5 * HZ), (5 * PC_PM_TMR_HZ) & ACPI_PM_TMR_MASK);
	assert_true(timer(5 * HZ) < (1u << 24));
	/* a long way on: no overflow in the arithmetic */
	assert_int_equal(acpi_pm_ticks(&pm, 1000000 * HZ + HZ / 2), 1000000ULL * PC_PM_TMR_HZ + PC_PM_TMR_HZ / 2);
	wr16(ACPI_PM_TMR, 0, HZ);                               /* read-only */
	assert_int_equal(timer(HZ), PC_PM_TMR_HZ);
}

static void
test_tmr_sts_and_sci(void **state)
{
	uint64_t half = (1ULL << 23) * HZ / PC_PM_TMR_HZ;      /* bit 23 first changes here */

	acpi_pm_init(&pm, HZ, 0);
	assert_int_equal(rd16(ACPI_PM_CNT, 0), PC_PM1_CNT_SCI_EN);
	assert_int_equal(acpi_pm_next_event(&pm), UINT64_MAX);  /* TMR_EN off */
	wr16(ACPI_PM_EN, ACPI_PM1_TMR_STS | 0x8000, 0);
	assert_int_equal(rd16(ACPI_PM_EN, 0), ACPI_PM1_TMR_STS);        /* only the enable bits */
	assert_int_equal(acpi_pm_next_event(&pm), half + 1);
	assert_false(acpi_pm_update(&pm, half));
	assert_true(acpi_pm_update(&pm, half + 1));
	assert_int_equal(rd16(ACPI_PM_STS, half + 1), ACPI_PM1_TMR_STS);
	wr16(ACPI_PM_STS, 0xFFFE, half + 1);                    /* 1s elsewhere clear nothing set */
	assert_int_equal(rd16(ACPI_PM_STS, half + 1), ACPI_PM1_TMR_STS);
	wr16(ACPI_PM_STS, ACPI_PM1_TMR_STS, half + 1);
	assert_int_equal(rd16(ACPI_PM_STS, half + 1), 0);
	assert_false(acpi_pm_update(&pm, half + 2));
	/* the power button, enabled: SCI; SCI_EN clear: none */
	wr16(ACPI_PM_EN, ACPI_PM1_PWRBTN_STS, half + 2);
	acpi_pm_power_button(&pm);
	assert_true(acpi_pm_update(&pm, half + 2));
	wr16(ACPI_PM_CNT, 0, half + 2);
	assert_false(acpi_pm_update(&pm, half + 2));
	wr16(ACPI_PM_CNT, PC_PM1_CNT_SCI_EN, half + 2);
	wr16(ACPI_PM_STS, ACPI_PM1_PWRBTN_STS, half + 2);
	assert_false(acpi_pm_update(&pm, half + 2));
}

static void
test_sleep(void **state)
{
	uint8_t hi;

	acpi_pm_init(&pm, HZ, 0);
	/* SLP_TYP alone does nothing; SLP_EN enters the state */
	assert_int_equal(wr16(ACPI_PM_CNT, PC_PM1_CNT_SCI_EN | PC_PM1_CNT_SLP_TYP(PC_SLP_TYP_S5), 0), ACPI_PM_NONE);
	assert_int_equal(rd16(ACPI_PM_CNT, 0), PC_PM1_CNT_SCI_EN | PC_PM1_CNT_SLP_TYP(PC_SLP_TYP_S5));
	assert_int_equal(wr16(ACPI_PM_CNT, PC_PM1_CNT_SCI_EN | PC_PM1_CNT_SLP_TYP(PC_SLP_TYP_S5) | PC_PM1_CNT_SLP_EN, 0),
			 ACPI_PM_POWEROFF);
	assert_false(rd16(ACPI_PM_CNT, 0) & PC_PM1_CNT_SLP_EN);        /* reads as 0 */
	/* the high byte alone, as a byte-wide register access would */
	hi = (uint8_t)((PC_PM1_CNT_SLP_TYP(PC_SLP_TYP_S5) | PC_PM1_CNT_SLP_EN) >> 8);
	assert_int_equal(acpi_pm_io(&pm, ACPI_PM_CNT + 1, false, &hi, 0), ACPI_PM_POWEROFF);
	/* S3 is not there */
	assert_int_equal(wr16(ACPI_PM_CNT, PC_PM1_CNT_SLP_TYP(3) | PC_PM1_CNT_SLP_EN, 0), ACPI_PM_SLEEP_UNKNOWN);
	assert_int_equal(pm.slp_typ, 3);
}

static void
test_reset_register(void **state)
{
	uint8_t v;

	acpi_pm_init(&pm, HZ, 0);
	v = ACPI_RCR_SYS_RST;
	assert_int_equal(acpi_pm_rcr_io(&pm, false, &v), ACPI_PM_NONE);
	v = 0;
	acpi_pm_rcr_io(&pm, true, &v);
	assert_int_equal(v, ACPI_RCR_SYS_RST);
	v = PC_RESET_VALUE;                     /* the FADT's RESET_VALUE */
	assert_int_equal(acpi_pm_rcr_io(&pm, false, &v), ACPI_PM_RESET);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_tmr_sts_and_sci),
		cmocka_unit_test(test_sleep),
		cmocka_unit_test(test_reset_register),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
