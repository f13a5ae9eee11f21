/*
 * guests/exits64/insn.c: HLT, XSETBV, WBINVD and INVD exits, and
 * exceptions raised by the guest itself, which must reach the guest's own
 * IDT whatever the exception bitmap intercepts (SDM Vol. 3C, 26.2.1.1, and
 * Vol. 2 for each instruction). HLT returns only for an interrupt (or NMI,
 * SMI, INIT): with IF=1 and a local APIC timer armed, the handler must
 * have run by the time HLT returns.
 */
#include "guests/exits64/checks.h"
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/lapic.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"

#define VEC_TIMER       0x40
#define VEC_SPURIOUS    0xFF
#define HLT_TIMER_US    1000

static volatile int timer_irqs;

static void timer_irq(struct trap_frame *tf)    { timer_irqs++; lapic_eoi(); }
static void spurious_irq(struct trap_frame *tf) { }

/* One-shot APIC timer (TSC-deadline when there is one, so no calibration) then STI; HLT. */
static void
hlt_checks(void)
{
	uint64_t t0, t;

	if (!guest_check(lapic_present(), "cpuid shows a local APIC, to wake hlt"))
		return;
	idt_set_handler(VEC_TIMER, timer_irq);
	idt_set_handler(VEC_SPURIOUS, spurious_irq);
	lapic_init(VEC_SPURIOUS);
	t0 = rdtsc();
	if (lapic_has_tsc_deadline()) {
		lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | VEC_TIMER);
		wrmsr(MSR_IA32_TSC_DEADLINE, t0 + tsc_from_us(HLT_TIMER_US));
	} else {
		lapic_write(LAPIC_TIMER_DCR, LAPIC_DCR_DIV1);
		lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONESHOT | VEC_TIMER);
		lapic_write(LAPIC_TIMER_ICR, 100000);
	}
	__asm__ volatile("sti; hlt; cli" : : : "memory");      /* STI's shadow covers HLT */
	t = rdtsc() - t0;
	guest_check(timer_irqs == 1, "hlt with IF=1 returns once the timer interrupt was taken (%d taken, after %lu us)",
		    timer_irqs, tsc_to_us(t));
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	idt_set_handler(VEC_TIMER, NULL);
}
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
	hlt_checks();
	xsetbv_checks();
	expect_trap(do_wbinvd, NULL, TRAP_NONE, 0, "wbinvd");
	expect_trap(do_invd, NULL, TRAP_NONE, 0, "invd");
	expect_trap(do_int3, NULL, TRAP_BP, 0, "int3 reaches the guest's IDT");
	expect_trap(do_ud2, NULL, TRAP_UD, 0, "ud2 reaches the guest's IDT");
	expect_trap(do_divide_by_zero, NULL, TRAP_DE, 0, "divide by zero reaches the guest's IDT");
}
