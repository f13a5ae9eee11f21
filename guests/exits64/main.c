/*
 * guests/exits64/main.c: a 64-bit guest that causes each VM exit the
 * hypervisor must handle and checks that what came back is what the SDM
 * promises a guest on real hardware (with VMX hidden from it). One line per
 * check; PASS at the end when all held.
 */
#include "guests/exits64/checks.h"
#include "guests/lib/guest.h"

GUEST_NAME("exits64");

void
expect_trap(void (*fn)(void *), void *arg, uint64_t vector, uint64_t error_code, const char *what)
{
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	trap_try(fn, arg, &f);
	if (vector == TRAP_NONE)
		guest_check(f.vector == TRAP_NONE, "%s%s%s", what, f.vector == TRAP_NONE ? "" : ": raised ",
			    f.vector == TRAP_NONE ? "" : trap_name(f.vector));
	else
		guest_check(f.vector == vector && f.error_code == error_code, "%s: %s(%#lx) (got %s(%#lx))",
			    what, trap_name(vector), error_code, trap_name(f.vector), f.error_code);
}

void
guest_main(void)
{
	guest_printf("exits64: the exits a guest causes, and what it must see\n");
	cpuid_checks();
	msr_checks();
	vmxinsn_checks();
	io_checks();
	cr_checks();
	insn_checks();
	hypercall_checks();
	guest_pass();
}
