/*
 * boot/efi/image.h: checking the hypervisor's ELF file before the UEFI
 * loader places it (ELF-64 Object File Format 1.5; System V ABI AMD64).
 * Pure logic, built into the loader and the host tests.
 */
#ifndef BOOT_EFI_IMAGE_H
#define BOOT_EFI_IMAGE_H

#include "kernel/compiler.h"

struct image_info {
	uint64_t lo, hi;                /* physical span of the PT_LOAD segments, page aligned */
	uint64_t entry64;               /* from the hand-off header (boot/efi/handoff.h) */
};

/*
 * Check that the size bytes at file are an x86-64 ELF64 executable whose
 * PT_LOAD segments lie inside the file and below 4 GiB, and that carries a
 * hand-off header for a struct boot_info of boot_info_size bytes with an
 * entry inside those segments. Returns 0 and fills info, or -1 with *why
 * set to what is wrong, e.g. "not an ELF file".
 */
int image_check(const void *file, uint64_t size, uint32_t boot_info_size, struct image_info *info,
		const char **why);

/* Copy the PT_LOAD segments of a checked file to their physical addresses,
 * seen at dest (the span's lo), zero-filling the rest of the span. */
void image_place(const void *file, const struct image_info *info, void *dest);

#endif
