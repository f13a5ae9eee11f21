/*
 * guests/lapic64/main.c: the local APIC timer (SDM Vol. 3A, 11.5.4) in
 * one-shot, periodic and TSC-deadline mode, first through the xAPIC page,
 * then, when CPUID shows x2APIC, through the x2APIC MSRs (11.12). The
 * timer is calibrated against the TSC first, as Linux does (and compared
 * with the hypervisor's CPUID 0x40000010 EBX, the bus kHz, when given).
 * Each mode counts ticks over 200 ms of TSC and wants its rate within 10%:
 * one-shot re-armed by its handler every 5 ms, periodic every 1 ms,
 * TSC-deadline every 1 ms (each deadline 1 ms after the last, so handler
 * latency does not add up). Then priorities, lightly (11.8.3): a timer
 * interrupt that fires with IF=0 waits in IRR; with TPR above its class it
 * is not delivered even with IF=1; lowering TPR delivers it, and in the
 * handler it is in ISR and PPR has its class; EOI clears ISR. Then the
 * PIT through IOAPIC pin 2, level-triggered: each interrupt sets the pin's
 * Remote IRR, which only an EOI the IOAPIC hears of clears, so the rate is
 * right only if every EOI reaches it (with virtual-interrupt delivery, as
 * a virtualized-EOI exit). Last, 1000 reads of registers guests read often,
 * which must read back as written; with APIC-register virtualization none
 * of them exits, which the exit counts in guest-lapic64.test check.
 */
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/ioapic.h"
#include "guests/lib/lapic.h"
#include "guests/lib/pit.h"
#include "guests/lib/tsc.h"
#include "kernel/msr.h"
#include "kernel/x86.h"
#include "vm/cpuid.h"

GUEST_NAME("lapic64");

#define VEC_TIMER       0x40            /* priority class 4 */
#define VEC_SPURIOUS    0xFF
#define SPAN_US         200000
#define ONESHOT_US      5000
#define PERIOD_US       1000
#define CALIBRATE_US    10000
#define FIRST_TICK_US   100000
#define TPR_ABOVE       0x50
#define TPR_BELOW       0x30
#define TPR_READS       0x20
#define VEC_LEVEL       0x50
#define PIT_COUNT       1193            /* 1000.15 Hz */
#define LEVEL_SPAN_US   100000
#define IOAPIC_REDTBL(pin)      (0x10 + 2 * (pin))      /* low half of the pin's entry */
#define IOAPIC_RTE_REMOTE_IRR   (1u << 14)
#define READ_ROUNDS     200             /* of five registers each */

static uint64_t timer_hz;               /* timer counts per second, divide by 1 */
static uint32_t oneshot_count;
static uint64_t deadline, deadline_period;
static volatile uint64_t ticks;
static volatile struct {
	bool in_isr;
	uint32_t ppr;
} seen;

static void oneshot_tick(struct trap_frame *tf)  { ticks++; lapic_write(LAPIC_TIMER_ICR, oneshot_count); lapic_eoi(); }
static void periodic_tick(struct trap_frame *tf) { ticks++; lapic_eoi(); }
static void spurious_irq(struct trap_frame *tf)  { }    /* no EOI (SDM 11.9) */

static void
deadline_tick(struct trap_frame *tf)
{
	ticks++;
	deadline += deadline_period;
	wrmsr(MSR_IA32_TSC_DEADLINE, deadline);
	lapic_eoi();
}

static volatile bool level_in_tmr;

static void
level_tick(struct trap_frame *tf)
{
	ticks++;
	level_in_tmr = lapic_vector_bit(LAPIC_TMR, VEC_LEVEL);
	lapic_eoi();
}

static void
priority_tick(struct trap_frame *tf)
{
	ticks++;
	seen.in_isr = lapic_vector_bit(LAPIC_ISR, VEC_TIMER);
	seen.ppr = lapic_read(LAPIC_PPR);
	lapic_eoi();
}

static bool
near(uint64_t got, uint64_t want)
{
	uint64_t d = got > want ? got - want : want - got;

	return d * 10 <= want;
}

static uint32_t
timer_count(uint64_t us)
{
	return (uint32_t)(timer_hz * us / 1000000);
}

/* Count of one-shot over CALIBRATE_US of TSC, masked: timer_hz. */
static void
calibrate(const char *mode)
{
	uint64_t t0, t, ccr;
	uint32_t bus_khz = 0;

	lapic_write(LAPIC_TIMER_DCR, LAPIC_DCR_DIV1);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT | VEC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, 0xFFFFFFFF);
	t0 = rdtsc();
	tsc_delay_us(CALIBRATE_US);
	ccr = lapic_read(LAPIC_TIMER_CCR);
	t = rdtsc() - t0;
	lapic_write(LAPIC_TIMER_ICR, 0);
	timer_hz = (0xFFFFFFFFull - ccr) * tsc_hz() / t;
	guest_printf("%s: the APIC timer counts at %lu kHz (TSC %lu kHz)\n", mode, timer_hz / 1000,
		     tsc_hz() / 1000);
	if (guest_hypervisor_present() && cpuid(CPUID_HV_LEAF_BASE, 0).eax >= CPUID_HV_LEAF_TIMING)
		bus_khz = cpuid(CPUID_HV_LEAF_TIMING, 0).ebx;
	if (bus_khz)
		guest_check(near(timer_hz / 1000, bus_khz), "%s: calibrated rate within 10%% of CPUID 0x40000010 ebx (%u kHz)",
			    mode, bus_khz);
	if (!guest_check(timer_hz >= 1000000, "%s: the timer counts at 1 MHz or more", mode))
		guest_pass();
}

/* Run until SPAN_US of TSC after the first tick; check the count. */
static void
count_ticks(const char *mode, const char *what, uint64_t period_us)
{
	uint64_t want = SPAN_US / period_us, t0 = rdtsc(), n0 = ticks, n;

	sti();
	while (ticks == n0 && rdtsc() - t0 < tsc_from_us(FIRST_TICK_US))
		cpu_relax();
	if (!guest_check(ticks != n0, "%s %s: a first tick within %d ms", mode, what, FIRST_TICK_US / 1000)) {
		cli();
		return;
	}
	n0 = ticks;
	t0 = rdtsc();
	while (rdtsc() - t0 < tsc_from_us(SPAN_US))
		cpu_relax();
	n = ticks - n0;
	cli();
	guest_check(near(n, want), "%s %s: %lu ticks in %d ms, want %lu +- 10%%", mode, what, n, SPAN_US / 1000,
		    want);
}

/* Stop the timer, let a tick already pending be taken, forget the handler. */
static void
timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_ICR, 0);
	wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	sti();
	tsc_delay_us(2 * PERIOD_US);
	cli();
}

static void
timer_modes(const char *mode)
{
	calibrate(mode);

	idt_set_handler(VEC_TIMER, oneshot_tick);
	oneshot_count = timer_count(ONESHOT_US);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONESHOT | VEC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, oneshot_count);
	count_ticks(mode, "one-shot timer, re-armed every 5 ms", ONESHOT_US);
	timer_stop();

	idt_set_handler(VEC_TIMER, periodic_tick);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, timer_count(PERIOD_US));
	count_ticks(mode, "periodic timer, 1 ms", PERIOD_US);
	timer_stop();

	if (!guest_check(lapic_has_tsc_deadline(), "%s: CPUID.1:ECX[24] shows TSC-deadline mode", mode))
		return;
	idt_set_handler(VEC_TIMER, deadline_tick);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | VEC_TIMER);
	deadline_period = tsc_from_us(PERIOD_US);
	deadline = rdtsc() + deadline_period;
	wrmsr(MSR_IA32_TSC_DEADLINE, deadline);
	count_ticks(mode, "TSC-deadline timer, every 1 ms", PERIOD_US);
	timer_stop();
}

static void
priority_checks(const char *mode)
{
	uint64_t n0;

	idt_set_handler(VEC_TIMER, priority_tick);
	seen.in_isr = false;
	seen.ppr = 0;
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONESHOT | VEC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, timer_count(10));
	tsc_delay_us(200);
	guest_check(lapic_vector_bit(LAPIC_IRR, VEC_TIMER) && !lapic_vector_bit(LAPIC_ISR, VEC_TIMER),
		    "%s: with IF=0 the fired timer waits in IRR, not in ISR", mode);

	lapic_write(LAPIC_TPR, TPR_ABOVE);
	n0 = ticks;
	sti();
	tsc_delay_us(1000);
	cli();
	guest_check(ticks == n0 && lapic_vector_bit(LAPIC_IRR, VEC_TIMER),
		    "%s: TPR %#x holds vector %#x back with IF=1 (%lu delivered)", mode, TPR_ABOVE, VEC_TIMER,
		    ticks - n0);

	lapic_write(LAPIC_TPR, TPR_BELOW);
	sti();
	tsc_delay_us(1000);
	cli();
	guest_check(ticks == n0 + 1, "%s: TPR %#x lets it through (%lu delivered)", mode, TPR_BELOW, ticks - n0);
	guest_check(seen.in_isr && (seen.ppr & 0xF0) == (VEC_TIMER & 0xF0),
		    "%s: in the handler it is in ISR and PPR is %#x (want class %#x)", mode, seen.ppr,
		    VEC_TIMER & 0xF0);
	guest_check(!lapic_vector_bit(LAPIC_ISR, VEC_TIMER) && !lapic_vector_bit(LAPIC_IRR, VEC_TIMER),
		    "%s: after EOI neither in ISR nor in IRR", mode);
	lapic_write(LAPIC_TPR, 0);
	timer_stop();
}

/* The PIT at 1 kHz through IOAPIC pin 2, level-triggered, for LEVEL_SPAN_US. */
static void
level_checks(const char *mode)
{
	uint64_t want = (uint64_t)LEVEL_SPAN_US * PIT_HZ / PIT_COUNT / 1000000, n0 = ticks, t0;

	idt_set_handler(VEC_LEVEL, level_tick);
	level_in_tmr = false;
	ioapic_route(IOAPIC_PIN_PIT, VEC_LEVEL, lapic_id(), IOAPIC_RTE_LEVEL);
	pit_start(0, PIT_MODE_RATE, PIT_COUNT);
	t0 = rdtsc();
	sti();
	while (rdtsc() - t0 < tsc_from_us(LEVEL_SPAN_US))
		cpu_relax();
	cli();
	ioapic_mask(IOAPIC_PIN_PIT);
	pit_start(0, PIT_MODE_TERMINAL, 0xFFFF);        /* one last edge, masked, then quiet */
	guest_check(near(ticks - n0, want), "%s: the PIT through IOAPIC pin 2, level-triggered: %lu interrupts "
		    "in %d ms, want %lu +- 10%%", mode, ticks - n0, LEVEL_SPAN_US / 1000, want);
	guest_check(level_in_tmr, "%s: in the handler TMR has the level-triggered vector", mode);
	guest_check(!(ioapic_read(IOAPIC_REDTBL(IOAPIC_PIN_PIT)) & IOAPIC_RTE_REMOTE_IRR),
		    "%s: Remote IRR clear after the last EOI", mode);
	guest_check(!lapic_vector_bit(LAPIC_ISR, VEC_LEVEL), "%s: vector %#x not in service", mode, VEC_LEVEL);
}

/* READ_ROUNDS times TPR, SVR, version, ISR and IRR: all as last written. */
static void
register_reads(const char *mode)
{
	uint32_t version = lapic_read(LAPIC_VERSION), wrong = 0;

	lapic_write(LAPIC_TPR, TPR_READS);
	for (int i = 0; i < READ_ROUNDS; i++) {
		wrong += lapic_read(LAPIC_TPR) != TPR_READS;
		wrong += !(lapic_read(LAPIC_SVR) & LAPIC_SVR_ENABLE);
		wrong += lapic_read(LAPIC_VERSION) != version;
		wrong += lapic_vector_bit(LAPIC_ISR, VEC_TIMER);
		wrong += lapic_vector_bit(LAPIC_IRR, VEC_TIMER);
	}
	lapic_write(LAPIC_TPR, 0);
	guest_check(!wrong, "%s: %d reads of TPR, SVR, version, ISR and IRR agree with what was written (%u wrong)",
		    mode, 5 * READ_ROUNDS, wrong);
}

void
guest_main(void)
{
	idt_set_handler(VEC_SPURIOUS, spurious_irq);
	lapic_init(VEC_SPURIOUS);
	ioapic_init();
	guest_printf("lapic64: local APIC id %u, version %#x\n", lapic_id(), lapic_read(LAPIC_VERSION));
	timer_modes("xAPIC");
	priority_checks("xAPIC");
	level_checks("xAPIC");
	register_reads("xAPIC");

	if (!lapic_has_x2apic()) {
		guest_printf("lapic64: CPUID.1:ECX[21] shows no x2APIC; x2APIC mode skipped\n");
		guest_pass();
	}
	lapic_enable_x2apic();
	guest_check(rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC, "IA32_APIC_BASE: x2APIC mode on (%#lx)",
		    rdmsr(MSR_IA32_APIC_BASE));
	guest_check(lapic_read(LAPIC_SVR) & LAPIC_SVR_ENABLE, "x2APIC: SVR still enabled (%#x)",
		    lapic_read(LAPIC_SVR));
	timer_modes("x2APIC");
	priority_checks("x2APIC");
	level_checks("x2APIC");
	register_reads("x2APIC");
	guest_pass();
}
