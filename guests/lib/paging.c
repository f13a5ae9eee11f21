/*
 * guests/lib/paging.c: 2 MiB mappings in the current page tables (SDM
 * Vol. 3A, 4.5, Tables 4-15 to 4-18 for the entries walked).
 */
#include "guests/lib/guest.h"
#include "guests/lib/paging.h"
#include "kernel/x86.h"

#define POOL_TABLES     4
#define ADDR_MASK       0x000FFFFFFFFFF000ul

static uint64_t pool[POOL_TABLES][PT_ENTRIES] __aligned(4096);
static int pool_used;

/* The table entry e points to, made first if e is not present. */
static uint64_t *
next_level(uint64_t *e, uint64_t va)
{
	if (!(*e & X86_PTE_P)) {
		if (pool_used == POOL_TABLES)
			guest_fail("paging: no table left to map %#lx", va);
		*e = (uint64_t)pool[pool_used++] | X86_PTE_P | X86_PTE_RW;
	} else if (*e & X86_PTE_PS) {
		guest_fail("paging: a large page already maps %#lx", va);
	}
	return (uint64_t *)(*e & ADDR_MASK);
}

void
paging_map_2m(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *pml4 = (uint64_t *)(read_cr3() & ADDR_MASK);
	uint64_t *pdpt = next_level(&pml4[va >> 39 & 511], va);
	uint64_t *pd = next_level(&pdpt[va >> 30 & 511], va);

	pd[va >> 21 & 511] = flags & X86_PTE_P ? pa | flags | X86_PTE_PS : 0;
	invlpg(va);
}

void
paging_map_mmio(uint64_t pa)
{
	uint64_t page = pa & ~(PAGING_2M - 1);

	paging_map_2m(page, page, X86_PTE_P | X86_PTE_RW | X86_PTE_PCD | X86_PTE_PWT);
}
