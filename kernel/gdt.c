/*
 * kernel/gdt.c: build and load one CPU's GDT and TSS.
 * Descriptor formats: SDM Vol. 3A, 3.4.5 (segments) and 8.2.3 (64-bit TSS).
 */
#include "kernel/gdt.h"
#include "kernel/percpu.h"
#include "kernel/x86.h"
#include "lib/string.h"

#define SEG_CODE64      0x00AF9A000000FFFFULL   /* present, DPL0, execute/read, L=1 */
#define SEG_DATA        0x00CF92000000FFFFULL   /* present, DPL0, read/write */
#define SEG_TSS_TYPE    0x89ULL                 /* present, DPL0, available 64-bit TSS */

void
gdt_init(struct cpu *c)
{
	uint64_t base = (uint64_t)(uintptr_t)&c->tss;
	uint64_t limit = sizeof(c->tss) - 1;
	struct desc_ptr p;

	memset(&c->tss, 0, sizeof(c->tss));
	for (int i = 0; i < IST_COUNT; i++)
		c->tss.ist[i] = (uint64_t)(uintptr_t)c->ist_stacks[i] + IST_STACK_SIZE;
	c->tss.iomap_base = sizeof(c->tss);     /* no I/O permission bitmap */

	c->gdt[0] = 0;
	c->gdt[GDT_KERNEL_CS / 8] = SEG_CODE64;
	c->gdt[GDT_KERNEL_DS / 8] = SEG_DATA;
	c->gdt[GDT_TSS / 8] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
			      (SEG_TSS_TYPE << 40) | (((limit >> 16) & 0xF) << 48) |
			      (((base >> 24) & 0xFF) << 56);
	c->gdt[GDT_TSS / 8 + 1] = base >> 32;

	p.limit = sizeof(c->gdt) - 1;
	p.base = (uint64_t)(uintptr_t)c->gdt;
	lgdt(&p);
	/* reload CS with a far return, then the data segments */
	__asm__ volatile(
		"pushq %0\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"mov %1, %%ds\n\t"
		"mov %1, %%es\n\t"
		"mov %1, %%ss\n\t"
		: : "i"((uint64_t)GDT_KERNEL_CS), "r"((uint16_t)GDT_KERNEL_DS) : "rax", "memory");
	ltr(GDT_TSS);
}
