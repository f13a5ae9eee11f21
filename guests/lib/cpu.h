/*
 * guests/lib/cpu.h: the privileged and identifying instructions test
 * guests execute, one inline wrapper each (SDM Vol. 2). Most of them cause
 * a VM exit; the exits64 guest checks what comes back. Built for 32- and
 * 64-bit guests: control registers are unsigned long wide.
 */
#ifndef GUESTS_LIB_CPU_H
#define GUESTS_LIB_CPU_H

#include <stdint.h>

/* CPUID leaf 1 (SDM Vol. 2A, Table 3-10 and 3-11) */
#define CPUID1_ECX_VMX          (1u << 5)       /* VMX */
#define CPUID1_ECX_XSAVE        (1u << 26)      /* XSAVE/XRSTOR/XSETBV/XGETBV */
#define CPUID1_ECX_OSXSAVE      (1u << 27)      /* CR4.OSXSAVE as the OS set it */
#define CPUID1_ECX_HYPERVISOR   (1u << 31)      /* running under a hypervisor */

#define CPUID_LEAF_HYPERVISOR   0x40000000u     /* EBX:ECX:EDX = signature */

/* Control registers (SDM Vol. 3A, 2.5) */
#define CR0_TS                  (1ul << 3)      /* task switched */
#define CR4_VMXE                (1ul << 13)     /* VMX enable */
#define CR4_OSXSAVE             (1ul << 18)     /* XSAVE and XCR0 enabled */

/* XCR0 (SDM Vol. 1, 13.3) */
#define XCR0_X87                (1u << 0)
#define XCR0_SSE                (1u << 1)

/* MSRs (SDM Vol. 4, Table 2-2) */
#define MSR_IA32_TSC            0x10
#define MSR_IA32_APIC_BASE      0x1B
#define   APIC_BASE_BSP         (1ull << 8)     /* this is the bootstrap processor */
#define   APIC_BASE_ADDR_MASK   0xFFFFFF000ull
#define MSR_IA32_FEATURE_CONTROL 0x3A
#define MSR_IA32_MISC_ENABLE    0x1A0
#define MSR_IA32_PAT            0x277
#define   PAT_POWER_ON          0x0007040600070406ull   /* SDM Vol. 3A, 13.12.4 */
#define MSR_EFER                0xC0000080
#define   EFER_LME              (1ull << 8)     /* long mode enable */
#define   EFER_LMA              (1ull << 10)    /* long mode active */

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs
cpu_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t
cpu_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void
cpu_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline uint64_t
cpu_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/*
 * RDTSC that neither starts before every earlier instruction has completed
 * nor lets a later one start before it reads the counter: LFENCE on both
 * sides, as the SDM's RDTSC page advises (Vol. 2B, "RDTSC").
 */
static inline uint64_t
cpu_rdtsc_fenced(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline unsigned long
cpu_read_cr0(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void
cpu_write_cr0(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline unsigned long
cpu_read_cr4(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void
cpu_write_cr4(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void
cpu_write_cr3(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t
cpu_xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return (uint64_t)hi << 32 | lo;
}

static inline void
cpu_xsetbv(uint32_t xcr, uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void
cpu_hlt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

static inline void
cpu_wbinvd(void)
{
	__asm__ volatile("wbinvd" : : : "memory");
}

static inline void
cpu_invd(void)
{
	__asm__ volatile("invd" : : : "memory");
}

#endif
