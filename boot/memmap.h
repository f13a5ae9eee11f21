/*
 * boot/memmap.h: building the boot memory map that every loader reports in
 * its own way (Multiboot mmap entries, E820 types, EFI descriptors).
 */
#ifndef BOOT_MEMMAP_H
#define BOOT_MEMMAP_H

#include "boot/boot_info.h"

void memmap_add(struct boot_info *bi, uint64_t base, uint64_t length, uint32_t type);
void memmap_sanitize(struct boot_info *bi);
uint32_t memmap_from_e820(uint32_t e820_type);
uint64_t memmap_usable_bytes(const struct boot_info *bi);
const char *memmap_type_name(uint32_t type);

#endif
