/*
 * test/unit/test_multiboot.c: Multiboot1 and Multiboot2 information, laid
 * out in fake physical memory the way GRUB and QEMU lay it out, reduced to
 * struct boot_info.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "boot/memmap.c"
#include "boot/multiboot1.c"
#include "boot/multiboot2.c"
#include "lib/string.c"

static struct boot_info bi;

static void
put32(uint64_t pa, uint32_t v)
{
	memcpy(phys_to_virt(pa), &v, 4);
}

static void
put64(uint64_t pa, uint64_t v)
{
	memcpy(phys_to_virt(pa), &v, 8);
}

static void
put_str(uint64_t pa, const char *s)
{
	memcpy(phys_to_virt(pa), s, strlen(s) + 1);
}

static void
reset(void)
{
	fake_phys_reset();
	memset(&bi, 0, sizeof(bi));
}

/* --- Multiboot1 ---------------------------------------------------------- */

#define MB1_INFO 0x10000

static uint64_t
mb1_mmap_entry(uint64_t pa, uint64_t base, uint64_t len, uint32_t type)
{
	put32(pa, 20);
	put64(pa + 4, base);
	put64(pa + 12, len);
	put32(pa + 20, type);
	return pa + 24;
}

static void
test_mb1_full(void **state)
{
	uint64_t e = 0x11000;

	reset();
	put32(MB1_INFO + 0, MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MMAP | MB1_INFO_LOADER);
	put32(MB1_INFO + 16, 0x12000);
	put_str(0x12000, "/boot/hypervisor.elf log=debug console=serial");
	put32(MB1_INFO + 64, 0x12100);
	put_str(0x12100, "GRUB 2.06");
	e = mb1_mmap_entry(e, 0x100000, 0x7F00000, 1);
	e = mb1_mmap_entry(e, 0, 0x9FC00, 1);
	e = mb1_mmap_entry(e, 0x9FC00, 0x400, 2);
	e = mb1_mmap_entry(e, 0x7FE0000, 0x20000, 3);
	put32(MB1_INFO + 44, (uint32_t)(e - 0x11000));
	put32(MB1_INFO + 48, 0x11000);
	put32(MB1_INFO + 20, 2);
	put32(MB1_INFO + 24, 0x13000);
	put32(0x13000, 0x200000);
	put32(0x13004, 0x201000);
	put32(0x13008, 0x12200);
	put_str(0x12200, "guest name=one");
	put32(0x13010, 0x300000);
	put32(0x13014, 0x300800);
	put32(0x13018, 0);

	assert_int_equal(multiboot1_parse(&bi, MB1_INFO), 0);
	assert_string_equal(bi.cmdline, "log=debug console=serial");
	assert_string_equal(bi.loader, "GRUB 2.06");
	assert_int_equal(bi.mem_count, 4);
	assert_int_equal(bi.mem[0].base, 0);
	assert_int_equal(bi.mem[1].type, BOOT_MEM_RESERVED);
	assert_int_equal(bi.mem[2].base, 0x100000);
	assert_int_equal(bi.mem[2].length, 0x7EE0000);
	assert_int_equal(bi.mem[3].type, BOOT_MEM_ACPI);
	assert_int_equal(bi.module_count, 2);
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.modules[0].end, 0x201000);
	assert_string_equal(bi.modules[0].cmdline, "guest name=one");
	assert_string_equal(bi.modules[1].cmdline, "");
	assert_int_equal(bi.fb.type, BOOT_FB_NONE);
}

static void
test_mb1_meminfo_only(void **state)
{
	reset();
	put32(MB1_INFO, MB1_INFO_MEM | MB1_INFO_CMDLINE | MB1_INFO_LOADER);
	put32(MB1_INFO + 4, 639);
	put32(MB1_INFO + 8, 65536);
	put32(MB1_INFO + 16, 0x12000);
	put_str(0x12000, "kernel");          /* only the file name: no options */
	put32(MB1_INFO + 64, 0x12100);
	put_str(0x12100, "qemu");
	assert_int_equal(multiboot1_parse(&bi, MB1_INFO), 0);
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.loader, "qemu");
	assert_int_equal(bi.mem_count, 2);
	assert_int_equal(bi.mem[1].base, 0x100000);
	assert_int_equal(bi.mem[1].length, 65536ull << 10);
}

/* GRUB 2's "multiboot" gives the options alone: nothing may be cut. */
static void
test_mb1_grub2_cmdline_kept(void **state)
{
	reset();
	put32(MB1_INFO, MB1_INFO_CMDLINE | MB1_INFO_LOADER);
	put32(MB1_INFO + 16, 0x12000);
	put_str(0x12000, "frobnicate=1 log=debug");
	put32(MB1_INFO + 64, 0x12100);
	put_str(0x12100, "GRUB 2.06-13+deb12u2");
	assert_int_equal(multiboot1_parse(&bi, MB1_INFO), 0);
	assert_string_equal(bi.cmdline, "frobnicate=1 log=debug");
}

static void
test_mb1_bad_mmap_entry(void **state)
{
	reset();
	put32(MB1_INFO, MB1_INFO_MMAP);
	put32(MB1_INFO + 44, 24);
	put32(MB1_INFO + 48, 0x11000);
	put32(0x11000, 4);                      /* too small to hold an entry */
	assert_int_equal(multiboot1_parse(&bi, MB1_INFO), -1);
}

static void
test_mb1_text_framebuffer(void **state)
{
	reset();
	put32(MB1_INFO, MB1_INFO_FB);
	put64(MB1_INFO + 88, 0xB8000);
	put32(MB1_INFO + 96, 160);
	put32(MB1_INFO + 100, 80);
	put32(MB1_INFO + 104, 25);
	*(uint8_t *)phys_to_virt(MB1_INFO + 108) = 16;
	*(uint8_t *)phys_to_virt(MB1_INFO + 109) = MB1_FB_TEXT;
	assert_int_equal(multiboot1_parse(&bi, MB1_INFO), 0);
	assert_int_equal(bi.fb.type, BOOT_FB_TEXT);
	assert_int_equal(bi.fb.addr, 0xB8000);
	assert_int_equal(bi.fb.width, 80);
	assert_int_equal(bi.fb.height, 25);
}

/* --- Multiboot2 ---------------------------------------------------------- */

#define MB2_INFO 0x20000

struct mb2_builder {
	uint64_t p;
};

static uint64_t
mb2_tag(struct mb2_builder *b, uint32_t type, const void *body, uint32_t len)
{
	uint64_t at = b->p;

	put32(at, type);
	put32(at + 4, 8 + len);
	if (len)
		memcpy(phys_to_virt(at + 8), body, len);
	b->p = (at + 8 + len + 7) & ~7ull;
	return at;
}

static void
mb2_finish(struct mb2_builder *b)
{
	mb2_tag(b, MB2_TAG_END, NULL, 0);
	put32(MB2_INFO, (uint32_t)(b->p - MB2_INFO));
	put32(MB2_INFO + 4, 0);
}

static void
test_mb2_full(void **state)
{
	struct mb2_builder b = { MB2_INFO + 8 };
	uint8_t mmap[8 + 3 * 24] = { 0 };
	uint8_t mod[8 + 16] = { 0 };
	uint8_t rsdp_old[20] = "RSD PTR old";
	uint8_t rsdp_new[36] = "RSD PTR new";
	struct mb2_fb fb = { 0 };
	uint32_t v;

	reset();
	mb2_tag(&b, MB2_TAG_CMDLINE, "log=warn", 9);
	mb2_tag(&b, MB2_TAG_LOADER, "GRUB 2.06-13", 13);
	v = 24; memcpy(mmap, &v, 4);            /* entry_size */
	v = 0; memcpy(mmap + 4, &v, 4);         /* entry_version */
	{
		struct mb2_mmap_entry e[3] = {
			{ 0, 0x9F000, 1, 0 },
			{ 0x100000, 0x3FF00000, 1, 0 },
			{ 0xFEC00000, 0x1000, 2, 0 },
		};
		memcpy(mmap + 8, e, sizeof(e));
	}
	mb2_tag(&b, MB2_TAG_MMAP, mmap, sizeof(mmap));
	v = 0x400000; memcpy(mod, &v, 4);
	v = 0x480000; memcpy(mod + 4, &v, 4);
	memcpy(mod + 8, "linux console=x", 16);
	mb2_tag(&b, MB2_TAG_MODULE, mod, sizeof(mod));
	mb2_tag(&b, MB2_TAG_ACPI_NEW, rsdp_new, sizeof(rsdp_new));
	mb2_tag(&b, MB2_TAG_ACPI_OLD, rsdp_old, sizeof(rsdp_old));
	fb.addr = 0x80000000;
	fb.pitch = 4096;
	fb.width = 1024;
	fb.height = 768;
	fb.bpp = 32;
	fb.type = MB2_FB_RGB;
	fb.red_pos = 16; fb.red_size = 8;
	fb.green_pos = 8; fb.green_size = 8;
	fb.blue_pos = 0; fb.blue_size = 8;
	mb2_tag(&b, MB2_TAG_FB, (const uint8_t *)&fb + 8, sizeof(fb) - 8);
	mb2_tag(&b, 21, "unknown tag body", 16);        /* skipped */
	mb2_finish(&b);

	assert_int_equal(multiboot2_parse(&bi, MB2_INFO), 0);
	assert_string_equal(bi.cmdline, "log=warn");
	assert_string_equal(bi.loader, "GRUB 2.06-13");
	assert_int_equal(bi.mem_count, 3);
	assert_int_equal(bi.mem[1].length, 0x3FF00000);
	assert_int_equal(bi.mem[2].type, BOOT_MEM_RESERVED);
	assert_int_equal(bi.module_count, 1);
	assert_int_equal(bi.modules[0].start, 0x400000);
	assert_string_equal(bi.modules[0].cmdline, "linux console=x");
	assert_int_equal(bi.rsdp_len, 36);
	assert_memory_equal(bi.rsdp, "RSD PTR new", 11);        /* the 2.0 copy wins */
	assert_int_equal(bi.fb.type, BOOT_FB_RGB);
	assert_int_equal(bi.fb.width, 1024);
	assert_int_equal(bi.fb.red_pos, 16);
}

static void
test_mb2_meminfo_fallback(void **state)
{
	struct mb2_builder b = { MB2_INFO + 8 };
	uint32_t mi[2] = { 639, 1024 };

	reset();
	mb2_tag(&b, MB2_TAG_MEMINFO, mi, sizeof(mi));
	mb2_finish(&b);
	assert_int_equal(multiboot2_parse(&bi, MB2_INFO), 0);
	assert_int_equal(bi.mem_count, 2);
	assert_int_equal(bi.mem[1].length, 1024 << 10);
}

static void
test_mb2_malformed(void **state)
{
	struct mb2_builder b = { MB2_INFO + 8 };
	uint64_t t;

	reset();
	assert_int_equal(multiboot2_parse(&bi, MB2_INFO + 4), -1);      /* misaligned */
	put32(MB2_INFO, 8);
	assert_int_equal(multiboot2_parse(&bi, MB2_INFO), -1);          /* too short */
	put32(MB2_INFO, 64u << 20);
	assert_int_equal(multiboot2_parse(&bi, MB2_INFO), -1);          /* absurdly long */

	t = mb2_tag(&b, MB2_TAG_CMDLINE, "x", 2);
	mb2_finish(&b);
	put32(t + 4, 4096);                                              /* tag runs past the end */
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(multiboot2_parse(&bi, MB2_INFO), -1);
	put32(t + 4, 4);                                                 /* smaller than its header */
	assert_int_equal(multiboot2_parse(&bi, MB2_INFO), -1);
}

static void
test_mb2_unterminated_string(void **state)
{
	struct mb2_builder b = { MB2_INFO + 8 };

	reset();
	mb2_tag(&b, MB2_TAG_CMDLINE, "abcdefgh", 8);  /* no NUL inside the tag: the copy stops at its end */
	mb2_finish(&b);
	assert_int_equal(multiboot2_parse(&bi, MB2_INFO), 0);
	assert_string_equal(bi.cmdline, "abcdefgh");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mb1_full),
		cmocka_unit_test(test_mb1_meminfo_only),
		cmocka_unit_test(test_mb1_grub2_cmdline_kept),
		cmocka_unit_test(test_mb1_bad_mmap_entry),
		cmocka_unit_test(test_mb1_text_framebuffer),
		cmocka_unit_test(test_mb2_full),
		cmocka_unit_test(test_mb2_meminfo_fallback),
		cmocka_unit_test(test_mb2_malformed),
		cmocka_unit_test(test_mb2_unterminated_string),
	};
	return cmocka_run_group_tests_name("multiboot", tests, NULL, NULL);
}
