/*
 * vm/loader.c: a guest image into guest RAM, and the state the guest
 * starts in. Formats: ELF (System V gABI, "ELF Header" and "Program
 * Header"), Multiboot 0.6.96 ("OS image format", "Machine state", "Boot
 * information format") and flat binaries. What it builds for the guest:
 * 4-level identity page tables with 2 MiB pages (SDM Vol. 3A, 4.5) and a
 * flat GDT (SDM Vol. 3A, 3.4.5). Pure logic: the image is untrusted, so
 * every offset and address is checked, without overflow, before use.
 * Unit-tested on the host (test/unit/test_loader.c).
 */
#include "vm/loader.h"
#include "boot/multiboot1_format.h"
#include "devices/pc.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/pgtable.h"
#include "vm/acpi_tables.h"
#include "vm/linux.h"

/* ELF (gABI "ELF Identification", "ELF Header", "Program Header") */
#define ELF_MAGIC           "\177ELF"       /* e_ident[0..3] */
#define ELF_EI_CLASS        4               /* e_ident index: 32 or 64 bits */
#define ELF_EI_DATA         5               /* e_ident index: byte order */
#define ELF_EI_NIDENT       16              /* bytes of e_ident */
#define ELF_CLASS32         1               /* ELFCLASS32 */
#define ELF_CLASS64         2               /* ELFCLASS64 */
#define ELF_DATA_LSB        1               /* two's complement, little-endian */
#define ELF_ET_EXEC         2               /* e_type: executable file */
#define ELF_EM_386          3               /* e_machine: Intel 80386 */
#define ELF_EM_X86_64       62              /* e_machine: AMD x86-64 */
#define ELF_PT_LOAD         1               /* p_type: loadable segment */
#define ELF_PHNUM_MAX       64              /* more program headers than any kernel has */

struct elf32_ehdr {
	uint8_t e_ident[ELF_EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};
STATIC_ASSERT(sizeof(struct elf32_ehdr) == 52, "Elf32_Ehdr is 52 bytes");

struct elf64_ehdr {
	uint8_t e_ident[ELF_EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};
STATIC_ASSERT(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr is 64 bytes");

struct elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};
STATIC_ASSERT(sizeof(struct elf32_phdr) == 32, "Elf32_Phdr is 32 bytes");

/* The 64-bit program header moves p_flags up to pad the addresses. */
struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};
STATIC_ASSERT(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr is 56 bytes");

/* Multiboot 0.6.96, 3.1.1-3.1.3: the header in the kernel image */
#define MB1_HEADER_MAGIC    0x1BADB002
#define MB1_SEARCH_BYTES    8192            /* the header lies wholly in the first 8 KiB */
#define MB1_HDR_PAGE_ALIGN  BIT(0)          /* modules page-aligned: there are none */
#define MB1_HDR_MEMORY      BIT(1)          /* mem_* wanted: always given */
#define MB1_HDR_VIDEO       BIT(2)          /* a video mode wanted: not offered */
#define MB1_HDR_REQUIRED    0xFFFFu         /* bits 0-15: refuse what is not understood */
#define MB1_HDR_AOUT_KLUDGE BIT(16)         /* load addresses in the header, not from ELF */
#define MB1_HDR_UNDERSTOOD  (MB1_HDR_PAGE_ALIGN | MB1_HDR_MEMORY | MB1_HDR_VIDEO)

struct mb1_header {
	uint32_t magic, flags, checksum;        /* magic + flags + checksum == 0 */
	uint32_t header_addr;                   /* where the magic lands: locates the file in memory */
	uint32_t load_addr, load_end_addr;      /* text and data; 0 end: to the end of the file */
	uint32_t bss_end_addr;                  /* 0: no bss */
	uint32_t entry_addr;
	uint32_t mode_type, width, height, depth;
};
STATIC_ASSERT(sizeof(struct mb1_header) == 48, "Multiboot1 header is 48 bytes");
#define MB1_HEADER_MIN      12              /* magic, flags, checksum */
#define MB1_HEADER_AOUT     32              /* ... through entry_addr */

/* Multiboot 0.6.96, 3.2 and 3.3: the machine state and information at entry */
#define MB1_MEM_LOWER_KIB   640             /* conventional memory, as a PC has */
#define MB1_MMAP_ENTRIES    3               /* [0,640K) [640K,1M) [1M,mem) */

/* x86-64 paging (SDM Vol. 3A, 4.5, Tables 4-15, 4-17, 4-18) */
#define PT_PAGE             KiB(4)          /* one paging structure */
#define PD_PAGE_SIZE        MiB(2)          /* what one PDE maps */
#define PDPT_ENTRY_SIZE     GiB(1)          /* what one PDPTE (one PD) maps */

/* Segment descriptors (SDM Vol. 3A, 3.4.5): base 0, limit 0xFFFFF in 4 KiB
 * units, present, DPL 0, type with the accessed bit already set so that
 * loading one never writes the guest's GDT. */
#define GDT_CODE64          0x00AF9B000000FFFFull   /* G, L: 64-bit code, execute/read */
#define GDT_DATA            0x00CF93000000FFFFull   /* G, D/B: data, read/write */
#define GDT_CODE32          0x00CF9B000000FFFFull   /* G, D/B: 32-bit code, execute/read */

/* Inside LOADER_AREA (the layout is drawn in vm/loader.h) */
#define LOADER_PML4         0x1000          /* CR3 of a long-mode start */
#define LOADER_PDPT         0x2000          /* PML4[0] */
#define LOADER_PD           0x3000          /* PDPT[i], one per GiB, contiguous */
#define LOADER_PD_COUNT     (LOADER_MAP_MAX / PDPT_ENTRY_SIZE)  /* 4 */
#define LOADER_GDT          0x7000          /* 4 descriptors, LOADER_SEL_* */
#define LOADER_MB_INFO      0x7100          /* EBX of a Multiboot start */
#define LOADER_MB_MMAP      0x7200          /* MB1_MMAP_ENTRIES entries */
#define LOADER_MB_CMDLINE   0x7300          /* GUEST_CMDLINE_MAX bytes */
#define LOADER_MB_NAME      0x7400          /* LOADER_NAME */
#define LOADER_NAME         "HvLab"         /* Multiboot boot_loader_name */

STATIC_ASSERT(LOADER_PML4 == LOADER_AREA_START, "the loader area starts with the PML4");
STATIC_ASSERT(LOADER_PD + LOADER_PD_COUNT * PT_PAGE <= LOADER_GDT, "page directories fit");
STATIC_ASSERT(LOADER_GDT + 4 * 8 <= LOADER_MB_INFO, "GDT fits");
STATIC_ASSERT(LOADER_MB_INFO + sizeof(struct mb1_info) <= LOADER_MB_MMAP, "Multiboot info fits");
STATIC_ASSERT(LOADER_MB_MMAP + MB1_MMAP_ENTRIES * sizeof(struct mb1_mmap_entry) <= LOADER_MB_CMDLINE,
	      "Multiboot memory map fits");
STATIC_ASSERT(LOADER_MB_CMDLINE + GUEST_CMDLINE_MAX <= LOADER_MB_NAME, "Multiboot command line fits");
STATIC_ASSERT(LOADER_MB_NAME + sizeof(LOADER_NAME) <= LOADER_AREA_END, "loader name fits");
STATIC_ASSERT(LOADER_AREA_END <= MiB(1), "the loader area is in the RAM every guest has");

#define GUEST_RAM_MIN       MiB(1)          /* holds LOADER_AREA, the Multiboot map, the ACPI tables */
STATIC_ASSERT(ACPI_TABLES_BASE + ACPI_TABLES_SIZE <= GUEST_RAM_MIN, "the ACPI tables are in the RAM every guest has");

/* One load in progress: the arguments of loader_load(). */
struct load {
	const struct guest_desc *d;
	const uint8_t *image;
	size_t size;
	uint8_t *ram;
	uint64_t ram_size;
	struct guest_start *start;
	char *err;
	size_t err_size;
	bool tables;                    /* the ACPI tables go in the firmware area */
};

/* A program header, either class. */
struct segment {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

/* What elf_check() found valid. */
struct elf_image {
	unsigned class;                 /* ELF_CLASS32 or ELF_CLASS64 */
	uint64_t entry;                 /* guest-physical */
	uint64_t phoff;
	unsigned phnum;
};

/* Write "guest 'NAME': message" into l->err; returns -1 for the caller to pass on. */
static int __printf(2, 3)
load_error(struct load *l, const char *fmt, ...)
{
	size_t n = (size_t)format(l->err, l->err_size, "guest '%s': ", l->d->name);
	va_list ap;

	if (n < l->err_size) {
		va_start(ap, fmt);
		format_v(l->err + n, l->err_size - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * [gpa, gpa + len) must lie in guest RAM, clear of LOADER_AREA and, for a
 * guest that gets ACPI tables, of the firmware area. Returns 0, or -1 with
 * the error naming what (e.g. "segment 2").
 */
static int
check_range(struct load *l, uint64_t gpa, uint64_t len, const char *what)
{
	if (len > l->ram_size || gpa > l->ram_size - len)
		return load_error(l, "%s at %#lx (%#lx bytes) is outside guest RAM [0, %#lx)",
				  what, gpa, len, l->ram_size);
	if (len && gpa < LOADER_AREA_END && gpa + len > LOADER_AREA_START)
		return load_error(l, "%s at [%#lx, %#lx) overlaps the loader area [%#x, %#x)",
				  what, gpa, gpa + len, LOADER_AREA_START, LOADER_AREA_END);
	if (l->tables && len && gpa < PC_BIOS_AREA_END && gpa + len > PC_BIOS_AREA)
		return load_error(l, "%s at [%#lx, %#lx) overlaps the firmware area [%#x, %#x) of its ACPI tables",
				  what, gpa, gpa + len, PC_BIOS_AREA, PC_BIOS_AREA_END);
	return 0;
}

/* Only ever called for guest-physical addresses checked to be in RAM. */
static void
put64(struct load *l, uint64_t gpa, uint64_t v)
{
	memcpy(l->ram + gpa, &v, sizeof(v));
}

static int
check_entry(struct load *l, uint64_t entry)
{
	if (entry >= l->ram_size)
		return load_error(l, "entry point %#lx is outside guest RAM [0, %#lx)", entry, l->ram_size);
	return 0;
}

/* --- ELF --------------------------------------------------------------- */

/* Program header i, already checked to lie inside the file. */
static void
elf_segment(const struct load *l, const struct elf_image *e, unsigned i, struct segment *s)
{
	if (e->class == ELF_CLASS32) {
		struct elf32_phdr p;

		memcpy(&p, l->image + e->phoff + i * sizeof(p), sizeof(p));
		*s = (struct segment){ p.p_type, p.p_offset, p.p_vaddr, p.p_paddr, p.p_filesz, p.p_memsz };
	} else {
		struct elf64_phdr p;

		memcpy(&p, l->image + e->phoff + i * sizeof(p), sizeof(p));
		*s = (struct segment){ p.p_type, p.p_offset, p.p_vaddr, p.p_paddr, p.p_filesz, p.p_memsz };
	}
}

/*
 * Check the ELF header, the program headers and every PT_LOAD segment
 * against the file and guest RAM, and find the entry point (moved from a
 * segment's virtual to its physical address, as GRUB does). Multiboot
 * kernels must be ELF32. Returns 0 with e filled, or -1; writes nothing.
 */
static int
elf_check(struct load *l, bool multiboot, struct elf_image *e)
{
	const uint8_t *id = l->image;
	unsigned type, phentsize, loads = 0;
	uint64_t entry;
	bool moved = false;

	if (l->size < 4 || memcmp(id, ELF_MAGIC, 4)) {
		if (multiboot)
			return load_error(l, "not an ELF file, and its Multiboot header has no a.out kludge addresses (flag bit 16)");
		return load_error(l, "not an ELF file (no 0x7F 'ELF' at its start)");
	}
	if (l->size < ELF_EI_NIDENT)
		return load_error(l, "truncated ELF file: %zu bytes", l->size);
	if (id[ELF_EI_CLASS] != ELF_CLASS32 && id[ELF_EI_CLASS] != ELF_CLASS64)
		return load_error(l, "ELF class %u: expected 1 (ELF32) or 2 (ELF64)", id[ELF_EI_CLASS]);
	if (id[ELF_EI_DATA] != ELF_DATA_LSB)
		return load_error(l, "ELF data encoding %u: expected 1 (little-endian)", id[ELF_EI_DATA]);
	e->class = id[ELF_EI_CLASS];
	if (multiboot && e->class != ELF_CLASS32)
		return load_error(l, "ELF64: a Multiboot kernel must be ELF32, or give a.out kludge addresses (flag bit 16)");

	if (e->class == ELF_CLASS32) {
		struct elf32_ehdr h;

		if (l->size < sizeof(h))
			return load_error(l, "truncated ELF file: the ELF32 header needs %zu bytes, the file has %zu",
					  sizeof(h), l->size);
		memcpy(&h, id, sizeof(h));
		if (h.e_machine != ELF_EM_386)
			return load_error(l, "ELF32 machine %u: expected 3 (EM_386)", h.e_machine);
		type = h.e_type;
		phentsize = h.e_phentsize;
		e->phnum = h.e_phnum;
		e->phoff = h.e_phoff;
		entry = h.e_entry;
	} else {
		struct elf64_ehdr h;

		if (l->size < sizeof(h))
			return load_error(l, "truncated ELF file: the ELF64 header needs %zu bytes, the file has %zu",
					  sizeof(h), l->size);
		memcpy(&h, id, sizeof(h));
		if (h.e_machine != ELF_EM_X86_64)
			return load_error(l, "ELF64 machine %u: expected 62 (EM_X86_64)", h.e_machine);
		type = h.e_type;
		phentsize = h.e_phentsize;
		e->phnum = h.e_phnum;
		e->phoff = h.e_phoff;
		entry = h.e_entry;
	}
	if (type != ELF_ET_EXEC)
		return load_error(l, "ELF type %u: expected 2 (ET_EXEC, an executable)", type);
	if (phentsize != (e->class == ELF_CLASS32 ? sizeof(struct elf32_phdr) : sizeof(struct elf64_phdr)))
		return load_error(l, "ELF program header size %u: expected %zu", phentsize,
				  e->class == ELF_CLASS32 ? sizeof(struct elf32_phdr) : sizeof(struct elf64_phdr));
	if (e->phnum < 1 || e->phnum > ELF_PHNUM_MAX)
		return load_error(l, "ELF has %u program headers: expected 1 to %u", e->phnum, ELF_PHNUM_MAX);
	if (e->phoff > l->size || (uint64_t)e->phnum * phentsize > l->size - e->phoff)
		return load_error(l, "truncated ELF file: %u program headers at byte %#lx, the file has %#zx bytes",
				  e->phnum, e->phoff, l->size);

	for (unsigned i = 0; i < e->phnum; i++) {
		struct segment s;
		char what[24];

		elf_segment(l, e, i, &s);
		if (s.type != ELF_PT_LOAD || s.memsz == 0)
			continue;
		format(what, sizeof(what), "segment %u", i);
		if (s.filesz > s.memsz)
			return load_error(l, "%s: file size %#lx is larger than its memory size %#lx",
					  what, s.filesz, s.memsz);
		if (s.offset > l->size || s.filesz > l->size - s.offset)
			return load_error(l, "truncated ELF file: %s has bytes [%#lx, +%#lx), the file has %#zx",
					  what, s.offset, s.filesz, l->size);
		if (check_range(l, s.paddr, s.memsz, what) < 0)
			return -1;
		if (!moved && entry >= s.vaddr && entry - s.vaddr < s.memsz) {
			entry = entry - s.vaddr + s.paddr;
			moved = true;
		}
		loads++;
	}
	if (loads == 0)
		return load_error(l, "ELF has no loadable segment (PT_LOAD with a memory size)");
	e->entry = entry;
	return check_entry(l, entry);
}

/* Copy the segments elf_check() accepted and zero their bss. */
static void
elf_copy(struct load *l, const struct elf_image *e)
{
	for (unsigned i = 0; i < e->phnum; i++) {
		struct segment s;

		elf_segment(l, e, i, &s);
		if (s.type != ELF_PT_LOAD || s.memsz == 0)
			continue;
		memcpy(l->ram + s.paddr, l->image + s.offset, s.filesz);
		memset(l->ram + s.paddr + s.filesz, 0, s.memsz - s.filesz);
	}
}

/* --- what the loader builds in LOADER_AREA ------------------------------ */

static void
build_gdt(struct load *l)
{
	static const uint64_t gdt[] = {
		0,
		[LOADER_SEL_CODE64 / 8] = GDT_CODE64,
		[LOADER_SEL_DATA / 8] = GDT_DATA,
		[LOADER_SEL_CODE32 / 8] = GDT_CODE32,
	};

	memcpy(l->ram + LOADER_GDT, gdt, sizeof(gdt));
	l->start->gdt_base = LOADER_GDT;
	l->start->gdt_limit = sizeof(gdt) - 1;
}

/*
 * Identity-map guest RAM (rounded up to 2 MiB) with 2 MiB pages: one PML4
 * entry, one PDPT entry per GiB, one PDE per 2 MiB. The caller has checked
 * ram_size <= LOADER_MAP_MAX and cleared the area, so unused entries are
 * not present.
 */
static void
build_page_tables(struct load *l)
{
	uint64_t pages = ALIGN_UP(l->ram_size, PD_PAGE_SIZE) / PD_PAGE_SIZE;
	uint64_t pds = (pages + PT_ENTRIES - 1) / PT_ENTRIES;

	put64(l, LOADER_PML4, LOADER_PDPT | X86_PTE_P | X86_PTE_RW);
	for (uint64_t i = 0; i < pds; i++)
		put64(l, LOADER_PDPT + i * 8, (LOADER_PD + i * PT_PAGE) | X86_PTE_P | X86_PTE_RW);
	for (uint64_t i = 0; i < pages; i++)
		put64(l, LOADER_PD + i * 8, i * PD_PAGE_SIZE | X86_PTE_P | X86_PTE_RW | X86_PTE_PS);
	l->start->cr3 = LOADER_PML4;
}

/* The Multiboot information block, its memory map and strings (spec 3.3). */
static void
build_multiboot_info(struct load *l)
{
	struct mb1_mmap_entry map[MB1_MMAP_ENTRIES] = {
		{ 20, 0, KiB(MB1_MEM_LOWER_KIB), MB1_MMAP_USABLE },
		{ 20, KiB(MB1_MEM_LOWER_KIB), MiB(1) - KiB(MB1_MEM_LOWER_KIB), MB1_MMAP_RESERVED },
		{ 20, MiB(1), l->ram_size - MiB(1), MB1_MMAP_USABLE },
	};
	struct mb1_info info = {
		.flags = MB1_INFO_MEM | MB1_INFO_CMDLINE | MB1_INFO_MMAP | MB1_INFO_LOADER,
		.mem_lower = MB1_MEM_LOWER_KIB,
		.mem_upper = (uint32_t)MIN((l->ram_size - MiB(1)) >> 10, UINT32_MAX),
		.cmdline = LOADER_MB_CMDLINE,
		.mmap_addr = LOADER_MB_MMAP,
		.mmap_length = sizeof(map),
		.boot_loader_name = LOADER_MB_NAME,
	};
	size_t n = strnlen(l->d->cmdline, sizeof(l->d->cmdline) - 1);

	if (l->ram_size == MiB(1))      /* nothing above 1 MiB: no third range */
		info.mmap_length -= sizeof(map[0]);
	memcpy(l->ram + LOADER_MB_INFO, &info, sizeof(info));
	memcpy(l->ram + LOADER_MB_MMAP, map, info.mmap_length);
	memcpy(l->ram + LOADER_MB_CMDLINE, l->d->cmdline, n);
	l->ram[LOADER_MB_CMDLINE + n] = '\0';
	memcpy(l->ram + LOADER_MB_NAME, LOADER_NAME, sizeof(LOADER_NAME));
}

static void
clear_area(struct load *l)
{
	memset(l->ram + LOADER_AREA_START, 0, LOADER_AREA_END - LOADER_AREA_START);
}

void
loader_long_mode(uint8_t *ram, uint64_t ram_size, struct guest_start *start)
{
	struct load l = { .ram = ram, .ram_size = ram_size, .start = start };

	clear_area(&l);
	build_gdt(&l);
	build_page_tables(&l);
	start->mode = GUEST_MODE_LONG;
}

static int
check_long_mode_ram(struct load *l)
{
	if (l->ram_size > LOADER_MAP_MAX)
		return load_error(l, "mem=%luM: a 64-bit start is identity-mapped, which covers at most %luM",
				  l->ram_size >> 20, LOADER_MAP_MAX >> 20);
	return 0;
}

/* --- the three kinds ---------------------------------------------------- */

static int
load_elf(struct load *l)
{
	struct elf_image e;

	if (elf_check(l, false, &e) < 0)
		return -1;
	if (e.class == ELF_CLASS64 && check_long_mode_ram(l) < 0)
		return -1;
	elf_copy(l, &e);
	if (e.class == ELF_CLASS64) {
		loader_long_mode(l->ram, l->ram_size, l->start);
	} else {
		clear_area(l);
		build_gdt(l);
		l->start->mode = GUEST_MODE_PROTECTED;
	}
	l->start->rip = e.entry;
	return 0;
}

/* The Multiboot header: magic on a 4-byte boundary with its checksum,
 * wholly in the first 8 KiB. Returns its offset, or -1. */
static int64_t
multiboot_find(const struct load *l, struct mb1_header *h)
{
	uint64_t limit = MIN((uint64_t)l->size, MB1_SEARCH_BYTES);

	for (uint64_t off = 0; off + MB1_HEADER_MIN <= limit; off += 4) {
		uint32_t w[3];

		memcpy(w, l->image + off, sizeof(w));
		if (w[0] != MB1_HEADER_MAGIC || (uint32_t)(w[0] + w[1] + w[2]) != 0)
			continue;
		memset(h, 0, sizeof(*h));
		memcpy(h, l->image + off, MIN(sizeof(*h), l->size - off));
		return (int64_t)off;
	}
	return -1;
}

/*
 * Load with the header's a.out-kludge addresses (spec 3.1.3): the file from
 * byte off - (header_addr - load_addr) goes to load_addr, up to
 * load_end_addr (0: the rest of the file), then zeros up to bss_end_addr
 * (0: none). Returns 0 or -1.
 */
static int
multiboot_load_aout(struct load *l, uint64_t off, const struct mb1_header *h)
{
	uint64_t file_start, len, memsz;

	if (off + MB1_HEADER_AOUT > l->size)
		return load_error(l, "truncated Multiboot header at byte %#lx: the a.out kludge needs %u bytes",
				  off, MB1_HEADER_AOUT);
	if (h->load_addr > h->header_addr)
		return load_error(l, "Multiboot load_addr %#x: expected at most header_addr %#x",
				  h->load_addr, h->header_addr);
	if (h->header_addr - h->load_addr > off)
		return load_error(l, "Multiboot load_addr %#x: it would start %#lx bytes before the file",
				  h->load_addr, h->header_addr - h->load_addr - off);
	file_start = off - (h->header_addr - h->load_addr);
	if (h->load_end_addr == 0) {
		len = l->size - file_start;
	} else {
		if (h->load_end_addr <= h->load_addr)
			return load_error(l, "Multiboot load_end_addr %#x: expected 0 or above load_addr %#x",
					  h->load_end_addr, h->load_addr);
		len = h->load_end_addr - h->load_addr;
		if (len > l->size - file_start)
			return load_error(l, "truncated file: Multiboot load_end_addr %#x needs %#lx bytes from byte %#lx, the file has %#zx",
					  h->load_end_addr, len, file_start, l->size);
	}
	memsz = len;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < h->load_addr + len)
			return load_error(l, "Multiboot bss_end_addr %#x: expected 0 or at least the end of the loaded bytes, %#lx",
					  h->bss_end_addr, h->load_addr + len);
		memsz = h->bss_end_addr - h->load_addr;
	}
	if (check_range(l, h->load_addr, memsz, "the Multiboot image") < 0 || check_entry(l, h->entry_addr) < 0)
		return -1;
	memcpy(l->ram + h->load_addr, l->image + file_start, len);
	memset(l->ram + h->load_addr + len, 0, memsz - len);
	l->start->rip = h->entry_addr;
	return 0;
}

static int
load_multiboot(struct load *l)
{
	struct mb1_header h;
	int64_t off = multiboot_find(l, &h);
	uint32_t refused;

	if (off < 0)
		return load_error(l, "no Multiboot header (%#x with its checksum, 4-byte aligned) in the first 8 KiB",
				  MB1_HEADER_MAGIC);
	refused = h.flags & MB1_HDR_REQUIRED & ~(uint32_t)MB1_HDR_UNDERSTOOD;
	if (refused)
		return load_error(l, "Multiboot header flags %#x: bits %#x ask for what this loader does not offer",
				  h.flags, refused);
	if (h.flags & MB1_HDR_AOUT_KLUDGE) {
		if (multiboot_load_aout(l, (uint64_t)off, &h) < 0)
			return -1;
	} else {
		struct elf_image e;

		if (elf_check(l, true, &e) < 0)
			return -1;
		elf_copy(l, &e);
		l->start->rip = e.entry;
	}
	if (h.flags & MB1_HDR_VIDEO)
		log_info("guest '%s': its Multiboot header asks for a video mode; it gets none (no framebuffer in its information)",
			 l->d->name);
	clear_area(l);
	build_gdt(l);
	build_multiboot_info(l);
	l->start->mode = GUEST_MODE_PROTECTED;
	l->start->rax = MB1_BOOT_MAGIC;
	l->start->rbx = LOADER_MB_INFO;
	return 0;
}

/*
 * Real mode reaches entry through CS:IP with base CS << 4: the highest
 * 64 KiB-aligned segment at or below entry keeps IP small.
 */
static int
load_flat(struct load *l)
{
	const struct guest_desc *d = l->d;
	uint64_t entry = d->entry ? d->entry : d->load;

	if (check_range(l, d->load, l->size, "the flat image") < 0 || check_entry(l, entry) < 0)
		return -1;
	switch (d->mode) {
	case GUEST_MODE_REAL:
		if (entry >= MiB(1))
			return load_error(l, "entry point %#lx: expected below 1M for mode=real", entry);
		l->start->cs = (uint16_t)((entry >> 4) & 0xF000);
		l->start->rip = entry - ((uint64_t)l->start->cs << 4);
		break;
	case GUEST_MODE_PROTECTED:
		if (entry >= GiB(4))
			return load_error(l, "entry point %#lx: expected below 4G for mode=protected", entry);
		clear_area(l);
		build_gdt(l);
		l->start->rip = entry;
		break;
	case GUEST_MODE_LONG:
		if (check_long_mode_ram(l) < 0)
			return -1;
		loader_long_mode(l->ram, l->ram_size, l->start);
		l->start->rip = entry;
		break;
	default:
		return load_error(l, "mode %d: expected real, protected or long", d->mode);
	}
	memcpy(l->ram + d->load, l->image, l->size);
	l->start->mode = d->mode;
	return 0;
}

int
loader_load(const struct guest_desc *d, const void *image, size_t size, const void *initrd,
	    size_t initrd_size, void *ram, uint64_t ram_size, struct guest_start *start,
	    char *err, size_t err_size)
{
	struct load l = { d, image, size, ram, ram_size, start, err, err_size, d->kind != GUEST_KIND_FLAT };
	int r;

	memset(start, 0, sizeof(*start));
	if (err_size)
		err[0] = '\0';
	if (ram_size < GUEST_RAM_MIN)
		return load_error(&l, "guest RAM of %#lx bytes: expected at least 1M", ram_size);
	if (size == 0)
		return load_error(&l, "the image is empty");
	switch (d->kind) {
	case GUEST_KIND_ELF:
		r = load_elf(&l);
		break;
	case GUEST_KIND_MULTIBOOT:
		r = load_multiboot(&l);
		break;
	case GUEST_KIND_LINUX:
		r = linux_load(d, image, size, initrd, initrd_size, ram, ram_size, start, err, err_size);
		break;
	case GUEST_KIND_FLAT:
		return load_flat(&l);
	default:
		return load_error(&l, "kind %d: expected elf, multiboot, flat or linux", d->kind);
	}
	if (r == 0)
		acpi_tables_build(l.ram + ACPI_TABLES_BASE);
	return r;
}
