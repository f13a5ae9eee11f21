/*
 * mm/pmm.h: the physical frame allocator. Free memory is a sorted array of
 * extents (runs of 4 KiB frames), so large, aligned, contiguous runs (guest
 * RAM in 2 MiB-aligned chunks) are as easy to get as single frames.
 * Frames are handed out lowest address first, so the early allocations
 * (the hypervisor's page tables) lie in the low memory the boot code mapped.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include "boot/boot_info.h"

#define PMM_MAX_EXTENTS 2048    /* free runs the allocator can track */
#define PMM_MAX_RAM     (BOOT_MAX_MEM_RANGES + BOOT_MAX_MODULES + 2)

void pmm_init(const struct boot_info *bi);
void pmm_setup(const struct boot_info *bi, uint64_t image_start, uint64_t image_end);
uint64_t pmm_alloc(uint64_t pages, uint64_t align, const char *who);
uint64_t pmm_try_alloc(uint64_t pages, uint64_t align);
void pmm_free(uint64_t pa, uint64_t pages);
uint64_t pmm_free_pages(void);
uint64_t pmm_largest_run(void);
uint32_t pmm_extent_count(void);

#endif
