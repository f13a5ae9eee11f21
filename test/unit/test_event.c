/*
 * test/unit/test_event.c: exception combination as SDM Vol. 3A, Table 6-5
 * gives it: every pair of classes, and the triple fault.
 */
#include "test/unit/fake.h"

#include "vm/event.c"

static struct vcpu_event
exc(uint8_t v)
{
	return (struct vcpu_event){ .valid = true, .vector = v, .type = VCPU_EVENT_EXCEPTION };
}

static void
expect_after(uint8_t first, uint8_t second, int want_vector)
{
	struct vcpu_event e = exc(first);
	bool ok = event_queue_exception(&e, second, event_has_error_code(second), 0);

	if (want_vector < 0) {
		assert_false(ok);
		return;
	}
	assert_true(ok);
	assert_int_equal(e.vector, want_vector);
	assert_int_equal(e.has_error_code, event_has_error_code((uint8_t)want_vector));
}

static void
test_classes(void **state)
{
	const uint8_t contributory[] = { 0, 10, 11, 12, 13, 21 };
	const uint8_t benign[] = { 1, 2, 3, 4, 5, 6, 7, 9, 16, 17, 18, 19 };

	for (size_t i = 0; i < sizeof(contributory); i++)
		assert_int_equal(event_exception_class(contributory[i]), EXC_CONTRIBUTORY);
	for (size_t i = 0; i < sizeof(benign); i++)
		assert_int_equal(event_exception_class(benign[i]), EXC_BENIGN);
	assert_int_equal(event_exception_class(14), EXC_PAGE_FAULT);
	assert_int_equal(event_exception_class(8), EXC_DOUBLE_FAULT);
}

static void
test_table_6_5(void **state)
{
	expect_after(13, 13, 8);        /* contributory, contributory: #DF */
	expect_after(0, 11, 8);
	expect_after(13, 14, 14);       /* contributory, page fault: serially */
	expect_after(14, 13, 8);        /* page fault, contributory: #DF */
	expect_after(14, 14, 8);        /* page fault, page fault: #DF */
	expect_after(3, 13, 13);        /* benign first: serially */
	expect_after(6, 14, 14);
	expect_after(13, 6, 6);         /* benign second: serially */
	expect_after(14, 1, 1);
}

static void
test_triple_fault(void **state)
{
	expect_after(8, 13, -1);
	expect_after(8, 14, -1);
	expect_after(8, 0, -1);
	expect_after(8, 3, 3);          /* a benign exception during #DF is delivered */
}

static void
test_on_interrupt_or_nothing(void **state)
{
	struct vcpu_event e = { 0 };

	assert_true(event_queue_exception(&e, 13, true, 0x18));
	assert_int_equal(e.vector, 13);
	assert_int_equal(e.error_code, 0x18);
	e = (struct vcpu_event){ .valid = true, .vector = 0x20, .type = VCPU_EVENT_EXT_INTR };
	assert_true(event_queue_exception(&e, 14, true, 2));
	assert_int_equal(e.vector, 14);
	assert_int_equal(e.type, VCPU_EVENT_EXCEPTION);
}

static void
test_error_codes(void **state)
{
	const uint8_t with[] = { 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 };

	for (uint8_t v = 0; v < 32; v++) {
		bool want = false;

		for (size_t i = 0; i < sizeof(with); i++)
			want |= with[i] == v;
		assert_int_equal(event_has_error_code(v), want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_table_6_5),
		cmocka_unit_test(test_triple_fault),
		cmocka_unit_test(test_on_interrupt_or_nothing),
		cmocka_unit_test(test_error_codes),
	};
	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
