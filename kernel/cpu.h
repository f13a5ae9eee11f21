/*
 * kernel/cpu.h: what this processor is and what it can do (CPUID,
 * SDM Vol. 2A "CPUID"), read once at boot.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include "kernel/compiler.h"

enum cpu_vendor {
	CPU_VENDOR_OTHER,
	CPU_VENDOR_INTEL,
	CPU_VENDOR_AMD,
};

struct cpu_features {
	enum cpu_vendor vendor;
	char vendor_id[13];
	char brand[49];
	uint32_t family, model, stepping;
	uint32_t max_leaf, max_ext_leaf;
	bool vmx;               /* CPUID.1:ECX[5] */
	bool svm;               /* CPUID.80000001h:ECX[2] */
	bool hypervisor;        /* CPUID.1:ECX[31]: we are someone's guest */
	char hypervisor_id[13]; /* CPUID.40000000h signature when hypervisor */
	bool x2apic;            /* CPUID.1:ECX[21] */
	bool tsc_deadline;      /* CPUID.1:ECX[24] */
	bool invariant_tsc;     /* CPUID.80000007h:EDX[8] */
	bool nx;                /* CPUID.80000001h:EDX[20] */
	bool page1g;            /* CPUID.80000001h:EDX[26] */
	bool xsave;             /* CPUID.1:ECX[26] */
	uint32_t phys_addr_bits;
};

extern struct cpu_features cpu_features;

void cpu_detect(void);
void cpu_report(void);

#endif
