/*
 * mm/paging.c: the hypervisor's own page tables (SDM Vol. 3A, 4.5), which
 * replace the boot code's 4 GiB of 2 MiB pages (boot/entry.S).
 *
 * Physical addresses are their own virtual addresses, so phys_to_virt()
 * stays a cast. Mapped: all of the first 4 GiB (RAM write-back, everything
 * else, the LAPIC, IOAPICs, PCI holes and legacy VGA/BIOS areas included,
 * uncacheable) and every RAM range above it, with the largest pages that
 * fit. Nothing but the image's text is executable, and the image is
 * mapped in 4 KiB pages so text, read-only data and data each get exactly
 * their rights. With CR0.WP even the hypervisor cannot write read-only
 * pages.
 */
#include "mm/paging.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/msr.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "kernel/x86.h"
#include "mm/pgtable.h"
#include "mm/phys.h"

#define LOW_4G          GiB(4)
#define RAM_FLAGS       (PT_READ | PT_WRITE | PT_WB | PT_GLOBAL)
#define MMIO_FLAGS      (PT_READ | PT_WRITE | PT_UC | PT_GLOBAL)

static struct spinlock paging_lock = SPINLOCK_INIT;
static uint64_t kernel_root;

/* Bytes of RAM in the memory map: what gets write-back rather than UC. */
static bool
is_ram(uint32_t type)
{
	return type == BOOT_MEM_USABLE || type == BOOT_MEM_ACPI || type == BOOT_MEM_ACPI_NVS;
}

static int
map(uint64_t root, uint64_t start, uint64_t end, uint32_t flags, const char *what)
{
	int err = pgtable_map(&pt_format_x86, root, start, start, end - start, flags);

	if (err)
		log_err("paging: cannot map %s %#lx-%#lx: error %d", what, start, end - 1, err);
	return err;
}

/*
 * Build the hypervisor's tables for bi's memory map and the image laid
 * out as img. pt_format_x86's max_leaf and nx must already suit the CPU.
 * Returns the root's physical address, or 0 (with an error line) when
 * memory for tables runs out. Touches no CPU state: host tests run it.
 */
uint64_t
paging_build(const struct boot_info *bi, const struct paging_image *img, struct paging_stats *st)
{
	uint64_t root = pgtable_create(&pt_format_x86);
	int err;

	*st = (struct paging_stats){ 0 };
	if (!root)
		return 0;
	err = map(root, 0, LOW_4G, MMIO_FLAGS, "the first 4 GiB");
	for (uint32_t i = 0; i < bi->mem_count && !err; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		uint64_t lo = ALIGN_UP(r->base, PAGE_SIZE);
		uint64_t hi = ALIGN_DOWN(r->base + r->length, PAGE_SIZE);

		if (!is_ram(r->type) || lo >= hi || hi > PT_VA_LIMIT)
			continue;
		err = map(root, lo, hi, RAM_FLAGS, "RAM");
		st->ram_ranges++;
		if (hi > LOW_4G)
			st->ram_above_4g += hi - MAX(lo, LOW_4G);
	}
	if (!err)
		err = map(root, img->text_start, img->text_end, PT_READ | PT_EXEC | PT_GLOBAL, "text");
	if (!err)
		err = map(root, img->text_end, img->rodata_end, PT_READ | PT_GLOBAL, "read-only data");
	if (!err)
		err = map(root, img->rodata_end, img->image_end, RAM_FLAGS, "data");
	/* Page 0 holds only the real-mode IVT and the BIOS data area, which
	 * boot/ has already read: leave it out so any NULL access faults. */
	if (!err)
		err = pgtable_unmap(&pt_format_x86, root, 0, PAGE_SIZE);
	if (!err && bi->fb.type != BOOT_FB_NONE && bi->fb.addr >= LOW_4G) {
		uint64_t lo = ALIGN_DOWN(bi->fb.addr, PAGE_SIZE);
		uint64_t hi = ALIGN_UP(bi->fb.addr + (uint64_t)bi->fb.pitch * bi->fb.height, PAGE_SIZE);

		if (hi > lo)
			err = map(root, lo, hi, MMIO_FLAGS, "the framebuffer");
	}
	if (err) {
		pgtable_destroy(&pt_format_x86, root);
		return 0;
	}
	return root;
}

/* Flush every TLB entry of this CPU, global ones too (SDM Vol. 3A, 4.10.4.1). */
static void
flush_all(void)
{
	uint64_t cr4 = read_cr4();

	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

/*
 * Switch this CPU to the hypervisor's tables: EFER.NXE first (XD bits are
 * reserved without it), then CR3, then global pages and CR0.WP. Every CPU
 * runs this once; paging_init() on the bootstrap processor.
 */
void
paging_load(void)
{
	if (pt_format_x86.nx)
		wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | EFER_NXE);
	write_cr3(kernel_root);
	write_cr4(read_cr4() | CR4_PGE);
	write_cr0(read_cr0() | CR0_WP);
}

/*
 * Build the hypervisor's page tables from the boot memory map (frames come
 * from mm/pmm.c, which must be ready) and switch to them. Panics when
 * there is not even memory for that.
 */
void
paging_init(const struct boot_info *bi)
{
	struct paging_image img = {
		.text_start = virt_to_phys(_kernel_start),
		.text_end = virt_to_phys(_text_end),
		.rodata_end = virt_to_phys(_rodata_end),
		.image_end = virt_to_phys(_kernel_end),
	};
	struct paging_stats st;

	pt_format_x86.max_leaf = cpu_features.page1g ? PT_LEVEL_1G : PT_LEVEL_2M;
	pt_format_x86.nx = cpu_features.nx;
	kernel_root = paging_build(bi, &img, &st);
	if (!kernel_root)
		panic("paging: cannot build the hypervisor's page tables");
	paging_load();
	log_info("paging: identity map of the first 4 GiB (RAM write-back, the rest uncacheable) and "
		 "%lu MiB of RAM above, %s pages; %lu table pages; image %lu KiB text r-x, %lu KiB r--, "
		 "%lu KiB rw-%s; page 0 unmapped", st.ram_above_4g >> 20,
		 cpu_features.page1g ? "1 GiB" : "2 MiB", pgtable_table_pages(),
		 (img.text_end - img.text_start) >> 10, (img.rodata_end - img.text_end) >> 10,
		 (img.image_end - img.rodata_end) >> 10, cpu_features.nx ? ", the rest no-execute" : "; no NX on this CPU");
}

/*
 * Map device memory [pa, pa+size) (widened to whole pages) uncacheable,
 * read-write, no-execute, at the same address, for MMIO that the first
 * 4 GiB do not cover. Returns 0, -EINVAL for a range paging cannot reach
 * or -ENOMEM. Flushes this CPU's TLB only: other CPUs hold no entries for
 * addresses that were never mapped, and remapping mapped ones would need a
 * shootdown that does not exist yet.
 */
int
paging_map_mmio(uint64_t pa, uint64_t size)
{
	uint64_t lo = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t hi = ALIGN_UP(pa + size, PAGE_SIZE);
	int err;

	if (!kernel_root || size == 0 || hi <= lo)
		return -EINVAL;
	spin_lock(&paging_lock);
	err = pgtable_map(&pt_format_x86, kernel_root, lo, lo, hi - lo, MMIO_FLAGS);
	flush_all();
	spin_unlock(&paging_lock);
	if (err)
		log_err("paging: cannot map MMIO %#lx-%#lx: error %d", lo, hi - 1, err);
	return err;
}

/* The physical address of the hypervisor's PML4: host CR3 for every CPU. */
uint64_t
paging_root(void)
{
	return kernel_root;
}
