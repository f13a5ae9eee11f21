/*
 * guests/exits64/cr.c: control-register exits (SDM Vol. 3C, 25.6.6 guest/
 * host masks and read shadows; CR bits in Vol. 3A, 2.5). The guest reads
 * back what it wrote to the bits it owns, never sees the VMXE the CPU
 * needs in VMX operation, and cannot set VMXE while CPUID hides VMX.
 */
#include "guests/exits64/checks.h"
#include "guests/lib/guest.h"
#include "kernel/x86.h"

static void
set_vmxe(void *arg)
{
	write_cr4(read_cr4() | CR4_VMXE);
}

void
cr_checks(void)
{
	unsigned long cr0 = read_cr0(), cr4 = read_cr4();

	guest_check((cr0 & 0x80000001) == 0x80000001, "cr0 has PE and PG (%#lx)", cr0);
	write_cr0(cr0 | CR0_TS);
	guest_check(read_cr0() & CR0_TS, "cr0.ts set reads back set");
	write_cr0(cr0 & ~CR0_TS);
	guest_check(!(read_cr0() & CR0_TS), "cr0.ts cleared reads back clear");
	write_cr0(cr0);

	guest_check(!(cr4 & CR4_VMXE), "cr4 reads without vmxe (%#lx)", cr4);
	expect_trap(set_vmxe, NULL, TRAP_GP, 0, "mov to cr4 setting vmxe");
	guest_check(!(read_cr4() & CR4_VMXE), "cr4.vmxe still reads clear");
}
