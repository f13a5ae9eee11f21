/*
 * test/unit/test_pgtable.c: mm/pgtable.c with both entry formats of
 * mm/pt_format.c, its table pages drawn by mm/pmm.c from fake physical
 * memory, and the hypervisor's own map that mm/paging.c builds with it. Mapped physical addresses are never touched, so they may lie
 * anywhere; only the tables live in the fake 64 MiB.
 */
#include "test/unit/fake.h"

#include "mm/paging.c"
#include "mm/pgtable.c"
#include "mm/pmm.c"
#include "mm/pt_format.c"

char _kernel_start[1], _text_end[1], _rodata_end[1], _kernel_end[1];
struct cpu_features cpu_features;

static struct boot_info bi;

/* The allocator over fake memory from 1 MiB to 1 MiB + pages frames. */
static void
setup_memory(uint64_t pages)
{
	fake_phys_reset();
	fake_log_reset();
	memset(&bi, 0, sizeof(bi));
	bi.mem_count = 1;
	bi.mem[0] = (struct boot_mem_range){ MiB(1), pages * PAGE_SIZE, BOOT_MEM_USABLE };
	pmm_setup(&bi, 0, 0);
}

static int
setup(void **state)
{
	setup_memory((FAKE_PHYS_SIZE - MiB(1)) / PAGE_SIZE);
	pt_format_x86.max_leaf = PT_LEVEL_1G;
	pt_format_x86.nx = true;
	pt_format_ept.max_leaf = PT_LEVEL_1G;
	return 0;
}

/* The raw entry at level for va, or 0 when the walk stops above it. */
static uint64_t
raw_entry(const struct pt_format *f, uint64_t root, uint64_t va, uint32_t level)
{
	uint64_t *t = phys_to_virt(root);

	for (uint32_t l = PT_LEVELS; l > level; l--) {
		uint64_t e = t[(va >> PT_LEVEL_SHIFT(l)) & 511];

		if (!f->present(e) || (l <= 3 && f->large(e)))
			return 0;
		t = phys_to_virt(e & PT_ADDR_MASK);
	}
	return t[(va >> PT_LEVEL_SHIFT(level)) & 511];
}

static void
expect(const struct pt_format *f, uint64_t root, uint64_t va, uint64_t pa, uint32_t level, uint32_t flags)
{
	struct pt_mapping m;

	assert_int_equal(pgtable_translate(f, root, va, &m), 0);
	assert_int_equal(m.pa, pa);
	assert_int_equal(m.level, level);
	assert_int_equal(m.flags, flags);
}

static void
expect_unmapped(const struct pt_format *f, uint64_t root, uint64_t va)
{
	struct pt_mapping m;

	assert_int_equal(pgtable_translate(f, root, va, &m), -EINVAL);
}

/* 1 GiB, then 2 MiB, then 4 KiB leaves as a range narrows; 4 KiB at unaligned edges. */
static void
check_page_sizes(struct pt_format *f)
{
	uint32_t rw = PT_READ | PT_WRITE;
	uint64_t root = pgtable_create(f);
	uint64_t va = GiB(1) - PAGE_SIZE, pa = GiB(7) - PAGE_SIZE;
	uint64_t size = PAGE_SIZE + GiB(1) + MiB(2) + 2 * PAGE_SIZE;

	assert_int_not_equal(root, 0);
	assert_int_equal(pgtable_map(f, root, va, pa, size, rw), 0);
	expect(f, root, va, pa, PT_LEVEL_4K, rw);
	expect(f, root, GiB(1), GiB(7), PT_LEVEL_1G, rw);
	expect(f, root, GiB(1) + 0x12345678, GiB(7) + 0x12345678, PT_LEVEL_1G, rw);
	expect(f, root, GiB(2), GiB(8), PT_LEVEL_2M, rw);
	expect(f, root, GiB(2) + MiB(2) - 1, GiB(8) + MiB(2) - 1, PT_LEVEL_2M, rw);
	expect(f, root, GiB(2) + MiB(2), GiB(8) + MiB(2), PT_LEVEL_4K, rw);
	expect(f, root, GiB(2) + MiB(2) + 0x1fff, GiB(8) + MiB(2) + 0x1fff, PT_LEVEL_4K, rw);
	expect_unmapped(f, root, GiB(2) + MiB(2) + 0x2000);
	expect_unmapped(f, root, va - PAGE_SIZE);
	/* root, PDPT, a PD and a PT below 1 GiB, a PD and a PT above */
	assert_int_equal(pgtable_table_pages(), 6);

	/* without 1 GiB leaves the same gigabyte is 512 2 MiB leaves */
	f->max_leaf = PT_LEVEL_2M;
	assert_int_equal(pgtable_map(f, root, GiB(4), GiB(4), GiB(1), PT_READ), 0);
	expect(f, root, GiB(4) + GiB(1) - 1, GiB(5) - 1, PT_LEVEL_2M, PT_READ);
	assert_int_equal(pgtable_table_pages(), 7);

	/* misaligned in pa only: 4 KiB leaves all the way */
	assert_int_equal(pgtable_map(f, root, GiB(6), GiB(6) + PAGE_SIZE, MiB(4), PT_READ), 0);
	expect(f, root, GiB(6) + MiB(3), GiB(6) + MiB(3) + PAGE_SIZE, PT_LEVEL_4K, PT_READ);

	pgtable_destroy(f, root);
	assert_int_equal(pgtable_table_pages(), 0);
	assert_int_equal(pmm_free_pages(), (FAKE_PHYS_SIZE - MiB(1)) / PAGE_SIZE);
}

static void
test_page_sizes_x86(void **state)
{
	check_page_sizes(&pt_format_x86);
}

static void
test_page_sizes_ept(void **state)
{
	check_page_sizes(&pt_format_ept);
}

/* A small mapping inside a 1 GiB leaf splits it twice; the rest maps as before. */
static void
check_split(struct pt_format *f)
{
	uint32_t rwx = PT_READ | PT_WRITE | PT_EXEC, ro = PT_READ;
	uint64_t root = pgtable_create(f);
	uint64_t base = GiB(3), hole = GiB(3) + 0x12345000;
	struct pt_mapping m;

	assert_int_equal(pgtable_map(f, root, base, base, GiB(1), rwx | PT_UC), 0);
	assert_int_equal(pgtable_map(f, root, hole, MiB(5), PAGE_SIZE, ro), 0);
	for (uint64_t va = base; va < base + GiB(1); va += PAGE_SIZE) {
		assert_int_equal(pgtable_translate(f, root, va + 0x123, &m), 0);
		if (va == hole) {
			assert_int_equal(m.pa, MiB(5) + 0x123);
			assert_int_equal(m.flags, ro);
			continue;
		}
		assert_int_equal(m.pa, va + 0x123);
		assert_int_equal(m.flags, rwx | PT_UC);
		assert_int_equal(m.level, va >> 21 == hole >> 21 ? PT_LEVEL_4K : PT_LEVEL_2M);
	}
	/* and back: one 1 GiB leaf again, the split tables freed */
	assert_int_equal(pgtable_table_pages(), 4);
	assert_int_equal(pgtable_map(f, root, base, base, GiB(1), rwx), 0);
	expect(f, root, hole, hole, PT_LEVEL_1G, rwx);
	assert_int_equal(pgtable_table_pages(), 2);
	pgtable_destroy(f, root);
	assert_int_equal(pgtable_table_pages(), 0);
}

static void
test_split_x86(void **state)
{
	check_split(&pt_format_x86);
}

static void
test_split_ept(void **state)
{
	check_split(&pt_format_ept);
}

static void
check_unmap(struct pt_format *f)
{
	uint64_t root = pgtable_create(f);

	assert_int_equal(pgtable_map(f, root, 0, 0, GiB(2), PT_READ), 0);
	/* page 0 out of a 1 GiB leaf; a range straddling a hole; a whole 1 GiB leaf */
	assert_int_equal(pgtable_unmap(f, root, 0, PAGE_SIZE), 0);
	expect_unmapped(f, root, 0);
	expect(f, root, PAGE_SIZE, PAGE_SIZE, PT_LEVEL_4K, PT_READ);
	expect(f, root, MiB(2), MiB(2), PT_LEVEL_2M, PT_READ);
	assert_int_equal(pgtable_unmap(f, root, GiB(1), GiB(1)), 0);
	expect_unmapped(f, root, GiB(1));
	assert_int_equal(pgtable_unmap(f, root, GiB(1) - MiB(2), MiB(2) + GiB(8)), 0);
	expect_unmapped(f, root, GiB(1) - PAGE_SIZE);
	expect(f, root, GiB(1) - MiB(2) - PAGE_SIZE, GiB(1) - MiB(2) - PAGE_SIZE, PT_LEVEL_2M, PT_READ);
	assert_int_equal(pgtable_unmap(f, root, 0, PAGE_SIZE), 0);     /* already a hole */
	pgtable_destroy(f, root);
	assert_int_equal(pgtable_table_pages(), 0);
}

static void
test_unmap_x86(void **state)
{
	check_unmap(&pt_format_x86);
}

static void
test_unmap_ept(void **state)
{
	check_unmap(&pt_format_ept);
}

/* Where the generic flags land in an x86 entry. */
static void
test_x86_bits(void **state)
{
	struct pt_format *f = &pt_format_x86;
	uint64_t root = pgtable_create(f), e;

	assert_int_equal(pgtable_map(f, root, MiB(2), GiB(5), MiB(2), PT_READ | PT_WRITE | PT_UC | PT_GLOBAL), 0);
	assert_int_equal(pgtable_map(f, root, PAGE_SIZE, 0xFEE00000, PAGE_SIZE, PT_READ | PT_EXEC), 0);

	e = raw_entry(f, root, MiB(2), PT_LEVEL_2M);
	assert_int_equal(e, GiB(5) | X86_PTE_P | X86_PTE_RW | X86_PTE_PWT | X86_PTE_PCD | X86_PTE_PS |
			 X86_PTE_G | X86_PTE_XD);
	e = raw_entry(f, root, PAGE_SIZE, PT_LEVEL_4K);
	assert_int_equal(e, 0xFEE00000 | X86_PTE_P);
	/* non-leaf entries grant everything and leave the rest to the leaf */
	e = raw_entry(f, root, 0, PT_LEVEL_2M);
	assert_int_equal(e & ~PT_ADDR_MASK, X86_PTE_P | X86_PTE_RW);
	e = ((uint64_t *)phys_to_virt(root))[0];
	assert_int_equal(e & ~PT_ADDR_MASK, X86_PTE_P | X86_PTE_RW);

	/* without EFER.NXE, XD must stay clear: it would be a reserved bit */
	f->nx = false;
	assert_int_equal(pgtable_map(f, root, GiB(1), GiB(1), GiB(1), PT_READ), 0);
	e = raw_entry(f, root, GiB(1), PT_LEVEL_1G);
	assert_int_equal(e, GiB(1) | X86_PTE_P | X86_PTE_PS);
	expect(f, root, GiB(1), GiB(1), PT_LEVEL_1G, PT_READ | PT_EXEC);
	pgtable_destroy(f, root);
}

/* Where the generic flags land in an EPT entry. */
static void
test_ept_bits(void **state)
{
	struct pt_format *f = &pt_format_ept;
	uint64_t root = pgtable_create(f), e;

	assert_int_equal(pgtable_map(f, root, 0, GiB(2), GiB(1), PT_READ | PT_WRITE | PT_EXEC), 0);
	assert_int_equal(pgtable_map(f, root, GiB(1), 0xFEC00000, PAGE_SIZE, PT_READ | PT_WRITE | PT_UC), 0);
	assert_int_equal(pgtable_map(f, root, GiB(1) + MiB(2), MiB(8), MiB(2), PT_READ | PT_IGNORE_PAT), 0);

	e = raw_entry(f, root, 0, PT_LEVEL_1G);
	assert_int_equal(e, GiB(2) | EPT_R | EPT_W | EPT_X | (EPT_MT_WB << EPT_MT_SHIFT) | EPT_LARGE);
	assert_int_equal(e & 0xff, 0xb7);
	e = raw_entry(f, root, GiB(1), PT_LEVEL_4K);
	assert_int_equal(e, 0xFEC00000 | EPT_R | EPT_W);
	e = raw_entry(f, root, GiB(1) + MiB(2), PT_LEVEL_2M);
	assert_int_equal(e, MiB(8) | EPT_R | (EPT_MT_WB << EPT_MT_SHIFT) | EPT_IPAT | EPT_LARGE);
	e = raw_entry(f, root, GiB(1), PT_LEVEL_2M);
	assert_int_equal(e & ~PT_ADDR_MASK, EPT_R | EPT_W | EPT_X);
	expect(f, root, GiB(1) + 4, 0xFEC00004, PT_LEVEL_4K, PT_READ | PT_WRITE | PT_UC);
	pgtable_destroy(f, root);
}

static void
test_bad_arguments(void **state)
{
	struct pt_format *f = &pt_format_x86;
	uint64_t root = pgtable_create(f);

	assert_int_equal(pgtable_map(f, root, 0x800, 0, PAGE_SIZE, PT_READ), -EINVAL);
	assert_int_equal(pgtable_map(f, root, 0, 0x800, PAGE_SIZE, PT_READ), -EINVAL);
	assert_int_equal(pgtable_map(f, root, 0, 0, 0x800, PT_READ), -EINVAL);
	assert_int_equal(pgtable_map(f, root, 0, 0, 0, PT_READ), -EINVAL);
	assert_int_equal(pgtable_map(f, root, 0, 0, PAGE_SIZE, PT_WRITE), -EINVAL);
	assert_int_equal(pgtable_map(f, root, PT_VA_LIMIT - PAGE_SIZE, 0, 2 * PAGE_SIZE, PT_READ), -EINVAL);
	assert_int_equal(pgtable_map(f, root, PT_VA_LIMIT - PAGE_SIZE, 0, PAGE_SIZE, PT_READ), 0);
	expect(f, root, PT_VA_LIMIT - 1, PAGE_SIZE - 1, PT_LEVEL_4K, PT_READ);
	assert_int_equal(pgtable_unmap(f, root, 0, 0x800), -EINVAL);
	pgtable_destroy(f, root);
}

/* Out of table pages: -ENOMEM, one error line, and destroy returns every page. */
static void
check_out_of_memory(struct pt_format *f)
{
	uint64_t root, before;
	int err = 0;

	setup_memory(5);
	before = pmm_free_pages();
	root = pgtable_create(f);
	/* 4 KiB leaves scattered over separate gigabytes need 3 new tables each */
	for (uint64_t i = 0; i < 4 && !err; i++)
		err = pgtable_map(f, root, i * GiB(1), 0, PAGE_SIZE, PT_READ);
	assert_int_equal(err, -ENOMEM);
	assert_int_equal(pmm_free_pages(), 0);
	assert_true(fake_log_contains(f->who));
	assert_true(fake_log_contains("out of memory"));
	pgtable_destroy(f, root);
	assert_int_equal(pmm_free_pages(), before);
	assert_int_equal(pgtable_table_pages(), 0);

	root = pgtable_create(f);
	assert_int_equal(pgtable_map(f, root, 0, 0, GiB(1), PT_READ), 0);   /* root + PDPT */
	assert_int_equal(pgtable_map(f, root, GiB(1), 0, MiB(2), PT_READ), 0); /* + PD */
	assert_int_equal(pgtable_map(f, root, GiB(2), 0, MiB(2), PT_READ), 0); /* + PD */
	assert_int_equal(pgtable_map(f, root, GiB(3), 0, MiB(2), PT_READ), 0); /* + PD: all 5 */
	/* a split that cannot get its table leaves the large leaf as it was */
	assert_int_equal(pgtable_map(f, root, 0, MiB(64), PAGE_SIZE, PT_READ), -ENOMEM);
	expect(f, root, 0, 0, PT_LEVEL_1G, PT_READ);
	assert_int_equal(pgtable_unmap(f, root, 0, PAGE_SIZE), -ENOMEM);
	expect(f, root, 0x1000, 0x1000, PT_LEVEL_1G, PT_READ);
	pgtable_destroy(f, root);
	assert_int_equal(pmm_free_pages(), before);
}

static void
test_out_of_memory_x86(void **state)
{
	check_out_of_memory(&pt_format_x86);
}

static void
test_out_of_memory_ept(void **state)
{
	check_out_of_memory(&pt_format_ept);
}

/* The hypervisor's own map (mm/paging.c) on a QEMU-like PC with 6 GiB. */
static void
test_paging_build(void **state)
{
	struct pt_format *f = &pt_format_x86;
	struct paging_image img = { MiB(1), MiB(1) + KiB(40), MiB(1) + KiB(56), MiB(1) + KiB(172) };
	struct boot_info pc = { 0 };
	struct paging_stats st;
	uint32_t rw = PT_READ | PT_WRITE | PT_GLOBAL, uc = rw | PT_UC;
	uint64_t root;

	pc.mem[pc.mem_count++] = (struct boot_mem_range){ 0, 0x9FC00, BOOT_MEM_USABLE };
	pc.mem[pc.mem_count++] = (struct boot_mem_range){ 0x9FC00, 0x400, BOOT_MEM_RESERVED };
	pc.mem[pc.mem_count++] = (struct boot_mem_range){ 0xF0000, 0x10000, BOOT_MEM_RESERVED };
	pc.mem[pc.mem_count++] = (struct boot_mem_range){ MiB(1), 0xBFFE0000 - MiB(1), BOOT_MEM_USABLE };
	pc.mem[pc.mem_count++] = (struct boot_mem_range){ 0xBFFE0000, 0x20000, BOOT_MEM_ACPI };
	pc.mem[pc.mem_count++] = (struct boot_mem_range){ 0xFFFC0000, 0x40000, BOOT_MEM_RESERVED };
	pc.mem[pc.mem_count++] = (struct boot_mem_range){ GiB(4), GiB(2), BOOT_MEM_USABLE };
	pc.fb = (struct boot_framebuffer){ .addr = GiB(64) + 0x800, .pitch = 4096, .height = 768, .type = BOOT_FB_RGB };

	f->max_leaf = PT_LEVEL_1G;
	root = paging_build(&pc, &img, &st);
	assert_int_not_equal(root, 0);
	assert_int_equal(st.ram_above_4g, GiB(2));
	expect_unmapped(f, root, 0);                                            /* NULL faults */
	expect(f, root, 0x1000, 0x1000, PT_LEVEL_4K, rw);                       /* the rest of low RAM */
	expect(f, root, 0x9E000, 0x9E000, PT_LEVEL_4K, rw);                     /* low RAM */
	expect(f, root, 0x9F000, 0x9F000, PT_LEVEL_4K, uc);                     /* EBDA page */
	expect(f, root, 0xB8000, 0xB8000, PT_LEVEL_4K, uc);                     /* VGA text */
	expect(f, root, 0xE0000, 0xE0000, PT_LEVEL_4K, uc);                     /* BIOS area */
	expect(f, root, 0xFFFFF, 0xFFFFF, PT_LEVEL_4K, uc);
	expect(f, root, MiB(1), MiB(1), PT_LEVEL_4K, PT_READ | PT_EXEC | PT_GLOBAL);
	expect(f, root, MiB(1) + KiB(40), MiB(1) + KiB(40), PT_LEVEL_4K, PT_READ | PT_GLOBAL);
	expect(f, root, MiB(1) + KiB(56), MiB(1) + KiB(56), PT_LEVEL_4K, rw);
	expect(f, root, MiB(1) + KiB(172), MiB(1) + KiB(172), PT_LEVEL_4K, rw);
	expect(f, root, MiB(2), MiB(2), PT_LEVEL_2M, rw);
	expect(f, root, GiB(1), GiB(1), PT_LEVEL_1G, rw);
	expect(f, root, 0xBFFFF000, 0xBFFFF000, PT_LEVEL_4K, rw);               /* ACPI tables */
	expect(f, root, 0xC0000000, 0xC0000000, PT_LEVEL_1G, uc);               /* PCI hole */
	expect(f, root, 0xFEC00000, 0xFEC00000, PT_LEVEL_1G, uc);               /* IOAPIC */
	expect(f, root, 0xFEE00000, 0xFEE00000, PT_LEVEL_1G, uc);               /* LAPIC */
	expect(f, root, GiB(6) - 1, GiB(6) - 1, PT_LEVEL_1G, rw);
	expect_unmapped(f, root, GiB(6));
	expect(f, root, GiB(64), GiB(64), PT_LEVEL_2M, uc);                     /* framebuffer */
	expect(f, root, GiB(64) + MiB(3), GiB(64) + MiB(3), PT_LEVEL_4K, uc);
	expect_unmapped(f, root, GiB(64) + MiB(3) + PAGE_SIZE);
	pgtable_destroy(f, root);
	assert_int_equal(pgtable_table_pages(), 0);

	/* out of memory on the way: an error line, 0, and every table page back */
	setup_memory(3);
	assert_int_equal(paging_build(&pc, &img, &st), 0);
	assert_true(fake_log_contains("paging: cannot map"));
	assert_int_equal(pmm_free_pages(), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_page_sizes_x86, setup),
		cmocka_unit_test_setup(test_page_sizes_ept, setup),
		cmocka_unit_test_setup(test_split_x86, setup),
		cmocka_unit_test_setup(test_split_ept, setup),
		cmocka_unit_test_setup(test_unmap_x86, setup),
		cmocka_unit_test_setup(test_unmap_ept, setup),
		cmocka_unit_test_setup(test_x86_bits, setup),
		cmocka_unit_test_setup(test_ept_bits, setup),
		cmocka_unit_test_setup(test_bad_arguments, setup),
		cmocka_unit_test_setup(test_out_of_memory_x86, setup),
		cmocka_unit_test_setup(test_out_of_memory_ept, setup),
		cmocka_unit_test_setup(test_paging_build, setup),
	};
	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}
