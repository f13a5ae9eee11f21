/*
 * guests/exits64/msr.c: RDMSR and WRMSR exits (SDM Vol. 2B, RDMSR/WRMSR;
 * MSRs in Vol. 4, Table 2-2). The MSRs every OS reads are emulated with
 * their architectural values; any other MSR, and writing the VMX lock,
 * raise #GP(0) as on a CPU that lacks them.
 */
#include "guests/exits64/checks.h"
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "kernel/msr.h"
#include "kernel/x86.h"

#define MSR_UNKNOWN     0x12345678

struct msr_access {
	uint32_t msr;
	uint64_t value;
};

static void
do_rdmsr(void *arg)
{
	struct msr_access *a = arg;

	a->value = rdmsr(a->msr);
}

static void
do_wrmsr(void *arg)
{
	struct msr_access *a = arg;

	wrmsr(a->msr, a->value);
}

/* Read msr, expecting no exception; returns the value (0 after a fault). */
static uint64_t
read_ok(uint32_t msr, const char *name)
{
	struct msr_access a = { msr, 0 };
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	trap_try(do_rdmsr, &a, &f);
	guest_check(f.vector == TRAP_NONE, "rdmsr %s (%#x) = %#lx%s%s", name, msr, a.value,
		    f.vector == TRAP_NONE ? "" : ", but raised ", f.vector == TRAP_NONE ? "" : trap_name(f.vector));
	return a.value;
}

void
msr_checks(void)
{
	uint64_t tsc1 = read_ok(MSR_IA32_TSC, "IA32_TSC");
	uint64_t tsc2 = read_ok(MSR_IA32_TSC, "IA32_TSC");
	guest_check(tsc2 > tsc1, "IA32_TSC advances (%#lx then %#lx)", tsc1, tsc2);

	uint64_t apic = read_ok(MSR_IA32_APIC_BASE, "IA32_APIC_BASE");
	guest_check((apic & APIC_BASE_ADDR_MASK) == 0xFEE00000 && (apic & APIC_BASE_BSP),
		    "IA32_APIC_BASE: the boot CPU's APIC at 0xfee00000 (%#lx)", apic);

	read_ok(MSR_IA32_MISC_ENABLE, "IA32_MISC_ENABLE");

	uint64_t pat = read_ok(MSR_IA32_PAT, "IA32_PAT");
	guest_check(pat == PAT_POWER_ON, "IA32_PAT holds its power-on value (%#lx)", pat);
	struct msr_access w = { MSR_IA32_PAT, (PAT_POWER_ON & ~0xFFull) | 0x01 };  /* PA0 = WC */
	expect_trap(do_wrmsr, &w, TRAP_NONE, 0, "wrmsr IA32_PAT");
	uint64_t back = read_ok(MSR_IA32_PAT, "IA32_PAT");
	guest_check(back == w.value, "IA32_PAT reads back what was written (%#lx)", back);
	w.value = PAT_POWER_ON;
	expect_trap(do_wrmsr, &w, TRAP_NONE, 0, "wrmsr IA32_PAT (restore)");

	uint64_t efer = read_ok(MSR_IA32_EFER, "IA32_EFER");
	guest_check((efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA),
		    "IA32_EFER has LME and LMA in a 64-bit guest (%#lx)", efer);

	struct msr_access unknown = { MSR_UNKNOWN, 0 };
	expect_trap(do_rdmsr, &unknown, TRAP_GP, 0, "rdmsr of unknown MSR 0x12345678");
	expect_trap(do_wrmsr, &unknown, TRAP_GP, 0, "wrmsr of unknown MSR 0x12345678");

	struct msr_access fc = { MSR_IA32_FEATURE_CONTROL, FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX };
	expect_trap(do_wrmsr, &fc, TRAP_GP, 0, "wrmsr IA32_FEATURE_CONTROL");
}
