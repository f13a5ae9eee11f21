/*
 * guests/attack64/flood.c: VM exits as fast as the guest can make them,
 * each kind for many time slices (vm/sched.c: 10 ms), with interrupts off:
 * CPUID, port I/O, VMCALL, and RDMSR of an MSR that is not there (an exit
 * and an injected #GP each). The scheduler must still give the bystander
 * its slices: the test checks that it prints rounds between the start and
 * the end of each flood.
 */
#include "guests/attack64/attack.h"
#include "guests/lib/guest.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"

#define FLOOD_MS        200
#define PORT_UNCLAIMED  0x1234

static void do_rdmsr(void *a) { (void)rdmsr(0x12345678); }

/* One exit (two for port I/O) of the given kind. */
static void
one(int kind)
{
	struct trap_fault f;

	switch (kind) {
	case 0:
		(void)cpuid(0, 0);
		break;
	case 1:
		(void)inb(PORT_UNCLAIMED);
		outb(0x80, 0);
		break;
	case 2:
		(void)hypercall_version();
		break;
	default:
		trap_try(do_rdmsr, NULL, &f);
		break;
	}
}

void
attack_flood(void)
{
	static const char *const names[] = { "CPUID", "port I/O", "VMCALL", "RDMSR #GP" };

	for (int kind = 0; kind < 4; kind++) {
		uint64_t end, n = 0;

		guest_printf("attack64: flood: %s exits for %d ms\n", names[kind], FLOOD_MS);
		end = rdtsc() + tsc_from_us(FLOOD_MS * 1000ul);
		for (; rdtsc() < end; n++)
			one(kind);
		guest_printf("attack64: flood: %s done, %lu in %d ms\n", names[kind], n, FLOOD_MS);
	}
}
