/*
 * test/unit/test_mca.c: the guest's virtual machine-check MSRs (vm/mca.c)
 * as Linux's mcheck init uses them, and every write the SDM (Vol. 3B,
 * 16.3) forbids.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "vm/mca.c"

static bool
rd(struct mca *m, uint32_t msr, uint64_t *v)
{
	*v = 0x5A5A5A5A5A5A5A5AULL;
	return mca_msr(m, msr, false, v);
}

static bool
wr(struct mca *m, uint32_t msr, uint64_t v)
{
	return mca_msr(m, msr, true, &v);
}

static void
test_which_msrs(void **state)
{
	assert_true(mca_is_msr(MSR_IA32_MCG_CAP));
	assert_true(mca_is_msr(MSR_IA32_MCG_STATUS));
	assert_true(mca_is_msr(MSR_IA32_MCG_CTL));
	assert_true(mca_is_msr(MSR_IA32_MC0_CTL));
	assert_true(mca_is_msr(MSR_IA32_MC0_CTL + 4 * MCA_BANKS - 1));
	assert_false(mca_is_msr(MSR_IA32_MC0_CTL + 4 * MCA_BANKS));  /* past the last bank */
	assert_false(mca_is_msr(MSR_IA32_MC0_CTL2));                  /* no CMCI */
	assert_false(mca_is_msr(0x178));
	assert_false(mca_is_msr(0x17C));
}

/* __mcheck_cpu_cap_init, __mcheck_cpu_init_generic, ..._clear_banks. */
static void
test_linux_init(void **state)
{
	struct mca m;
	uint64_t v;

	memset(&m, 0, sizeof(m));
	assert_true(rd(&m, MSR_IA32_MCG_CAP, &v));
	assert_int_equal(v & MCG_CAP_COUNT_MASK, MCA_BANKS);
	assert_true(v & MCG_CAP_CTL_P);
	assert_false(v & MCG_CAP_CMCI_P);
	assert_true(wr(&m, MSR_IA32_MCG_STATUS, 0));
	assert_true(wr(&m, MSR_IA32_MCG_CTL, ~0ULL));
	for (uint32_t i = 0; i < MCA_BANKS; i++) {
		uint32_t ctl = MSR_IA32_MC0_CTL + 4 * i;

		assert_true(wr(&m, ctl + MCI_CTL, ~0ULL));
		assert_true(wr(&m, ctl + MCI_STATUS, 0));
		assert_true(rd(&m, ctl + MCI_CTL, &v));
		assert_int_equal(v, ~0ULL);
		for (uint32_t r = MCI_STATUS; r <= MCI_MISC; r++) {
			assert_true(rd(&m, ctl + r, &v));
			assert_int_equal(v, 0);
		}
	}
	assert_true(rd(&m, MSR_IA32_MCG_CTL, &v));
	assert_int_equal(v, ~0ULL);
	assert_true(rd(&m, MSR_IA32_MCG_STATUS, &v));
	assert_int_equal(v, 0);
}

static void
test_forbidden_writes(void **state)
{
	struct mca m;
	uint64_t v;

	memset(&m, 0, sizeof(m));
	assert_false(wr(&m, MSR_IA32_MCG_CAP, 0));                     /* read-only */
	assert_false(wr(&m, MSR_IA32_MCG_CTL, 1));                     /* neither all 0s nor all 1s */
	assert_false(wr(&m, MSR_IA32_MCG_STATUS, BIT(4)));             /* reserved */
	assert_true(wr(&m, MSR_IA32_MCG_STATUS, MCG_STATUS_MCIP));     /* software may set MCIP */
	assert_true(rd(&m, MSR_IA32_MCG_STATUS, &v));
	assert_int_equal(v, MCG_STATUS_MCIP);
	assert_false(wr(&m, MSR_IA32_MC0_CTL + MCI_STATUS, 1));        /* "writing 1s ... #GP" */
	assert_false(wr(&m, MSR_IA32_MC0_CTL + MCI_ADDR, 0x1000));
	assert_false(wr(&m, MSR_IA32_MC0_CTL + MCI_MISC, 1));
	assert_true(wr(&m, MSR_IA32_MC0_CTL + MCI_CTL, 0x5));          /* any enable mask */
	assert_true(rd(&m, MSR_IA32_MC0_CTL + MCI_CTL, &v));
	assert_int_equal(v, 0x5);
	assert_true(rd(&m, MSR_IA32_MC0_CTL + 4 + MCI_CTL, &v));       /* bank 1 untouched */
	assert_int_equal(v, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_which_msrs),
		cmocka_unit_test(test_linux_init),
		cmocka_unit_test(test_forbidden_writes),
	};

	return cmocka_run_group_tests_name("mca", tests, NULL, NULL);
}
