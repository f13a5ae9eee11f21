/*
 * test/unit/test_loader.c: ELF32, ELF64, Multiboot (ELF and a.out kludge)
 * and flat images built in memory, loaded into a buffer that plays guest
 * RAM: what lands where, how the guest starts, the page tables and the
 * Multiboot information the loader builds, one test per error, and a fixed
 * seed fuzz loop that must never make the loader touch memory it does not
 * own (ASan watches the exact-size image and RAM buffers).
 */
#include "test/unit/fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "lib/format.c"
#include "lib/string.c"
#include "vm/acpi_tables.c"
#include "vm/linux.c"
#include "vm/loader.c"

#define RAM_SIZE        MiB(4)
#define IMAGE_MAX       0x4000
#define POISON          0xEE            /* what RAM holds before a load */

static uint8_t *ram;
static uint8_t image[IMAGE_MAX];
static struct guest_start start;
static char err[GUEST_ERROR_MAX];
static struct guest_desc desc;

static int
setup(void **state)
{
	ram = malloc(RAM_SIZE);
	assert_non_null(ram);
	memset(ram, POISON, RAM_SIZE);
	memset(image, 0, sizeof(image));
	memset(&desc, 0, sizeof(desc));
	snprintf(desc.name, sizeof(desc.name), "t");
	desc.kind = GUEST_KIND_ELF;
	desc.mem = RAM_SIZE;
	desc.mode = GUEST_MODE_REAL;
	desc.load = 0x7c00;
	fake_log_reset();
	return 0;
}

static int
teardown(void **state)
{
	free(ram);
	return 0;
}

static int
load(size_t size)
{
	err[0] = '\0';
	return loader_load(&desc, image, size, NULL, 0, ram, RAM_SIZE, &start, err, sizeof(err));
}

static void
load_ok(size_t size)
{
	if (load(size) != 0)
		fail_msg("load failed: %s", err);
}

static void
load_bad(size_t size, const char *want)
{
	assert_int_equal(load(size), -1);
	assert_string_equal(err, want);
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void
set16(size_t off, uint16_t v)
{
	memcpy(image + off, &v, 2);
}

static void
set32(size_t off, uint32_t v)
{
	memcpy(image + off, &v, 4);
}

static void
set64(size_t off, uint64_t v)
{
	memcpy(image + off, &v, 8);
}

/* --- building ELF images --------------------------------------------------- */

struct seg {
	uint64_t paddr, vaddr, filesz, memsz;
	uint32_t type;                  /* 0: PT_LOAD */
};

#define MB_HEADER_OFF   0x100           /* where make_elf leaves room for a Multiboot header */
#define SEG_DATA_OFF    0x200           /* where segment bytes start in the file */

static uint8_t
pattern(unsigned seg, uint64_t i)
{
	return (uint8_t)(0x11 * (seg + 1) + i);
}

/* An ELF of class 32 or 64 with the given segments; returns its size. */
static size_t
make_elf(unsigned bits, uint64_t entry, const struct seg *segs, unsigned n)
{
	size_t ehsize = bits == 32 ? sizeof(struct elf32_ehdr) : sizeof(struct elf64_ehdr);
	size_t phsize = bits == 32 ? sizeof(struct elf32_phdr) : sizeof(struct elf64_phdr);
	size_t off = SEG_DATA_OFF;

	assert_true(ehsize + n * phsize <= MB_HEADER_OFF);
	memset(image, 0, sizeof(image));
	memcpy(image, "\177ELF", 4);
	image[4] = bits == 32 ? 1 : 2;
	image[5] = 1;
	image[6] = 1;
	set16(16, 2);                                   /* ET_EXEC */
	set16(18, bits == 32 ? 3 : 62);
	set32(20, 1);
	if (bits == 32) {
		set32(24, (uint32_t)entry);
		set32(28, (uint32_t)ehsize);            /* e_phoff */
		set16(40, (uint16_t)ehsize);
		set16(42, (uint16_t)phsize);
		set16(44, (uint16_t)n);
	} else {
		set64(24, entry);
		set64(32, ehsize);
		set16(52, (uint16_t)ehsize);
		set16(54, (uint16_t)phsize);
		set16(56, (uint16_t)n);
	}
	for (unsigned i = 0; i < n; i++) {
		size_t ph = ehsize + i * phsize;
		uint32_t type = segs[i].type ? segs[i].type : 1;
		uint64_t vaddr = segs[i].vaddr ? segs[i].vaddr : segs[i].paddr;

		assert_true(off + segs[i].filesz <= IMAGE_MAX);
		if (bits == 32) {
			set32(ph + 0, type);
			set32(ph + 4, (uint32_t)off);
			set32(ph + 8, (uint32_t)vaddr);
			set32(ph + 12, (uint32_t)segs[i].paddr);
			set32(ph + 16, (uint32_t)segs[i].filesz);
			set32(ph + 20, (uint32_t)segs[i].memsz);
		} else {
			set32(ph + 0, type);
			set64(ph + 8, off);
			set64(ph + 16, vaddr);
			set64(ph + 24, segs[i].paddr);
			set64(ph + 32, segs[i].filesz);
			set64(ph + 40, segs[i].memsz);
		}
		for (uint64_t j = 0; j < segs[i].filesz; j++)
			image[off + j] = pattern(i, j);
		off += segs[i].filesz;
	}
	return off;
}

/* Segment i of the last make_elf() is in RAM, with zeros after its file bytes. */
static void
check_segment(unsigned i, const struct seg *s)
{
	for (uint64_t j = 0; j < s->filesz; j++)
		if (ram[s->paddr + j] != pattern(i, j))
			fail_msg("segment %u byte %#lx: %#x", i, j, ram[s->paddr + j]);
	for (uint64_t j = s->filesz; j < s->memsz; j++)
		if (ram[s->paddr + j] != 0)
			fail_msg("segment %u bss byte %#lx: %#x", i, j, ram[s->paddr + j]);
	assert_int_equal(ram[s->paddr + s->memsz], POISON);     /* and nothing beyond */
}

static void
check_gdt(void)
{
	assert_int_equal(start.gdt_base, 0x7000);
	assert_int_equal(start.gdt_limit, 31);
	assert_int_equal(get64(ram + 0x7000), 0);
	/* the selectors the Linux 64-bit boot protocol needs: __BOOT_CS, __BOOT_DS */
	assert_int_equal(LOADER_SEL_CODE64, 0x10);
	assert_int_equal(LOADER_SEL_DATA, 0x18);
	assert_int_equal(get64(ram + 0x7000 + LOADER_SEL_CODE64), 0x00AF9B000000FFFFull);
	assert_int_equal(get64(ram + 0x7000 + LOADER_SEL_DATA), 0x00CF93000000FFFFull);
	assert_int_equal(get64(ram + 0x7000 + LOADER_SEL_CODE32), 0x00CF9B000000FFFFull);
}

/*
 * Translate va through the page tables at cr3 in mem, as the CPU would in
 * 4-level paging: returns the physical address, or -1 when not present.
 */
static int64_t
walk(const uint8_t *mem, uint64_t mem_size, uint64_t cr3, uint64_t va)
{
	uint64_t table = cr3 & ~0xFFFull, e = 0;
	int shifts[] = { 39, 30, 21, 12 };

	for (int level = 0; level < 4; level++) {
		uint64_t at = table + ((va >> shifts[level]) & 511) * 8;

		assert_true(at + 8 <= mem_size);
		e = get64(mem + at);
		if (!(e & X86_PTE_P))
			return -1;
		assert_true(e & X86_PTE_RW);
		if (level == 1)
			assert_false(e & X86_PTE_PS);       /* no 1 GiB pages */
		if (level == 2) {
			assert_true(e & X86_PTE_PS);        /* 2 MiB pages */
			return (int64_t)((e & 0x000FFFFFFFE00000ull) | (va & 0x1FFFFF));
		}
		table = e & 0x000FFFFFFFFFF000ull;
	}
	fail_msg("walk reached a 4 KiB page table");
	return -1;
}

/* --- ELF ---------------------------------------------------------------- */

static void
test_elf32(void **state)
{
	struct seg s[] = {
		{ .paddr = 0x100000, .filesz = 0x300, .memsz = 0x300 },
		{ .paddr = 0, .type = 4, .filesz = 0x10, .memsz = 0x10 },     /* PT_NOTE: skipped */
		{ .paddr = 0x102000, .filesz = 0x100, .memsz = 0x1000 },
		{ .paddr = 0x200000, .filesz = 0, .memsz = 0 },             /* empty: skipped */
	};
	size_t size = make_elf(32, 0x100010, s, 4);

	load_ok(size);
	check_segment(0, &s[0]);
	check_segment(2, &s[2]);
	assert_int_equal(ram[0x200000], POISON);
	assert_int_equal(start.mode, GUEST_MODE_PROTECTED);
	assert_int_equal(start.rip, 0x100010);
	assert_int_equal(start.rsp, 0);
	assert_int_equal(start.cr3, 0);
	assert_int_equal(start.rax, 0);
	check_gdt();
	assert_string_equal(fake_log_text(), "");
}

static void
test_elf64_long_mode(void **state)
{
	struct seg s[] = {
		{ .paddr = 0x200000, .filesz = 0x800, .memsz = 0x2000 },
		{ .paddr = 0x3FF000, .filesz = 0x10, .memsz = 0x1000 },     /* ends at the last byte of RAM */
	};
	size_t size = make_elf(64, 0x200000, s, 2);

	load_ok(size);
	check_segment(0, &s[0]);
	assert_int_equal(ram[0x3FF000], pattern(1, 0));
	assert_int_equal(ram[RAM_SIZE - 1], 0);
	assert_int_equal(start.mode, GUEST_MODE_LONG);
	assert_int_equal(start.rip, 0x200000);
	assert_int_equal(start.cr3, 0x1000);
	check_gdt();
	/* identity map of all of RAM, nothing beyond */
	for (uint64_t va = 0; va < RAM_SIZE; va += 0x1000)
		assert_int_equal(walk(ram, RAM_SIZE, start.cr3, va), va);
	assert_int_equal(walk(ram, RAM_SIZE, start.cr3, RAM_SIZE - 1), RAM_SIZE - 1);
	assert_int_equal(walk(ram, RAM_SIZE, start.cr3, RAM_SIZE), -1);
	assert_int_equal(walk(ram, RAM_SIZE, start.cr3, GiB(1)), -1);
	assert_int_equal(walk(ram, RAM_SIZE, start.cr3, GiB(512)), -1);
	assert_int_equal(walk(ram, RAM_SIZE, start.cr3, 0xFFFFFFFF80000000ull), -1);
}

static void
test_elf64_higher_half_entry(void **state)
{
	struct seg s[] = {
		{ .paddr = 0x100000, .vaddr = 0xFFFFFFFF80100000ull, .filesz = 0x100, .memsz = 0x100 },
	};
	size_t size = make_elf(64, 0xFFFFFFFF80100040ull, s, 1);

	load_ok(size);
	assert_int_equal(start.rip, 0x100040);
	check_segment(0, &s[0]);
}

static void
test_page_tables_4g(void **state)
{
	uint64_t size = GiB(4);
	uint8_t *big = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct seg s[] = { { .paddr = GiB(4) - 0x1000, .filesz = 0x10, .memsz = 0x1000 } };
	size_t isize = make_elf(64, GiB(4) - 0x1000, s, 1);

	assert_true(big != MAP_FAILED);
	assert_int_equal(loader_load(&desc, image, isize, NULL, 0, big, size, &start, err, sizeof(err)), 0);
	assert_int_equal(big[GiB(4) - 0x1000], pattern(0, 0));
	for (uint64_t va = 0; va < size; va += MiB(2))
		assert_int_equal(walk(big, size, start.cr3, va + 0x1234), va + 0x1234);
	assert_int_equal(walk(big, size, start.cr3, size), -1);
	/* one page more does not fit the four page directories */
	assert_int_equal(loader_load(&desc, image, isize, NULL, 0, big, size + 0x1000, &start, err, sizeof(err)), -1);
	assert_string_equal(err, "guest 't': mem=4096M: a 64-bit start is identity-mapped, which covers at most 4096M");
	munmap(big, size);
}

static void
test_page_tables_odd_size(void **state)
{
	/* 3 MiB + 4 KiB of RAM: the 2 MiB pages round up to 4 MiB */
	uint64_t size = MiB(3) + 0x1000;
	struct seg s[] = { { .paddr = 0x100000, .filesz = 0x10, .memsz = 0x10 } };
	size_t isize = make_elf(64, 0x100000, s, 1);

	assert_int_equal(loader_load(&desc, image, isize, NULL, 0, ram, size, &start, err, sizeof(err)), 0);
	assert_int_equal(walk(ram, size, start.cr3, MiB(3)), MiB(3));
	assert_int_equal(walk(ram, size, start.cr3, MiB(4)), -1);
}

static void
test_elf_header_errors(void **state)
{
	struct seg s[] = { { .paddr = 0x100000, .filesz = 0x100, .memsz = 0x100 } };
	size_t size;

	size = make_elf(32, 0x100000, s, 1);
	image[0] = 'M';
	load_bad(size, "guest 't': not an ELF file (no 0x7F 'ELF' at its start)");
	load_bad(3, "guest 't': not an ELF file (no 0x7F 'ELF' at its start)");

	make_elf(32, 0x100000, s, 1);
	load_bad(10, "guest 't': truncated ELF file: 10 bytes");
	load_bad(40, "guest 't': truncated ELF file: the ELF32 header needs 52 bytes, the file has 40");
	make_elf(64, 0x100000, s, 1);
	load_bad(60, "guest 't': truncated ELF file: the ELF64 header needs 64 bytes, the file has 60");

	size = make_elf(32, 0x100000, s, 1);
	image[4] = 3;
	load_bad(size, "guest 't': ELF class 3: expected 1 (ELF32) or 2 (ELF64)");
	image[4] = 1;
	image[5] = 2;
	load_bad(size, "guest 't': ELF data encoding 2: expected 1 (little-endian)");
	image[5] = 1;
	set16(18, 62);
	load_bad(size, "guest 't': ELF32 machine 62: expected 3 (EM_386)");
	set16(18, 3);
	set16(16, 3);
	load_bad(size, "guest 't': ELF type 3: expected 2 (ET_EXEC, an executable)");
	set16(16, 2);
	set16(42, 40);
	load_bad(size, "guest 't': ELF program header size 40: expected 32");
	set16(42, 32);
	set16(44, 0);
	load_bad(size, "guest 't': ELF has 0 program headers: expected 1 to 64");
	set16(44, 65);
	load_bad(size, "guest 't': ELF has 65 program headers: expected 1 to 64");
	set16(44, 1);
	set32(28, (uint32_t)size - 16);
	load_bad(size, "guest 't': truncated ELF file: 1 program headers at byte 0x2f0, the file has 0x300 bytes");
	set32(28, 0xFFFFFFF0);
	load_bad(size, "guest 't': truncated ELF file: 1 program headers at byte 0xfffffff0, the file has 0x300 bytes");

	size = make_elf(64, 0x100000, s, 1);
	set16(18, 3);
	load_bad(size, "guest 't': ELF64 machine 3: expected 62 (EM_X86_64)");
	set16(18, 62);
	set16(54, 32);
	load_bad(size, "guest 't': ELF program header size 32: expected 56");
	set16(54, 56);
	set64(32, 0xFFFFFFFFFFFFFFF0ull);
	load_bad(size, "guest 't': truncated ELF file: 1 program headers at byte 0xfffffffffffffff0, the file has 0x300 bytes");
}

static void
test_elf_segment_errors(void **state)
{
	struct seg s[] = {
		{ .paddr = 0x100000, .filesz = 0x100, .memsz = 0x100 },
		{ .paddr = 0x200000, .filesz = 0x100, .memsz = 0x200 },
	};
	size_t size = make_elf(64, 0x100000, s, 2);
	size_t ph1 = 64 + 56;

	load_bad(size - 1, "guest 't': truncated ELF file: segment 1 has bytes [0x300, +0x100), the file has 0x3ff");
	set64(ph1 + 8, 0xFFFFFFFFFFFFFF00ull);
	load_bad(size, "guest 't': truncated ELF file: segment 1 has bytes [0xffffffffffffff00, +0x100), the file has 0x400");
	set64(ph1 + 8, 0x300);
	set64(ph1 + 32, 0x201);
	load_bad(size, "guest 't': segment 1: file size 0x201 is larger than its memory size 0x200");
	set64(ph1 + 32, 0x100);

	set64(ph1 + 24, RAM_SIZE - 0x100);
	load_bad(size, "guest 't': segment 1 at 0x3fff00 (0x200 bytes) is outside guest RAM [0, 0x400000)");
	set64(ph1 + 24, 0xFFFFFFFFFFFFFF00ull);
	load_bad(size, "guest 't': segment 1 at 0xffffffffffffff00 (0x200 bytes) is outside guest RAM [0, 0x400000)");
	set64(ph1 + 24, 0x100);
	set64(ph1 + 40, 0xFFFFFFFFFFFFFF80ull);
	load_bad(size, "guest 't': segment 1 at 0x100 (0xffffffffffffff80 bytes) is outside guest RAM [0, 0x400000)");
	set64(ph1 + 40, 0x200);

	/* the loader area [0x1000, 0x7c00), from either side */
	set64(ph1 + 24, 0xF00);
	load_bad(size, "guest 't': segment 1 at [0xf00, 0x1100) overlaps the loader area [0x1000, 0x7c00)");
	set64(ph1 + 24, 0x7BFF);
	load_bad(size, "guest 't': segment 1 at [0x7bff, 0x7dff) overlaps the loader area [0x1000, 0x7c00)");
	set64(ph1 + 24, 0xE00);
	load_ok(size);
	set64(ph1 + 24, 0x7C00);
	load_ok(size);

	/* the firmware area [0xe0000, 0x100000) of the ACPI tables, from either side */
	set64(ph1 + 24, 0xDFF00);
	load_bad(size, "guest 't': segment 1 at [0xdff00, 0xe0100) overlaps the firmware area [0xe0000, 0x100000) of its ACPI tables");
	set64(ph1 + 24, 0xFFFFF);
	load_bad(size, "guest 't': segment 1 at [0xfffff, 0x1001ff) overlaps the firmware area [0xe0000, 0x100000) of its ACPI tables");
	set64(ph1 + 24, 0xDFE00);
	load_ok(size);
	assert_memory_equal(ram + 0xE0000, "RSD PTR ", 8);      /* the tables, built after the image */

	set64(24, RAM_SIZE);
	load_bad(size, "guest 't': entry point 0x400000 is outside guest RAM [0, 0x400000)");

	s[0].type = 4;
	s[1].memsz = s[1].filesz = 0;
	size = make_elf(32, 0x100000, s, 2);
	load_bad(size, "guest 't': ELF has no loadable segment (PT_LOAD with a memory size)");
}

static void
test_elf_failure_writes_nothing(void **state)
{
	struct seg s[] = {
		{ .paddr = 0x100000, .filesz = 0x100, .memsz = 0x100 },
		{ .paddr = RAM_SIZE, .filesz = 0x100, .memsz = 0x100 },
	};
	size_t size = make_elf(64, 0x100000, s, 2);

	assert_int_equal(load(size), -1);
	for (uint64_t i = 0; i < RAM_SIZE; i++)
		if (ram[i] != POISON)
			fail_msg("RAM byte %#lx written by a failed load", i);
}

/* --- Multiboot --------------------------------------------------------------- */

static void
put_mb_header(size_t off, uint32_t flags)
{
	set32(off, MB1_HEADER_MAGIC);
	set32(off + 4, flags);
	set32(off + 8, (uint32_t)(0u - MB1_HEADER_MAGIC - flags));
}

static void
check_multiboot_info(uint64_t mem, const char *cmdline)
{
	const uint8_t *info = ram + start.rbx;
	uint32_t mmap_len;

	assert_int_equal(start.mode, GUEST_MODE_PROTECTED);
	assert_int_equal(start.rax, 0x2BADB002);
	assert_int_equal(start.rbx, 0x7100);
	check_gdt();
	assert_int_equal(get32(info + 0), BIT(0) | BIT(2) | BIT(6) | BIT(9));
	assert_int_equal(get32(info + 4), 640);
	assert_int_equal(get32(info + 8), (mem - MiB(1)) >> 10);
	assert_string_equal((const char *)ram + get32(info + 16), cmdline);
	assert_string_equal((const char *)ram + get32(info + 64), "HvLab");
	mmap_len = get32(info + 44);
	assert_int_equal(mmap_len, mem > MiB(1) ? 72 : 48);

	const uint8_t *e = ram + get32(info + 48);
	uint64_t want[3][3] = {
		{ 0, 0xA0000, 1 },
		{ 0xA0000, 0x60000, 2 },
		{ 0x100000, mem - MiB(1), 1 },
	};

	for (unsigned i = 0; i < mmap_len / 24; i++, e += 24) {
		assert_int_equal(get32(e), 20);
		assert_int_equal(get64(e + 4), want[i][0]);
		assert_int_equal(get64(e + 12), want[i][1]);
		assert_int_equal(get32(e + 20), want[i][2]);
	}
}

static void
test_multiboot_elf(void **state)
{
	struct seg s[] = {
		{ .paddr = 0x100000, .vaddr = 0xC0100000, .filesz = 0x400, .memsz = 0x800 },
	};
	size_t size = make_elf(32, 0xC0100020, s, 1);

	desc.kind = GUEST_KIND_MULTIBOOT;
	snprintf(desc.cmdline, sizeof(desc.cmdline), "quiet x=1");
	put_mb_header(MB_HEADER_OFF, BIT(0) | BIT(1));
	load_ok(size);
	check_segment(0, &s[0]);
	assert_int_equal(start.rip, 0x100020);
	check_multiboot_info(RAM_SIZE, "quiet x=1");
	assert_string_equal(fake_log_text(), "");
}

static void
test_multiboot_one_mib(void **state)
{
	struct seg s[] = { { .paddr = 0x8000, .filesz = 0x100, .memsz = 0x100 } };
	size_t size = make_elf(32, 0x8000, s, 1);

	desc.kind = GUEST_KIND_MULTIBOOT;
	put_mb_header(MB_HEADER_OFF, 0);
	assert_int_equal(loader_load(&desc, image, size, NULL, 0, ram, MiB(1), &start, err, sizeof(err)), 0);
	check_multiboot_info(MiB(1), "");
}

static void
test_multiboot_video_is_noted(void **state)
{
	struct seg s[] = { { .paddr = 0x100000, .filesz = 0x100, .memsz = 0x100 } };
	size_t size = make_elf(32, 0x100000, s, 1);

	desc.kind = GUEST_KIND_MULTIBOOT;
	put_mb_header(MB_HEADER_OFF, BIT(2));
	load_ok(size);
	assert_true(fake_log_contains("guest 't': its Multiboot header asks for a video mode; it gets none"));
}

static void
test_multiboot_errors(void **state)
{
	struct seg s[] = { { .paddr = 0x100000, .filesz = 0x100, .memsz = 0x100 } };
	size_t size = make_elf(32, 0x100000, s, 1);

	desc.kind = GUEST_KIND_MULTIBOOT;
	load_bad(size, "guest 't': no Multiboot header (0x1badb002 with its checksum, 4-byte aligned) in the first 8 KiB");
	put_mb_header(MB_HEADER_OFF + 2, 0);           /* not 4-byte aligned */
	load_bad(size, "guest 't': no Multiboot header (0x1badb002 with its checksum, 4-byte aligned) in the first 8 KiB");
	memset(image + MB_HEADER_OFF, 0, 16);
	put_mb_header(MB_HEADER_OFF, 0);
	set32(MB_HEADER_OFF + 8, 0);                    /* bad checksum */
	load_bad(size, "guest 't': no Multiboot header (0x1badb002 with its checksum, 4-byte aligned) in the first 8 KiB");
	memset(image + MB_HEADER_OFF, 0, 16);

	/* 8 KiB in is too far: the header must lie wholly in the first 8192 bytes */
	put_mb_header(8192 - 8, 0);
	load_bad(8192 + 8, "guest 't': no Multiboot header (0x1badb002 with its checksum, 4-byte aligned) in the first 8 KiB");
	put_mb_header(8192 - 12, 0);
	load_ok(8192 + 8);

	memset(image + 8192 - 16, 0, 32);
	put_mb_header(MB_HEADER_OFF, BIT(3) | BIT(1));
	load_bad(size, "guest 't': Multiboot header flags 0xa: bits 0x8 ask for what this loader does not offer");
	put_mb_header(MB_HEADER_OFF, 0xFFFFFFFF);
	load_bad(size, "guest 't': Multiboot header flags 0xffffffff: bits 0xfff8 ask for what this loader does not offer");
	put_mb_header(MB_HEADER_OFF, BIT(20));          /* optional bits 16-31 are fine */
	load_ok(size);

	size = make_elf(64, 0x100000, s, 1);
	put_mb_header(MB_HEADER_OFF, 0);
	load_bad(size, "guest 't': ELF64: a Multiboot kernel must be ELF32, or give a.out kludge addresses (flag bit 16)");
	image[0] = 0;
	load_bad(size, "guest 't': not an ELF file, and its Multiboot header has no a.out kludge addresses (flag bit 16)");
}

/* A raw kernel image whose Multiboot header at 0x40 gives its addresses. */
#define AOUT_HDR        0x40
#define AOUT_BASE       0x100000

static size_t
make_aout(size_t size, uint32_t load_end, uint32_t bss_end)
{
	memset(image, 0, sizeof(image));
	for (size_t i = 0; i < size; i++)
		image[i] = pattern(7, i);
	put_mb_header(AOUT_HDR, BIT(16) | BIT(1));
	set32(AOUT_HDR + 12, AOUT_BASE + AOUT_HDR);     /* header_addr */
	set32(AOUT_HDR + 16, AOUT_BASE);                /* load_addr */
	set32(AOUT_HDR + 20, load_end);
	set32(AOUT_HDR + 24, bss_end);
	set32(AOUT_HDR + 28, AOUT_BASE + 0x80);         /* entry_addr */
	return size;
}

static void
test_multiboot_aout(void **state)
{
	size_t size = make_aout(0x1000, AOUT_BASE + 0x800, AOUT_BASE + 0x2000);

	desc.kind = GUEST_KIND_MULTIBOOT;
	load_ok(size);
	for (size_t i = 0; i < 0x800; i++)
		if (ram[AOUT_BASE + i] != image[i])
			fail_msg("byte %#zx", i);
	for (size_t i = 0x800; i < 0x2000; i++)
		assert_int_equal(ram[AOUT_BASE + i], 0);
	assert_int_equal(ram[AOUT_BASE + 0x2000], POISON);
	assert_int_equal(start.rip, AOUT_BASE + 0x80);
	check_multiboot_info(RAM_SIZE, "");

	/* load_end_addr 0: the whole rest of the file; bss_end_addr 0: no bss */
	memset(ram, POISON, RAM_SIZE);
	size = make_aout(0x1000, 0, 0);
	load_ok(size);
	assert_int_equal(ram[AOUT_BASE + 0xFFF], image[0xFFF]);
	assert_int_equal(ram[AOUT_BASE + 0x1000], POISON);

	/* the file starts before the loaded part: header_addr - load_addr < offset */
	memset(ram, POISON, RAM_SIZE);
	size = make_aout(0x1000, 0, 0);
	set32(AOUT_HDR + 16, AOUT_BASE + 0x20);
	load_ok(size);
	assert_int_equal(ram[AOUT_BASE + 0x20], image[0x20]);
	assert_int_equal(ram[AOUT_BASE + 0x20 + 0xFDF], image[0xFFF]);
	assert_int_equal(ram[AOUT_BASE + 0x20 + 0xFE0], POISON);
}

static void
test_multiboot_aout_errors(void **state)
{
	size_t size;

	desc.kind = GUEST_KIND_MULTIBOOT;
	size = make_aout(0x1000, 0, 0);
	set32(AOUT_HDR + 16, AOUT_BASE + AOUT_HDR + 4);
	load_bad(size, "guest 't': Multiboot load_addr 0x100044: expected at most header_addr 0x100040");
	set32(AOUT_HDR + 16, AOUT_BASE - 4);
	load_bad(size, "guest 't': Multiboot load_addr 0xffffc: it would start 0x4 bytes before the file");

	size = make_aout(0x1000, AOUT_BASE, 0);
	load_bad(size, "guest 't': Multiboot load_end_addr 0x100000: expected 0 or above load_addr 0x100000");
	size = make_aout(0x1000, AOUT_BASE + 0x1001, 0);
	load_bad(size, "guest 't': truncated file: Multiboot load_end_addr 0x101001 needs 0x1001 bytes from byte 0, the file has 0x1000");
	size = make_aout(0x1000, AOUT_BASE + 0x800, AOUT_BASE + 0x7FF);
	load_bad(size, "guest 't': Multiboot bss_end_addr 0x1007ff: expected 0 or at least the end of the loaded bytes, 0x100800");
	size = make_aout(0x1000, 0, 0xFFFFFFFF);
	load_bad(size, "guest 't': the Multiboot image at 0x100000 (0xffefffff bytes) is outside guest RAM [0, 0x400000)");
	size = make_aout(0x1000, 0, 0);
	set32(AOUT_HDR + 12, 0x1000 + AOUT_HDR);
	set32(AOUT_HDR + 16, 0x1000);
	load_bad(size, "guest 't': the Multiboot image at [0x1000, 0x2000) overlaps the loader area [0x1000, 0x7c00)");
	size = make_aout(0x1000, 0, 0);
	set32(AOUT_HDR + 28, RAM_SIZE);
	load_bad(size, "guest 't': entry point 0x400000 is outside guest RAM [0, 0x400000)");

	/* the header's a.out fields cut off by the end of the file */
	size = make_aout(AOUT_HDR + 16, 0, 0);
	load_bad(size, "guest 't': truncated Multiboot header at byte 0x40: the a.out kludge needs 32 bytes");
}

/* --- flat ------------------------------------------------------------------- */

static void
test_flat_real_mode(void **state)
{
	desc.kind = GUEST_KIND_FLAT;
	memset(image, 0x90, 0x200);
	load_ok(0x200);
	assert_int_equal(start.mode, GUEST_MODE_REAL);
	assert_int_equal(start.cs, 0);
	assert_int_equal(start.rip, 0x7c00);
	assert_int_equal(start.gdt_base, 0);
	assert_int_equal(ram[0x7c00], 0x90);
	assert_int_equal(ram[0x7c00 + 0x1FF], 0x90);
	assert_int_equal(ram[0x7c00 + 0x200], POISON);
	assert_int_equal(ram[0x1000], POISON);          /* nothing built in the loader area */

	desc.load = 0x10000;
	desc.entry = 0x12345;
	load_ok(0x200);
	assert_int_equal(start.cs, 0x1000);
	assert_int_equal(start.rip, 0x2345);
	assert_int_equal(((uint64_t)start.cs << 4) + start.rip, 0x12345);

	desc.load = 0xF0000;
	desc.entry = 0xFFFF0;
	load_ok(0x200);
	assert_int_equal(start.cs, 0xF000);
	assert_int_equal(start.rip, 0xFFF0);
	assert_int_equal(ram[0xE0000], POISON);         /* a flat guest owns the firmware area: no tables */

	desc.load = 0x100000;
	desc.entry = 0;
	load_bad(0x200, "guest 't': entry point 0x100000: expected below 1M for mode=real");
}

static void
test_flat_protected_and_long(void **state)
{
	desc.kind = GUEST_KIND_FLAT;
	desc.load = 0x100000;
	desc.mode = GUEST_MODE_PROTECTED;
	memset(image, 0xF4, 0x100);
	load_ok(0x100);
	assert_int_equal(start.mode, GUEST_MODE_PROTECTED);
	assert_int_equal(start.rip, 0x100000);
	assert_int_equal(start.cr3, 0);
	check_gdt();
	assert_int_equal(ram[0x100000], 0xF4);

	desc.mode = GUEST_MODE_LONG;
	desc.entry = 0x100010;
	load_ok(0x100);
	assert_int_equal(start.mode, GUEST_MODE_LONG);
	assert_int_equal(start.rip, 0x100010);
	assert_int_equal(start.cr3, 0x1000);
	check_gdt();
	for (uint64_t va = 0; va < RAM_SIZE; va += MiB(2))
		assert_int_equal(walk(ram, RAM_SIZE, start.cr3, va + 0x10), va + 0x10);
	assert_int_equal(walk(ram, RAM_SIZE, start.cr3, RAM_SIZE), -1);
}

static void
test_flat_errors(void **state)
{
	desc.kind = GUEST_KIND_FLAT;
	load_bad(0, "guest 't': the image is empty");
	desc.load = RAM_SIZE - 0x100;
	load_bad(0x200, "guest 't': the flat image at 0x3fff00 (0x200 bytes) is outside guest RAM [0, 0x400000)");
	desc.load = UINT64_MAX - 0x10;
	load_bad(0x200, "guest 't': the flat image at 0xffffffffffffffef (0x200 bytes) is outside guest RAM [0, 0x400000)");
	desc.load = 0x7000;
	load_bad(0x200, "guest 't': the flat image at [0x7000, 0x7200) overlaps the loader area [0x1000, 0x7c00)");
	desc.load = 0x8000;
	desc.entry = RAM_SIZE;
	load_bad(0x200, "guest 't': entry point 0x400000 is outside guest RAM [0, 0x400000)");
	desc.entry = 0;
	desc.mode = 0;
	load_bad(0x200, "guest 't': mode 0: expected real, protected or long");
	desc.mode = GUEST_MODE_REAL;
	assert_int_equal(loader_load(&desc, image, 0x200, NULL, 0, ram, MiB(1) - 0x1000, &start, err, sizeof(err)), -1);
	assert_string_equal(err, "guest 't': guest RAM of 0xff000 bytes: expected at least 1M");
	desc.kind = 0;
	load_bad(0x200, "guest 't': kind 0: expected elf, multiboot, flat or linux");
}

static void
test_error_fits_small_buffer(void **state)
{
	char small[16];

	desc.kind = GUEST_KIND_FLAT;
	assert_int_equal(loader_load(&desc, image, 0, NULL, 0, ram, RAM_SIZE, &start, small, sizeof(small)), -1);
	assert_string_equal(small, "guest 't': the ");
}

/* --- fuzz ------------------------------------------------------------------ */

static struct fake_random rng = { 0x9E3779B97F4A7C15ull };

/*
 * Mutate valid images at random (fixed seed, so a failure repeats) and
 * load them into exact-size buffers: ASan stops the test on any read past
 * the image or write past RAM. A load either fails with a message or
 * starts the guest inside its RAM.
 */
static void
fuzz(const uint8_t *seed, size_t seed_size, enum guest_kind kind, unsigned iterations)
{
	uint64_t ram_size = MiB(2);
	uint8_t *fram = malloc(ram_size);
	unsigned ok = 0;

	assert_non_null(fram);
	desc.kind = kind;
	desc.load = 0x100000;
	for (unsigned it = 0; it < iterations; it++) {
		size_t size = seed_size;
		uint8_t *img;
		int r, flips = 1 + (int)(fake_random_next(&rng) % 8);

		if (fake_random_next(&rng) % 8 == 0)
			size = fake_random_next(&rng) % (seed_size + 1);
		img = malloc(size ? size : 1);
		assert_non_null(img);
		memcpy(img, seed, size);
		for (int f = 0; f < flips && size; f++) {
			/* mostly the headers, where the offsets and sizes are */
			size_t at = fake_random_next(&rng) % (fake_random_next(&rng) % 2 ? MIN(size, 0x280) : size);
			uint8_t v[] = { 0x00, 0xFF, 0x7F, 0x80, 0x01, 0x10, (uint8_t)fake_random_next(&rng) };

			img[at] = v[fake_random_next(&rng) % ARRAY_SIZE(v)];
		}
		desc.mode = 1 + fake_random_next(&rng) % 3;
		r = loader_load(&desc, img, size, NULL, 0, fram, ram_size, &start, err, sizeof(err));
		if (r == 0) {
			ok++;
			assert_true(start.mode >= GUEST_MODE_REAL && start.mode <= GUEST_MODE_LONG);
			if (start.mode == GUEST_MODE_REAL)
				assert_true(((uint64_t)start.cs << 4) + start.rip < ram_size);
			else
				assert_true(start.rip < ram_size);
		} else {
			assert_int_equal(r, -1);
			assert_true(!strncmp(err, "guest 't': ", 11) && strlen(err) > 11);
		}
		free(img);
	}
	free(fram);
	print_message("fuzz kind %d: %u of %u mutated images loaded\n", kind, ok, iterations);
}

static void
test_fuzz(void **state)
{
	struct seg s32[] = {
		{ .paddr = 0x100000, .filesz = 0x100, .memsz = 0x400 },
		{ .paddr = 0x180000, .filesz = 0x80, .memsz = 0x80 },
	};
	struct seg s64[] = {
		{ .paddr = 0x100000, .filesz = 0x100, .memsz = 0x100 },
		{ .paddr = 0x1FF000, .filesz = 0x80, .memsz = 0x1000 },
	};
	static uint8_t seed[IMAGE_MAX];
	size_t size;

	fake_log_reset();
	size = make_elf(32, 0x100000, s32, 2);
	memcpy(seed, image, size);
	fuzz(seed, size, GUEST_KIND_ELF, 3000);

	size = make_elf(64, 0x100000, s64, 2);
	memcpy(seed, image, size);
	fuzz(seed, size, GUEST_KIND_ELF, 3000);

	size = make_elf(32, 0x100000, s32, 2);
	put_mb_header(MB_HEADER_OFF, BIT(1));
	memcpy(seed, image, size);
	fuzz(seed, size, GUEST_KIND_MULTIBOOT, 3000);

	size = make_aout(0x400, AOUT_BASE + 0x300, AOUT_BASE + 0x800);
	memcpy(seed, image, size);
	fuzz(seed, size, GUEST_KIND_MULTIBOOT, 3000);

	memset(seed, 0x90, 0x200);
	fuzz(seed, 0x200, GUEST_KIND_FLAT, 500);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_elf32, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf64_long_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf64_higher_half_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_tables_4g, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_tables_odd_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf_header_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf_segment_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf_failure_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiboot_elf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiboot_one_mib, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiboot_video_is_noted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiboot_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiboot_aout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiboot_aout_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flat_real_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flat_protected_and_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flat_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_fits_small_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzz, setup, teardown),
	};
	return cmocka_run_group_tests_name("loader", tests, NULL, NULL);
}
