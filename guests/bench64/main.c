/*
 * guests/bench64/main.c: the round-trip cost of the exits a guest causes
 * most, for `make bench`. Each figure is timed 1000 times around a single
 * instruction with cpu_rdtsc_fenced() (LFENCE; RDTSC; LFENCE, so nothing
 * overlaps the timed region); the figure is the median of those 1000
 * costs less the median cost of an empty timed region, which is printed
 * too as timing_overhead. Under Bochs the TSC advances one tick per
 * instruction, so the figures count the instructions the hypervisor spends
 * per exit.
 *
 * Output, one line per figure, which scripts/bench.sh collects:
 *   bench: NAME: VALUE ticks
 * Figures: cpuid_roundtrip (CPUID leaf 0), vmcall_roundtrip (HC_VERSION),
 * io_out_roundtrip (OUT to an unclaimed port), ept_mmio_roundtrip (a 32-bit
 * store to the test device's register: EPT violation, instruction fetch
 * through the guest's page tables, decode, device; needs testdev=on),
 * mmio_decode_roundtrip (the same for a read-modify-write, ORL $1 on that
 * register), lapic_eoi_roundtrip (a write to the xAPIC EOI register: EPT
 * violation and emulation, with APIC-register virtualization an APIC-write
 * exit, with virtual-interrupt delivery no exit), lapic_tpr_read and lapic_tpr_write (a read and a write
 * of the xAPIC TPR: an EPT violation each, or no exit at all with the TPR
 * shadow), lapic_ccr_read (the timer's current count, which the CPU never
 * virtualizes: an EPT violation, or an APIC-access exit, both decoded),
 * lapic_eoi_x2apic_roundtrip (WRMSR to the x2APIC EOI MSR: an MSR exit, or
 * none with x2APIC virtualization and virtual-interrupt delivery),
 * lapic_tpr_read_x2apic (RDMSR of the x2APIC TPR: an MSR exit, or none
 * with x2APIC virtualization), and
 * irq_inject_latency: a LAPIC TSC-deadline timer is armed for TSC T, the
 * guest waits with IF=1, and the figure is the median over ROUNDS of the
 * TSC that the handler's entry (guests/bench64/irq_entry.S) reads, less T.
 * Those without a local APIC, TSC-deadline mode or x2APIC (CPUID) are
 * skipped with a line that says so.
 */
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/idt.h"
#include "guests/lib/lapic.h"
#include "guests/lib/testdev.h"
#include "guests/lib/tsc.h"
#include "kernel/msr.h"
#include "kernel/x86.h"

GUEST_NAME("bench64");

#define ROUNDS          1000
#define PORT_UNCLAIMED  0x1234
#define VEC_LATENCY     0x41
#define VEC_SPURIOUS    0xFF
#define IRQ_LEAD_US     100             /* the deadline, this far after arming */
#define IRQ_WAIT_US     100000          /* the longest wait for one interrupt */

void bench_irq_entry(void);
volatile uint64_t bench_irq_tsc;        /* irq_entry.S */

static uint64_t samples[ROUNDS];

static void op_empty(void)      { }
static void op_cpuid(void)      { cpuid(0, 0); }
static void op_vmcall(void)     { hypercall_version(); }
static void op_io_out(void)     { outb(PORT_UNCLAIMED, 0); }
static volatile uint64_t *scratch;
static void op_mmio(void)       { *(volatile uint32_t *)scratch = 0; }
static void op_mmio_or(void)    { __asm__ volatile("orl $1, (%0)" : : "r"(scratch) : "memory"); }
static void op_eoi(void)        { lapic_eoi(); }
static void op_tpr_read(void)   { lapic_read(LAPIC_TPR); }
static void op_tpr_write(void)  { lapic_write(LAPIC_TPR, 0); }
static void op_ccr_read(void)   { lapic_read(LAPIC_TIMER_CCR); }
static void spurious_irq(struct trap_frame *tf) { }

/* Median cost in ticks of one call of op, timing overhead included. */
static uint64_t
measure(void (*op)(void))
{
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = cpu_rdtsc_fenced();

		op();
		samples[i] = cpu_rdtsc_fenced() - t0;
	}
	tsc_sort_samples(samples, ROUNDS);
	return samples[ROUNDS / 2];
}

static void
report(const char *name, void (*op)(void), uint64_t overhead)
{
	uint64_t t = measure(op);

	guest_printf("bench: %s: %lu ticks\n", name, t > overhead ? t - overhead : 0);
}

/* Median of (handler's TSC - deadline) over ROUNDS TSC-deadline interrupts. */
static uint64_t
irq_latency(void)
{
	uint64_t lead = tsc_from_us(IRQ_LEAD_US), wait = tsc_from_us(IRQ_WAIT_US);

	idt_set_entry(VEC_LATENCY, bench_irq_entry);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | VEC_LATENCY);
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t due = rdtsc() + lead;

		bench_irq_tsc = 0;
		wrmsr(MSR_IA32_TSC_DEADLINE, due);
		sti();
		while (!bench_irq_tsc && rdtsc() < due + wait)
			cpu_relax();
		cli();
		if (!bench_irq_tsc)
			guest_fail("irq_inject_latency: no timer interrupt within %d ms of its deadline",
				   IRQ_WAIT_US / 1000);
		lapic_eoi();
		samples[i] = bench_irq_tsc > due ? bench_irq_tsc - due : 0;
	}
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	idt_set_entry(VEC_LATENCY, NULL);
	tsc_sort_samples(samples, ROUNDS);
	return samples[ROUNDS / 2];
}

/* The figures that need a local APIC, each skipped with a line when CPUID says it cannot be. */
static void
apic_figures(uint64_t overhead)
{
	if (!lapic_present()) {
		guest_printf("bench64: CPUID shows no local APIC: irq_inject_latency and lapic_eoi_* skipped\n");
		return;
	}
	idt_set_handler(VEC_SPURIOUS, spurious_irq);
	lapic_init(VEC_SPURIOUS);
	if (lapic_has_tsc_deadline())
		guest_printf("bench: irq_inject_latency: %lu ticks\n", irq_latency());
	else
		guest_printf("bench64: CPUID shows no TSC-deadline timer: irq_inject_latency skipped\n");
	report("lapic_eoi_roundtrip", op_eoi, overhead);
	report("lapic_tpr_read", op_tpr_read, overhead);
	report("lapic_tpr_write", op_tpr_write, overhead);
	report("lapic_ccr_read", op_ccr_read, overhead);
	if (!lapic_has_x2apic()) {
		guest_printf("bench64: CPUID shows no x2APIC: lapic_*_x2apic skipped\n");
		return;
	}
	lapic_enable_x2apic();
	report("lapic_eoi_x2apic_roundtrip", op_eoi, overhead);
	report("lapic_tpr_read_x2apic", op_tpr_read, overhead);
}

void
guest_main(void)
{
	if (!guest_hypervisor_present())
		guest_fail("not under the hypervisor: nothing to measure");
	uint64_t overhead = measure(op_empty);

	guest_printf("bench: timing_overhead: %lu ticks\n", overhead);
	report("cpuid_roundtrip", op_cpuid, overhead);
	report("vmcall_roundtrip", op_vmcall, overhead);
	report("io_out_roundtrip", op_io_out, overhead);
	scratch = testdev_map();
	report("ept_mmio_roundtrip", op_mmio, overhead);
	report("mmio_decode_roundtrip", op_mmio_or, overhead);
	apic_figures(overhead);
	guest_pass();
}
