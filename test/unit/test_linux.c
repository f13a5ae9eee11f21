/*
 * test/unit/test_linux.c: the Linux boot protocol loader on bzImages built
 * in memory: where the kernel, the initrd and the command line land, the
 * boot_params (setup header copy, loader fields, e820 map, RSDP), the
 * 64-bit start state, one test per refusal (bad or truncated images, too
 * little memory, an initrd that does not fit), and a fixed-seed fuzz loop
 * over the setup header in exact-size buffers for ASan to watch.
 */
#include "test/unit/fake.h"

#include <stdio.h>
#include <stdlib.h>

#include "lib/format.c"
#include "lib/string.c"
#include "vm/acpi_tables.c"
#include "vm/linux.c"
#include "vm/loader.c"

#define RAM_SIZE        MiB(16)
#define POISON          0xEE
#define SETUP_SECTS     4
#define SETUP_BYTES     ((SETUP_SECTS + 1) * 512)
#define KERNEL_BYTES    0x1000
#define IMAGE_SIZE      (SETUP_BYTES + KERNEL_BYTES)
#define PREF            MiB(2)
#define INIT_SIZE       MiB(4)
#define INITRD_SIZE     0x2345

static uint8_t *ram;
static uint8_t image[IMAGE_SIZE];
static uint8_t initrd[INITRD_SIZE];
static struct guest_start start;
static char err[GUEST_ERROR_MAX];
static struct guest_desc desc;

static void
set(size_t off, uint64_t v, size_t bytes)
{
	memcpy(image + off, &v, bytes);
}

static uint64_t
at(const uint8_t *p, size_t bytes)
{
	uint64_t v = 0;

	memcpy(&v, p, bytes);
	return v;
}

/* A bzImage as the kernel's build makes one: protocol 2.15, relocatable,
 * a 64-bit entry, the kernel after four setup sectors. */
static void
make_bzimage(void)
{
	memset(image, 0, sizeof(image));
	image[0x1F1] = SETUP_SECTS;
	set(0x1F4, KERNEL_BYTES / 16, 4);                       /* syssize */
	set(0x1FE, 0xAA55, 2);
	image[0x200] = 0xEB;                                    /* jmp over the header, */
	image[0x201] = 0x6A;                                    /* which ends at 0x26c */
	memcpy(image + 0x202, "HdrS", 4);
	set(0x206, 0x020F, 2);
	image[0x211] = 0x01;                                    /* LOADED_HIGH */
	set(0x22C, 0x7FFFFFFF, 4);                              /* initrd_addr_max */
	set(0x230, MiB(2), 4);                                  /* kernel_alignment */
	image[0x234] = 1;                                       /* relocatable */
	image[0x235] = 21;
	set(0x236, 0x3, 2);                                     /* XLF_KERNEL_64, above 4G */
	set(0x238, 2047, 4);                                    /* cmdline_size */
	set(0x258, PREF, 8);
	set(0x260, INIT_SIZE, 4);
	for (size_t i = 0; i < KERNEL_BYTES; i++)
		image[SETUP_BYTES + i] = (uint8_t)(i * 7 + 1);
	for (size_t i = 0; i < INITRD_SIZE; i++)
		initrd[i] = (uint8_t)(i * 13 + 5);
}

static int
setup(void **state)
{
	ram = malloc(RAM_SIZE);
	assert_non_null(ram);
	memset(ram, POISON, RAM_SIZE);
	make_bzimage();
	memset(&desc, 0, sizeof(desc));
	snprintf(desc.name, sizeof(desc.name), "lx");
	snprintf(desc.cmdline, sizeof(desc.cmdline), "console=ttyS0 quiet");
	desc.kind = GUEST_KIND_LINUX;
	desc.mem = RAM_SIZE;
	return 0;
}

static int
teardown(void **state)
{
	free(ram);
	return 0;
}

static int
load_into(size_t size, size_t initrd_size, uint64_t ram_size)
{
	err[0] = '\0';
	return loader_load(&desc, image, size, initrd_size ? initrd : NULL, initrd_size, ram, ram_size,
			   &start, err, sizeof(err));
}

static void
load_ok(size_t initrd_size)
{
	if (load_into(IMAGE_SIZE, initrd_size, RAM_SIZE) != 0)
		fail_msg("load failed: %s", err);
}

static void
load_bad(size_t size, size_t initrd_size, uint64_t ram_size, const char *want)
{
	memset(ram, POISON, RAM_SIZE);
	assert_int_equal(load_into(size, initrd_size, ram_size), -1);
	assert_string_equal(err, want);
	/* refused before anything was written */
	for (uint64_t i = 0; i < MIN(ram_size, RAM_SIZE); i++)
		if (ram[i] != POISON)
			fail_msg("RAM byte %#lx written by a refused load", (unsigned long)i);
}

static const uint8_t *
bp(void)
{
	return ram + LINUX_BOOT_PARAMS;
}

static void
test_start_state(void **state)
{
	load_ok(INITRD_SIZE);
	assert_int_equal(start.mode, GUEST_MODE_LONG);
	assert_int_equal(start.rip, PREF + 0x200);              /* the 64-bit entry */
	assert_int_equal(start.rsi, LINUX_BOOT_PARAMS);
	assert_int_equal(start.cr3, 0x1000);
	assert_int_equal(start.gdt_base, 0x7000);
	/* __BOOT_CS 0x10: flat 64-bit code, execute/read; __BOOT_DS 0x18: flat data, read/write */
	assert_int_equal(at(ram + 0x7000 + 0x10, 8), 0x00AF9B000000FFFFull);
	assert_int_equal(at(ram + 0x7000 + 0x18, 8), 0x00CF93000000FFFFull);
	/* identity paging of all of RAM: the last 2 MiB page is there */
	assert_int_equal(at(ram + 0x3000 + (RAM_SIZE / MiB(2) - 1) * 8, 8) & ~0xFFFull, RAM_SIZE - MiB(2));
}

static void
test_kernel_initrd_cmdline(void **state)
{
	load_ok(INITRD_SIZE);
	assert_memory_equal(ram + PREF, image + SETUP_BYTES, KERNEL_BYTES);
	assert_int_equal(ram[PREF + KERNEL_BYTES], POISON);     /* nothing beyond the kernel */
	/* the initrd: page-aligned, as high as RAM allows */
	uint64_t initrd_at = ALIGN_DOWN(RAM_SIZE - INITRD_SIZE, KiB(4));
	assert_memory_equal(ram + initrd_at, initrd, INITRD_SIZE);
	assert_int_equal(at(bp() + 0x218, 4), initrd_at);
	assert_int_equal(at(bp() + 0x21C, 4), INITRD_SIZE);
	assert_int_equal(at(bp() + 0x0C0, 4), 0);
	assert_int_equal(at(bp() + 0x0C4, 4), 0);
	assert_string_equal((const char *)ram + LINUX_CMDLINE, "console=ttyS0 quiet");
	assert_int_equal(at(bp() + 0x228, 4), LINUX_CMDLINE);

	/* without an initrd the fields stay 0 */
	memset(ram, POISON, RAM_SIZE);
	load_ok(0);
	assert_int_equal(at(bp() + 0x218, 4), 0);
	assert_int_equal(at(bp() + 0x21C, 4), 0);
	assert_int_equal(ram[RAM_SIZE - 1], POISON);
}

static void
test_initrd_addr_max(void **state)
{
	/* an initrd must end at or below initrd_addr_max, here 12 MiB - 1 */
	set(0x22C, MiB(12) - 1, 4);
	load_ok(INITRD_SIZE);
	assert_int_equal(at(bp() + 0x218, 4), ALIGN_DOWN(MiB(12) - INITRD_SIZE, KiB(4)));
	assert_memory_equal(ram + at(bp() + 0x218, 4), initrd, INITRD_SIZE);
}

static void
test_boot_params(void **state)
{
	load_ok(INITRD_SIZE);
	/* the setup header, copied from 0x1f1 to its end */
	assert_memory_equal(bp() + 0x1F1, image + 0x1F1, 0x210 - 0x1F1);
	assert_memory_equal(bp() + 0x230, image + 0x230, 0x26C - 0x230);
	assert_int_equal(bp()[0x210], 0xFF);                    /* type_of_loader */
	assert_int_equal(at(bp() + 0x214, 4), PREF);            /* code32_start */
	assert_int_equal(at(bp() + 0x070, 8), 0xE0000);         /* acpi_rsdp_addr */
	assert_memory_equal(ram + 0xE0000, "RSD PTR ", 8);      /* and the tables are there */
	assert_int_equal(bp()[0x1EF], 0);                       /* sentinel: not a broken loader */
	for (size_t i = 0x26C; i < 0x2D0; i++)                  /* nothing past the header until e820 */
		assert_int_equal(bp()[i], 0);
	/* the BIOS data area: 639 KiB of base memory, the EBDA after it */
	assert_int_equal(at(ram + 0x413, 2), 639);
	assert_int_equal(at(ram + 0x40E, 2), 0x9FC0);
}

static void
assert_e820(const struct linux_e820_entry *e, uint64_t addr, uint64_t size, uint32_t type)
{
	assert_int_equal(e->addr, addr);
	assert_int_equal(e->size, size);
	assert_int_equal(e->type, type);
}

static void
test_e820(void **state)
{
	struct linux_e820_entry e[LINUX_E820_MAX];

	/* in boot_params, for this guest's 16 MiB */
	load_ok(0);
	assert_int_equal(bp()[0x1E8], 5);
	memcpy(e, bp() + 0x2D0, 5 * sizeof(e[0]));
	assert_e820(&e[0], 0, 0x9FC00, E820_RAM);
	assert_e820(&e[1], 0x9FC00, 0x100000 - 0x9FC00, E820_RESERVED);       /* EBDA, VGA, ACPI tables */
	assert_e820(&e[2], MiB(1), RAM_SIZE - MiB(1), E820_RAM);
	assert_e820(&e[3], 0xFEC00000, 0x1000, E820_RESERVED);                /* IOAPIC */
	assert_e820(&e[4], 0xFEE00000, 0x1000, E820_RESERVED);                /* local APIC */

	/* 1 MiB: nothing above it */
	assert_int_equal(linux_e820(MiB(1), e), 4);
	assert_e820(&e[1], 0x9FC00, 0x100000 - 0x9FC00, E820_RESERVED);
	assert_e820(&e[2], 0xFEC00000, 0x1000, E820_RESERVED);
	/* 4 GiB: RAM stops at the IOAPIC, never overlaps a device */
	assert_int_equal(linux_e820(GiB(4), e), 5);
	assert_e820(&e[2], MiB(1), 0xFEC00000 - MiB(1), E820_RAM);
}

static void
test_placement(void **state)
{
	struct linux_image li;
	struct linux_layout lay;

	/* non-relocatable: pref_address as it is */
	image[0x234] = 0;
	set(0x258, MiB(3) + 0x1000, 8);
	assert_int_equal(linux_check("lx", image, IMAGE_SIZE, &li, err, sizeof(err)), 0);
	assert_int_equal(li.load, MiB(3) + 0x1000);
	/* relocatable: aligned up to kernel_alignment */
	image[0x234] = 1;
	assert_int_equal(linux_check("lx", image, IMAGE_SIZE, &li, err, sizeof(err)), 0);
	assert_int_equal(li.load, MiB(4));
	assert_int_equal(li.init_size, INIT_SIZE);
	assert_int_equal(li.cmdline_size, 2047);
	/* init_size below the kernel's own size: the kernel's size counts */
	set(0x260, 0x10, 4);
	assert_int_equal(linux_check("lx", image, IMAGE_SIZE, &li, err, sizeof(err)), 0);
	assert_int_equal(li.init_size, KERNEL_BYTES);
	/* a kernel that fills RAM exactly, with no initrd */
	set(0x260, INIT_SIZE, 4);
	assert_int_equal(linux_check("lx", image, IMAGE_SIZE, &li, err, sizeof(err)), 0);
	assert_int_equal(linux_place("lx", &li, MiB(8), 0, &lay, err, sizeof(err)), 0);
	assert_int_equal(lay.kernel_end, MiB(8));
	assert_int_equal(lay.initrd, 0);
	/* an initrd exactly between the kernel's end and the top of RAM */
	assert_int_equal(linux_place("lx", &li, MiB(8) + 0x3000, 0x3000, &lay, err, sizeof(err)), 0);
	assert_int_equal(lay.initrd, MiB(8));
}

static void
test_too_little_memory(void **state)
{
	load_bad(IMAGE_SIZE, 0, MiB(6) - 0x1000,
		 "guest 'lx': too little memory: the kernel needs [0x200000, 0x600000) (init_size 4096K at pref_address), RAM ends at 0x5ff000; mem=6M would do");
	load_bad(IMAGE_SIZE, INITRD_SIZE, MiB(6) + 0x1000,
		 "guest 'lx': too little memory for the initrd (0x2345 bytes) after the kernel's end 0x600000: RAM ends at 0x601000; mem=7M would do");
	/* initrd_addr_max below the kernel's end */
	set(0x22C, MiB(5), 4);
	load_bad(IMAGE_SIZE, INITRD_SIZE, RAM_SIZE,
		 "guest 'lx': the initrd (0x2345 bytes) does not fit between the kernel's end 0x600000 and initrd_addr_max 0x500000");
	set(0x22C, 0x7FFFFFFF, 4);
	/* above the identity map's reach */
	load_bad(IMAGE_SIZE, 0, GiB(4) + MiB(2), "guest 'lx': mem=4098M: the 64-bit entry's identity map covers at most 4096M");
}

static void
test_header_errors(void **state)
{
	load_bad(0x1FF, 0, RAM_SIZE, "guest 'lx': not a Linux bzImage (no boot flag 0xAA55 at 0x1fe and \"HdrS\" at 0x202)");
	load_bad(0x263, 0, RAM_SIZE, "guest 'lx': truncated bzImage: 0x263 bytes, its setup header needs 0x264");
	load_bad(IMAGE_SIZE - 1, 0, RAM_SIZE,
		 "guest 'lx': truncated bzImage: setup (0xa00 bytes) and kernel (syssize, 0x1000 bytes) need 0x1a00, the file has 0x19ff");
	set(0x1FE, 0xAA56, 2);
	load_bad(IMAGE_SIZE, 0, RAM_SIZE, "guest 'lx': not a Linux bzImage (no boot flag 0xAA55 at 0x1fe and \"HdrS\" at 0x202)");
	set(0x1FE, 0xAA55, 2);
	image[0x205] = 'T';
	load_bad(IMAGE_SIZE, 0, RAM_SIZE, "guest 'lx': not a Linux bzImage (no boot flag 0xAA55 at 0x1fe and \"HdrS\" at 0x202)");
	image[0x205] = 'S';
	set(0x206, 0x020B, 2);
	load_bad(IMAGE_SIZE, 0, RAM_SIZE, "guest 'lx': Linux boot protocol 2.11: expected 2.12 or later (a 64-bit entry)");
	set(0x206, 0x020F, 2);
	image[0x211] = 0;
	load_bad(IMAGE_SIZE, 0, RAM_SIZE, "guest 'lx': not a bzImage (loadflags bit 0, LOADED_HIGH, is clear)");
	image[0x211] = 1;
	set(0x236, 0x2, 2);
	load_bad(IMAGE_SIZE, 0, RAM_SIZE, "guest 'lx': no 64-bit entry point (xloadflags 0x2: XLF_KERNEL_64 is clear): a 32-bit kernel?");
	set(0x236, 0x3, 2);
	image[0x201] = 0x90;
	load_bad(IMAGE_SIZE, 0, RAM_SIZE, "guest 'lx': setup header ends at 0x292: expected 0x264 to 0x290");
	image[0x201] = 0x6A;
	set(0x1F4, 0, 4);
	load_bad(IMAGE_SIZE, 0, RAM_SIZE, "guest 'lx': syssize is 0: no protected-mode kernel");
	set(0x1F4, KERNEL_BYTES / 16, 4);
	set(0x230, 0x300000, 4);
	load_bad(IMAGE_SIZE, 0, RAM_SIZE, "guest 'lx': kernel_alignment 0x300000: expected a power of two, 4K or more");
	set(0x230, MiB(2), 4);
	image[0x234] = 0;
	set(0x258, 0x80000, 8);
	load_bad(IMAGE_SIZE, 0, RAM_SIZE, "guest 'lx': pref_address 0x80000: expected 1M or above");
	/* setup_sects 0 means 4 */
	image[0x1F1] = 0;
	set(0x258, PREF, 8);
	load_ok(0);
	assert_memory_equal(ram + PREF, image + SETUP_BYTES, KERNEL_BYTES);
}

static void
test_cmdline_size(void **state)
{
	set(0x238, 10, 4);
	load_bad(IMAGE_SIZE, 0, RAM_SIZE, "guest 'lx': cmdline= has 19 characters: the kernel takes at most 10");
	set(0x238, 19, 4);
	load_ok(0);
	assert_string_equal((const char *)ram + LINUX_CMDLINE, "console=ttyS0 quiet");
}

static struct fake_random rng = { 0x2545F4914F6CDD1Dull };

/*
 * Mutate the setup header at random (fixed seed) and load into exact-size
 * buffers: ASan stops the test on a read past the image or initrd or a
 * write past RAM. A load fails with a message or starts inside RAM.
 */
static void
test_fuzz(void **state)
{
	static const uint64_t sizes[] = { MiB(6), MiB(7), MiB(16) };
	unsigned ok = 0, iterations = 3000;

	for (unsigned it = 0; it < iterations; it++) {
		uint64_t ram_size = sizes[fake_random_next(&rng) % ARRAY_SIZE(sizes)];
		size_t size = IMAGE_SIZE, isize = fake_random_next(&rng) % 2 ? INITRD_SIZE : 0;
		uint8_t *img, *rd, *fram = malloc(ram_size);
		int r;

		assert_non_null(fram);
		make_bzimage();
		if (fake_random_next(&rng) % 8 == 0)
			size = fake_random_next(&rng) % (IMAGE_SIZE + 1);
		for (int f = 0, flips = 1 + (int)(fake_random_next(&rng) % 6); f < flips; f++) {
			size_t pos = 0x1F1 + fake_random_next(&rng) % (0x270 - 0x1F1);
			uint8_t v[] = { 0x00, 0xFF, 0x7F, 0x80, 0x01, 0x10, 0x20, (uint8_t)fake_random_next(&rng) };

			image[pos] = v[fake_random_next(&rng) % ARRAY_SIZE(v)];
		}
		img = malloc(size ? size : 1);
		rd = malloc(isize ? isize : 1);
		assert_true(img && rd);
		memcpy(img, image, size);
		memcpy(rd, initrd, isize);
		r = loader_load(&desc, img, size, isize ? rd : NULL, isize, fram, ram_size, &start, err, sizeof(err));
		if (r == 0) {
			ok++;
			assert_int_equal(start.mode, GUEST_MODE_LONG);
			assert_true(start.rip < ram_size);
		} else {
			assert_int_equal(r, -1);
			assert_true(!strncmp(err, "guest 'lx': ", 12) && strlen(err) > 12);
		}
		free(img);
		free(rd);
		free(fram);
	}
	print_message("fuzz: %u of %u mutated bzImages loaded\n", ok, iterations);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_initrd_cmdline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initrd_addr_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_e820, setup, teardown),
		cmocka_unit_test_setup_teardown(test_placement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_little_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmdline_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzz, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
