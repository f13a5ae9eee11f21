/*
 * boot/boot_info.h: what the hypervisor knows about the machine when it starts.
 *
 * Every way of loading us (Multiboot1, Multiboot2, the UEFI loader) fills one
 * struct boot_info and hands it to kernel_main(). Nothing outside boot/ knows
 * which path was taken. Everything is copied in, so the loader's own
 * structures may be overwritten once kernel_main() runs.
 */
#ifndef BOOT_BOOT_INFO_H
#define BOOT_BOOT_INFO_H

#include "kernel/compiler.h"

#define BOOT_MAX_MEM_RANGES     128
#define BOOT_MAX_MODULES        64      /* vm/guest_desc.h GUEST_MAX: one module a guest */
#define BOOT_CMDLINE_MAX        1024
#define BOOT_MODULE_CMDLINE_MAX 256
#define BOOT_LOADER_NAME_MAX    64
#define BOOT_RSDP_MAX           36      /* ACPI 2.0+ RSDP size */

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,    /* free RAM */
	BOOT_MEM_RESERVED,      /* firmware, MMIO, anything else */
	BOOT_MEM_ACPI,          /* ACPI tables, reclaimable after they are read */
	BOOT_MEM_ACPI_NVS,      /* ACPI non-volatile storage */
	BOOT_MEM_BAD,           /* defective RAM */
};

struct boot_mem_range {
	uint64_t base;
	uint64_t length;
	uint32_t type;          /* enum boot_mem_type */
};

struct boot_module {
	uint64_t start;         /* physical, first byte */
	uint64_t end;           /* physical, one past the last byte */
	char cmdline[BOOT_MODULE_CMDLINE_MAX];
};

enum boot_fb_type {
	BOOT_FB_NONE = 0,
	BOOT_FB_RGB,            /* linear framebuffer, direct colour */
	BOOT_FB_TEXT,           /* VGA-compatible text mode */
};

struct boot_framebuffer {
	uint64_t addr;          /* physical */
	uint32_t pitch;         /* bytes per line */
	uint32_t width;         /* pixels, or characters in text mode */
	uint32_t height;
	uint8_t bpp;
	uint8_t type;           /* enum boot_fb_type */
	uint8_t red_pos, red_size;
	uint8_t green_pos, green_size;
	uint8_t blue_pos, blue_size;
};

struct boot_info {
	char loader[BOOT_LOADER_NAME_MAX];      /* the loader's name, for the boot report only */
	char cmdline[BOOT_CMDLINE_MAX];         /* the hypervisor's own command line */

	uint32_t mem_count;                     /* sorted, non-overlapping after memmap_sanitize() */
	struct boot_mem_range mem[BOOT_MAX_MEM_RANGES];

	uint32_t module_count;
	struct boot_module modules[BOOT_MAX_MODULES];

	uint32_t rsdp_len;                      /* 0: the loader gave none; search the BIOS area */
	uint8_t rsdp[BOOT_RSDP_MAX];            /* a copy of the ACPI RSDP */

	struct boot_framebuffer fb;

	uint64_t ebda;                          /* BIOS extended data area, 0 if none (UEFI) */

	uint32_t dropped;                       /* entries that did not fit: reported, not fatal */
};

/* The hypervisor proper: called once by the boot path that ran, never returns. */
void kernel_main(struct boot_info *bi) __noreturn;

#endif
