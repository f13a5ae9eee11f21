/*
 * test/unit/test_heap.c: mm/heap.c on frames that mm/pmm.c hands out from
 * fake physical memory.
 */
#include "test/unit/fake.h"

#include "mm/heap.c"
#include "mm/pmm.c"

char _kernel_start[1], _text_end[1], _rodata_end[1], _kernel_end[1];

static struct boot_info bi;
static uint64_t all_free;

static void
setup_memory(uint64_t bytes)
{
	fake_phys_reset();
	memset(&bi, 0, sizeof(bi));
	memset(partial, 0, sizeof(partial));
	heap_lock = (struct spinlock)SPINLOCK_INIT;    /* a failed test may have left it held */
	pmm_lock = (struct spinlock)SPINLOCK_INIT;
	bi.mem_count = 1;
	bi.mem[0] = (struct boot_mem_range){ MiB(1), bytes, BOOT_MEM_USABLE };
	pmm_setup(&bi, 0, 0);
	all_free = pmm_free_pages();
	fake_log_reset();
}

static int
setup(void **state)
{
	setup_memory(FAKE_PHYS_SIZE - MiB(1));
	return 0;
}

/* Objects of every size are aligned, distinct and writable without overlap. */
static void
test_sizes(void **state)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 256, 1000, 2048, 2049, 5000, 16384, 100000 };
	uint8_t *p[ARRAY_SIZE(sizes)][20];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		for (int j = 0; j < 20; j++) {
			p[i][j] = heap_alloc(sizes[i], "test");
			assert_non_null(p[i][j]);
			assert_true(IS_ALIGNED((uintptr_t)p[i][j], HEAP_ALIGN));
			memset(p[i][j], (int)(i * 20 + j), sizes[i]);
		}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		for (int j = 0; j < 20; j++) {
			for (size_t k = 0; k < sizes[i]; k++)
				assert_int_equal(p[i][j][k], (uint8_t)(i * 20 + j));
			heap_free(p[i][j]);
		}
	/* one slab may stay per class; nothing else */
	assert_true(all_free - pmm_free_pages() <= HEAP_CLASSES * HEAP_SLAB_PAGES);
}

/* Freed objects are reused; emptied slabs go back to pmm. */
static void
test_reuse_and_release(void **state)
{
	static void *p[3000];
	void *a = heap_alloc(64, "test");

	heap_free(a);
	assert_ptr_equal(heap_alloc(64, "test"), a);
	for (int i = 0; i < 3000; i++)
		p[i] = heap_alloc(32, "test");          /* 504 per slab: 6 slabs */
	for (int i = 0; i < 3000; i++)
		heap_free(p[i]);
	heap_free(a);
	assert_true(all_free - pmm_free_pages() <= 2 * HEAP_SLAB_PAGES);
	p[0] = heap_alloc(20000, "test");
	heap_free(p[0]);
	assert_true(all_free - pmm_free_pages() <= 2 * HEAP_SLAB_PAGES);
}

static void
test_zalloc(void **state)
{
	uint8_t *p = heap_alloc(512, "test");

	memset(p, 0xAA, 512);
	heap_free(p);
	p = heap_zalloc(512, "test");
	for (int i = 0; i < 512; i++)
		assert_int_equal(p[i], 0);
	heap_free(p);
	heap_free(NULL);
}

static void
test_out_of_memory(void **state)
{
	void *p;

	setup_memory(KiB(32));
	assert_null(heap_alloc(KiB(40), "vmcs pool"));
	assert_true(fake_log_contains("heap: out of memory: vmcs pool asked for 40960 bytes; 32 KiB of frames free"));
	p = heap_alloc(8, "x");
	assert_non_null(p);
	assert_null(heap_alloc(KiB(20), "big"));
	assert_true(fake_log_contains("big asked for 20480 bytes"));
	heap_free(p);
	assert_int_equal(pmm_free_pages(), all_free - HEAP_SLAB_PAGES);        /* the last slab stays */
	assert_null(heap_alloc((size_t)1 << 62, "absurd"));
	assert_true(fake_log_contains("absurd asked for"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_sizes, setup),
		cmocka_unit_test_setup(test_reuse_and_release, setup),
		cmocka_unit_test_setup(test_zalloc, setup),
		cmocka_unit_test_setup(test_out_of_memory, setup),
	};
	return cmocka_run_group_tests_name("heap", tests, NULL, NULL);
}
