/*
 * vm/gva.c: walk a guest's page tables. Entry formats: SDM Vol. 3A,
 * Tables 4-5/4-6 (32-bit), 4-8 to 4-11 (PAE), 4-14 to 4-20 (4-level).
 * Pure logic over guest RAM (vm_gpa_to_hva), unit-tested on the host.
 */
#include "vm/gva.h"
#include "kernel/errno.h"
#include "kernel/x86.h"
#include "kernel/msr.h"
#include "lib/string.h"
#include "vm/vm.h"

#define PTE_P           BIT(0)                  /* present */
#define PTE_PS          BIT(7)                  /* a large page, in a PDE or PDPTE */
#define ADDR_MASK_64    0x000FFFFFFFFFF000UL    /* bits 51:12 */
#define ADDR_MASK_32    0xFFFFF000UL            /* bits 31:12 */

static bool
read_entry(struct vm *vm, uint64_t gpa, size_t size, uint64_t *e)
{
	const void *p = vm_gpa_to_hva(vm, gpa, size);

	if (!p)
		return false;
	*e = 0;
	memcpy(e, p, size);
	return true;
}

/* 4-level (levels = 4, from CR3) or PAE (levels = 3, the PDPTE picked from CR3). */
static int
walk_64(struct vm *vm, uint64_t table, int levels, uint64_t gva, uint64_t *gpa)
{
	for (int level = levels; level >= 1; level--) {
		uint32_t shift = 12 + 9 * (uint32_t)(level - 1);
		uint64_t e;

		if (!read_entry(vm, table + ((gva >> shift) & 511) * 8, 8, &e) || !(e & PTE_P))
			return -EFAULT;
		if (level == 1 || ((e & PTE_PS) && level <= 3)) {
			uint64_t page = (uint64_t)1 << shift;

			*gpa = (e & ADDR_MASK_64 & ~(page - 1)) | (gva & (page - 1));
			return 0;
		}
		table = e & ADDR_MASK_64;
	}
	return -EFAULT;
}

int
gva_to_gpa(struct vm *vm, const struct gva_ctx *c, uint64_t gva, uint64_t *gpa)
{
	uint64_t e;

	if (!(c->cr0 & CR0_PG)) {
		*gpa = gva & 0xFFFFFFFF;        /* no paging: linear addresses are 32 bits */
		return 0;
	}
	if (c->efer & EFER_LMA)
		return walk_64(vm, c->cr3 & ADDR_MASK_64, 4, gva, gpa);
	gva &= 0xFFFFFFFF;
	if (c->cr4 & CR4_PAE) {
		/* the PDPT: four entries at CR3 bits 31:5 (SDM Vol. 3A, 4.4.1) */
		if (!read_entry(vm, (c->cr3 & 0xFFFFFFE0) + (gva >> 30) * 8, 8, &e) || !(e & PTE_P))
			return -EFAULT;
		return walk_64(vm, e & ADDR_MASK_64, 2, gva, gpa);
	}
	/* 32-bit paging: a 4 MiB page when PDE.PS and CR4.PSE */
	if (!read_entry(vm, (c->cr3 & ADDR_MASK_32) + (gva >> 22) * 4, 4, &e) || !(e & PTE_P))
		return -EFAULT;
	if ((e & PTE_PS) && (c->cr4 & CR4_PSE)) {
		*gpa = (e & 0xFFC00000) | (gva & 0x3FFFFF);
		return 0;
	}
	if (!read_entry(vm, (e & ADDR_MASK_32) + ((gva >> 12) & 1023) * 4, 4, &e) || !(e & PTE_P))
		return -EFAULT;
	*gpa = (e & ADDR_MASK_32) | (gva & 0xFFF);
	return 0;
}

size_t
gva_read(struct vm *vm, const struct gva_ctx *c, uint64_t gva, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t chunk = MIN(len - done, 4096 - ((gva + done) & 4095));
		uint64_t gpa;
		const void *p;

		if (gva_to_gpa(vm, c, gva + done, &gpa) < 0 || !(p = vm_gpa_to_hva(vm, gpa, chunk)))
			break;
		memcpy((uint8_t *)buf + done, p, chunk);
		done += chunk;
	}
	return done;
}
