/*
 * kernel/x86.h: one inline wrapper per x86 instruction the hypervisor uses
 * outside VMX (port I/O, MSRs, control registers, CPUID, descriptor tables).
 * VMX instructions live in vmx/vmx_ops.h. SDM Vol. 2 describes each.
 */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include "kernel/compiler.h"

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* A write to the POST port: a short, harmless delay for slow ISA devices. */
static inline void
io_delay(void)
{
	outb(0x80, 0);
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs
cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;
	__asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR_ACCESSORS(n)                                          \
	static inline uint64_t read_cr##n(void)                         \
	{                                                               \
		uint64_t v;                                             \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));       \
		return v;                                               \
	}                                                               \
	static inline void write_cr##n(uint64_t v)                      \
	{                                                               \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline uint64_t
read_rflags(void)
{
	uint64_t v;
	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline void
cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void
sti(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void
hlt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

static inline void
cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* Invalidate one page's TLB entry (SDM Vol. 2A, INVLPG). */
static inline void
invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

struct __packed desc_ptr {
	uint16_t limit;
	uint64_t base;
};

static inline void
lgdt(const struct desc_ptr *p)
{
	__asm__ volatile("lgdt %0" : : "m"(*p));
}

static inline void
lidt(const struct desc_ptr *p)
{
	__asm__ volatile("lidt %0" : : "m"(*p));
}

static inline void
ltr(uint16_t sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel));
}

static inline void
sgdt(struct desc_ptr *p)
{
	__asm__ volatile("sgdt %0" : "=m"(*p));
}

static inline void
sidt(struct desc_ptr *p)
{
	__asm__ volatile("sidt %0" : "=m"(*p));
}

/* Control-register bits (SDM Vol. 3A, 2.5). */
#define CR0_PE              BIT(0)   /* protection enable */
#define CR0_MP              BIT(1)   /* monitor coprocessor */
#define CR0_EM              BIT(2)   /* x87 emulation */
#define CR0_TS              BIT(3)   /* task switched */
#define CR0_ET              BIT(4)   /* extension type */
#define CR0_NE              BIT(5)   /* numeric error */
#define CR0_WP              BIT(16)  /* write protect */
#define CR0_AM              BIT(18)  /* alignment mask */
#define CR0_NW              BIT(29)  /* not write-through */
#define CR0_CD              BIT(30)  /* cache disable */
#define CR0_PG              BIT(31)  /* paging */

#define CR4_VME             BIT(0)   /* virtual-8086 mode extensions */
#define CR4_PVI             BIT(1)   /* protected-mode virtual interrupts */
#define CR4_TSD             BIT(2)   /* time stamp disable */
#define CR4_DE              BIT(3)   /* debugging extensions */
#define CR4_PSE             BIT(4)   /* page size extensions */
#define CR4_PAE             BIT(5)   /* physical address extension */
#define CR4_MCE             BIT(6)   /* machine-check enable */
#define CR4_PGE             BIT(7)   /* page global enable */
#define CR4_PCE             BIT(8)   /* performance-counter enable */
#define CR4_OSFXSR          BIT(9)   /* FXSAVE/FXRSTOR support */
#define CR4_OSXMMEXCPT      BIT(10)  /* unmasked SIMD FP exceptions */
#define CR4_UMIP            BIT(11)  /* user-mode instruction prevention */
#define CR4_VMXE            BIT(13)  /* VMX enable */
#define CR4_SMXE            BIT(14)  /* SMX enable */
#define CR4_FSGSBASE        BIT(16)  /* RDFSBASE etc. */
#define CR4_PCIDE           BIT(17)  /* PCID enable */
#define CR4_OSXSAVE         BIT(18)  /* XSAVE enable */
#define CR4_SMEP            BIT(20)  /* supervisor-mode execution prevention */
#define CR4_SMAP            BIT(21)  /* supervisor-mode access prevention */

#define RFLAGS_CF           BIT(0)   /* carry */
#define RFLAGS_FIXED        BIT(1)   /* always 1 */
#define RFLAGS_ZF           BIT(6)   /* zero */
#define RFLAGS_TF           BIT(8)   /* trap */
#define RFLAGS_IF           BIT(9)   /* interrupt enable */
#define RFLAGS_DF           BIT(10)  /* direction */
#define RFLAGS_VM           BIT(17)  /* virtual-8086 mode */

#endif
