/*
 * test/unit/test_gva.c: walking a guest's page tables in its RAM, in each
 * paging mode (SDM Vol. 3A, 4.3-4.5).
 */
#include "test/unit/fake.h"

#include <string.h>

#include "kernel/msr.h"
#include "kernel/x86.h"
#include "mm/phys.h"
#include "vm/gva.c"
#include "vm/vm.h"

/* vm_gpa_to_hva as vm/vm.c has it, over the fake physical memory */
void *
vm_gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa >= vm->ram_size || len > vm->ram_size - gpa)
		return NULL;
	return phys_to_virt(vm->ram_hpa + gpa);
}

static struct vm vm;

static void
setup(void)
{
	fake_phys_reset();
	memset(&vm, 0, sizeof(vm));
	vm.ram_hpa = 0;
	vm.ram_size = 16u << 20;
}

static void
put64(uint64_t gpa, uint64_t v)
{
	memcpy(phys_to_virt(gpa), &v, 8);
}

static void
put32(uint64_t gpa, uint32_t v)
{
	memcpy(phys_to_virt(gpa), &v, 4);
}

static uint64_t
translate(const struct gva_ctx *c, uint64_t gva)
{
	uint64_t gpa = ~0ULL;

	assert_int_equal(gva_to_gpa(&vm, c, gva, &gpa), 0);
	return gpa;
}

static void
test_no_paging(void **state)
{
	struct gva_ctx c = { .cr0 = CR0_PE };

	setup();
	assert_int_equal(translate(&c, 0x12345), 0x12345);
	assert_int_equal(translate(&c, 0x100000000ULL + 5), 5);  /* 32-bit linear addresses */
}

/* 4-level: PML4 at 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000 */
static void
test_four_level(void **state)
{
	struct gva_ctx c = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x1000, .cr4 = CR4_PAE, .efer = EFER_LME | EFER_LMA };
	uint64_t gpa;

	setup();
	put64(0x1000 + 8 * 0, 0x2000 | 1);
	put64(0x2000 + 8 * 0, 0x3000 | 1);
	put64(0x3000 + 8 * 0, 0x4000 | 1);                       /* [0, 2M): 4K pages */
	put64(0x4000 + 8 * 5, 0x777000 | 1);                     /* 0x5000 -> 0x777000 */
	put64(0x3000 + 8 * 1, 0x600000 | 0x80 | 1);              /* [2M, 4M) -> 6M, a 2M page */
	put64(0x2000 + 8 * 1, 0x40000000 | 0x80 | 1);            /* [1G, 2G) -> 1G, a 1G page */
	put64(0x1000 + 8 * 511, 0x2000 | 1);                     /* the top 512G aliases the bottom */

	assert_int_equal(translate(&c, 0x5123), 0x777123);
	assert_int_equal(translate(&c, 0x2ABCDE), 0x6ABCDE);
	assert_int_equal(translate(&c, 0x40001234), 0x40001234);
	assert_int_equal(translate(&c, 0xFFFFFF8000005010ULL), 0x777010);
	assert_int_equal(gva_to_gpa(&vm, &c, 0x6000, &gpa), -EFAULT);          /* PTE not present */
	assert_int_equal(gva_to_gpa(&vm, &c, 0x80000000, &gpa), -EFAULT);      /* PDPTE not present */
	put64(0x3000 + 8 * 2, 0x7F000000 | 1);                   /* a table outside guest RAM */
	assert_int_equal(gva_to_gpa(&vm, &c, 0x400000, &gpa), -EFAULT);
}

/* PAE: PDPT at 0x1020 (32-byte aligned), PD 0x3000, PT 0x4000 */
static void
test_pae(void **state)
{
	struct gva_ctx c = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x1020, .cr4 = CR4_PAE };

	setup();
	put64(0x1020 + 8 * 3, 0x3000 | 1);                       /* [3G, 4G) */
	put64(0x3000 + 8 * 0, 0x4000 | 1);
	put64(0x4000 + 8 * 1, 0x888000 | 1);
	put64(0x3000 + 8 * 5, 0xA00000 | 0x80 | 1);              /* a 2M page */
	assert_int_equal(translate(&c, 0xC0001ABC), 0x888ABC);
	assert_int_equal(translate(&c, 0xC0A12345), 0xA12345);
}

/* 32-bit paging: PD at 0x5000, PT 0x6000, a 4M page with CR4.PSE */
static void
test_32bit(void **state)
{
	struct gva_ctx c = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x5000, .cr4 = CR4_PSE };
	uint64_t gpa;

	setup();
	put32(0x5000 + 4 * 0, 0x6000 | 1);
	put32(0x6000 + 4 * 7, 0x123000 | 1);
	put32(0x5000 + 4 * 2, 0x800000 | 0x80 | 1);              /* [8M, 12M) -> 8M */
	assert_int_equal(translate(&c, 0x7FFF), 0x123FFF);
	assert_int_equal(translate(&c, 0x8ABCDE), 0x8ABCDE);
	c.cr4 = 0;                                               /* without PSE, PS means nothing */
	assert_int_equal(gva_to_gpa(&vm, &c, 0x8ABCDE, &gpa), -EFAULT);
}

static void
test_read_across_pages(void **state)
{
	struct gva_ctx c = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x5000 };
	uint8_t buf[8];

	setup();
	put32(0x5000, 0x6000 | 1);
	put32(0x6000 + 4 * 1, 0x200000 | 1);                     /* 0x1000 -> 0x200000 */
	put32(0x6000 + 4 * 2, 0x100000 | 1);                     /* 0x2000 -> 0x100000 */
	memcpy(phys_to_virt(0x200FFC), "ABCD", 4);
	memcpy(phys_to_virt(0x100000), "EFGH", 4);
	assert_int_equal(gva_read(&vm, &c, 0x1FFC, buf, 8), 8);
	assert_memory_equal(buf, "ABCDEFGH", 8);
	assert_int_equal(gva_read(&vm, &c, 0x2FFC, buf, 8), 4);   /* 0x3000 is not mapped */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_paging),
		cmocka_unit_test(test_four_level),
		cmocka_unit_test(test_pae),
		cmocka_unit_test(test_32bit),
		cmocka_unit_test(test_read_across_pages),
	};
	return cmocka_run_group_tests_name("gva", tests, NULL, NULL);
}
