/*
 * mm/pmm.c: the physical frame allocator.
 *
 * Built once from the sanitized boot memory map: usable RAM only, trimmed
 * inward to whole frames, minus the first 1 MiB (real-mode IVT, BIOS data,
 * EBDA, and later the AP start-up trampoline), the hypervisor image and
 * every boot module. What remains is kept as a sorted array of disjoint
 * free extents, merged with their neighbours on free. The same trimmed
 * ranges are remembered as "managed", so freeing a frame the allocator
 * never owned is caught as well as freeing one twice.
 */
#include "mm/pmm.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "lib/string.h"
#include "mm/phys.h"

#define LOW_MEMORY_END  MiB(1)

struct extent {
	uint64_t base;                  /* physical, frame-aligned */
	uint64_t pages;
};

static struct spinlock pmm_lock = SPINLOCK_INIT;
static struct extent free_list[PMM_MAX_EXTENTS];
static uint32_t free_count;
static struct extent managed[PMM_MAX_RAM];
static uint32_t managed_count;
static uint64_t free_total;             /* pages */

static uint64_t
extent_end(const struct extent *e)
{
	return e->base + e->pages * PAGE_SIZE;
}

static void
remove_at(uint32_t i)
{
	memmove(&free_list[i], &free_list[i + 1], (free_count - i - 1) * sizeof(free_list[0]));
	free_count--;
}

/* Make room at index i; the caller has checked free_count < PMM_MAX_EXTENTS. */
static void
insert_at(uint32_t i, uint64_t base, uint64_t pages)
{
	memmove(&free_list[i + 1], &free_list[i], (free_count - i) * sizeof(free_list[0]));
	free_list[i] = (struct extent){ base, pages };
	free_count++;
}

/* Add [lo, hi) to the managed and free sets; ranges arrive in ascending order. */
static void
add_initial(uint64_t lo, uint64_t hi)
{
	if (lo >= hi)
		return;
	if (managed_count == PMM_MAX_RAM || free_count == PMM_MAX_EXTENTS) {
		log_warn("pmm: too many memory ranges; %lu KiB at %#lx left unused", (hi - lo) >> 10, lo);
		return;
	}
	managed[managed_count++] = (struct extent){ lo, (hi - lo) / PAGE_SIZE };
	free_list[free_count++] = (struct extent){ lo, (hi - lo) / PAGE_SIZE };
	free_total += (hi - lo) / PAGE_SIZE;
}

/*
 * Set the allocator up from bi's memory map, leaving out the first 1 MiB,
 * [image_start, image_end) and the boot modules (each widened to whole
 * frames), and say in one line what it holds. The body of pmm_init(),
 * separate so that host tests can say where the image is.
 */
void
pmm_setup(const struct boot_info *bi, uint64_t image_start, uint64_t image_end)
{
	struct extent holes[BOOT_MAX_MODULES + 2];
	uint32_t nholes = 0;
	uint64_t usable = 0, modules = 0;

	free_count = managed_count = 0;
	free_total = 0;

	holes[nholes++] = (struct extent){ 0, LOW_MEMORY_END / PAGE_SIZE };
	holes[nholes++] = (struct extent){ ALIGN_DOWN(image_start, PAGE_SIZE),
		(ALIGN_UP(image_end, PAGE_SIZE) - ALIGN_DOWN(image_start, PAGE_SIZE)) / PAGE_SIZE };
	for (uint32_t i = 0; i < bi->module_count && i < BOOT_MAX_MODULES; i++) {
		uint64_t lo = ALIGN_DOWN(bi->modules[i].start, PAGE_SIZE);
		uint64_t hi = ALIGN_UP(bi->modules[i].end, PAGE_SIZE);

		if (hi > lo)
			holes[nholes++] = (struct extent){ lo, (hi - lo) / PAGE_SIZE };
		modules += hi - lo;
	}
	for (uint32_t i = 1; i < nholes; i++) {         /* sort by base */
		struct extent x = holes[i];
		uint32_t j = i;

		for (; j > 0 && holes[j - 1].base > x.base; j--)
			holes[j] = holes[j - 1];
		holes[j] = x;
	}

	for (uint32_t i = 0; i < bi->mem_count && i < BOOT_MAX_MEM_RANGES; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		uint64_t lo, hi;

		if (r->type != BOOT_MEM_USABLE)
			continue;
		usable += r->length;
		lo = ALIGN_UP(r->base, PAGE_SIZE);
		hi = ALIGN_DOWN(r->base + r->length, PAGE_SIZE);
		for (uint32_t h = 0; h < nholes && lo < hi; h++) {
			uint64_t hlo = holes[h].base, hhi = extent_end(&holes[h]);

			if (hhi <= lo || hlo >= hi)
				continue;
			add_initial(lo, MIN(hlo, hi));
			lo = MAX(lo, hhi);
		}
		add_initial(lo, hi);
	}

	log_info("memory: %lu MiB usable, %lu MiB free in %u ranges after the image (%lu KiB), "
		 "modules (%lu KiB) and low memory", usable >> 20, (free_total * PAGE_SIZE) >> 20,
		 free_count, (image_end - image_start) >> 10, modules >> 10);
	for (uint32_t i = 0; i < free_count; i++)
		log_debug("  free %016lx-%016lx", free_list[i].base, extent_end(&free_list[i]) - 1);
}

/* Build the allocator from the boot memory map, without the hypervisor image. */
void
pmm_init(const struct boot_info *bi)
{
	pmm_setup(bi, virt_to_phys(_kernel_start), virt_to_phys(_kernel_end));
}

/*
 * Take pages frames starting at a multiple of align (a power of two; 0 or
 * anything below a frame means a frame) from the lowest extent that has
 * them. Returns the physical address, or 0 when no extent can, silently.
 */
uint64_t
pmm_try_alloc(uint64_t pages, uint64_t align)
{
	uint64_t pa = 0;

	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (pages == 0 || (align & (align - 1)) || pages > (UINT64_MAX >> PAGE_SHIFT))
		return 0;

	spin_lock(&pmm_lock);
	for (uint32_t i = 0; i < free_count; i++) {
		struct extent *e = &free_list[i];
		uint64_t start = ALIGN_UP(e->base, align);
		uint64_t end = extent_end(e);

		if (start < e->base || start >= end || (end - start) / PAGE_SIZE < pages)
			continue;
		if (start == e->base) {
			e->base += pages * PAGE_SIZE;
			e->pages -= pages;
			if (e->pages == 0)
				remove_at(i);
		} else if (start + pages * PAGE_SIZE == end) {
			e->pages -= pages;
		} else {
			if (free_count == PMM_MAX_EXTENTS)
				continue;       /* no slot for the split; a run at an extent's edge may still do */
			insert_at(i + 1, start + pages * PAGE_SIZE, (end - start) / PAGE_SIZE - pages);
			free_list[i].pages = (start - free_list[i].base) / PAGE_SIZE;
		}
		free_total -= pages;
		pa = start;
		break;
	}
	spin_unlock(&pmm_lock);
	return pa;
}

/*
 * pmm_try_alloc(), and when it fails, one error line naming who asked for
 * how much and what is left. Returns the physical address or 0.
 */
uint64_t
pmm_alloc(uint64_t pages, uint64_t align, const char *who)
{
	uint64_t pa = pmm_try_alloc(pages, align);

	if (!pa)
		log_err("pmm: out of memory: %s asked for %lu KiB (%lu pages, %lu KiB aligned); "
			"%lu KiB free, largest run %lu KiB", who, pages * (PAGE_SIZE >> 10), pages,
			MAX(align, PAGE_SIZE) >> 10, pmm_free_pages() * (PAGE_SIZE >> 10),
			pmm_largest_run() * (PAGE_SIZE >> 10));
	return pa;
}

/*
 * Give back pages frames at pa. They must all have come from this
 * allocator and be allocated now: anything else is a hypervisor bug.
 */
void
pmm_free(uint64_t pa, uint64_t pages)
{
	uint64_t end = pa + pages * PAGE_SIZE;
	bool owned = false;
	uint32_t i;

	if (pages == 0)
		return;
	if (!IS_ALIGNED(pa, PAGE_SIZE) || pages > (UINT64_MAX >> PAGE_SHIFT) || end < pa)
		panic("pmm_free(%#lx, %lu): not a frame-aligned run", pa, pages);
	for (i = 0; i < managed_count; i++)
		if (managed[i].base <= pa && end <= extent_end(&managed[i]))
			owned = true;
	if (!owned)
		panic("pmm_free(%#lx, %lu): memory the allocator never owned", pa, pages);

	spin_lock(&pmm_lock);
	for (i = 0; i < free_count && free_list[i].base < pa; i++)
		;
	/* free_list[i] is the first extent at or above pa; i - 1 the one below */
	if ((i < free_count && free_list[i].base < end) || (i > 0 && extent_end(&free_list[i - 1]) > pa)) {
		spin_unlock(&pmm_lock);
		panic("pmm_free(%#lx, %lu): double free (part of it is already free)", pa, pages);
	}
	if (i > 0 && extent_end(&free_list[i - 1]) == pa) {
		free_list[i - 1].pages += pages;
		if (i < free_count && free_list[i].base == end) {
			free_list[i - 1].pages += free_list[i].pages;
			remove_at(i);
		}
	} else if (i < free_count && free_list[i].base == end) {
		free_list[i].base = pa;
		free_list[i].pages += pages;
	} else if (free_count < PMM_MAX_EXTENTS) {
		insert_at(i, pa, pages);
	} else {
		spin_unlock(&pmm_lock);
		log_warn("pmm: free-extent table full; %lu KiB at %#lx lost", pages * (PAGE_SIZE >> 10), pa);
		return;
	}
	free_total += pages;
	spin_unlock(&pmm_lock);
}

uint64_t
pmm_free_pages(void)
{
	return __atomic_load_n(&free_total, __ATOMIC_RELAXED);
}

/* The longest contiguous free run, in frames (ignoring alignment). */
uint64_t
pmm_largest_run(void)
{
	uint64_t best = 0;

	spin_lock(&pmm_lock);
	for (uint32_t i = 0; i < free_count; i++)
		best = MAX(best, free_list[i].pages);
	spin_unlock(&pmm_lock);
	return best;
}

uint32_t
pmm_extent_count(void)
{
	return free_count;
}
