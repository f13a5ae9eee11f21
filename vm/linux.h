/*
 * vm/linux.h: booting an unmodified Linux bzImage as a guest, by the x86
 * Linux boot protocol's 64-bit entry (the kernel's
 * Documentation/x86/boot.rst, "64-bit Boot Protocol", and zero-page.rst).
 *
 * The loader reads and checks the setup header at 0x1F1 of the image
 * (boot_flag 0xAA55, "HdrS", protocol 2.12 or later, a bzImage with
 * XLF_KERNEL_64, the setup size, syssize against the file, alignment,
 * pref_address, init_size, cmdline_size, initrd_addr_max), then builds the
 * guest's memory:
 *
 *   0x0400             BIOS data area: base memory size, EBDA segment
 *   [0x1000, 0x7C00)   LOADER_AREA: identity page tables, GDT (vm/loader.h)
 *   0x8000             boot_params, the "zero page" (LINUX_BOOT_PARAMS)
 *   0x9000             the kernel command line (LINUX_CMDLINE)
 *   0xE0000            ACPI tables (vm/acpi_tables.h), reserved in the e820 map
 *   pref_address       the protected-mode kernel (usually 16 MiB), followed by
 *                      init_size bytes it needs to decompress itself
 *   top of RAM         the initrd, page-aligned, below initrd_addr_max
 *
 * and starts it at load address + 0x200 in 64-bit mode with paging (all of
 * guest RAM identity-mapped), CS = 0x10 and DS = ES = SS = 0x18 (the
 * protocol's __BOOT_CS and __BOOT_DS, flat 4 GiB), interrupts off and RSI
 * = the boot_params' address. A bad or truncated image, an initrd that
 * does not fit and too little memory are refused with one line naming the
 * guest before anything is written.
 */
#ifndef VM_LINUX_H
#define VM_LINUX_H

#include "vm/loader.h"

#define LINUX_BOOT_PARAMS   0x8000          /* guest-physical, 4 KiB */
#define LINUX_CMDLINE       0x9000          /* guest-physical, GUEST_CMDLINE_MAX bytes */
#define LINUX_E820_MAX      8               /* entries linux_e820() may write */

/* One e820 entry as boot_params holds it (zero-page.rst, 0x2D0). */
struct __packed linux_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};
STATIC_ASSERT(sizeof(struct linux_e820_entry) == 20, "boot_e820_entry is 20 bytes");
#define E820_RAM            1
#define E820_RESERVED       2

/* What linux_check() read from a setup header it accepted. */
struct linux_image {
	uint16_t version;               /* boot protocol, e.g. 0x020F */
	uint32_t setup_bytes;           /* boot sector and setup: the kernel starts after them */
	uint32_t header_end;            /* one past the setup header's last byte */
	uint64_t kernel_bytes;          /* the protected-mode kernel (syssize * 16) */
	uint64_t load;                  /* where it goes: pref_address, aligned */
	uint64_t init_size;             /* bytes from load it needs to start */
	uint32_t cmdline_size;          /* longest command line, its NUL not counted */
	uint64_t initrd_max;            /* highest byte an initrd may occupy */
};

/* Where linux_place() put things. */
struct linux_layout {
	uint64_t kernel_end;            /* load + what it needs */
	uint64_t initrd;                /* guest-physical, 0 when there is none */
	uint64_t initrd_size;
};

/*
 * Check the setup header of a bzImage of size bytes. Returns 0 with li
 * filled, or -1 with err holding one line ("guest 'NAME': ...").
 */
int linux_check(const char *name, const uint8_t *image, size_t size, struct linux_image *li,
		char *err, size_t err_size);

/*
 * Place the kernel and an initrd of initrd_size bytes (0: none) in RAM of
 * ram_size bytes. Returns 0 with lay filled, or -1 with err saying what
 * did not fit and how much memory would do.
 */
int linux_place(const char *name, const struct linux_image *li, uint64_t ram_size, uint64_t initrd_size,
		struct linux_layout *lay, char *err, size_t err_size);

/* The guest's memory map for ram_size bytes of RAM: low RAM, the reserved
 * BIOS hole with the ACPI tables, RAM above 1 MiB, the IOAPIC and local
 * APIC pages. Returns the number of entries written to e (<= LINUX_E820_MAX). */
unsigned linux_e820(uint64_t ram_size, struct linux_e820_entry *e);

/*
 * Load a bzImage and its initrd (NULL, 0: none) for guest d into ram and
 * fill start, as loader_load() does for the other kinds (it calls this for
 * kind=linux). Returns 0, or -1 with err holding one line; on error
 * nothing has been written.
 */
int linux_load(const struct guest_desc *d, const uint8_t *image, size_t size, const uint8_t *initrd,
	       size_t initrd_size, uint8_t *ram, uint64_t ram_size, struct guest_start *start,
	       char *err, size_t err_size);

#endif
