/*
 * drivers/timer.c: the TSC and LAPIC timer frequencies, found once at boot.
 *
 * CPUID leaf 0x15 (SDM Vol. 2A, "CPUID", and Vol. 3B, 19.7.3) states the
 * TSC frequency exactly on recent Intel CPUs. Everywhere else, and to catch
 * emulators whose CPUID describes a CPU their clocks do not follow (Bochs
 * advances the TSC once per emulated instruction), both clocks are counted
 * over an interval of a reference clock of known rate: the ACPI PM timer,
 * else PIT channel 2. Every wait is bounded, so a reference that does not
 * tick is reported and the next one is tried.
 */
#include "drivers/timer.h"
#include "drivers/lapic.h"
#include "drivers/pit.h"
#include "drivers/pmtimer.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/x86.h"

#define CAL_ROUNDS              3
#define CAL_INTERVAL_US         25000           /* per round */
#define CAL_MAX_SPINS           5000000         /* reference reads per round before giving up */
#define CAL_EDGE_SPINS          100000          /* reads to see the reference change at all */
#define CPUID_AGREE_PERMILLE    10              /* CPUID and measurement within 1% */

#define HZ_PER_MHZ              1000000UL
#define FALLBACK_TSC_HZ         (1000 * HZ_PER_MHZ)
#define FALLBACK_LAPIC_HZ       (100 * HZ_PER_MHZ)

static uint64_t tsc_hz;
static uint64_t lapic_hz;

struct sample {
	uint64_t tsc;           /* TSC ticks in the interval */
	uint64_t lapic;         /* LAPIC timer ticks (divide-by-1) in the interval */
	uint64_t ref;           /* reference ticks in the interval */
};

/* One interval of n PM timer ticks, starting on a tick edge. Returns false on a stuck timer. */
static bool
sample_pmtimer(uint32_t n, struct sample *s)
{
	uint32_t start, now = 0, l0, l1;
	uint64_t t0, t1;
	long spins;

	start = pmtimer_read();
	for (spins = 0; spins < CAL_EDGE_SPINS && pmtimer_read() == start; spins++)
		;
	if (spins == CAL_EDGE_SPINS) {
		log_warn("timer: the ACPI PM timer does not move (stuck at %#x)", start);
		return false;
	}
	start = pmtimer_read();
	t0 = rdtsc();
	l0 = lapic_timer_current();
	for (spins = 0; spins < CAL_MAX_SPINS; spins++) {
		now = pmtimer_read();
		if (pmtimer_delta(start, now) >= n)
			break;
	}
	t1 = rdtsc();
	l1 = lapic_timer_current();
	if (spins == CAL_MAX_SPINS) {
		log_warn("timer: the ACPI PM timer moved only %u of %u ticks in %d reads",
			 pmtimer_delta(start, now), n, CAL_MAX_SPINS);
		return false;
	}
	*s = (struct sample){ t1 - t0, (uint32_t)(l0 - l1), pmtimer_delta(start, now) };
	return true;
}

/* One interval of n PIT ticks on channel 2. Returns false if it never ends. */
static bool
sample_pit(uint32_t n, struct sample *s)
{
	uint32_t l0, l1;
	uint64_t t0, t1;
	long spins;

	pit_oneshot_start((uint16_t)n);
	t0 = rdtsc();
	l0 = lapic_timer_current();
	for (spins = 0; spins < CAL_MAX_SPINS && !pit_oneshot_done(); spins++)
		;
	t1 = rdtsc();
	l1 = lapic_timer_current();
	pit_oneshot_stop();
	if (spins == CAL_MAX_SPINS) {
		log_warn("timer: PIT channel 2 did not count down %u ticks in %d reads", n, CAL_MAX_SPINS);
		return false;
	}
	*s = (struct sample){ t1 - t0, (uint32_t)(l0 - l1), n };
	return true;
}

static uint64_t
median3(uint64_t a, uint64_t b, uint64_t c)
{
	if (a > b) {
		uint64_t t = a;
		a = b;
		b = t;
	}
	return c < a ? a : c > b ? b : c;
}

/*
 * Count the TSC and the LAPIC timer over CAL_ROUNDS intervals of the
 * reference and keep the median rate of each. Returns false when the
 * reference failed.
 */
static bool
measure(bool use_pm, uint64_t *tsc, uint64_t *lapic)
{
	uint64_t ref_hz = use_pm ? PMTIMER_HZ : PIT_HZ;
	uint32_t n = (uint32_t)(ref_hz * CAL_INTERVAL_US / HZ_PER_MHZ);
	uint64_t t[CAL_ROUNDS], l[CAL_ROUNDS];
	uint32_t saved_divide = lapic_timer_divide();
	bool ok = true;

	STATIC_ASSERT(CAL_ROUNDS == 3, "median3() takes three rounds");
	lapic_timer_set_divide(1);
	for (int i = 0; i < CAL_ROUNDS && ok; i++) {
		struct sample s;

		lapic_timer_free_run();
		ok = use_pm ? sample_pmtimer(n, &s) : sample_pit(n, &s);
		if (ok) {
			t[i] = s.tsc * ref_hz / s.ref;
			l[i] = s.lapic * ref_hz / s.ref;
			log_debug("timer: round %d: %lu TSC and %lu LAPIC ticks in %lu %s ticks", i, s.tsc,
				  s.lapic, s.ref, use_pm ? "PM timer" : "PIT");
		}
	}
	lapic_timer_stop();
	lapic_timer_set_divide(saved_divide);
	if (!ok)
		return false;
	*tsc = median3(t[0], t[1], t[2]);
	*lapic = median3(l[0], l[1], l[2]);
	return true;
}

/*
 * The TSC and core crystal frequencies from CPUID 0x15, using 0x16's base
 * frequency when 0x15 leaves the crystal out (ECX = 0). Returns false when
 * the leaves do not give a complete answer.
 */
static bool
cpuid_tsc(uint64_t *tsc, uint64_t *crystal)
{
	struct cpuid_regs r, b;

	if (cpu_features.max_leaf < 0x15)
		return false;
	r = cpuid(0x15, 0);             /* EAX denominator, EBX numerator, ECX crystal Hz */
	if (!r.eax || !r.ebx)
		return false;
	if (r.ecx) {
		*crystal = r.ecx;
		*tsc = (uint64_t)r.ecx * r.ebx / r.eax;
		return true;
	}
	if (cpu_features.max_leaf < 0x16)
		return false;
	b = cpuid(0x16, 0);             /* EAX base frequency in MHz */
	if (!(b.eax & 0xFFFF))
		return false;
	*tsc = (uint64_t)(b.eax & 0xFFFF) * HZ_PER_MHZ;
	*crystal = *tsc * r.eax / r.ebx;
	return true;
}

static bool
agree(uint64_t a, uint64_t b)
{
	uint64_t diff = a > b ? a - b : b - a;

	return diff * 1000 <= b * CPUID_AGREE_PERMILLE;
}

/* Interrupts on for a moment: does the LAPIC timer deliver in each mode? */
static void
self_test(void)
{
	uint64_t per_ms = lapic_hz / lapic_timer_divide() / 1000;
	uint64_t t0, periodic, oneshot, deadline = 0;

	if (per_ms == 0 || per_ms > 0xFFFFFFFF)
		return;
	t0 = lapic_timer_ticks();
	lapic_timer_periodic((uint32_t)per_ms);
	sti();
	timer_delay_us(10000);
	cli();
	lapic_timer_stop();
	periodic = lapic_timer_ticks() - t0;

	t0 = lapic_timer_ticks();
	lapic_timer_oneshot((uint32_t)per_ms);
	sti();
	timer_delay_us(3000);
	cli();
	oneshot = lapic_timer_ticks() - t0;

	if (cpu_features.tsc_deadline) {
		t0 = lapic_timer_ticks();
		lapic_timer_deadline(rdtsc() + tsc_hz / 1000);
		sti();
		timer_delay_us(3000);
		cli();
		lapic_timer_stop();
		deadline = lapic_timer_ticks() - t0;
	}
	if (cpu_features.tsc_deadline)
		log_debug("timer: LAPIC timer interrupts: %lu periodic in 10 ms at 1 kHz, %lu one-shot, "
			  "%lu TSC-deadline", periodic, oneshot, deadline);
	else
		log_debug("timer: LAPIC timer interrupts: %lu periodic in 10 ms at 1 kHz, %lu one-shot, "
			  "no TSC-deadline mode", periodic, oneshot);
	if (periodic == 0 || oneshot != 1 || (cpu_features.tsc_deadline && deadline != 1))
		log_warn("timer: the LAPIC timer did not interrupt as programmed (periodic %lu, one-shot %lu, "
			 "deadline %lu)", periodic, oneshot, deadline);
}

/*
 * Find the TSC and LAPIC timer frequencies, report them, and check that
 * the LAPIC timer interrupts. Needs lapic_init() and acpi_init() first.
 * Never fails: with no usable reference it falls back to CPUID, then to
 * guesses, and says so.
 */
void
timer_init(void)
{
	uint64_t c_tsc = 0, c_crystal = 0, m_tsc = 0, m_lapic = 0;
	bool have_cpuid = cpuid_tsc(&c_tsc, &c_crystal);
	const char *ref = NULL, *tsc_src, *lapic_src;

	pit_init();
	if (pmtimer_present() && measure(true, &m_tsc, &m_lapic))
		ref = "the ACPI PM timer";
	else if (measure(false, &m_tsc, &m_lapic))
		ref = "the PIT";

	if (have_cpuid && (!ref || agree(c_tsc, m_tsc))) {
		tsc_hz = c_tsc;
		tsc_src = "from CPUID 0x15";
		if (ref)
			log_debug("timer: %s measures the TSC at %lu Hz", ref, m_tsc);
	} else if (ref) {
		if (have_cpuid)
			log_warn("timer: CPUID 0x15 says the TSC runs at %lu Hz, %s measures %lu Hz; "
				 "using the measurement", c_tsc, ref, m_tsc);
		tsc_hz = m_tsc;
		tsc_src = ref;
	} else {
		tsc_hz = FALLBACK_TSC_HZ;
		tsc_src = "a guess: no reference clock worked";
		log_warn("timer: cannot measure the TSC; assuming %lu MHz", tsc_hz / HZ_PER_MHZ);
	}

	if (ref && m_lapic) {
		lapic_hz = m_lapic;
		lapic_src = "bus, measured";
	} else if (have_cpuid) {
		lapic_hz = c_crystal;
		lapic_src = "core crystal clock, CPUID 0x15";
	} else {
		lapic_hz = FALLBACK_LAPIC_HZ;
		lapic_src = "a guess";
		log_warn("timer: cannot measure the LAPIC timer; assuming %lu MHz", lapic_hz / HZ_PER_MHZ);
	}

	log_info("timer: TSC %lu.%03lu MHz (%s%s), LAPIC timer %lu.%03lu MHz (%s), invariant TSC %s",
		 tsc_hz / HZ_PER_MHZ, tsc_hz % HZ_PER_MHZ / 1000, tsc_src == ref ? "calibrated against " : "",
		 tsc_src, lapic_hz / HZ_PER_MHZ, lapic_hz % HZ_PER_MHZ / 1000, lapic_src,
		 cpu_features.invariant_tsc ? "yes" : "no");
	self_test();
}

uint64_t
timer_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t
timer_lapic_hz(void)
{
	return lapic_hz;
}

/* Spin for at least us microseconds; before timer_init() the TSC is taken to run at 1 GHz. */
void
timer_delay_us(uint64_t us)
{
	uint64_t hz = tsc_hz ? tsc_hz : FALLBACK_TSC_HZ;
	uint64_t ticks = us / HZ_PER_MHZ * hz + us % HZ_PER_MHZ * hz / HZ_PER_MHZ;
	uint64_t start = rdtsc();

	while (rdtsc() - start < ticks)
		cpu_relax();
}

/*
 * Interrupt this CPU (VEC_LAPIC_TIMER) when the TSC reaches tsc: TSC-deadline
 * mode when the CPU has it, else a one-shot count in bus ticks, which may
 * fire early when the count does not reach that far (callers check the TSC).
 */
void
timer_arm(uint64_t tsc)
{
	uint64_t now = rdtsc();
	uint64_t left, count;

	if (lapic_timer_deadline(tsc) == 0)
		return;
	left = tsc > now ? tsc - now : 1;
	count = left / tsc_hz * lapic_hz + left % tsc_hz * lapic_hz / tsc_hz;
	lapic_timer_oneshot((uint32_t)MIN(MAX(count, 1), (uint64_t)0xFFFFFFFF));
}

/*
 * Halt this CPU until the TSC reaches tsc, woken by the local APIC timer.
 * Called with interrupts off; returns with them off.
 */
void
timer_sleep_until(uint64_t tsc)
{
	while (rdtsc() < tsc) {
		timer_arm(tsc);
		__asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");
	}
	lapic_timer_stop();
}
