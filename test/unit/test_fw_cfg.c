/*
 * test/unit/test_fw_cfg.c: fw_cfg items read through the ports as a guest
 * does (QEMU docs/specs/fw_cfg.rst): the signature, FW_CFG_ID, RAM size,
 * CPU counts, the command line, unknown and architecture items, reading
 * past an item's end, selecting again, and data reads wider than a byte.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "devices/fw_cfg.c"

int iobus_register(struct iobus *bus, uint16_t first, uint16_t last, iobus_fn fn, void *dev, const char *name)
{ return 0; }

static struct fw_cfg fw;

static void
select_item(uint16_t key)
{
	uint32_t v = key;

	fw_cfg_io(&fw, PC_PORT_FW_CFG_SEL, 2, false, &v);
}

static uint32_t
data(uint8_t size)
{
	uint32_t v = 0xDEADBEEF;

	fw_cfg_io(&fw, PC_PORT_FW_CFG_DATA, size, true, &v);
	return v;
}

static uint64_t
number(uint16_t key, unsigned len)
{
	uint64_t v = 0;

	select_item(key);
	for (unsigned i = 0; i < len; i++)
		v |= (uint64_t)data(1) << (8 * i);
	return v;
}

static void
test_signature_and_id(void **state)
{
	char sig[5] = { 0 };

	fw_cfg_init(&fw, MiB(64), "");
	select_item(FW_CFG_SIGNATURE);
	for (int i = 0; i < 4; i++)
		sig[i] = (char)data(1);
	assert_string_equal(sig, "QEMU");
	assert_int_equal(data(1), 0);                   /* past the end */
	select_item(FW_CFG_SIGNATURE);                  /* selecting starts over */
	assert_int_equal(data(4), 0x554D4551);          /* "QEMU", first byte lowest */
	assert_int_equal(number(FW_CFG_ID, 4), FW_CFG_ID_TRADITIONAL);
}

static void
test_numbers(void **state)
{
	fw_cfg_init(&fw, GiB(5) + MiB(3), NULL);
	assert_int_equal(number(FW_CFG_RAM_SIZE, 8), GiB(5) + MiB(3));
	assert_int_equal(number(FW_CFG_NB_CPUS, 2), 1);
	assert_int_equal(number(FW_CFG_MAX_CPUS, 2), 1);
	select_item(FW_CFG_RAM_SIZE);
	assert_int_equal(data(4), (uint32_t)(GiB(5) + MiB(3)));
	assert_int_equal(data(4), 1);
	assert_int_equal(data(4), 0);
	/* the write-channel bit selects the same item; writes change nothing */
	select_item(FW_CFG_WRITE_CHANNEL | FW_CFG_NB_CPUS);
	uint32_t v = 7;
	fw_cfg_io(&fw, PC_PORT_FW_CFG_DATA, 1, false, &v);
	assert_int_equal(data(2), 1);
}

static void
test_cmdline(void **state)
{
	char buf[32];

	fw_cfg_init(&fw, MiB(16), "reset=kbc");
	assert_int_equal(number(FW_CFG_CMDLINE_SIZE, 4), 10);
	select_item(FW_CFG_CMDLINE_DATA);
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (char)data(1);
	assert_string_equal(buf, "reset=kbc");
	fw_cfg_init(&fw, MiB(16), "");
	assert_int_equal(number(FW_CFG_CMDLINE_SIZE, 4), 1);
	assert_int_equal(number(FW_CFG_CMDLINE_DATA, 4), 0);
}

static void
test_unknown_items_read_zero(void **state)
{
	fw_cfg_init(&fw, MiB(16), "x");
	assert_int_equal(number(0x0002, 8), 0);          /* UUID */
	assert_int_equal(number(0x0019, 4), 0);          /* file directory: no files */
	assert_int_equal(number(0x1234, 8), 0);
	assert_int_equal(number(FW_CFG_ARCH_LOCAL | FW_CFG_SIGNATURE, 4), 0);
	uint32_t v = 0x5A;
	fw_cfg_io(&fw, PC_PORT_FW_CFG_SEL, 2, true, &v);
	assert_int_equal(v, 0);                         /* the selector is write-only */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_and_id),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_unknown_items_read_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
