/*
 * vm/cpuid.c: the guest's CPUID. Bit positions: SDM Vol. 2A, "CPUID",
 * Tables 3-8 to 3-20. A feature is shown only if the guest can really use
 * it under this hypervisor: VMX and SMX are hidden (a guest VMXON gets #UD),
 * and so are MTRRs, performance monitoring, thermal and debug-store
 * features, and whatever the backend does not enable (RDTSCP, INVPCID).
 * The hypervisor bit (leaf 1 ECX bit 31) is set, so Linux shows
 * "hypervisor" in /proc/cpuinfo. Every MSR a shown feature implies exists:
 * MCE/MCA are shown with a virtual machine-check architecture (vm/mca.c),
 * TSC_ADJUST (leaf 7 EBX bit 1) with its MSR (vmx/exit_msr.c). Leaf 0x15
 * and the hypervisor's leaf 0x40000010 report the measured TSC frequency
 * so guests need not calibrate.
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
#define LEAF1_EDX_MCA   (BIT(7) | BIT(14))      /* MCE MCA: vm/mca.c has them */

/*
 * Leaf 0xD, the XSAVE area (SDM Vol. 1, 13.2-13.4; Vol. 2A, CPUID). The
 * guest may enable in XCR0 exactly the user state components this CPU has
 * (cpuid_xcr0_valid(), for XSETBV); the sizes it is told are computed from
 * the components' offsets, sizes and alignments (sub-leaves 2 to 62) for
 * its XCR0, as XSAVE and XSAVEC lay them out (13.4.3), not taken from the
 * CPU's EBX: Bochs' skylake_x gives in sub-leaf 1 the standard format's
 * size (2688 for x87-SSE-AVX-AVX-512) where XSAVEC writes the compacted
 * 2432, and Linux, which uses XSAVEC when XSAVES is absent, warns "XSAVE
 * consistency problem". XSAVES (supervisor state, IA32_XSS) is hidden.
 */
#define XSAVE_LEGACY_HEADER     576     /* legacy region (512) + XSAVE header (64) */
#define XCR0_X87        BIT(0)
#define XCR0_SSE        BIT(1)
#define XCR0_AVX        BIT(2)
#define XCR0_MPX        (BIT(3) | BIT(4))       /* BNDREGS BNDCSR */
#define XCR0_AVX512     (BIT(5) | BIT(6) | BIT(7))      /* opmask ZMM_Hi256 Hi16_ZMM */
#define XCR0_AMX        (BIT(17) | BIT(18))     /* XTILECFG XTILEDATA */
#define XSAVE_SUB1_XSAVES       BIT(3)  /* sub-leaf 1 EAX: XSAVES/XRSTORS, IA32_XSS */
#define XSAVE_COMP_ALIGN64      BIT(1)  /* sub-leaf i ECX: 64-byte aligned when compacted */

uint64_t
cpuid_xcr0_supported(void)
{
	struct cpuid_regs r = cpuid(0xD, 0);

	return ((uint64_t)r.edx << 32) | r.eax;
}

/* What XSETBV accepts (SDM Vol. 2C, XSETBV; Vol. 1, 13.3): components the
 * CPU has, x87 always, AVX only with SSE, MPX's two together, AVX-512's
 * three together and only with AVX, AMX's two together. */
bool
cpuid_xcr0_valid(uint64_t xcr0)
{
	uint64_t avx512 = xcr0 & XCR0_AVX512, mpx = xcr0 & XCR0_MPX, amx = xcr0 & XCR0_AMX;

	if ((xcr0 & ~cpuid_xcr0_supported()) || !(xcr0 & XCR0_X87))
		return false;
	if ((xcr0 & XCR0_AVX) && !(xcr0 & XCR0_SSE))
		return false;
	if ((mpx && mpx != XCR0_MPX) || (amx && amx != XCR0_AMX))
		return false;
	return !avx512 || (avx512 == XCR0_AVX512 && (xcr0 & XCR0_AVX));
}

/* Bytes XSAVE (standard format) or XSAVEC (compacted) writes for xcr0. */
static uint32_t
xsave_size(uint64_t xcr0, bool compacted)
{
	uint32_t size = XSAVE_LEGACY_HEADER;

	for (uint32_t i = 2; i < 63; i++) {
		struct cpuid_regs c;

		if (!(xcr0 & BIT(i)))
			continue;
		c = cpuid(0xD, i);
		if (!compacted)
			size = MAX(size, c.ebx + c.eax);        /* offset + size */
		else
			size = (c.ecx & XSAVE_COMP_ALIGN64 ? ALIGN_UP(size, 64) : size) + c.eax;
	}
	return size;
}

static void
xsave_leaf(const struct vcpu *v, uint32_t subleaf, struct cpuid_regs *r)
{
	uint64_t supported = cpuid_xcr0_supported();

	if (subleaf == 0) {
		r->ebx = xsave_size(v->xcr0, false);    /* for what XCR0 enables now */
		r->ecx = xsave_size(supported, false);  /* for all it may enable */
	} else if (subleaf == 1) {
		r->eax &= ~(uint32_t)XSAVE_SUB1_XSAVES;
		r->ebx = xsave_size(v->xcr0, true);     /* XSAVEC; IA32_XSS is always 0 */
		r->ecx = r->edx = 0;                    /* no IA32_XSS components */
	} else if (subleaf >= 63 || !(supported & BIT(subleaf))) {
		*r = (struct cpuid_regs){ 0 };          /* not a component the guest may enable */
	}
}

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
		r.edx = (r.edx & ~(uint32_t)LEAF1_EDX_HIDE) | LEAF1_EDX_APIC | LEAF1_EDX_MCA;
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
		xsave_leaf(v, subleaf, &r);
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
