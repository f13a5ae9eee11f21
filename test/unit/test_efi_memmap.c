/*
 * test/unit/test_efi_memmap.c: the UEFI loader's pure parts: the EFI
 * memory map reduced to struct boot_info (boot/efi/efi_memmap.c) and the
 * check of the hypervisor's ELF file (boot/efi/image.c).
 */
#include "test/unit/fake.h"

#include <string.h>

#include "boot/efi/efi_memmap.c"
#include "boot/efi/image.c"
#include "boot/memmap.c"
#include "lib/string.c"

#define STRIDE 48               /* OVMF's descriptor size: larger than the struct */

static struct boot_info bi;
static uint8_t map[STRIDE * 300];
static size_t map_len;

static void
reset(void)
{
	memset(&bi, 0, sizeof(bi));
	memset(map, 0xEE, sizeof(map));
	map_len = 0;
}

static void
desc(uint32_t type, uint64_t base, uint64_t pages)
{
	struct efi_memdesc d = { .type = type, .phys_start = base, .pages = pages };

	memcpy(map + map_len, &d, sizeof(d));
	map_len += STRIDE;
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
test_types(void **state)
{
	assert_int_equal(efi_memmap_type(EFIMEM_CONVENTIONAL), BOOT_MEM_USABLE);
	assert_int_equal(efi_memmap_type(EFIMEM_BS_CODE), BOOT_MEM_USABLE);
	assert_int_equal(efi_memmap_type(EFIMEM_BS_DATA), BOOT_MEM_USABLE);
	assert_int_equal(efi_memmap_type(EFIMEM_LOADER_CODE), BOOT_MEM_USABLE);
	assert_int_equal(efi_memmap_type(EFIMEM_LOADER_DATA), BOOT_MEM_USABLE);
	assert_int_equal(efi_memmap_type(EFIMEM_RT_CODE), BOOT_MEM_RESERVED);
	assert_int_equal(efi_memmap_type(EFIMEM_RT_DATA), BOOT_MEM_RESERVED);
	assert_int_equal(efi_memmap_type(EFIMEM_ACPI_RECLAIM), BOOT_MEM_ACPI);
	assert_int_equal(efi_memmap_type(EFIMEM_ACPI_NVS), BOOT_MEM_ACPI_NVS);
	assert_int_equal(efi_memmap_type(EFIMEM_UNUSABLE), BOOT_MEM_BAD);
	assert_int_equal(efi_memmap_type(EFIMEM_MMIO), BOOT_MEM_RESERVED);
	assert_int_equal(efi_memmap_type(EFIMEM_PERSISTENT), BOOT_MEM_RESERVED);
	assert_int_equal(efi_memmap_type(EFIMEM_UNACCEPTED), BOOT_MEM_RESERVED);
	assert_int_equal(efi_memmap_type(0x80000000), BOOT_MEM_RESERVED);  /* OEM types */
}

/* An OVMF-like map: boot services and loader memory become usable RAM and
 * merge with conventional memory; the loader's ranges to keep are carved out. */
static void
test_ovmf_like_map(void **state)
{
	struct efi_memmap_keep keep[] = {
		{ 0x100000, 0x58000 },          /* the hypervisor image */
		{ 0xE4FE000, 0x3000 },          /* struct boot_info */
	};

	reset();
	desc(EFIMEM_BS_CODE, 0, 1);
	desc(EFIMEM_CONVENTIONAL, 0x1000, 0x9F);
	desc(EFIMEM_LOADER_CODE, 0x100000, 0x58);
	desc(EFIMEM_CONVENTIONAL, 0x158000, 0x6AE);
	desc(EFIMEM_ACPI_NVS, 0x806000, 2);
	desc(EFIMEM_BS_DATA, 0x808000, 8);
	desc(EFIMEM_LOADER_DATA, 0xE4FE000, 3);
	desc(EFIMEM_RT_DATA, 0xF000000, 0x10);
	desc(EFIMEM_ACPI_RECLAIM, 0xF010000, 0x10);
	desc(EFIMEM_MMIO, 0xFFC00000, 0x400);
	assert_int_equal(efi_memmap_convert(&bi, map, map_len, STRIDE, keep, 2), 0);
	assert_int_equal(bi.mem_count, 9);
	expect(0, 0, 0xA0000, BOOT_MEM_USABLE);
	expect(1, 0x100000, 0x58000, BOOT_MEM_RESERVED);
	expect(2, 0x158000, 0x6AE000, BOOT_MEM_USABLE);
	expect(3, 0x806000, 0x2000, BOOT_MEM_ACPI_NVS);
	expect(4, 0x808000, 0x8000, BOOT_MEM_USABLE);
	expect(5, 0xE4FE000, 0x3000, BOOT_MEM_RESERVED);
	expect(6, 0xF000000, 0x10000, BOOT_MEM_RESERVED);
	expect(7, 0xF010000, 0x10000, BOOT_MEM_ACPI);
	expect(8, 0xFFC00000, 0x400000, BOOT_MEM_RESERVED);
	assert_int_equal(bi.dropped, 0);
}

/* Real firmware maps run to hundreds of descriptors: runs of free memory
 * split by allocation only cost one range each. */
static void
test_long_map_merges(void **state)
{
	reset();
	for (uint32_t i = 0; i < 280; i++)
		desc(i % 2 ? EFIMEM_BS_DATA : EFIMEM_CONVENTIONAL, 0x100000 + i * 0x2000ull, 2);
	assert_int_equal(efi_memmap_convert(&bi, map, map_len, STRIDE, NULL, 0), 0);
	assert_int_equal(bi.mem_count, 1);
	expect(0, 0x100000, 280 * 0x2000ull, BOOT_MEM_USABLE);
	assert_int_equal(bi.dropped, 0);
}

static void
test_unsorted_and_bad_stride(void **state)
{
	reset();
	desc(EFIMEM_CONVENTIONAL, 0x200000, 0x100);
	desc(EFIMEM_CONVENTIONAL, 0x100000, 0x100);
	desc(EFIMEM_UNUSABLE, 0x180000, 1);
	assert_int_equal(efi_memmap_convert(&bi, map, map_len, STRIDE, NULL, 0), 0);
	assert_int_equal(bi.mem_count, 3);
	expect(0, 0x100000, 0x80000, BOOT_MEM_USABLE);
	expect(1, 0x180000, 0x1000, BOOT_MEM_BAD);
	expect(2, 0x181000, 0x17F000, BOOT_MEM_USABLE);

	reset();
	desc(EFIMEM_CONVENTIONAL, 0x100000, 1);
	assert_int_equal(efi_memmap_convert(&bi, map, map_len, 32, NULL, 0), -1);
	assert_int_equal(bi.mem_count, 0);
	/* a map size that ends inside a descriptor reads only whole ones */
	assert_int_equal(efi_memmap_convert(&bi, map, 20, STRIDE, NULL, 0), 0);
	assert_int_equal(bi.mem_count, 0);
}

/* --- the ELF check ----------------------------------------------------------- */

static uint8_t elf[0x3000];

/* A two-segment ELF64 at 1 MiB with the hand-off header at file offset 0x100. */
static size_t
make_elf(void)
{
	struct elf64_ehdr eh = {
		.ident = { 0x7F, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, 1 },
		.type = ET_EXEC, .machine = EM_X86_64, .version = 1, .entry = 0x100040,
		.phoff = 64, .ehsize = 64, .phentsize = 56, .phnum = 2,
	};
	struct elf64_phdr text = { .type = PT_LOAD, .offset = 0x1000, .paddr = 0x100000,
				   .vaddr = 0x100000, .filesz = 0x800, .memsz = 0x800 };
	struct elf64_phdr data = { .type = PT_LOAD, .offset = 0x2000, .paddr = 0x102000,
				   .vaddr = 0x102000, .filesz = 0x10, .memsz = 0x3000 };
	struct handoff_header h = { HANDOFF_HEADER_MAGIC, HANDOFF_VERSION, sizeof(struct boot_info), 0x100100 };

	memset(elf, 0, sizeof(elf));
	memcpy(elf, &eh, sizeof(eh));
	memcpy(elf + 64, &text, sizeof(text));
	memcpy(elf + 64 + 56, &data, sizeof(data));
	memcpy(elf + 0x1000, &h, sizeof(h));
	memset(elf + 0x1800 - 8, 0xCC, 8);      /* the text's last bytes */
	memset(elf + 0x2000, 0xDD, 0x10);
	return 0x2010;
}

static void
test_image_check_and_place(void **state)
{
	struct image_info info;
	const char *why = NULL;
	size_t n = make_elf();
	static uint8_t dest[0x5000];

	assert_int_equal(image_check(elf, n, sizeof(struct boot_info), &info, &why), 0);
	assert_int_equal(info.lo, 0x100000);
	assert_int_equal(info.hi, 0x105000);
	assert_int_equal(info.entry64, 0x100100);
	memset(dest, 0x77, sizeof(dest));
	image_place(elf, &info, dest);
	assert_int_equal(dest[0], 0x48);                /* the header's "H" */
	assert_int_equal(dest[0x7FF], 0xCC);
	assert_int_equal(dest[0x800], 0);               /* gap between segments zeroed */
	assert_int_equal(dest[0x2000], 0xDD);
	assert_int_equal(dest[0x2010], 0);              /* .bss zeroed */
	assert_int_equal(dest[0x4FFF], 0);
}

static void
expect_rejected(size_t n, const char *why_part)
{
	struct image_info info;
	const char *why = NULL;

	assert_int_equal(image_check(elf, n, sizeof(struct boot_info), &info, &why), -1);
	assert_non_null(why);
	if (!strstr(why, why_part))
		fail_msg("expected '%s' in '%s'", why_part, why);
}

static void
test_image_rejects(void **state)
{
	size_t n = make_elf();
	struct elf64_phdr ph;

	expect_rejected(3000, "segment runs past the end");             /* truncated */
	expect_rejected(100, "program headers");
	expect_rejected(10, "not an ELF file");
	elf[1] = 'X';
	expect_rejected(n, "not an ELF file");
	make_elf();
	elf[EI_CLASS] = 1;
	expect_rejected(n, "not an x86-64 ELF64");
	make_elf();
	memset(elf + 0x1000, 0, 8);                                     /* no header magic */
	expect_rejected(n, "no hand-off header");
	make_elf();
	elf[0x1000 + 12] ^= 1;                                          /* boot_info size */
	expect_rejected(n, "do not match");
	make_elf();
	elf[0x1000 + 18] = 0x20;                                        /* entry64 0x200100 */
	expect_rejected(n, "outside the image");
	make_elf();
	memcpy(&ph, elf + 64 + 56, sizeof(ph));
	ph.paddr = 0xFFFFF000;
	memcpy(elf + 64 + 56, &ph, sizeof(ph));
	expect_rejected(n, "above 4 GiB");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_ovmf_like_map),
		cmocka_unit_test(test_long_map_merges),
		cmocka_unit_test(test_unsorted_and_bad_stride),
		cmocka_unit_test(test_image_check_and_place),
		cmocka_unit_test(test_image_rejects),
	};
	return cmocka_run_group_tests_name("efi_memmap", tests, NULL, NULL);
}
