/*
 * guests/attack64/cpu.c: the CPU's own doors to VMX and to the machine.
 * CPUID hides VMX (and SMX, SVM) from guests, so each VMX instruction is
 * #UD as on a CPU without it (SDM Vol. 3C, 26.1.2: they exit, and the
 * hypervisor answers #UD); CR4.VMXE and CR4.SMXE are reserved bits, #GP
 * (Vol. 3A, 2.5); the VMX capability MSRs do not exist, IA32_FEATURE_CONTROL
 * is locked, EFER.SVME and the SMM MSRs are not there: #GP (Vol. 4).
 */
#include "guests/attack64/attack.h"
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "kernel/msr.h"
#include "kernel/x86.h"

#define MSR_IA32_SMM_MONITOR_CTL    0x09B   /* dual-monitor treatment of SMM */
#define MSR_IA32_SMBASE             0x09E   /* readable only in SMM */
#define MSR_IA32_SMRR_PHYSBASE      0x1F2
#define MSR_IA32_SMRR_PHYSMASK      0x1F3
#define MSR_IA32_BIOS_UPDT_TRIG     0x079   /* microcode update from a linear address */
#define MSR_IA32_TSC_ADJUST         0x03B
#define MSR_IA32_DEBUGCTL           0x1D9
#define MSR_IA32_MTRR_PHYSBASE0     0x200
#define MSR_AMD_VM_CR               0xC0010114  /* SVM lock and disable */
#define MSR_AMD_VM_HSAVE_PA         0xC0010117
#define CR4_LA57                    (1ul << 12)
#define CR4_RESERVED_31             (1ul << 31)
#define GPA_3G                      0xC0000000ul

static uint64_t operand = 0x200000;             /* a page of its RAM */
static uint64_t operand_outside = GPA_3G;       /* and one outside */
static uint64_t descriptor[2];

static void do_vmxon(void *a)    { __asm__ volatile("vmxon %0" : : "m"(operand)); }
static void do_vmxon_out(void *a) { __asm__ volatile("vmxon %0" : : "m"(operand_outside)); }
static void do_vmxoff(void *a)   { __asm__ volatile("vmxoff"); }
static void do_vmclear(void *a)  { __asm__ volatile("vmclear %0" : : "m"(operand_outside)); }
static void do_vmptrld(void *a)  { __asm__ volatile("vmptrld %0" : : "m"(operand)); }
static void do_vmptrst(void *a)  { __asm__ volatile("vmptrst %0" : "=m"(operand)); }
static void do_vmread(void *a)   { uint64_t v; __asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(0x6C16ul)); }
static void do_vmwrite(void *a)  { __asm__ volatile("vmwrite %0, %1" : : "r"(0ul), "r"(0x6C16ul)); }
static void do_vmlaunch(void *a) { __asm__ volatile("vmlaunch"); }
static void do_vmresume(void *a) { __asm__ volatile("vmresume"); }
static void do_invept(void *a)   { __asm__ volatile("invept %0, %1" : : "m"(descriptor), "r"(2ul)); }
static void do_invvpid(void *a)  { __asm__ volatile("invvpid %0, %1" : : "m"(descriptor), "r"(2ul)); }
static void do_vmfunc(void *a)   { __asm__ volatile("vmfunc" : : "a"(0), "c"(1)); }   /* EPTP switch to 1 */
static void do_getsec(void *a)   { __asm__ volatile("getsec" : : "a"(0)); }
static void do_vmrun(void *a)    { __asm__ volatile(".byte 0x0f, 0x01, 0xd8" : : "a"(operand)); }   /* AMD */
static void do_vmmcall(void *a)  { __asm__ volatile(".byte 0x0f, 0x01, 0xd9"); }                   /* AMD */

void
attack_vmx(void)
{
	static const struct {
		void (*fn)(void *);
		const char *name;
	} insns[] = {
		{ do_vmxon, "VMXON" }, { do_vmxon_out, "VMXON of a region outside RAM" },
		{ do_vmxoff, "VMXOFF" }, { do_vmclear, "VMCLEAR of a VMCS outside RAM" },
		{ do_vmptrld, "VMPTRLD" }, { do_vmptrst, "VMPTRST" },
		{ do_vmread, "VMREAD of the host RIP" }, { do_vmwrite, "VMWRITE of the host RIP" },
		{ do_vmlaunch, "VMLAUNCH" }, { do_vmresume, "VMRESUME" }, { do_invept, "INVEPT" },
		{ do_invvpid, "INVVPID" }, { do_vmfunc, "VMFUNC (EPTP switching)" }, { do_getsec, "GETSEC" },
		{ do_vmrun, "VMRUN (AMD)" }, { do_vmmcall, "VMMCALL (AMD)" },
	};

	guest_check(!(cpuid(1, 0).ecx & CPUID1_ECX_VMX), "CPUID.1:ECX.VMX is clear");
	for (size_t i = 0; i < sizeof(insns) / sizeof(insns[0]); i++)
		attack_expect(insns[i].fn, NULL, TRAP_UD, insns[i].name);
}

static void do_write_cr0(void *v) { write_cr0(*(uint64_t *)v); }
static void do_write_cr3(void *v) { write_cr3(*(uint64_t *)v); }
static void do_write_cr4(void *v) { write_cr4(*(uint64_t *)v); }
static void do_write_cr8(void *v) { __asm__ volatile("mov %0, %%cr8" : : "r"(*(uint64_t *)v)); }
static void do_xsetbv(void *v)    { cpu_xsetbv(0, *(uint64_t *)v); }

/* Write control register value through fn: #GP, and the register keeps its value. */
static void
expect_cr_gp(void (*fn)(void *), uint64_t (*read)(void), uint64_t value, const char *what)
{
	uint64_t before = read();

	attack_expect(fn, &value, TRAP_GP, what);
	guest_check(read() == before, "%s: the register still reads %#lx", what, before);
}

static uint64_t get_cr0(void) { return read_cr0(); }
static uint64_t get_cr3(void) { return read_cr3(); }
static uint64_t get_cr4(void) { return read_cr4(); }

void
attack_cr4(void)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();
	unsigned m = cpuid(0x80000000, 0).eax >= 0x80000008 ? cpuid(0x80000008, 0).eax & 0xFF : 36;

	expect_cr_gp(do_write_cr4, get_cr4, cr4 | CR4_VMXE, "MOV to CR4 setting VMXE");
	expect_cr_gp(do_write_cr4, get_cr4, cr4 | CR4_SMXE, "MOV to CR4 setting SMXE");
	expect_cr_gp(do_write_cr4, get_cr4, cr4 | CR4_RESERVED_31, "MOV to CR4 setting reserved bit 31");
	expect_cr_gp(do_write_cr4, get_cr4, cr4 ^ CR4_LA57, "MOV to CR4 changing LA57 in long mode");
	expect_cr_gp(do_write_cr4, get_cr4, cr4 & ~CR4_PAE, "MOV to CR4 clearing PAE in long mode");
	expect_cr_gp(do_write_cr0, get_cr0, cr0 & ~CR0_PG, "MOV to CR0 clearing PG in 64-bit mode");
	expect_cr_gp(do_write_cr0, get_cr0, (cr0 & ~CR0_CD) | CR0_NW, "MOV to CR0 with NW but not CD");
	expect_cr_gp(do_write_cr0, get_cr0, cr0 | (1ul << 32), "MOV to CR0 setting bit 32");
	if (m < 52)
		expect_cr_gp(do_write_cr3, get_cr3, read_cr3() | (1ul << m), "MOV to CR3 above MAXPHYADDR");
	uint64_t cr8 = 0x10;
	attack_expect(do_write_cr8, &cr8, TRAP_GP, "MOV to CR8 of 0x10");
	if (cr4 & CR4_OSXSAVE) {
		uint64_t xcr0 = 0;
		attack_expect(do_xsetbv, &xcr0, TRAP_GP, "XSETBV of XCR0 without x87");
		xcr0 = 1ul << 62;
		attack_expect(do_xsetbv, &xcr0, TRAP_GP, "XSETBV of XCR0 bit 62");
	}
}

struct msr_access {
	uint32_t msr;
	uint64_t value;
};

static void do_rdmsr(void *a) { struct msr_access *m = a; m->value = rdmsr(m->msr); }
static void do_wrmsr(void *a) { struct msr_access *m = a; wrmsr(m->msr, m->value); }

static void
expect_msr(uint32_t msr, bool write, uint64_t value, uint64_t vector, const char *name)
{
	struct msr_access a = { msr, value };
	char what[96];

	format(what, sizeof(what), "%s %s (%#x)", write ? "WRMSR" : "RDMSR", name, msr);
	attack_expect(write ? do_wrmsr : do_rdmsr, &a, vector, what);
}

static void
expect_msr_gp_or_none(uint32_t msr, uint64_t value, const char *name)
{
	struct msr_access a = { msr, value };
	char what[96];

	format(what, sizeof(what), "WRMSR %s (%#x) of %#lx", name, msr, value);
	attack_expect_gp_or_none(do_wrmsr, &a, what);
}

void
attack_msr(void)
{
	struct msr_access fc = { MSR_IA32_FEATURE_CONTROL, 0 };

	/* VMX */
	attack_expect(do_rdmsr, &fc, TRAP_NONE, "RDMSR IA32_FEATURE_CONTROL");
	guest_check((fc.value & FEATURE_CONTROL_LOCK) && !(fc.value & (FEATURE_CONTROL_VMX | FEATURE_CONTROL_VMX_SMX)),
		    "IA32_FEATURE_CONTROL reads locked, VMX off (%#lx)", fc.value);
	expect_msr(MSR_IA32_FEATURE_CONTROL, true, FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX, TRAP_GP,
		   "IA32_FEATURE_CONTROL (lock, VMX on)");
	expect_msr(MSR_IA32_FEATURE_CONTROL, true, 0, TRAP_GP, "IA32_FEATURE_CONTROL (unlock)");
	for (uint32_t msr = MSR_IA32_VMX_BASIC; msr <= MSR_IA32_VMX_VMFUNC; msr++) {
		expect_msr(msr, false, 0, TRAP_GP, "IA32_VMX_*");
		expect_msr(msr, true, ~0ul >> 1, TRAP_GP, "IA32_VMX_*");
	}

	/* SVM */
	uint64_t efer = rdmsr(MSR_IA32_EFER);
	expect_msr(MSR_IA32_EFER, true, efer | EFER_SVME, TRAP_GP, "IA32_EFER setting SVME");
	expect_msr(MSR_IA32_EFER, true, efer | (1ul << 63), TRAP_GP, "IA32_EFER setting reserved bit 63");
	expect_msr(MSR_IA32_EFER, true, efer & ~EFER_LME, TRAP_GP, "IA32_EFER clearing LME with paging on");
	guest_check(rdmsr(MSR_IA32_EFER) == efer, "IA32_EFER unchanged (%#lx)", efer);
	expect_msr(MSR_AMD_VM_CR, true, 0, TRAP_GP, "VM_CR (AMD)");
	expect_msr(MSR_AMD_VM_HSAVE_PA, true, 0x200000, TRAP_GP, "VM_HSAVE_PA (AMD)");

	/* SMM */
	expect_msr(MSR_IA32_SMBASE, false, 0, TRAP_GP, "IA32_SMBASE");
	expect_msr(MSR_IA32_SMBASE, true, 0x200000, TRAP_GP, "IA32_SMBASE");
	expect_msr(MSR_IA32_SMRR_PHYSBASE, false, 0, TRAP_GP, "IA32_SMRR_PHYSBASE");
	expect_msr(MSR_IA32_SMRR_PHYSBASE, true, 0x06, TRAP_GP, "IA32_SMRR_PHYSBASE");
	expect_msr(MSR_IA32_SMRR_PHYSMASK, false, 0, TRAP_GP, "IA32_SMRR_PHYSMASK");
	expect_msr(MSR_IA32_SMRR_PHYSMASK, true, 0, TRAP_GP, "IA32_SMRR_PHYSMASK");
	expect_msr(MSR_IA32_SMM_MONITOR_CTL, true, 1, TRAP_GP, "IA32_SMM_MONITOR_CTL");

	/* unknown */
	expect_msr(0x12345678, false, 0, TRAP_GP, "unknown MSR");
	expect_msr(0x12345678, true, 1, TRAP_GP, "unknown MSR");
	expect_msr(0x40000000, true, 1, TRAP_GP, "unknown MSR in the hypervisor range");
	expect_msr(0xC0011234, true, 1, TRAP_GP, "unknown MSR in AMD's range");
	expect_msr(MSR_IA32_X2APIC_BASE + 0x30, true, 0x4500, TRAP_GP, "x2APIC ICR in xAPIC mode");

	/* the guest's own, checked by the CPU itself: a bad value is #GP */
	expect_msr(MSR_IA32_LSTAR, true, 0x8000000000000000ul, TRAP_GP, "IA32_LSTAR non-canonical");
	expect_msr(MSR_IA32_PAT, true, 0x02, TRAP_GP, "IA32_PAT with reserved type 2");

	/* MSRs a future hypervisor may emulate: #GP or ignored, never the real one */
	expect_msr_gp_or_none(MSR_IA32_BIOS_UPDT_TRIG, 0x200000, "IA32_BIOS_UPDT_TRIG");
	expect_msr_gp_or_none(MSR_IA32_TSC_ADJUST, 1ul << 40, "IA32_TSC_ADJUST");
	expect_msr_gp_or_none(MSR_IA32_DEBUGCTL, 0, "IA32_DEBUGCTL");
	expect_msr_gp_or_none(MSR_IA32_MTRR_PHYSBASE0, 0, "IA32_MTRR_PHYSBASE0 (uncached)");
	expect_msr_gp_or_none(MSR_IA32_MTRR_DEF_TYPE, 0x800, "IA32_MTRR_DEF_TYPE (uncached)");
}
