/*
 * mm/phys.h: turning physical addresses into pointers and back.
 *
 * The hypervisor identity-maps all of RAM (mm/paging.c), so in the kernel
 * both directions are casts. Host unit tests define HOST_TEST and supply
 * these two functions over a buffer that plays physical memory, which is
 * how parsers of loader, ACPI and page-table structures are tested.
 */
#ifndef MM_PHYS_H
#define MM_PHYS_H

#include "kernel/compiler.h"

#ifdef HOST_TEST
void *phys_to_virt(uint64_t pa);
uint64_t virt_to_phys(const void *va);
#else
static inline void *
phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

static inline uint64_t
virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va;
}
#endif

#define PAGE_SIZE       ((uint64_t)4096)
#define PAGE_SHIFT      12
#define LARGE_PAGE_SIZE ((uint64_t)0x200000)    /* 2 MiB */
#define HUGE_PAGE_SIZE  ((uint64_t)0x40000000)  /* 1 GiB */

/* Linker-script symbols bounding the hypervisor image (linker.ld). */
extern char _kernel_start[], _text_end[], _rodata_end[], _kernel_end[];

#endif
