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
 *              command line and the boot loader name.
 *   flat       raw bytes at load=; starts at entry= in mode=. Real mode
 *              starts at CS = entry >> 4 & 0xF000 ... (see loader.c).
 * Structures the loader builds (Multiboot info, page tables, GDT) live in
 * LOADER_AREA, which an image must not overlap.
 */
#ifndef VM_LOADER_H
#define VM_LOADER_H

#include "vm/guest_desc.h"

#define LOADER_AREA_START   0x1000          /* guest-physical */
#define LOADER_AREA_END     0x7000

struct guest_start {
	enum guest_mode mode;
	uint64_t rip;
	uint64_t rsp;
	uint16_t cs;                    /* real mode: the code segment (base = cs << 4) */
	uint64_t rax, rbx, rsi;         /* registers the boot protocol defines */
	uint64_t cr3;                   /* long mode: guest-physical page-table root */
	uint64_t gdt_base;              /* guest-physical; 0 when none was built */
	uint16_t gdt_limit;
};

/*
 * Load image (size bytes) for guest d into ram (ram_size bytes, guest
 * physical 0..ram_size). Returns 0 and fills start, or -1 with err holding
 * one line naming the guest and the problem (not an ELF, wrong machine, a
 * segment outside RAM or over the loader area, truncated file, no
 * Multiboot header, ...). Nothing outside ram is ever written.
 */
int loader_load(const struct guest_desc *d, const void *image, size_t size,
		void *ram, uint64_t ram_size, struct guest_start *start, char *err, size_t err_size);

#endif
