/*
 * guests/msr64/main.c: what CPUID promises, the MSRs and XSAVE keep.
 *
 *   MCE/MCA (CPUID.1:EDX bits 7, 14): IA32_MCG_CAP, IA32_MCG_STATUS and
 *   every bank's IA32_MCi_CTL/STATUS/ADDR/MISC read without #GP; nothing
 *   is logged; writes follow SDM Vol. 3B, 16.3 (vm/mca.c); the MSR past
 *   the last bank is absent (#GP).
 *   TSC_ADJUST (CPUID.7.0:EBX bit 1): IA32_TSC_ADJUST starts at 0, writing
 *   it moves the TSC, writing the TSC moves it (SDM Vol. 3B, 18.17.3).
 *   XSAVE (CPUID.0xD): with every component the CPU offers enabled in XCR0,
 *   sub-leaf 0 EBX is where the last one ends (offset + size of sub-leaves
 *   2..62) and XSAVE writes nothing past it, sub-leaf 1 EBX is the compacted
 *   size XSAVEC writes; XSETBV refuses invalid XCR0
 *   combinations with #GP.
 */
#include "guests/lib/guest.h"
#include "guests/lib/trap.h"
#include "kernel/msr.h"
#include "kernel/x86.h"
#include "lib/string.h"

GUEST_NAME("msr64");

#define LEAF1_EDX_MCE           BIT(7)
#define LEAF1_EDX_MCA           BIT(14)
#define LEAF1_ECX_XSAVE         BIT(26)
#define LEAF7_EBX_TSC_ADJUST    BIT(1)
#define XSAVE_AREA_MAX          8192
#define XSAVE_FILL              0xA5
#define XSAVE_SUB1_XSAVEC       BIT(1)  /* CPUID.0xD.1:EAX */
#define XSAVE_COMP_ALIGN64      BIT(1)  /* CPUID.0xD.i:ECX: 64-byte aligned when compacted */

struct msr_op {
	uint32_t msr;
	uint64_t value;
};

static void
do_rdmsr(void *arg)
{
	struct msr_op *op = arg;

	op->value = rdmsr(op->msr);
}

static void
do_wrmsr(void *arg)
{
	struct msr_op *op = arg;

	wrmsr(op->msr, op->value);
}

static void
do_xsetbv(void *arg)
{
	uint64_t xcr0 = *(uint64_t *)arg;

	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)));
}

/* The exception vector RDMSR or WRMSR raised, TRAP_NONE if none. */
static uint64_t
try_rdmsr(uint32_t msr, uint64_t *value)
{
	struct msr_op op = { msr, 0 };
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	trap_try(do_rdmsr, &op, &f);
	*value = op.value;
	return f.vector;
}

static uint64_t
try_wrmsr(uint32_t msr, uint64_t value)
{
	struct msr_op op = { msr, value };
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	trap_try(do_wrmsr, &op, &f);
	return f.vector;
}

static void
check_mca(void)
{
	uint64_t cap, v, logged = 0, faults = 0;
	uint32_t banks;

	uint64_t fault = try_rdmsr(MSR_IA32_MCG_CAP, &cap);

	if (!guest_check(fault == TRAP_NONE, "rdmsr IA32_MCG_CAP: %#lx (%s)", cap, trap_name(fault)))
		return;
	banks = cap & MCG_CAP_COUNT_MASK;
	guest_check(banks > 0 && !(cap & MCG_CAP_CMCI_P), "MCG_CAP: %u banks, no CMCI", banks);
	guest_check(try_rdmsr(MSR_IA32_MCG_STATUS, &v) == TRAP_NONE && v == 0, "IA32_MCG_STATUS reads 0");
	guest_check(try_wrmsr(MSR_IA32_MCG_CAP, cap) == TRAP_GP, "wrmsr IA32_MCG_CAP (read-only) raises #GP");
	if (cap & MCG_CAP_CTL_P) {
		guest_check(try_wrmsr(MSR_IA32_MCG_CTL, ~0ul) == TRAP_NONE &&
			    try_rdmsr(MSR_IA32_MCG_CTL, &v) == TRAP_NONE && v == ~0ul,
			    "IA32_MCG_CTL: all 1s written and read back");
	}
	for (uint32_t i = 0; i < banks; i++) {
		uint32_t ctl = MSR_IA32_MC0_CTL + 4 * i;

		for (uint32_t r = MCI_CTL; r <= MCI_MISC; r++) {
			faults += try_rdmsr(ctl + r, &v) != TRAP_NONE;
			logged += r == MCI_STATUS && v != 0;
		}
		faults += try_wrmsr(ctl + MCI_CTL, ~0ul) != TRAP_NONE;
		faults += try_rdmsr(ctl + MCI_CTL, &v) != TRAP_NONE || v != ~0ul;
		faults += try_wrmsr(ctl + MCI_STATUS, 0) != TRAP_NONE;
		faults += try_wrmsr(ctl + MCI_STATUS, 1) != TRAP_GP;   /* "writing 1s ... #GP" (16.3.2.2) */
	}
	guest_check(!faults && !logged, "%u banks: CTL, STATUS, ADDR, MISC as the SDM says (%lu wrong, %lu logged)",
		    banks, faults, logged);
	guest_check(try_rdmsr(MSR_IA32_MC0_CTL + 4 * banks, &v) == TRAP_GP, "rdmsr past the last bank raises #GP");
	if (!(cap & MCG_CAP_CMCI_P))
		guest_check(try_rdmsr(MSR_IA32_MC0_CTL2, &v) == TRAP_GP, "rdmsr IA32_MC0_CTL2 without CMCI raises #GP");
}

static void
check_tsc_adjust(void)
{
	const uint64_t jump = 1ul << 40;
	uint64_t adj, before, after;

	uint64_t fault = try_rdmsr(MSR_IA32_TSC_ADJUST, &adj);

	if (!guest_check(fault == TRAP_NONE && adj == 0, "IA32_TSC_ADJUST reads 0 at start (%#lx, %s)", adj,
			 trap_name(fault)))
		return;
	before = rdtsc();
	wrmsr(MSR_IA32_TSC_ADJUST, jump);
	after = rdtsc();
	guest_check(after - before >= jump && after - before < jump + (1ul << 36),
		    "writing IA32_TSC_ADJUST moved the TSC by it (%#lx)", after - before);
	before = rdtsc();
	wrmsr(MSR_IA32_TSC, before - jump);
	adj = rdmsr(MSR_IA32_TSC_ADJUST);
	/* back to 0 less the ticks between reading and writing the TSC */
	guest_check((int64_t)adj <= 0 && (int64_t)adj > -(1l << 36),
		    "writing the TSC back moved IA32_TSC_ADJUST back (%ld)", (int64_t)adj);
	wrmsr(MSR_IA32_TSC_ADJUST, 0);
}

static uint8_t xsave_area[XSAVE_AREA_MAX] __attribute__((aligned(64)));

/* Where the unused part of xsave_area starts: the first of the
 * XSAVE_FILL bytes that run to its end. */
static uint32_t
written_end(void)
{
	uint32_t end = sizeof(xsave_area);

	while (end > 0 && xsave_area[end - 1] == XSAVE_FILL)
		end--;
	return end;
}

/* The compacted format (SDM Vol. 1, 13.4.3): after the legacy region and
 * header, each enabled component in order, 64-byte aligned if sub-leaf i
 * ECX bit 1 says so. Sub-leaf 1 EBX must be its size. */
static void
check_xsavec(uint64_t xcr0)
{
	uint32_t size = 576, ebx = cpuid(0xD, 1).ebx, end;

	for (uint32_t i = 2; i < 63; i++) {
		if (xcr0 & BIT(i)) {
			struct cpuid_regs c = cpuid(0xD, i);

			size = (c.ecx & XSAVE_COMP_ALIGN64 ? ALIGN_UP(size, 64) : size) + c.eax;
		}
	}
	memset(xsave_area, XSAVE_FILL, sizeof(xsave_area));
	__asm__ volatile("xsavec64 %0" : "+m"(xsave_area) : "a"(~0u), "d"(~0u));
	end = written_end();
	guest_check(ebx == size && end <= size, "CPUID.0xD.1 EBX %u: XSAVEC's compacted size %u, it wrote up to %u",
		    ebx, size, end);
}

static void
check_xsave(void)
{
	struct cpuid_regs r = cpuid(0xD, 0);
	uint64_t xcr0 = ((uint64_t)r.edx << 32) | r.eax, bad;
	uint32_t end = 576, size, past;
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXSAVE);
	if (!guest_check(trap_try(do_xsetbv, &xcr0, &f) == 0, "XSETBV of all offered components %#lx", xcr0))
		return;
	for (uint32_t i = 2; i < 63; i++) {
		if (xcr0 & BIT(i)) {
			struct cpuid_regs c = cpuid(0xD, i);

			end = MAX(end, c.ebx + c.eax);
		}
	}
	r = cpuid(0xD, 0);
	size = r.ebx;
	guest_check(size == end && r.ecx == end, "CPUID.0xD.0: EBX %u, ECX %u, where the last component ends %u",
		    r.ebx, r.ecx, end);
	memset(xsave_area, XSAVE_FILL, sizeof(xsave_area));
	__asm__ volatile("xsave64 %0" : "+m"(xsave_area) : "a"(~0u), "d"(~0u));
	past = written_end();
	guest_check(past <= size, "XSAVE wrote nothing past byte %u (up to %u)", size, past);

	if (cpuid(0xD, 1).eax & XSAVE_SUB1_XSAVEC)
		check_xsavec(xcr0);

	bad = 1 | BIT(2);                                       /* AVX without SSE */
	f.vector = TRAP_NONE;
	trap_try(do_xsetbv, &bad, &f);
	guest_check(f.vector == TRAP_GP, "XSETBV of x87+AVX without SSE raises #GP (got %s)", trap_name(f.vector));
	if (xcr0 & BIT(5)) {
		bad = 7 | BIT(5);                               /* one AVX-512 component of three */
		f.vector = TRAP_NONE;
		trap_try(do_xsetbv, &bad, &f);
		guest_check(f.vector == TRAP_GP, "XSETBV of opmask without ZMM raises #GP (got %s)",
			    trap_name(f.vector));
	}
	r = cpuid(0xD, 0);
	guest_check(r.ebx == end, "XCR0 unchanged by the refused XSETBVs (EBX %u)", r.ebx);
}

void
guest_main(void)
{
	struct cpuid_regs l1 = cpuid(1, 0), l7 = cpuid(7, 0);

	if ((l1.edx & (LEAF1_EDX_MCE | LEAF1_EDX_MCA)) == (LEAF1_EDX_MCE | LEAF1_EDX_MCA))
		check_mca();
	else
		guest_printf("no MCE/MCA in CPUID: no machine-check MSRs to check\n");
	if (l7.ebx & LEAF7_EBX_TSC_ADJUST)
		check_tsc_adjust();
	else
		guest_printf("no TSC_ADJUST in CPUID\n");
	if (l1.ecx & LEAF1_ECX_XSAVE)
		check_xsave();
	else
		guest_printf("no XSAVE in CPUID\n");
	guest_pass();
}
