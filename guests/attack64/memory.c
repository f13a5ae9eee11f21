/*
 * guests/attack64/memory.c: memory this guest does not own. Its EPT maps
 * exactly its RAM (vm/vm.c), so a guest-physical address outside RAM and
 * below MAXPHYADDR is an EPT violation that stops this guest (SDM Vol. 3C,
 * 29.3.3.2); an address at or above MAXPHYADDR in its own page tables is a
 * reserved-bit page fault it gets itself (SDM Vol. 3A, 4.13, Table 4-20);
 * and any host-physical address it guesses, as a guest-physical one, is
 * either its own RAM or nothing at all.
 */
#include "guests/attack64/attack.h"
#include "guests/lib/guest.h"
#include "guests/lib/paging.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"

#define WINDOW          0x80000000ul            /* 2 GiB: a free 2 MiB of linear addresses */
#define FAR_VA          0x8000000000ul          /* 512 GiB: PML4 entry 1, which nothing uses */
#define GPA_4G          0x100000000ul
#define GPA_3G          0xC0000000ul            /* below the PC's device hole, above any test's RAM */
#define PAGE            4096ul
#define ADDR_MASK       0x000FFFFFFFFFF000ul
#define PF_P            (1ul << 0)              /* #PF error code: a present entry */
#define PF_RSVD         (1ul << 3)              /* a reserved bit set in an entry */
#define MARKER          0xA77AC4ED00000000ul
#define HOSTPHYS_MIN    (16ul << 20)            /* RAM the host-physical sweep wants */
#define HOSTPHYS_WAIT_MS 200

extern char __bss_end[];

static uint64_t pt[512] __aligned(4096);        /* pt-leaf's 4 KiB page table */

static unsigned
maxphyaddr(void)
{
	if (cpuid(0x80000000, 0).eax < 0x80000008)
		return 36;
	return cpuid(0x80000008, 0).eax & 0xFF;
}

/* A linear address for gpa, through a 2 MiB page at WINDOW. */
static volatile uint64_t *
window(uint64_t gpa)
{
	paging_map_2m(WINDOW, gpa & ~(PAGING_2M - 1), X86_PTE_P | X86_PTE_RW);
	return (volatile uint64_t *)(WINDOW + (gpa & (PAGING_2M - 1)));
}

/* Read or write gpa, outside RAM: the hypervisor must stop this guest there. */
static void
touch_outside(uint64_t gpa, bool write, const char *where)
{
	volatile uint64_t *p = window(gpa);

	guest_printf("attack64: %s guest-physical %#lx (%s): this guest must be stopped\n",
		     write ? "writing" : "reading", gpa, where);
	if (write) {
		*p = 0xBADBADBADBADBADul;
		guest_fail("the write to guest-physical %#lx returned: not contained", gpa);
	}
	uint64_t v = *p;
	guest_fail("the read of guest-physical %#lx returned %#lx: not contained", gpa, v);
}

void attack_gpa_read_above(void)  { touch_outside(attack_ram_size(), false, "just above its RAM"); }
void attack_gpa_write_above(void) { touch_outside(attack_ram_size(), true, "just above its RAM"); }
void attack_gpa_read_4g(void)     { touch_outside(GPA_4G, false, "4 GiB"); }
void attack_gpa_write_4g(void)    { touch_outside(GPA_4G, true, "4 GiB"); }

/* The last 8 bytes below MAXPHYADDR: still an address, outside RAM. */
void
attack_gpa_read_maxphys(void)
{
	touch_outside((1ul << maxphyaddr()) - 8, false, "the top of MAXPHYADDR");
}

void
attack_gpa_write_maxphys(void)
{
	touch_outside((1ul << maxphyaddr()) - 8, true, "the top of MAXPHYADDR");
}

static void do_read(void *p)  { (void)*(volatile uint64_t *)p; }
static void do_write(void *p) { *(volatile uint64_t *)p = 0xBADBADBADBADBADul; }

/* Page tables naming 2^MAXPHYADDR: the guest's own #PF with RSVD set, no exit. */
void
attack_gpa_reserved(void)
{
	unsigned m = maxphyaddr();
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	if (m >= 52) {
		guest_printf("attack64: MAXPHYADDR is %u: no reserved address bits to set\n", m);
		return;
	}
	paging_map_2m(WINDOW, 1ul << m, X86_PTE_P | X86_PTE_RW);
	for (int w = 0; w < 2; w++) {
		f = (struct trap_fault){ TRAP_NONE, 0, 0 };
		trap_try(w ? do_write : do_read, (void *)WINDOW, &f);
		guest_check(f.vector == TRAP_PF && (f.error_code & (PF_P | PF_RSVD)) == (PF_P | PF_RSVD),
			    "%s through a page at guest-physical %#lx (MAXPHYADDR %u): #PF with RSVD "
			    "(got %s, error code %#lx)", w ? "write" : "read", 1ul << m, m,
			    trap_name(f.vector), f.error_code);
	}
	paging_map_2m(WINDOW, 0, 0);
}

/*
 * The console prints where each guest's RAM is in host memory ("RAM at
 * host 0x..."), and the hypervisor itself is loaded at 1 MiB. With enough
 * RAM of its own, every such host-physical address below its RAM size is
 * one of its guest-physical addresses: write a marker into every page it
 * does not run from, let the others run, and read them all back. Each
 * must hold this guest's own marker (the page is its own), and the
 * bystander's memory check and the hypervisor go on unharmed.
 */
void
attack_hostphys(void)
{
	uint64_t ram = attack_ram_size(), image_end = ((uint64_t)__bss_end + PAGE - 1) & ~(PAGE - 1);
	uint64_t pages = 0, bad = 0, first_bad = 0;

	if (!guest_check(ram >= HOSTPHYS_MIN && ram <= (1ul << 30),
			 "hostphys: RAM %lu MiB, at least %lu MiB and at most 1 GiB (multiboot.S maps 1 GiB)",
			 ram >> 20, HOSTPHYS_MIN >> 20))
		return;
	guest_printf("attack64: writing every page of guest-physical [0x8000, 0x100000) and [%#lx, %#lx)\n",
		     image_end, ram);
	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t a = 0x8000; a < ram; a += PAGE) {
			volatile uint64_t *p = (volatile uint64_t *)a;

			if (a >= 0x100000 && a < image_end)
				continue;       /* this guest's code, data and stack */
			if (pass == 0) {
				*p = MARKER | a;
				pages++;
			} else if (*p != (MARKER | a) && !bad++) {
				first_bad = a;
			}
		}
		if (pass == 0) {
			guest_printf("attack64: %lu pages written; letting the other guests run for %d ms\n",
				     pages, HOSTPHYS_WAIT_MS);
			tsc_delay_us(HOSTPHYS_WAIT_MS * 1000ul);
		}
	}
	guest_check(bad == 0, "hostphys: all %lu pages read back this guest's own marker (%lu did not, the "
		    "first at %#lx)", pages, bad, first_bad);
}

/* The page-directory entry that maps va in the current tables (made by paging_map_2m). */
static uint64_t *
pde_of(uint64_t va)
{
	uint64_t *pml4 = (uint64_t *)(read_cr3() & ADDR_MASK);
	uint64_t *pdpt = (uint64_t *)(pml4[va >> 39 & 511] & ADDR_MASK);
	uint64_t *pd = (uint64_t *)(pdpt[va >> 30 & 511] & ADDR_MASK);

	return &pd[va >> 21 & 511];
}

/* A 4 KiB page-table entry of its own pointing outside RAM, then touched. */
void
attack_pt_leaf(void)
{
	uint64_t gpa = GPA_3G + PAGE;

	paging_map_2m(WINDOW, 0, X86_PTE_P | X86_PTE_RW);      /* the levels above */
	pt[1] = gpa | X86_PTE_P | X86_PTE_RW;
	*pde_of(WINDOW) = (uint64_t)pt | X86_PTE_P | X86_PTE_RW;
	invlpg(WINDOW + PAGE);
	guest_printf("attack64: a 4 KiB page-table entry maps linear %#lx to guest-physical %#lx, "
		     "outside its RAM; reading it: this guest must be stopped\n", WINDOW + PAGE + 0x10, gpa + 0x10);
	uint64_t v = *(volatile uint64_t *)(WINDOW + PAGE + 0x10);
	guest_fail("the read through a page-table entry pointing outside RAM returned %#lx: not contained", v);
}

/* A page-map entry naming a page-directory-pointer table outside RAM: the
 * CPU's own walk of the guest's tables reads there. */
void
attack_pt_table(void)
{
	uint64_t *pml4 = (uint64_t *)(read_cr3() & ADDR_MASK);

	pml4[FAR_VA >> 39 & 511] = 0x80000000ul | X86_PTE_P | X86_PTE_RW;
	invlpg(FAR_VA);
	guest_printf("attack64: PML4 entry 1 names a table at guest-physical 0x80000000, outside its RAM; "
		     "reading linear %#lx: this guest must be stopped\n", FAR_VA);
	uint64_t v = *(volatile uint64_t *)FAR_VA;
	guest_fail("the read through a table outside RAM returned %#lx: not contained", v);
}

/* CR3 naming a PML4 outside RAM: the next instruction fetch walks from there. */
void
attack_pt_cr3(void)
{
	guest_printf("attack64: loading CR3 with guest-physical %#lx, outside its RAM: this guest must be "
		     "stopped at its next instruction fetch\n", GPA_3G);
	write_cr3(GPA_3G);
	guest_fail("ran on with CR3 = %#lx: not contained", GPA_3G);
}
