/*
 * mm/heap.c: small objects in power-of-two size classes from 16 B to
 * 2 KiB, carved from 16 KiB slabs; anything larger gets whole frames.
 *
 * Every slab and every large block starts on a 16 KiB physical boundary
 * with a header, so heap_free() finds the header of any pointer by
 * rounding its physical address down; the header's magic says which kind it is. A slab's header holds a
 * bitmap of its objects, which catches double frees and foreign pointers.
 * Slabs with free objects sit on their class's list; an emptied slab goes
 * back to pmm unless it is the only one of its class with room.
 */
#include "mm/heap.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "lib/string.h"
#include "mm/phys.h"
#include "mm/pmm.h"

#define HEAP_SLAB_SIZE  KiB(16)
#define HEAP_SLAB_PAGES (HEAP_SLAB_SIZE / PAGE_SIZE)
#define HEAP_HDR_SIZE   256                     /* header and bitmap; objects follow */
#define HEAP_MIN_SHIFT  4                       /* 16 B */
#define HEAP_MAX_SHIFT  11                      /* 2 KiB */
#define HEAP_CLASSES    (HEAP_MAX_SHIFT - HEAP_MIN_SHIFT + 1)
#define HEAP_MAX_OBJS   ((HEAP_SLAB_SIZE - HEAP_HDR_SIZE) >> HEAP_MIN_SHIFT)
#define HEAP_LARGE_MAX  GiB(64)                 /* larger requests are bugs, not memory */
#define SLAB_MAGIC      0x534c4142u             /* "SLAB" */
#define LARGE_MAGIC     0x4c415247u             /* "LARG" */

struct slab {
	uint32_t magic;
	uint32_t shift;                 /* object size is 1 << shift */
	uint32_t used, capacity;        /* objects */
	uint64_t pages;                 /* large blocks: frames, header included */
	struct slab *next, *prev;       /* this class's slabs with room */
	uint64_t bitmap[(HEAP_MAX_OBJS + 63) / 64];     /* set: object in use */
};

STATIC_ASSERT(sizeof(struct slab) <= HEAP_HDR_SIZE, "slab header overlaps its objects");
STATIC_ASSERT(HEAP_HDR_SIZE % HEAP_ALIGN == 0, "objects must stay aligned");

static struct spinlock heap_lock = SPINLOCK_INIT;
static struct slab *partial[HEAP_CLASSES];

static void
list_add(struct slab *s)
{
	struct slab **head = &partial[s->shift - HEAP_MIN_SHIFT];

	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
}

static void
list_del(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->shift - HEAP_MIN_SHIFT] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static uint32_t
shift_for(size_t size)
{
	uint32_t shift = HEAP_MIN_SHIFT;

	while (((size_t)1 << shift) < size)
		shift++;
	return shift;
}

/* A fresh 16 KiB block with a zeroed header, or NULL when frames run out. */
static struct slab *
block_alloc(uint64_t pages)
{
	uint64_t pa = pmm_try_alloc(pages, HEAP_SLAB_SIZE);
	struct slab *s;

	if (!pa)
		return NULL;
	s = phys_to_virt(pa);
	memset(s, 0, sizeof(*s));
	s->pages = pages;
	return s;
}

static void
block_free(struct slab *s)
{
	s->magic = 0;
	pmm_free(virt_to_phys(s), s->pages);
}

static void *
slab_take(struct slab *s)
{
	for (uint32_t w = 0; w < ARRAY_SIZE(s->bitmap); w++) {
		uint32_t bit;

		if (s->bitmap[w] == ~0ULL)
			continue;
		bit = (uint32_t)__builtin_ctzll(~s->bitmap[w]);
		if (w * 64 + bit >= s->capacity)
			break;
		s->bitmap[w] |= BIT(bit);
		if (++s->used == s->capacity)
			list_del(s);
		return (uint8_t *)s + HEAP_HDR_SIZE + ((size_t)(w * 64 + bit) << s->shift);
	}
	panic("heap: slab %p on the free list has no free object", (void *)s);
}

static void *
alloc_small(size_t size)
{
	uint32_t shift = shift_for(size);
	struct slab *s = partial[shift - HEAP_MIN_SHIFT];

	if (!s) {
		s = block_alloc(HEAP_SLAB_PAGES);
		if (!s)
			return NULL;
		s->magic = SLAB_MAGIC;
		s->shift = shift;
		s->capacity = (uint32_t)((HEAP_SLAB_SIZE - HEAP_HDR_SIZE) >> shift);
		list_add(s);
	}
	return slab_take(s);
}

static void *
alloc_large(size_t size)
{
	struct slab *s = block_alloc(ALIGN_UP(size + HEAP_HDR_SIZE, PAGE_SIZE) / PAGE_SIZE);

	if (!s)
		return NULL;
	s->magic = LARGE_MAGIC;
	return (uint8_t *)s + HEAP_HDR_SIZE;
}

/*
 * size bytes (0 counts as 1), aligned to HEAP_ALIGN, not cleared. NULL
 * with one error line naming who and how much when memory is out.
 */
void *
heap_alloc(size_t size, const char *who)
{
	void *p = NULL;

	if (size > HEAP_LARGE_MAX) {
		log_err("heap: %s asked for %zu bytes: more than the heap hands out", who, size);
		return NULL;
	}
	spin_lock(&heap_lock);
	if (size <= ((size_t)1 << HEAP_MAX_SHIFT))
		p = alloc_small(size ? size : 1);
	else
		p = alloc_large(size);
	spin_unlock(&heap_lock);
	if (!p)
		log_err("heap: out of memory: %s asked for %zu bytes; %lu KiB of frames free", who, size,
			pmm_free_pages() * (PAGE_SIZE >> 10));
	return p;
}

/* heap_alloc(), cleared to zero. */
void *
heap_zalloc(size_t size, const char *who)
{
	void *p = heap_alloc(size, who);

	if (p)
		memset(p, 0, size);
	return p;
}

/*
 * Give back what heap_alloc() returned; NULL is ignored. A pointer the
 * heap did not hand out, or one freed already, is a bug: panic.
 */
void
heap_free(void *p)
{
	struct slab *s;
	uintptr_t off;
	uint32_t i;

	if (!p)
		return;
	/* pmm aligned the block's physical address; the pointer may be any mapping of it */
	s = phys_to_virt(ALIGN_DOWN(virt_to_phys(p), HEAP_SLAB_SIZE));
	off = (uintptr_t)p - (uintptr_t)s - HEAP_HDR_SIZE;
	spin_lock(&heap_lock);
	if (s->magic == LARGE_MAGIC && off == 0) {
		block_free(s);
		spin_unlock(&heap_lock);
		return;
	}
	if (s->magic != SLAB_MAGIC || (uintptr_t)p < (uintptr_t)s + HEAP_HDR_SIZE ||
	    (off & (((uintptr_t)1 << s->shift) - 1)) || (off >> s->shift) >= s->capacity)
		panic("heap_free(%p): not a pointer the heap handed out", p);
	i = (uint32_t)(off >> s->shift);
	if (!(s->bitmap[i / 64] & BIT(i % 64)))
		panic("heap_free(%p): double free (%u-byte object)", p, 1u << s->shift);
	s->bitmap[i / 64] &= ~BIT(i % 64);
	if (s->used-- == s->capacity)
		list_add(s);
	if (s->used == 0 && (s->prev || s->next)) {
		list_del(s);
		block_free(s);
	}
	spin_unlock(&heap_lock);
}

/* Give every empty slab back to the frame allocator (the heap keeps the
 * last one of each size class otherwise). Returns the pages given back. */
uint64_t
heap_trim(void)
{
	uint64_t pages = 0;

	spin_lock(&heap_lock);
	for (int c = 0; c < HEAP_CLASSES; c++) {
		struct slab *s = partial[c];

		while (s) {
			struct slab *next = s->next;

			if (s->used == 0) {
				list_del(s);
				block_free(s);
				pages += HEAP_SLAB_PAGES;
			}
			s = next;
		}
	}
	spin_unlock(&heap_lock);
	return pages;
}

void
heap_init(void)
{
	log_debug("heap: %u size classes from %u to %u bytes in %lu KiB slabs; larger in whole frames",
		  HEAP_CLASSES, 1u << HEAP_MIN_SHIFT, 1u << HEAP_MAX_SHIFT, HEAP_SLAB_SIZE >> 10);
}
