/*
 * mm/paging.h: the hypervisor's own address space, an identity map of RAM
 * and of the first 4 GiB built with mm/pgtable.h (SDM Vol. 3A, 4.5).
 */
#ifndef MM_PAGING_H
#define MM_PAGING_H

#include "boot/boot_info.h"

/* Where the parts of the hypervisor image are, for paging_build(). */
struct paging_image {
	uint64_t text_start, text_end;          /* read + execute */
	uint64_t rodata_end;                    /* [text_end, rodata_end): read-only */
	uint64_t image_end;                     /* [rodata_end, image_end): read + write */
};

struct paging_stats {
	uint64_t ram_above_4g;                  /* bytes of RAM mapped above 4 GiB */
	uint32_t ram_ranges;                    /* RAM ranges mapped write-back */
};

void paging_init(const struct boot_info *bi);
uint64_t paging_build(const struct boot_info *bi, const struct paging_image *img, struct paging_stats *st);
void paging_load(void);
int paging_map_mmio(uint64_t pa, uint64_t size);
uint64_t paging_root(void);

#endif
