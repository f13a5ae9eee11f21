/*
 * guests/badmem64/main.c: a guest that reads guest-physical memory it does
 * not have. Its RAM is small (mem=4M); it maps 1 GiB with its own page
 * tables (SDM Vol. 3A, 4.5: 4-level paging, 2 MiB pages) and reads there.
 * The EPT has nothing at that address, so the read is an EPT violation
 * (SDM Vol. 3C, 29.3.3.2) and the hypervisor stops this guest alone.
 */
#include "guests/lib/guest.h"
#include "kernel/x86.h"

GUEST_NAME("badmem64");

#define GPA_BEYOND_RAM  0x40000000ul            /* 1 GiB */
#define RAM_MAPPED      0x400000ul              /* the first 4 MiB: the guest's RAM */
#define PAGE_2M         0x200000ul

#define PTE_P           (1ul << 0)              /* present */
#define PTE_W           (1ul << 1)              /* writable */
#define PTE_PS          (1ul << 7)              /* 2 MiB page, in a PD entry */

static uint64_t pml4[512] __aligned(4096);
static uint64_t pdpt[512] __aligned(4096);
static uint64_t pd_low[512] __aligned(4096);    /* [0, 1 GiB): our RAM */
static uint64_t pd_high[512] __aligned(4096);   /* [1 GiB, 2 GiB): the address beyond it */

void
guest_main(void)
{
	/* Identity paging: the tables' virtual addresses are their physical ones. */
	pml4[0] = (uint64_t)pdpt | PTE_P | PTE_W;
	pdpt[0] = (uint64_t)pd_low | PTE_P | PTE_W;
	pdpt[1] = (uint64_t)pd_high | PTE_P | PTE_W;
	for (uint64_t a = 0; a < RAM_MAPPED; a += PAGE_2M)
		pd_low[a / PAGE_2M] = a | PTE_P | PTE_W | PTE_PS;
	pd_high[0] = GPA_BEYOND_RAM | PTE_P | PTE_W | PTE_PS;
	write_cr3((uint64_t)pml4);

	guest_printf("reading guest-physical %#lx, beyond this guest's RAM: expect an EPT violation\n",
		     GPA_BEYOND_RAM);
	uint64_t v = *(volatile uint64_t *)GPA_BEYOND_RAM;
	guest_fail("the read of %#lx returned %#lx instead of stopping this guest", GPA_BEYOND_RAM, v);
}
