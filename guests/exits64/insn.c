/*
 * guests/exits64/insn.c: HLT, XSETBV, WBINVD and INVD exits, and
 * exceptions raised by the guest itself, which must reach the guest's own
 * IDT whatever the exception bitmap intercepts (SDM Vol. 3C, 26.2.1.1, and
 * Vol. 2 for each instruction).
 */
#include "guests/exits64/checks.h"
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "kernel/x86.h"

static void do_hlt(void *a)     { hlt(); }
static void do_wbinvd(void *a)  { cpu_wbinvd(); }
static void do_invd(void *a)    { cpu_invd(); }
static void do_int3(void *a)    { __asm__ volatile("int3"); }
static void do_ud2(void *a)     { __asm__ volatile("ud2"); }

static void
do_divide_by_zero(void *a)
{
	uint32_t zero = 0;

	__asm__ volatile("xor %%edx, %%edx; mov $1, %%eax; divl %0" : : "r"(zero) : "eax", "edx");
}

static void
do_xsetbv(void *arg)
{
	cpu_xsetbv(0, *(uint64_t *)arg);
}

/* XCR0 via XSETBV (SDM Vol. 1, 13.3): only with CR4.OSXSAVE, x87 always on. */
static void
xsetbv_checks(void)
{
	struct cpuid_regs r = cpuid(1, 0);

	if (!(r.ecx & CPUID1_ECX_XSAVE)) {
		guest_printf("xsetbv: cpuid says no XSAVE; skipped\n");
		return;
	}
	write_cr4(read_cr4() | CR4_OSXSAVE);
	guest_check(cpuid(1, 0).ecx & CPUID1_ECX_OSXSAVE, "cpuid.1:ecx.osxsave follows cr4.osxsave");

	uint32_t supported = cpuid(0xD, 0).eax;
	if (!guest_check((supported & (XCR0_X87 | XCR0_SSE)) == (XCR0_X87 | XCR0_SSE),
			 "cpuid 0xd: xcr0 may hold x87 and sse (%#x)", supported))
		return;
	uint64_t v = XCR0_X87 | XCR0_SSE;
	expect_trap(do_xsetbv, &v, TRAP_NONE, 0, "xsetbv xcr0 = x87|sse");
	guest_check(cpu_xgetbv(0) == v, "xgetbv reads back xcr0 = %#lx", cpu_xgetbv(0));
	uint64_t bad = XCR0_SSE;
	expect_trap(do_xsetbv, &bad, TRAP_GP, 0, "xsetbv xcr0 without x87");
}

void
insn_checks(void)
{
	expect_trap(do_hlt, NULL, TRAP_NONE, 0, "hlt returns");
	xsetbv_checks();
	expect_trap(do_wbinvd, NULL, TRAP_NONE, 0, "wbinvd");
	expect_trap(do_invd, NULL, TRAP_NONE, 0, "invd");
	expect_trap(do_int3, NULL, TRAP_BP, 0, "int3 reaches the guest's IDT");
	expect_trap(do_ud2, NULL, TRAP_UD, 0, "ud2 reaches the guest's IDT");
	expect_trap(do_divide_by_zero, NULL, TRAP_DE, 0, "divide by zero reaches the guest's IDT");
}
