/*
 * test/unit/test_vmxcap.c: fitting wanted VMX controls to a CPU's
 * capability MSRs (SDM Vol. 3D, A.3).
 */
#include "test/unit/fake.h"

#include "kernel/cpu.h"
#include "vmx/vmxcap.c"

/* what vmxcap_check() reads besides MSRs; unused by the tests */
struct cpu_features cpu_features;

bool
power_is_qemu(void)
{
	return false;
}

static void
test_forced_bits_are_set(void **state)
{
	struct vmx_ctl_cap cap = { .must_be_1 = 0x16, .may_be_1 = 0xFF };
	uint32_t out = 0;

	assert_int_equal(vmxcap_adjust(&cap, BIT(0), 0, "pin", vmx_pin_names, &out), 0);
	assert_int_equal(out, 0x17);
}

static void
test_optional_bits_dropped_silently(void **state)
{
	struct vmx_ctl_cap cap = { .must_be_1 = 0, .may_be_1 = PIN_EXTINT_EXITING | PIN_NMI_EXITING };
	uint32_t out = 0;

	fake_log_reset();
	assert_int_equal(vmxcap_adjust(&cap, PIN_EXTINT_EXITING, PIN_PREEMPTION_TIMER | PIN_NMI_EXITING,
				       "pin-based controls", vmx_pin_names, &out), 0);
	assert_int_equal(out, PIN_EXTINT_EXITING | PIN_NMI_EXITING);
	assert_string_equal(fake_log_text(), "");
}

static void
test_missing_required_bit_is_named(void **state)
{
	struct vmx_ctl_cap cap = { .must_be_1 = 0, .may_be_1 = PROC2_EPT };
	uint32_t out = 0xDEAD;

	fake_log_reset();
	assert_int_equal(vmxcap_adjust(&cap, PROC2_EPT | PROC2_UNRESTRICTED_GUEST, 0,
				       "secondary controls", vmx_proc2_names, &out), -1);
	assert_int_equal(out, 0xDEAD);          /* untouched on failure */
	assert_true(fake_log_contains("vmx: secondary controls: this CPU cannot set 'unrestricted guest' (bit 7)"));
}

static void
test_unnamed_bit(void **state)
{
	struct vmx_ctl_cap cap = { 0, 0 };
	uint32_t out;

	fake_log_reset();
	assert_int_equal(vmxcap_adjust(&cap, BIT(1), 0, "pin-based controls", vmx_pin_names, &out), -1);
	assert_true(fake_log_contains("cannot set (bit 1)"));
}

static void
test_required_may_not_clear_forced(void **state)
{
	/* a bit that is both forced and allowed stays set whatever we ask */
	struct vmx_ctl_cap cap = { .must_be_1 = PROC_CR3_LOAD_EXITING, .may_be_1 = 0xFFFFFFFF };
	uint32_t out;

	assert_int_equal(vmxcap_adjust(&cap, PROC_HLT_EXITING, 0, "proc", vmx_proc_names, &out), 0);
	assert_int_equal(out, PROC_HLT_EXITING | PROC_CR3_LOAD_EXITING);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forced_bits_are_set),
		cmocka_unit_test(test_optional_bits_dropped_silently),
		cmocka_unit_test(test_missing_required_bit_is_named),
		cmocka_unit_test(test_unnamed_bit),
		cmocka_unit_test(test_required_may_not_clear_forced),
	};
	return cmocka_run_group_tests_name("vmxcap", tests, NULL, NULL);
}
