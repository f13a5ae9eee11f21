/*
 * test/unit/test_memmap.c: normalising firmware memory maps.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "boot/memmap.c"
#include "lib/string.c"

static struct boot_info bi;

static void
reset(void)
{
	memset(&bi, 0, sizeof(bi));
}

static void
expect(uint32_t i, uint64_t base, uint64_t length, uint32_t type)
{
	assert_true(i < bi.mem_count);
	assert_int_equal(bi.mem[i].base, base);
	assert_int_equal(bi.mem[i].length, length);
	assert_int_equal(bi.mem[i].type, type);
}

static void
test_sorts_and_merges(void **state)
{
	reset();
	memmap_add(&bi, 0x200000, 0x100000, BOOT_MEM_USABLE);
	memmap_add(&bi, 0x100000, 0x100000, BOOT_MEM_USABLE);
	memmap_add(&bi, 0, 0x9F000, BOOT_MEM_USABLE);
	memmap_sanitize(&bi);
	assert_int_equal(bi.mem_count, 2);
	expect(0, 0, 0x9F000, BOOT_MEM_USABLE);
	expect(1, 0x100000, 0x200000, BOOT_MEM_USABLE);
	assert_int_equal(memmap_usable_bytes(&bi), 0x9F000 + 0x200000);
}

static void
test_overlap_stricter_type_wins(void **state)
{
	reset();
	memmap_add(&bi, 0x100000, 0x400000, BOOT_MEM_USABLE);
	memmap_add(&bi, 0x200000, 0x1000, BOOT_MEM_RESERVED);
	memmap_add(&bi, 0x300000, 0x200000, BOOT_MEM_ACPI);     /* runs past the usable end */
	memmap_sanitize(&bi);
	assert_int_equal(bi.mem_count, 4);
	expect(0, 0x100000, 0x100000, BOOT_MEM_USABLE);
	expect(1, 0x200000, 0x1000, BOOT_MEM_RESERVED);
	expect(2, 0x201000, 0xFF000, BOOT_MEM_USABLE);
	expect(3, 0x300000, 0x200000, BOOT_MEM_ACPI);
}

static void
test_bad_ram_beats_everything(void **state)
{
	reset();
	memmap_add(&bi, 0, 0x10000, BOOT_MEM_RESERVED);
	memmap_add(&bi, 0x8000, 0x1000, BOOT_MEM_BAD);
	memmap_sanitize(&bi);
	assert_int_equal(bi.mem_count, 3);
	expect(1, 0x8000, 0x1000, BOOT_MEM_BAD);
}

static void
test_empty_and_wrapping(void **state)
{
	reset();
	memmap_add(&bi, 0x1000, 0, BOOT_MEM_USABLE);
	assert_int_equal(bi.mem_count, 0);
	memmap_add(&bi, 0xFFFFFFFFFFFFF000ULL, 0x2000, BOOT_MEM_RESERVED);
	assert_int_equal(bi.mem[0].length, 0x1000);
	memmap_sanitize(&bi);
	assert_int_equal(bi.mem_count, 0);     /* [x, 2^64) has no representable end */
}

static void
test_overflow_counts_dropped(void **state)
{
	reset();
	for (int i = 0; i < BOOT_MAX_MEM_RANGES + 5; i++)
		memmap_add(&bi, (uint64_t)i * 0x2000, 0x1000, i % 2 ? BOOT_MEM_USABLE : BOOT_MEM_RESERVED);
	assert_int_equal(bi.mem_count, BOOT_MAX_MEM_RANGES);
	assert_int_equal(bi.dropped, 5);
	memmap_sanitize(&bi);
	assert_int_equal(bi.mem_count, BOOT_MAX_MEM_RANGES);
}

static void
test_e820_types(void **state)
{
	assert_int_equal(memmap_from_e820(1), BOOT_MEM_USABLE);
	assert_int_equal(memmap_from_e820(2), BOOT_MEM_RESERVED);
	assert_int_equal(memmap_from_e820(3), BOOT_MEM_ACPI);
	assert_int_equal(memmap_from_e820(4), BOOT_MEM_ACPI_NVS);
	assert_int_equal(memmap_from_e820(5), BOOT_MEM_BAD);
	assert_int_equal(memmap_from_e820(12), BOOT_MEM_RESERVED);
	assert_string_equal(memmap_type_name(BOOT_MEM_ACPI_NVS), "acpi-nvs");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorts_and_merges),
		cmocka_unit_test(test_overlap_stricter_type_wins),
		cmocka_unit_test(test_bad_ram_beats_everything),
		cmocka_unit_test(test_empty_and_wrapping),
		cmocka_unit_test(test_overflow_counts_dropped),
		cmocka_unit_test(test_e820_types),
	};
	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
