/*
 * mm/heap.h: the hypervisor's allocator for variable-size objects, on top
 * of the frame allocator (mm/pmm.h). Page-sized or page-aligned memory
 * should come from pmm_alloc() directly.
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include "kernel/compiler.h"

#define HEAP_ALIGN      16      /* every object is at least this aligned */

void heap_init(void);
void *heap_alloc(size_t size, const char *who);
void *heap_zalloc(size_t size, const char *who);
void heap_free(void *p);
uint64_t heap_trim(void);

#endif
