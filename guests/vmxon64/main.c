/*
 * guests/vmxon64/main.c: a guest running VMXON. VMXON exits in VMX
 * non-root operation (SDM Vol. 3C, 26.1.2); with no nested VMX on offer
 * the hypervisor must inject #UD, as a CPU without VMX would raise.
 */
#include "guests/lib/guest.h"
#include "guests/lib/trap.h"

GUEST_NAME("vmxon64");

static uint64_t vmxon_region_pa = 0x200000;     /* any page of guest RAM */

static void
do_vmxon(void *arg)
{
	__asm__ volatile("vmxon %0" : : "m"(vmxon_region_pa) : "cc", "memory");
}

void
guest_main(void)
{
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	trap_try(do_vmxon, NULL, &f);
	guest_check(f.vector == TRAP_UD, "vmxon raises #UD (got %s at %#lx)", trap_name(f.vector), f.rip);
	guest_pass();
}
