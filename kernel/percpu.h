/*
 * kernel/percpu.h: what each CPU owns. GS_BASE points at the CPU's own
 * struct cpu in root mode, so this_cpu() is one load. There is no global
 * "current guest": the vCPU a CPU runs is found from here.
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include "kernel/compiler.h"
#include "kernel/gdt.h"

struct vcpu;

#define MAX_CPUS        64
#define IST_STACK_SIZE  4096

struct cpu {
	struct cpu *self;               /* %gs:0, read by this_cpu() */
	uint32_t index;                 /* 0 for the bootstrap processor */
	uint32_t apic_id;
	struct vcpu *vcpu;              /* the vCPU this CPU runs now, or NULL */
	uint64_t gdt[GDT_ENTRIES];
	struct tss tss;
	uint64_t nmi_count;
	uint64_t spurious_count;
	uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __aligned(16);
};

static inline struct cpu *
this_cpu(void)
{
	struct cpu *c;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

struct cpu *percpu_bsp(void);
void percpu_init(struct cpu *c, uint32_t index);

#endif
