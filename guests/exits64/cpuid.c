/*
 * guests/exits64/cpuid.c: CPUID exits (SDM Vol. 2A, CPUID). The guest must
 * not see VMX, must see the hypervisor bit, and finds the hypervisor's
 * leaves at 0x40000000.
 */
#include "guests/exits64/checks.h"
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "guests/lib/hypercall.h"
#include "kernel/x86.h"

void
cpuid_checks(void)
{
	struct cpuid_regs r = cpuid(1, 0);
	struct cpuid_regs hv = cpuid(CPUID_HV_LEAF_BASE, 0);
	struct cpuid_regs l0 = cpuid(0, 0);

	guest_check(!(r.ecx & CPUID1_ECX_VMX), "cpuid hides vmx (leaf 1 ecx %#x)", r.ecx);
	guest_check(r.ecx & CPUID1_ECX_HYPERVISOR, "cpuid sets the hypervisor bit");
	guest_check(guest_hypervisor_present(), "cpuid 0x40000000 signature \"%s\"", HYPERCALL_SIGNATURE);
	guest_check(hv.eax >= CPUID_HV_LEAF_BASE && hv.eax < CPUID_HV_LEAF_BASE + 0x100,
		    "cpuid 0x40000000 eax is the highest hypervisor leaf (%#x)", hv.eax);
	guest_check(l0.eax >= 1, "cpuid 0 reports basic leaves up to %#x", l0.eax);
}
