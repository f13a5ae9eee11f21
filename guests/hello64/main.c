/*
 * guests/hello64/main.c: the smallest 64-bit guest. It greets, finds the
 * hypervisor through CPUID (SDM Vol. 2A, CPUID leaf 1 ECX[31]; leaves
 * 0x40000000+ are the hypervisor's) and asks it for its ABI version.
 */
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "guests/lib/hypercall.h"
#include "kernel/x86.h"

GUEST_NAME("hello64");

void
guest_main(void)
{
	guest_printf("hello from a 64-bit guest\n");
	guest_check(cpuid(1, 0).ecx & CPUID1_ECX_HYPERVISOR, "cpuid.1:ecx[31] says hypervisor");
	if (!guest_check(guest_hypervisor_present(), "cpuid 0x40000000 signature is \"%s\"",
			 HYPERCALL_SIGNATURE))
		guest_fail("not under the hypervisor: no hypercalls to make");
	long v = hypercall_version();
	guest_check(v == HYPERCALL_ABI_VERSION, "HC_VERSION returns %ld (want %d)", v,
		    HYPERCALL_ABI_VERSION);
	guest_pass();
}
