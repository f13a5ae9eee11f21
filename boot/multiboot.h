/*
 * boot/multiboot.h: the two Multiboot information formats, reduced to
 * struct boot_info. Multiboot 0.6.96 ("Boot information format") and
 * Multiboot2 1.0 ("Boot information format").
 */
#ifndef BOOT_MULTIBOOT_H
#define BOOT_MULTIBOOT_H

#include "boot/boot_info.h"

#define MULTIBOOT1_LOADER_MAGIC 0x2BADB002
#define MULTIBOOT2_LOADER_MAGIC 0x36D76289

/* Fill bi from the information at physical address info.
 * Returns 0, or -1 when the structure is malformed (nothing usable). */
int multiboot1_parse(struct boot_info *bi, uint64_t info);
int multiboot2_parse(struct boot_info *bi, uint64_t info);

void multiboot_main(uint32_t magic, uint32_t info) __noreturn;

#endif
