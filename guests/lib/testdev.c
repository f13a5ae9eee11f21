/*
 * guests/lib/testdev.c: identity page tables with the test device's page
 * (SDM Vol. 3A, 4.5: 4-level paging, 2 MiB pages).
 */
#include "guests/lib/testdev.h"
#include "kernel/compiler.h"
#include "kernel/x86.h"

#define PAGE_2M         0x200000ul
#define PTE_P           BIT(0)                  /* present */
#define PTE_W           BIT(1)                  /* writable */
#define PTE_PCD         BIT(4)                  /* cache disable: device memory */
#define PTE_PS          BIT(7)                  /* 2 MiB page, in a PD entry */

static uint64_t pml4[512] __aligned(4096);
static uint64_t pdpt[512] __aligned(4096);
static uint64_t pd_low[512] __aligned(4096);    /* [0, 1 GiB): RAM */
static uint64_t pd_top[512] __aligned(4096);    /* [3 GiB, 4 GiB): the device */

volatile uint64_t *
testdev_map(void)
{
	uint64_t dev_2m = TESTDEV_MMIO_BASE & ~(PAGE_2M - 1);

	pml4[0] = (uint64_t)pdpt | PTE_P | PTE_W;
	pdpt[0] = (uint64_t)pd_low | PTE_P | PTE_W;
	pdpt[3] = (uint64_t)pd_top | PTE_P | PTE_W;
	for (uint64_t i = 0; i < 512; i++)
		pd_low[i] = i * PAGE_2M | PTE_P | PTE_W | PTE_PS;
	pd_top[(dev_2m >> 21) & 511] = dev_2m | PTE_P | PTE_W | PTE_PCD | PTE_PS;
	write_cr3((uint64_t)pml4);
	return (volatile uint64_t *)(TESTDEV_MMIO_BASE + TESTDEV_SCRATCH);
}
