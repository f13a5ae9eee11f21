/*
 * kernel/gdt.h: the hypervisor's segments: a flat 64-bit code and data
 * segment and one TSS per CPU. VMX needs a usable TR in the host state
 * (SDM Vol. 3C, 27.2.3), and the TSS gives #DF, NMI and #MC their own
 * stacks (IST, SDM Vol. 3A, 7.14.5).
 */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include "kernel/compiler.h"

#define GDT_KERNEL_CS   0x08
#define GDT_KERNEL_DS   0x10
#define GDT_TSS         0x18    /* takes two entries */
#define GDT_ENTRIES     5

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define IST_MACHINE_CHECK 3
#define IST_COUNT        3

/* 64-bit task-state segment (SDM Vol. 3A, Figure 8-11). */
struct __packed tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};
STATIC_ASSERT(sizeof(struct tss) == 104, "64-bit TSS is 104 bytes");

struct cpu;
void gdt_init(struct cpu *c);

#endif
