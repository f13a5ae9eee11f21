/*
 * test/unit/test_pmm.c: mm/pmm.c with made-up memory maps. The allocator
 * never touches the memory it hands out, so maps may reach far past the
 * fake physical memory.
 */
#include "test/unit/fake.h"

#include "mm/pmm.c"

char _kernel_start[1], _text_end[1], _rodata_end[1], _kernel_end[1];

static struct boot_info bi;

static void
add(uint64_t base, uint64_t length, uint32_t type)
{
	bi.mem[bi.mem_count++] = (struct boot_mem_range){ base, length, type };
}

static void
add_module(uint64_t start, uint64_t end)
{
	bi.modules[bi.module_count].start = start;
	bi.modules[bi.module_count].end = end;
	bi.module_count++;
}

static int
setup(void **state)
{
	memset(&bi, 0, sizeof(bi));
	fake_log_reset();
	return 0;
}

/* A QEMU-like PC: low RAM, the BIOS hole, RAM to just below 4 GiB, RAM above. */
static void
pc_map(void)
{
	add(0, 0x9FC00, BOOT_MEM_USABLE);
	add(0x9FC00, 0x400, BOOT_MEM_RESERVED);
	add(0xF0000, 0x10000, BOOT_MEM_RESERVED);
	add(MiB(1), 0x7FEE0123 - MiB(1), BOOT_MEM_USABLE);         /* ends unaligned */
	add(0x7FEE0123, 0x120000, BOOT_MEM_ACPI);
	add(0xFEFFC000, 0x4000, BOOT_MEM_RESERVED);
	add(GiB(4), GiB(2), BOOT_MEM_USABLE);
}

static void
assert_free(uint64_t pa, bool expect_free)
{
	bool found = false;

	for (uint32_t i = 0; i < free_count; i++)
		if (free_list[i].base <= pa && pa < extent_end(&free_list[i]))
			found = true;
	assert_int_equal(found, expect_free);
}

static void
test_exclusions(void **state)
{
	uint64_t image_start = MiB(1), image_end = MiB(1) + 0x23456;  /* end rounds up */

	pc_map();
	add_module(MiB(16) + 0x10, MiB(16) + 0x2010);   /* unaligned: 3 frames */
	add_module(GiB(5), GiB(5) + MiB(1));
	pmm_setup(&bi, image_start, image_end);

	assert_free(0, false);
	assert_free(0x9E000, false);            /* low memory is never handed out */
	assert_free(MiB(1), false);
	assert_free(MiB(1) + 0x23000, false);
	assert_free(MiB(1) + 0x24000, true);
	assert_free(MiB(16) - PAGE_SIZE, true);
	assert_free(MiB(16), false);
	assert_free(MiB(16) + 0x2000, false);
	assert_free(MiB(16) + 0x3000, true);
	assert_free(0x7FEDF000, true);
	assert_free(0x7FEE0000, false);         /* partial last frame of the range */
	assert_free(0xFEFFC000, false);
	assert_free(GiB(5) - PAGE_SIZE, true);
	assert_free(GiB(5), false);
	assert_free(GiB(5) + MiB(1), true);
	assert_int_equal(pmm_extent_count(), 4);
	assert_int_equal(pmm_free_pages(),
			 (0x7FEE0000 - MiB(1) - 0x24000 - 0x3000 + GiB(2) - MiB(1)) / PAGE_SIZE);
}

static void
test_summary_line(void **state)
{
	pc_map();
	add_module(MiB(16), MiB(16) + KiB(8));
	pmm_setup(&bi, MiB(1), MiB(1) + KiB(200));
	assert_true(fake_log_contains("memory: 4094 MiB usable, 4093 MiB free in 3 ranges after the image "
				      "(200 KiB), modules (8 KiB) and low memory"));
}

static void
test_alignment(void **state)
{
	add(MiB(1), MiB(63), BOOT_MEM_USABLE);
	pmm_setup(&bi, MiB(1), MiB(1) + PAGE_SIZE);

	uint64_t a = pmm_alloc(1, 0, "test");
	uint64_t b = pmm_alloc(512, LARGE_PAGE_SIZE, "test");
	uint64_t c = pmm_alloc(3, 0, "test");
	uint64_t d = pmm_alloc(4, KiB(16), "test");

	assert_int_equal(a, MiB(1) + PAGE_SIZE);        /* lowest first */
	assert_int_equal(b, MiB(2));
	assert_int_equal(c, MiB(1) + 2 * PAGE_SIZE);    /* from the gap below b */
	assert_int_equal(d, MiB(1) + KiB(32));
	assert_int_equal(pmm_free_pages(), MiB(63) / PAGE_SIZE - 1 - 1 - 512 - 3 - 4);
	assert_int_equal(pmm_try_alloc(1, 3 * PAGE_SIZE), 0);   /* not a power of two */
	assert_int_equal(pmm_try_alloc(0, 0), 0);
	pmm_free(b, 512);
	pmm_free(a, 1);
	pmm_free(c, 3);
	pmm_free(d, 4);
	assert_int_equal(pmm_extent_count(), 1);
	assert_int_equal(pmm_free_pages(), (MiB(63) - PAGE_SIZE) / PAGE_SIZE);
}

static void
test_exhaustion(void **state)
{
	add(MiB(1), MiB(4), BOOT_MEM_USABLE);
	add(MiB(8), MiB(1), BOOT_MEM_USABLE);
	pmm_setup(&bi, 0, 0);
	fake_log_reset();

	assert_int_equal(pmm_alloc(2048, 0, "guest linux RAM"), 0);
	assert_true(fake_log_contains("pmm: out of memory: guest linux RAM asked for 8192 KiB "
				      "(2048 pages, 4 KiB aligned); 5120 KiB free, largest run 4096 KiB"));
	assert_int_equal(strchr(fake_log_text(), '\n'), fake_log_text() + strlen(fake_log_text()) - 1);
	/* 4 MiB fits once, not twice; alignment can make a fitting size fail */
	assert_int_not_equal(pmm_alloc(1024, 0, "a"), 0);
	assert_int_equal(pmm_try_alloc(256, MiB(16)), 0);
	assert_int_equal(pmm_alloc(256, MiB(8), "b"), MiB(8));
	assert_int_equal(pmm_free_pages(), 0);
	assert_int_equal(pmm_try_alloc(1, 0), 0);
}

static void
test_free_merges(void **state)
{
	uint64_t p[8];

	add(MiB(1), MiB(1), BOOT_MEM_USABLE);
	pmm_setup(&bi, 0, 0);
	for (int i = 0; i < 8; i++)
		p[i] = pmm_alloc(1, 0, "test");
	assert_int_equal(pmm_extent_count(), 1);
	/* free every other frame: 4 holes plus the tail; then fill in between */
	for (int i = 0; i < 8; i += 2)
		pmm_free(p[i], 1);
	assert_int_equal(pmm_extent_count(), 5);
	pmm_free(p[3], 1);                      /* merges with both neighbours */
	assert_int_equal(pmm_extent_count(), 4);
	pmm_free(p[7], 1);                      /* joins the tail, and p[6] with it */
	assert_int_equal(pmm_extent_count(), 3);
	pmm_free(p[1], 1);
	pmm_free(p[5], 1);
	assert_int_equal(pmm_extent_count(), 1);
	assert_int_equal(pmm_free_pages(), MiB(1) / PAGE_SIZE);
	assert_int_equal(pmm_largest_run(), MiB(1) / PAGE_SIZE);
}

/* Many small frees scattered through memory, then a large aligned run must still come. */
static void
test_fragmentation(void **state)
{
	static uint64_t pages[4096];
	uint64_t big;

	add(MiB(1), MiB(31), BOOT_MEM_USABLE);
	pmm_setup(&bi, 0, 0);
	for (int i = 0; i < 4096; i++)
		pages[i] = pmm_alloc(1, 0, "test");
	for (int i = 0; i < 4096; i += 3)
		pmm_free(pages[i], 1);
	assert_true(pmm_extent_count() > 1000);
	big = pmm_alloc(1024, MiB(4), "guest");
	assert_int_equal(big, MiB(20));         /* past the 16 MiB of singles, 4 MiB-aligned */
	/* the first two-frame run: the last single, freed, and the tail */
	assert_int_equal(pmm_try_alloc(2, 0), MiB(17) - PAGE_SIZE);
	for (int i = 0; i < 4096; i++)
		if (i % 3 && i != 4095)
			pmm_free(pages[i], 1);
	pmm_free(big, 1024);
	pmm_free(MiB(17) - PAGE_SIZE, 2);
	assert_int_equal(pmm_extent_count(), 1);
	assert_int_equal(pmm_free_pages(), MiB(31) / PAGE_SIZE);
}

/* With the extent table full, a free that needs a new extent is reported, not corrupting. */
static void
test_table_full(void **state)
{
	static uint64_t pages[2 * PMM_MAX_EXTENTS + 2];
	uint32_t n = ARRAY_SIZE(pages);

	add(MiB(1), (n + 1) * PAGE_SIZE, BOOT_MEM_USABLE);
	pmm_setup(&bi, 0, 0);
	for (uint32_t i = 0; i < n; i++)
		pages[i] = pmm_alloc(1, 0, "test");
	for (uint32_t i = 0; i < n; i += 2)
		pmm_free(pages[i], 1);
	assert_int_equal(pmm_extent_count(), PMM_MAX_EXTENTS);
	assert_true(fake_log_contains("free-extent table full"));
	assert_int_equal(pmm_free_pages(), PMM_MAX_EXTENTS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_exclusions, setup),
		cmocka_unit_test_setup(test_summary_line, setup),
		cmocka_unit_test_setup(test_alignment, setup),
		cmocka_unit_test_setup(test_exhaustion, setup),
		cmocka_unit_test_setup(test_free_merges, setup),
		cmocka_unit_test_setup(test_fragmentation, setup),
		cmocka_unit_test_setup(test_table_full, setup),
	};
	return cmocka_run_group_tests_name("pmm", tests, NULL, NULL);
}
