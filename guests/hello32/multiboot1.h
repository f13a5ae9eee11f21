/*
 * guests/hello32/multiboot1.h: the parts of the Multiboot1 information
 * block (Multiboot Specification 0.6.96, 3.3) that hello32 reads. Packed
 * little-endian layouts, as the loader writes them.
 */
#ifndef GUESTS_HELLO32_MULTIBOOT1_H
#define GUESTS_HELLO32_MULTIBOOT1_H

#include <stdint.h>

#define MB1_BOOT_MAGIC          0x2BADB002      /* EAX at entry */

#define MB1_INFO_MEMORY         (1u << 0)       /* mem_lower, mem_upper */
#define MB1_INFO_CMDLINE        (1u << 2)       /* cmdline */
#define MB1_INFO_MMAP           (1u << 6)       /* mmap_length, mmap_addr */
#define MB1_INFO_LOADER_NAME    (1u << 9)       /* boot_loader_name */

#define MB1_MMAP_AVAILABLE      1

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower;             /* KiB below 1 MiB */
	uint32_t mem_upper;             /* KiB from 1 MiB to the first hole */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct mb1_info, mmap_length) == 44, "Multiboot1 info layout");
_Static_assert(__builtin_offsetof(struct mb1_info, boot_loader_name) == 64, "Multiboot1 info layout");

/* One memory map entry; size counts the bytes after itself (20 or more). */
struct mb1_mmap_entry {
	uint32_t size;
	uint64_t base;
	uint64_t length;
	uint32_t type;
} __attribute__((packed));

#endif
