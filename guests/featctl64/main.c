/*
 * guests/featctl64/main.c: a guest writing IA32_FEATURE_CONTROL (MSR 0x3A,
 * SDM Vol. 4, Table 2-2), the lock that decides whether VMX may be used.
 * The hypervisor must refuse with #GP(0), never touch the real MSR, and
 * keep running.
 */
#include "guests/lib/guest.h"
#include "guests/lib/trap.h"
#include "kernel/msr.h"
#include "kernel/x86.h"

GUEST_NAME("featctl64");

static void
do_wrmsr(void *arg)
{
	wrmsr(MSR_IA32_FEATURE_CONTROL, FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX);
}

void
guest_main(void)
{
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	trap_try(do_wrmsr, NULL, &f);
	guest_check(f.vector == TRAP_GP && f.error_code == 0,
		    "wrmsr IA32_FEATURE_CONTROL raises #GP(0) (got %s(%#lx))", trap_name(f.vector),
		    f.error_code);
	guest_pass();
}
