/*
 * guests/nap64/main.c: a guest that sleeps most of the time. NAPS times it
 * arms its local APIC's TSC-deadline timer NAP_US ahead and halts (HLT with
 * interrupts on), and checks that it woke on time: never before the
 * deadline (HLT waited), and, as a median, at most LATE_US after it, though
 * other guests had the CPU meanwhile. (Not every time: the hypervisor's own
 * work, such as printing another guest's lines on a 115200-baud serial
 * port, is not preempted; the longest delay is printed.) A halted guest gives its time to the others: beside it, a
 * share32 guest checks that it got nearly all of the CPU
 * (test/system/sched-hlt.test).
 */
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/lapic.h"
#include "guests/lib/tsc.h"
#include "kernel/msr.h"
#include "kernel/x86.h"

GUEST_NAME("nap64");

#define VEC_TIMER       0x40
#define VEC_SPURIOUS    0xFF
#define NAPS            200
#define NAP_US          5000
#define LATE_US         200     /* a fiftieth of a default time slice */

static volatile uint64_t woke;
static uint64_t late[NAPS];

static void timer_tick(struct trap_frame *tf)   { woke = rdtsc(); lapic_eoi(); }
static void spurious_irq(struct trap_frame *tf) { }

void
guest_main(void)
{
	uint64_t nap;
	unsigned early = 0;

	idt_set_handler(VEC_TIMER, timer_tick);
	idt_set_handler(VEC_SPURIOUS, spurious_irq);
	lapic_init(VEC_SPURIOUS);
	if (!lapic_has_tsc_deadline())
		guest_fail("nap64: CPUID.1:ECX[24] shows no TSC-deadline timer");
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | VEC_TIMER);
	nap = tsc_from_us(NAP_US);
	guest_printf("nap64: %d naps of %d ms, halted\n", NAPS, NAP_US / 1000);

	for (int i = 0; i < NAPS; i++) {
		uint64_t deadline = rdtsc() + nap;

		woke = 0;
		wrmsr(MSR_IA32_TSC_DEADLINE, deadline);
		while (!woke)
			__asm__ volatile("sti; hlt; cli" ::: "memory");    /* STI's shadow covers HLT */
		if (woke < deadline)
			early++;
		late[i] = woke > deadline ? woke - deadline : 0;
	}
	tsc_sort_samples(late, NAPS);
	guest_check(!early, "nap64: no nap ended before its deadline (%u did)", early);
	guest_check(tsc_to_us(late[NAPS / 2]) <= LATE_US,
		    "nap64: woke %lu us late as a median (want at most %d), %lu us at the most",
		    tsc_to_us(late[NAPS / 2]), LATE_US, tsc_to_us(late[NAPS - 1]));
	guest_pass();
}
