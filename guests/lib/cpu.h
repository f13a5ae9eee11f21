/*
 * guests/lib/cpu.h: what test guests execute beyond kernel/x86.h and
 * kernel/msr.h, which they share with the hypervisor: the XCR instructions,
 * a serialised RDTSC, the cache instructions, and the CPUID bits, XCR0 bits
 * and MSRs only the tests look at (SDM Vol. 2, Vol. 4). Most of these cause
 * a VM exit; the exits64 guest checks what comes back.
 */
#ifndef GUESTS_LIB_CPU_H
#define GUESTS_LIB_CPU_H

#include "kernel/msr.h"
#include "kernel/x86.h"
#include "vm/cpuid.h"

/* CPUID leaf 1 (SDM Vol. 2A, Table 3-10 and 3-11) */
#define CPUID1_ECX_VMX          (1u << 5)       /* VMX */
#define CPUID1_ECX_XSAVE        (1u << 26)      /* XSAVE/XRSTOR/XSETBV/XGETBV */
#define CPUID1_ECX_OSXSAVE      (1u << 27)      /* CR4.OSXSAVE as the OS set it */
#define CPUID1_ECX_HYPERVISOR   (1u << 31)      /* running under a hypervisor */

/* XCR0 (SDM Vol. 1, 13.3) */
#define XCR0_X87                (1u << 0)
#define XCR0_SSE                (1u << 1)

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
