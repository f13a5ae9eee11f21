/*
 * boot/multiboot1_format.h: the Multiboot 0.6.96 structures, as one
 * definition for both sides of the spec: boot/multiboot1.c reads what a
 * loader gave the hypervisor, vm/loader.c writes what the hypervisor gives a
 * Multiboot guest. Multiboot 0.6.96, 3.1 (header) and 3.3 (information).
 */
#ifndef BOOT_MULTIBOOT1_FORMAT_H
#define BOOT_MULTIBOOT1_FORMAT_H

#include "kernel/compiler.h"

#define MB1_BOOT_MAGIC      0x2BADB002  /* EAX at a kernel's entry */

/* Information flags: which fields are valid */
#define MB1_INFO_MEM        BIT(0)      /* mem_lower, mem_upper */
#define MB1_INFO_CMDLINE    BIT(2)      /* cmdline */
#define MB1_INFO_MODS       BIT(3)      /* mods_count, mods_addr */
#define MB1_INFO_MMAP       BIT(6)      /* mmap_length, mmap_addr */
#define MB1_INFO_LOADER     BIT(9)      /* boot_loader_name */
#define MB1_INFO_FB         BIT(12)     /* framebuffer_* */

#define MB1_FB_RGB          1           /* framebuffer_type: direct colour */
#define MB1_FB_TEXT         2           /* framebuffer_type: EGA text */

#define MB1_MMAP_USABLE     1           /* memory map type: available RAM */
#define MB1_MMAP_RESERVED   2           /* memory map type: reserved */

struct __packed mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;          /* KiB below 1 MiB, KiB above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe_control_info, vbe_mode_info;
	uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
	uint64_t fb_addr;
	uint32_t fb_pitch, fb_width, fb_height;
	uint8_t fb_bpp, fb_type;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};
STATIC_ASSERT(sizeof(struct mb1_info) == 116, "Multiboot1 information is 116 bytes");

/* The size field counts the bytes after itself, so a reader steps size + 4. */
struct __packed mb1_mmap_entry {
	uint32_t size;
	uint64_t base, length;
	uint32_t type;
};
STATIC_ASSERT(sizeof(struct mb1_mmap_entry) == 24, "Multiboot1 memory map entry is 24 bytes");

struct __packed mb1_module {
	uint32_t start, end, string, reserved;
};

#endif
