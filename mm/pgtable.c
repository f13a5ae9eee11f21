/*
 * mm/pgtable.c: the walker shared by x86-64 paging and EPT (mm/pgtable.h).
 *
 * Both formats are radix trees of 512 8-byte entries per 4 KiB table with
 * the same index bits (SDM Vol. 3A, Figure 4-8; Vol. 3C, Figure 29-1), so
 * only the entry encodings differ, and those come from struct pt_format.
 *
 * Mappings replace whatever was there. A leaf that must change in part is
 * first split into a full table of leaves one level down with the same
 * flags, written completely before it replaces the old entry, so a live
 * table never shows a hole. Flushing TLBs is the caller's business.
 */
#include "mm/pgtable.h"
#include "mm/phys.h"
#include "mm/pmm.h"
#include "lib/string.h"

static uint64_t table_pages;            /* table pages now in use, all formats */

static uint64_t *
table_of(uint64_t pa)
{
	return phys_to_virt(pa & PT_ADDR_MASK);
}

static uint32_t
index_of(uint64_t va, uint32_t level)
{
	return (va >> PT_LEVEL_SHIFT(level)) & (PT_ENTRIES - 1);
}

/* A zeroed table page, or 0 (with pmm's error line) when memory is out. */
static uint64_t
alloc_table(const struct pt_format *f)
{
	uint64_t pa = pmm_alloc(1, PAGE_SIZE, f->who);

	if (pa) {
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
		__atomic_fetch_add(&table_pages, 1, __ATOMIC_RELAXED);
	}
	return pa;
}

/* Free the table at pa (level) and every table below it; leaves are not ours. */
static void
free_tree(const struct pt_format *f, uint64_t pa, uint32_t level)
{
	uint64_t *t = table_of(pa);

	if (level > 1)
		for (uint32_t i = 0; i < PT_ENTRIES; i++)
			if (f->present(t[i]) && !f->large(t[i]))
				free_tree(f, t[i] & PT_ADDR_MASK, level - 1);
	pmm_free(pa, 1);
	__atomic_fetch_sub(&table_pages, 1, __ATOMIC_RELAXED);
}

static uint64_t
leaf_pa(uint64_t entry, uint32_t level)
{
	return entry & PT_ADDR_MASK & ~(PT_LEVEL_SIZE(level) - 1);
}

/* Replace the large leaf *e at level (2 or 3) with a table of 512 smaller ones. */
static int
split(const struct pt_format *f, uint64_t *e, uint32_t level)
{
	uint64_t old = *e, base = leaf_pa(old, level);
	uint32_t flags = f->leaf_flags(f, old, level);
	uint64_t pa = alloc_table(f);
	uint64_t *t;

	if (!pa)
		return -ENOMEM;
	t = table_of(pa);
	for (uint32_t i = 0; i < PT_ENTRIES; i++)
		t[i] = f->make_leaf(f, base + i * PT_LEVEL_SIZE(level - 1), level - 1, flags);
	__atomic_store_n(e, f->make_table(f, pa), __ATOMIC_RELEASE);
	return 0;
}

/*
 * The entry for va at level, walking down from the root, adding missing
 * tables and splitting large leaves on the way. NULL with *err = -ENOMEM
 * when a table page cannot be had.
 */
static uint64_t *
walk(const struct pt_format *f, uint64_t root_pa, uint64_t va, uint32_t level, int *err)
{
	uint64_t *t = table_of(root_pa);

	*err = 0;
	for (uint32_t l = PT_LEVELS; l > level; l--) {
		uint64_t *e = &t[index_of(va, l)];

		if (!f->present(*e)) {
			uint64_t pa = alloc_table(f);

			if (!pa) {
				*err = -ENOMEM;
				return NULL;
			}
			__atomic_store_n(e, f->make_table(f, pa), __ATOMIC_RELEASE);
		} else if (f->large(*e)) {
			*err = split(f, e, l);
			if (*err)
				return NULL;
		}
		t = table_of(*e);
	}
	return &t[index_of(va, level)];
}

/* The largest leaf level f allows for va/pa with size bytes left. */
static uint32_t
fit_level(const struct pt_format *f, uint64_t va, uint64_t pa, uint64_t size)
{
	uint32_t l = MIN(f->max_leaf, (uint32_t)PT_LEVEL_1G);

	for (; l > PT_LEVEL_4K; l--)
		if (IS_ALIGNED(va | pa, PT_LEVEL_SIZE(l)) && size >= PT_LEVEL_SIZE(l))
			break;
	return l;
}

static bool
range_ok(uint64_t va, uint64_t size)
{
	return IS_ALIGNED(va | size, PAGE_SIZE) && size > 0 && va < PT_VA_LIMIT &&
	       size <= PT_VA_LIMIT - va;
}

/* An empty root table for format f; its physical address, or 0 when memory is out. */
uint64_t
pgtable_create(const struct pt_format *f)
{
	return alloc_table(f);
}

/* Free every table page of the tree at root_pa, the root included. */
void
pgtable_destroy(const struct pt_format *f, uint64_t root_pa)
{
	free_tree(f, root_pa, PT_LEVELS);
}

/*
 * Map [va, va+size) to [pa, pa+size) with PT_* flags, using the largest
 * leaves that alignment and the remaining size allow, replacing anything
 * mapped there before. va, pa and size must be 4 KiB aligned, va below
 * 2^48 (no sign extension: callers pass the low half), and flags include
 * PT_READ: else -EINVAL. -ENOMEM when a table page cannot be had; what
 * was mapped up to then stays mapped and pgtable_destroy() frees it all.
 */
int
pgtable_map(const struct pt_format *f, uint64_t root_pa, uint64_t va, uint64_t pa,
	    uint64_t size, uint32_t flags)
{
	if (!range_ok(va, size) || !IS_ALIGNED(pa, PAGE_SIZE) || pa + size < pa ||
	    !(flags & PT_READ) || (flags & ~PT_FLAGS_ALL))
		return -EINVAL;
	while (size) {
		uint32_t level = fit_level(f, va, pa, size);
		uint64_t *e, old;
		int err;

		e = walk(f, root_pa, va, level, &err);
		if (!e)
			return err;
		old = *e;
		__atomic_store_n(e, f->make_leaf(f, pa, level, flags), __ATOMIC_RELEASE);
		if (level > PT_LEVEL_4K && f->present(old) && !f->large(old))
			free_tree(f, old & PT_ADDR_MASK, level - 1);
		va += PT_LEVEL_SIZE(level);
		pa += PT_LEVEL_SIZE(level);
		size -= PT_LEVEL_SIZE(level);
	}
	return 0;
}

/*
 * Remove any mapping of [va, va+size) (4 KiB aligned, below 2^48: else
 * -EINVAL). Large leaves only partly inside are split, which can fail with
 * -ENOMEM; holes are skipped. Emptied tables stay until pgtable_destroy().
 */
int
pgtable_unmap(const struct pt_format *f, uint64_t root_pa, uint64_t va, uint64_t size)
{
	if (!range_ok(va, size))
		return -EINVAL;
	while (size) {
		uint64_t *t = table_of(root_pa), step = 0;
		uint32_t l;

		for (l = PT_LEVELS; l >= PT_LEVEL_4K; l--) {
			uint64_t *e = &t[index_of(va, l)];
			uint64_t span = PT_LEVEL_SIZE(l);
			bool whole = IS_ALIGNED(va, span) && size >= span;

			if (!f->present(*e)) {          /* hole: skip to the entry's end */
				step = span - (va & (span - 1));
				break;
			}
			if (l == PT_LEVEL_4K || (f->large(*e) && whole)) {
				__atomic_store_n(e, 0, __ATOMIC_RELEASE);
				step = span;
				break;
			}
			if (f->large(*e)) {
				int err = split(f, e, l);

				if (err)
					return err;
			}
			t = table_of(*e);
		}
		if (step >= size)
			break;
		va += step;
		size -= step;
	}
	return 0;
}

/*
 * What va maps to in the tree at root_pa: fills *m and returns 0, or
 * returns -EINVAL when nothing maps it.
 */
int
pgtable_translate(const struct pt_format *f, uint64_t root_pa, uint64_t va, struct pt_mapping *m)
{
	uint64_t *t = table_of(root_pa);

	if (va >= PT_VA_LIMIT)
		return -EINVAL;
	for (uint32_t l = PT_LEVELS; l >= PT_LEVEL_4K; l--) {
		uint64_t e = t[index_of(va, l)];

		if (!f->present(e))
			return -EINVAL;
		if (l == PT_LEVEL_4K || (l <= PT_LEVEL_1G && f->large(e))) {
			m->pa = leaf_pa(e, l) | (va & (PT_LEVEL_SIZE(l) - 1));
			m->flags = f->leaf_flags(f, e, l);
			m->level = l;
			return 0;
		}
		t = table_of(e);
	}
	return -EINVAL;
}

/* Page-table pages in use across every tree, for reports and leak checks. */
uint64_t
pgtable_table_pages(void)
{
	return __atomic_load_n(&table_pages, __ATOMIC_RELAXED);
}
