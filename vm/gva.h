/*
 * vm/gva.h: from a guest's linear addresses to its guest-physical ones, by
 * walking the guest's own page tables as its CPU would (SDM Vol. 3A, 4.3
 * 32-bit paging, 4.4 PAE paging, 4.5 4-level paging). Used to fetch the
 * instruction that caused an exit; no access rights are checked, since the
 * CPU already did that when it ran the instruction.
 */
#ifndef VM_GVA_H
#define VM_GVA_H

#include "kernel/compiler.h"

struct vm;

/* The guest's paging controls, as it sees them. */
struct gva_ctx {
	uint64_t cr0, cr3, cr4, efer;
};

/* Returns 0 with *gpa set, or -EFAULT when the address is not mapped or a
 * paging structure lies outside the guest's RAM. */
int gva_to_gpa(struct vm *vm, const struct gva_ctx *c, uint64_t gva, uint64_t *gpa);

/* Copy up to len bytes starting at guest-linear gva, across page
 * boundaries; returns how many could be read (fewer at an unmapped page). */
size_t gva_read(struct vm *vm, const struct gva_ctx *c, uint64_t gva, void *buf, size_t len);

#endif
