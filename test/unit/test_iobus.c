/*
 * test/unit/test_iobus.c: the port bus. Ranges registered in any order are
 * found by every port they hold and by no other; an overlap, a backwards
 * range and a full bus are refused; unclaimed ports read all-ones in each
 * size.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "vm/iobus.c"

static struct vm vm;
static uint16_t last_port;
static void *last_dev;

static void
dev_fn(struct vm *v, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	last_port = port;
	last_dev = dev;
	if (in)
		*value = (uint32_t)(uintptr_t)dev;
}

static int
setup(void **state)
{
	memset(&vm, 0, sizeof(vm));
	last_dev = NULL;
	return 0;
}

/* The PC's ranges, registered out of order as devices attach. */
static const struct { uint16_t first, last; } pc[] = {
	{ 0x3F8, 0x3FF }, { 0x20, 0x21 }, { 0xA0, 0xA1 }, { 0x4D0, 0x4D1 }, { 0x40, 0x43 },
	{ 0x61, 0x61 }, { 0x70, 0x71 }, { 0x600, 0x60B }, { 0xCF9, 0xCF9 }, { 0xCF8, 0xCF8 },
	{ 0xCFC, 0xCFF }, { 0x60, 0x60 }, { 0x64, 0x64 }, { 0xF4, 0xF4 }, { 0x510, 0x511 },
};

static void
test_every_port_finds_its_device(void **state)
{
	for (uintptr_t i = 0; i < ARRAY_SIZE(pc); i++)
		assert_int_equal(iobus_register(&vm.iobus, pc[i].first, pc[i].last, dev_fn, (void *)(i + 1), "dev"), 0);
	for (uint32_t port = 0; port <= 0xFFFF; port++) {
		uintptr_t want = 0;
		uint32_t v = 0;

		for (uintptr_t i = 0; i < ARRAY_SIZE(pc); i++)
			if (port >= pc[i].first && port <= pc[i].last)
				want = i + 1;
		last_dev = NULL;
		assert_int_equal(iobus_access(&vm, (uint16_t)port, 1, true, &v), want != 0);
		if (want) {
			assert_ptr_equal(last_dev, (void *)want);
			assert_int_equal(last_port, port);
			assert_int_equal(v, want);
		} else {
			assert_null(last_dev);
			assert_int_equal(v, 0xFF);
		}
	}
	for (uint32_t i = 1; i < vm.iobus.count; i++)
		assert_true(vm.iobus.ranges[i - 1].last < vm.iobus.ranges[i].first);
}

static void
test_overlaps_are_refused(void **state)
{
	assert_int_equal(iobus_register(&vm.iobus, 0x40, 0x43, dev_fn, NULL, "pit"), 0);
	assert_int_equal(iobus_register(&vm.iobus, 0x43, 0x44, dev_fn, NULL, "a"), -EBUSY);
	assert_int_equal(iobus_register(&vm.iobus, 0x3F, 0x40, dev_fn, NULL, "b"), -EBUSY);
	assert_int_equal(iobus_register(&vm.iobus, 0x41, 0x41, dev_fn, NULL, "c"), -EBUSY);
	assert_int_equal(iobus_register(&vm.iobus, 0x00, 0xFFFF, dev_fn, NULL, "d"), -EBUSY);
	assert_int_equal(iobus_register(&vm.iobus, 0x50, 0x4F, dev_fn, NULL, "backwards"), -EINVAL);
	assert_int_equal(iobus_register(&vm.iobus, 0x3F, 0x3F, dev_fn, NULL, "below"), 0);
	assert_int_equal(iobus_register(&vm.iobus, 0x44, 0x44, dev_fn, NULL, "above"), 0);
	assert_int_equal(vm.iobus.count, 3);
}

static void
test_full_bus(void **state)
{
	for (uint16_t i = 0; i < IOBUS_MAX_RANGES; i++)
		assert_int_equal(iobus_register(&vm.iobus, (uint16_t)(0xFFFF - i), (uint16_t)(0xFFFF - i), dev_fn, NULL, "p"), 0);
	assert_int_equal(iobus_register(&vm.iobus, 0, 0, dev_fn, NULL, "one too many"), -ENOSPC);
}

static void
test_unclaimed_reads_all_ones(void **state)
{
	uint32_t v = 0;

	assert_false(iobus_access(&vm, 0x80, 1, true, &v));
	assert_int_equal(v, 0xFF);
	assert_false(iobus_access(&vm, 0x80, 2, true, &v));
	assert_int_equal(v, 0xFFFF);
	assert_false(iobus_access(&vm, 0x80, 4, true, &v));
	assert_int_equal(v, 0xFFFFFFFFu);
	v = 0x12;
	assert_false(iobus_access(&vm, 0x80, 1, false, &v));
	assert_int_equal(v, 0x12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_port_finds_its_device, setup),
		cmocka_unit_test_setup(test_overlaps_are_refused, setup),
		cmocka_unit_test_setup(test_full_bus, setup),
		cmocka_unit_test_setup(test_unclaimed_reads_all_ones, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
