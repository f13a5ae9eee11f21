/*
 * vm/cpuid.c: the guest's CPUID. Bit positions: SDM Vol. 2A, "CPUID",
 * Tables 3-8 to 3-20. A feature is shown only if the guest can really use
 * it under this hypervisor: VMX and SMX are hidden (a guest VMXON gets #UD),
 * and so are MTRRs, performance monitoring, thermal and debug-store
 * features, and whatever the backend does not enable (RDTSCP, INVPCID).
 * The hypervisor bit (leaf 1 ECX bit 31) is set, so Linux shows
 * "hypervisor" in /proc/cpuinfo. Leaf 0x15 and the hypervisor's leaf
 * 0x40000010 report the measured TSC frequency so guests need not calibrate.
 */
#include "vm/cpuid.h"
#include "drivers/timer.h"
#include "lib/string.h"
#include "vm/hypercall.h"
#include "vm/vm.h"

#define LEAF1_ECX_HIDE  (BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | \
			 BIT(15) | BIT(18) | BIT(27))
			/* DTES64 MONITOR DS-CPL VMX SMX EST TM2 PDCM DCA OSXSAVE */
#define LEAF1_ECX_VIRTUAL (BIT(21) | BIT(24))   /* x2APIC, TSC-deadline: the virtual local APIC has them */
#define LEAF1_EDX_APIC  BIT(9)
#define LEAF1_ECX_HV    BIT(31)         /* running under a hypervisor */
#define LEAF1_ECX_OSXSAVE BIT(27)
#define LEAF1_EDX_HIDE  (BIT(12) | BIT(21) | BIT(22) | BIT(29) | BIT(31))
			/* MTRR DS ACPI(thermal) TM PBE */
#define LEAF7_EBX_HIDE  (BIT(2) | BIT(10) | BIT(25))    /* SGX INVPCID Intel-PT */
#define LEAF7_ECX_HIDE  (BIT(5) | BIT(14))              /* WAITPKG, TME */
#define LEAF7_EDX_HIDE  (BIT(26) | BIT(27) | BIT(28) | BIT(29) | BIT(31))
			/* IBRS/IBPB STIBP L1D_FLUSH ARCH_CAPABILITIES SSBD: their MSRs are not emulated */
#define EXT1_EDX_RDTSCP BIT(27)
#define EXT1_ECX_SVM    BIT(2)
#define LEAF_TSC        0x15
#define LEAF_HV_MAX     CPUID_HV_LEAF_TIMING

static struct cpuid_regs
hv_leaf(uint32_t leaf)
{
	struct cpuid_regs r = { 0 };
	const char *sig = HYPERCALL_SIGNATURE;

	if (leaf == CPUID_HV_LEAF_BASE) {
		r.eax = LEAF_HV_MAX;
		memcpy(&r.ebx, sig, 4);
		memcpy(&r.ecx, sig + 4, 4);
		memcpy(&r.edx, sig + 8, 4);
	} else if (leaf == CPUID_HV_LEAF_TIMING) {
		r.eax = (uint32_t)(timer_tsc_hz() / 1000);
		r.ebx = (uint32_t)(timer_lapic_hz() / 1000);
	}
	return r;
}

static struct cpuid_regs
filtered(const struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint64_t guest_cr4)
{
	static uint32_t max_basic;
	struct cpuid_regs r;

	if (!max_basic)
		max_basic = cpuid(0, 0).eax;

	if (leaf >= CPUID_HV_LEAF_BASE && leaf < 0x80000000)
		return hv_leaf(leaf);
	if (leaf < 0x80000000 && leaf > max_basic && leaf != LEAF_TSC)
		return (struct cpuid_regs){ 0 };
	r = cpuid(leaf, subleaf);

	switch (leaf) {
	case 0:
		r.eax = MAX(r.eax, (uint32_t)LEAF_TSC);
		break;
	case 1:
		r.ecx = (r.ecx & ~(uint32_t)LEAF1_ECX_HIDE) | LEAF1_ECX_HV | LEAF1_ECX_VIRTUAL;
		if (guest_cr4 & CR4_OSXSAVE)
			r.ecx |= LEAF1_ECX_OSXSAVE;
		r.edx = (r.edx & ~(uint32_t)LEAF1_EDX_HIDE) | LEAF1_EDX_APIC;
		r.ebx &= 0x0000FFFF;            /* initial APIC id 0, one logical CPU */
		r.ebx |= (uint32_t)v->index << 24;
		break;
	case 4:
		r.eax &= 0x03FFFFFF;            /* one core per package */
		break;
	case 6:                                 /* thermal and power management */
	case 0xA:                               /* performance monitoring */
	case 0xB:                               /* topology: one thread, described by leaf 1 */
	case 0x1F:
		r = (struct cpuid_regs){ 0 };
		break;
	case 7:
		if (subleaf == 0) {
			r.ebx &= ~(uint32_t)LEAF7_EBX_HIDE;
			r.ecx &= ~(uint32_t)LEAF7_ECX_HIDE;
			r.edx &= ~(uint32_t)LEAF7_EDX_HIDE;
		}
		break;
	case 0xD:
		if (subleaf == 1)
			r.eax &= ~(uint32_t)BIT(3);     /* XSAVES/XRSTORS: not enabled */
		break;
	case LEAF_TSC: {
		uint64_t hz = timer_tsc_hz();
		uint32_t mul = 1;

		/* TSC Hz = ECX * EBX / EAX: the measured frequency, ECX scaled
		 * down (and EBX up) when it would not fit 32 bits (above 4.29 GHz) */
		for (; hz > 0xFFFFFFFF; hz /= 10)
			mul *= 10;
		r = (struct cpuid_regs){ .eax = 1, .ebx = mul, .ecx = (uint32_t)hz };
		break;
	}
	case 0x80000001:
		r.ecx &= ~(uint32_t)EXT1_ECX_SVM;
		r.edx &= ~(uint32_t)EXT1_EDX_RDTSCP;
		break;
	default:
		break;
	}
	return r;
}

void
cpuid_guest(struct vcpu *v, uint64_t guest_cr4)
{
	struct cpuid_regs r = filtered(v, (uint32_t)v->regs.rax, (uint32_t)v->regs.rcx, guest_cr4);

	v->regs.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
}
