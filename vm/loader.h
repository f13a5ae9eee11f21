/*
 * vm/loader.h: putting a guest image into the guest's RAM and saying how
 * the guest starts. Vendor-neutral and pure: it sees guest RAM as a byte
 * array (guest-physical 0 is ram[0]) and never touches hardware, so host
 * unit tests run it as it is.
 *
 * What each kind gets:
 *   elf        ELF32 or ELF64 (x86), PT_LOAD segments copied to p_paddr,
 *              bss zeroed. ELF32 starts in protected mode at e_entry;
 *              ELF64 starts in long mode at e_entry with the loader's
 *              identity page tables (all of guest RAM, 2 MiB pages) and a
 *              flat GDT. RSP is 0: the guest sets up its own stack.
 *   multiboot  an ELF32 with a Multiboot1 header in its first 8 KiB (or the
 *              header's a.out-kludge addresses): protected mode, EAX =
 *              0x2BADB002, EBX = guest-physical address of a Multiboot1
 *              info block with mem_lower/upper, a memory map
 *              ([0,640K) usable, [640K,1M) reserved, [1M,mem) usable), the
 *              command line and the boot loader name. Header flag bits
 *              0-1 are met, bit 2 (a video mode) is ignored with a note
 *              in the log, bits 3-15 are refused as the spec requires.
 *   linux      a bzImage and its initrd, by the Linux boot protocol's
 *              64-bit entry: vm/linux.h.
 *   flat       raw bytes at load=; starts at entry= in mode=. Real mode
 *              starts at CS:IP with CS = (entry >> 4) & 0xF000 and
 *              IP = entry - (CS << 4), so entry must be below 1 MiB;
 *              protected mode gets the flat GDT, long mode the GDT and
 *              the identity map, as ELF64 does.
 * For ELF images an entry point inside a segment's virtual range is moved
 * to its physical address, as GRUB does for higher-half kernels.
 *
 * Structures the loader builds live in LOADER_AREA, which no image may
 * overlap: [0x1000, 0x7C00), the free conventional memory below where a
 * BIOS puts a boot sector (flat guests' default load=):
 *   0x1000  PML4
 *   0x2000  PDPT
 *   0x3000  four page directories, 2 MiB pages: 4 GiB (LOADER_MAP_MAX)
 *   0x7000  GDT: null, 32-bit code 0x08, 64-bit code 0x10, data 0x18 (the
 *           selectors the Linux 64-bit boot protocol names)
 *   0x7100  Multiboot1 info (116 bytes), 0x7200 its memory map,
 *   0x7300  its command line (256 bytes), 0x7400 the boot loader name
 * A long-mode start needs guest RAM of at most LOADER_MAP_MAX.
 *
 * Every kind but flat also gets the ACPI tables (vm/acpi_tables.h) in the
 * firmware area [PC_BIOS_AREA, PC_BIOS_AREA_END), which no image of those
 * kinds may overlap either. A flat image owns all of its RAM (it may be a
 * BIOS at 0xF0000), so it gets no tables.
 */
#ifndef VM_LOADER_H
#define VM_LOADER_H

#include "vm/guest_desc.h"

#define LOADER_AREA_START   0x1000          /* guest-physical, first byte */
#define LOADER_AREA_END     0x7C00          /* one past the last byte */
#define LOADER_MAP_MAX      GiB(4)          /* RAM the long-mode identity map covers */

#define LOADER_SEL_CODE32   0x08            /* GDT selectors: flat 4 GiB 32-bit code, */
#define LOADER_SEL_CODE64   0x10            /* 64-bit code (Linux's __BOOT_CS), */
#define LOADER_SEL_DATA     0x18            /* flat 4 GiB data (Linux's __BOOT_DS) */

struct guest_start {
	enum guest_mode mode;
	uint64_t rip;                   /* real mode: IP, the offset in cs */
	uint64_t rsp;
	uint16_t cs;                    /* real mode: the code segment (base = cs << 4) */
	uint64_t rax, rbx, rsi;         /* registers the boot protocol defines */
	uint64_t cr3;                   /* long mode: guest-physical page-table root */
	uint64_t gdt_base;              /* guest-physical; 0 when none was built */
	uint16_t gdt_limit;
};

/*
 * Load image (size bytes), and for kind=linux its initrd (initrd_size
 * bytes; NULL when there is none), for guest d into ram (ram_size bytes,
 * guest physical 0..ram_size). Returns 0 and fills start, or -1 with err
 * holding one line naming the guest and the problem (not an ELF, wrong
 * machine, a segment outside RAM or over the loader area, truncated file,
 * no Multiboot header, RAM under 1 MiB, ...). Nothing outside ram is ever
 * written and nothing outside image read: the image is untrusted.
 */
int loader_load(const struct guest_desc *d, const void *image, size_t size, const void *initrd,
		size_t initrd_size, void *ram, uint64_t ram_size, struct guest_start *start,
		char *err, size_t err_size);

/*
 * The 64-bit start every long-mode kind shares: clear LOADER_AREA, build
 * the GDT and the identity page tables of all guest RAM there, and set
 * start's mode, CR3 and GDT. The caller has checked ram_size <=
 * LOADER_MAP_MAX; it sets rip and the boot protocol's registers.
 */
void loader_long_mode(uint8_t *ram, uint64_t ram_size, struct guest_start *start);

#endif
