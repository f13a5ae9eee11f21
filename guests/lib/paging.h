/*
 * guests/lib/paging.h: changing the guest's own page tables, 2 MiB at a
 * time (SDM Vol. 3A, 4.5: 4-level paging). Works on whatever tables CR3
 * holds (the loader's identity map, or testdev_map()'s), adding the
 * missing levels from a small pool; they all live in identity-mapped RAM.
 */
#ifndef GUESTS_LIB_PAGING_H
#define GUESTS_LIB_PAGING_H

#include <stdint.h>

#include "mm/pgtable.h"

#define PAGING_2M       0x200000ul

/*
 * Map the 2 MiB page at va to pa with the leaf flags X86_PTE_* (P must be
 * among them for a mapping; flags 0 unmaps), and flush it from the TLB.
 * va and pa must be 2 MiB aligned. Fails the guest when the pool runs out
 * or a 1 GiB page is in the way.
 */
void paging_map_2m(uint64_t va, uint64_t pa, uint64_t flags);

/* Identity-map the 2 MiB page holding device memory at pa, uncached. */
void paging_map_mmio(uint64_t pa);

#endif
