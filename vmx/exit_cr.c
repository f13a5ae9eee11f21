/*
 * vmx/exit_cr.c: control-register accesses and XSETBV.
 *
 * The guest/host masks (vmx/vmcs.c) give the host the CR0 and CR4 bits VMX
 * fixes, plus CR0.PE and CR0.PG: a write that would change one of them
 * exits here. The guest reads its own value back from the read shadow; the
 * CPU runs with the fixed bits forced. Turning paging on with EFER.LME set
 * activates long mode (EFER.LMA and the "IA-32e mode guest" entry control),
 * as the CPU itself would (SDM Vol. 3A, 10.8.5). CR8 is the virtual local
 * APIC's task priority (vm/irq.c).
 * Exit qualification: SDM Vol. 3C, 28.2.1, Table 28-3.
 */
#include "vmx/vmx_vcpu.h"
#include "kernel/msr.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "vm/cpuid.h"
#include "vm/irq.h"
#include "vm/vm.h"
#include "vmx/exit_handlers.h"
#include "vmx/vmcs.h"
#include "vmx/vmxcap.h"

#define CR_NUMBER_MASK      0xF
#define CR_ACCESS_SHIFT     4
#define CR_ACCESS_MASK      0x3
#define   CR_MOV_TO         0
#define   CR_MOV_FROM       1
#define   CR_CLTS           2
#define   CR_LMSW           3
#define CR_GPR_SHIFT        8
#define CR_GPR_MASK         0xF
#define CR_LMSW_DATA_SHIFT  16

#define GPR_RSP             4

static uint64_t
gpr_read(struct vcpu *v, uint32_t n)
{
	return n == GPR_RSP ? vmcs_readnat(VMCS_GUEST_RSP) : *vcpu_gpr(v, n);
}

static void
gpr_write(struct vcpu *v, uint32_t n, uint64_t value)
{
	if (n == GPR_RSP)
		vmcs_writenat(VMCS_GUEST_RSP, value);
	else
		*vcpu_gpr(v, n) = value;
}

/* The value the guest believes a CR holds: shadow for host bits, real for its own. */
static uint64_t
guest_view(uint32_t real_field, uint32_t shadow_field, uint64_t mask)
{
	return (vmcs_read_raw(shadow_field) & mask) | (vmcs_read_raw(real_field) & ~mask);
}

/* PAE paging without long mode: with EPT the CPU takes the PDPTEs from the
 * VMCS on entry, and an emulated CR write must put them there (28.3.2.4). */
static bool
load_pdptes(struct vcpu *v, uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	uint64_t cr3 = vmcs_readnat(VMCS_GUEST_CR3) & 0xFFFFFFE0;
	const uint64_t *pdpte;

	if (!(cr0 & CR0_PG) || !(cr4 & CR4_PAE) || (efer & EFER_LMA))
		return true;
	pdpte = vm_gpa_to_hva(v->vm, cr3, 32);
	if (!pdpte)
		return false;
	vmcs_write64(VMCS_GUEST_PDPTE0, pdpte[0]);
	vmcs_write64(VMCS_GUEST_PDPTE1, pdpte[1]);
	vmcs_write64(VMCS_GUEST_PDPTE2, pdpte[2]);
	vmcs_write64(VMCS_GUEST_PDPTE3, pdpte[3]);
	return true;
}

/* MOV to CR0 (and LMSW): false when the guest should get #GP. */
static bool
set_guest_cr0(struct vcpu *v, uint64_t cr0)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint64_t old = guest_view(VMCS_GUEST_CR0, VMCS_CR0_READ_SHADOW, x->cr0_mask);
	uint64_t cr4 = guest_view(VMCS_GUEST_CR4, VMCS_CR4_READ_SHADOW, x->cr4_mask);
	uint64_t efer = vmcs_read64(VMCS_GUEST_EFER);
	uint32_t entry = x->entry_controls;

	if ((cr0 >> 32) || ((cr0 & CR0_PG) && !(cr0 & CR0_PE)) || ((cr0 & CR0_NW) && !(cr0 & CR0_CD)))
		return false;
	if ((cr0 & CR0_PG) && !(old & CR0_PG) && (efer & EFER_LME)) {
		if (!(cr4 & CR4_PAE))
			return false;
		efer |= EFER_LMA;
		entry |= ENTRY_IA32E_MODE_GUEST;
	} else if (!(cr0 & CR0_PG) && (old & CR0_PG) && (efer & EFER_LMA)) {
		if (vmx_guest_64bit())          /* only from compatibility mode (SDM Vol. 2A, MOV CR0) */
			return false;
		efer &= ~EFER_LMA;
		entry &= ~ENTRY_IA32E_MODE_GUEST;
	}
	if (!load_pdptes(v, cr0, cr4, efer))
		return false;
	vmcs_writenat(VMCS_GUEST_CR0, vmcs_guest_cr0(cr0));
	vmcs_writenat(VMCS_CR0_READ_SHADOW, cr0);
	if (entry != x->entry_controls) {
		vmcs_write64(VMCS_GUEST_EFER, efer);
		vmcs_write32(VMCS_ENTRY_CONTROLS, entry);
		x->entry_controls = entry;
	}
	return true;
}

/* MOV to CR4: VMXE and SMXE are reserved for a guest whose CPUID hides VMX and SMX. */
static bool
set_guest_cr4(struct vcpu *v, uint64_t cr4)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint64_t cr0 = guest_view(VMCS_GUEST_CR0, VMCS_CR0_READ_SHADOW, x->cr0_mask);
	uint64_t efer = vmcs_read64(VMCS_GUEST_EFER);
	uint64_t allowed = vmx_caps.cr4_fixed1 & ~(CR4_VMXE | CR4_SMXE);

	if ((cr4 & ~allowed) || ((efer & EFER_LMA) && !(cr4 & CR4_PAE)))
		return false;
	if (!load_pdptes(v, cr0, cr4, efer))
		return false;
	vmcs_writenat(VMCS_GUEST_CR4, vmcs_guest_cr4(cr4));
	vmcs_writenat(VMCS_CR4_READ_SHADOW, cr4);
	return true;
}

enum vcpu_action
vmx_exit_cr(struct vcpu *v)
{
	uint64_t q = vmcs_readnat(VMCS_EXIT_QUALIFICATION);
	uint32_t cr = q & CR_NUMBER_MASK;
	uint32_t access = (q >> CR_ACCESS_SHIFT) & CR_ACCESS_MASK;
	uint32_t reg = (q >> CR_GPR_SHIFT) & CR_GPR_MASK;
	uint64_t value;
	bool ok = true;

	switch (access) {
	case CR_MOV_TO:
		value = gpr_read(v, reg);
		if (!vmx_guest_64bit())
			value &= 0xFFFFFFFF;
		if (cr == 0)
			ok = set_guest_cr0(v, value);
		else if (cr == 4)
			ok = set_guest_cr4(v, value);
		else if (cr == 3)
			vmcs_writenat(VMCS_GUEST_CR3, value);
		else if (cr == 8 && !(value >> 4))
			irq_cr8(v, true, &value);
		else
			ok = false;
		break;
	case CR_MOV_FROM:
		if (cr == 3)
			gpr_write(v, reg, vmcs_readnat(VMCS_GUEST_CR3));
		else if (cr == 8) {
			irq_cr8(v, false, &value);
			gpr_write(v, reg, value);
		} else
			ok = false;
		break;
	case CR_CLTS:
		value = guest_view(VMCS_GUEST_CR0, VMCS_CR0_READ_SHADOW, to_vmx(v)->cr0_mask);
		ok = set_guest_cr0(v, value & ~CR0_TS);
		break;
	case CR_LMSW: {
		/* LMSW loads CR0 bits 3:0 but can never clear PE (SDM Vol. 2A, LMSW) */
		uint64_t old = guest_view(VMCS_GUEST_CR0, VMCS_CR0_READ_SHADOW, to_vmx(v)->cr0_mask);
		uint64_t msw = (q >> CR_LMSW_DATA_SHIFT) & 0xF;

		ok = set_guest_cr0(v, (old & ~0xEULL) | msw | (old & CR0_PE));
		break;
	}
	}
	if (!ok) {
		return vcpu_inject_exception(v, VEC_GP, true, 0);
	}
	vmx_skip_instruction(v);
	return VCPU_RESUME;
}

/* XSETBV (SDM Vol. 2C): XCR0 may name only state components this CPU has,
 * in the combinations XSETBV accepts (vm/cpuid.c): an invalid one would
 * fault in the hypervisor. The guest's XCR0 is really loaded: it
 * stays in force while that guest runs (vmx/vcpu.c switches it). */
enum vcpu_action
vmx_exit_xsetbv(struct vcpu *v)
{
	uint64_t value = ((v->regs.rdx & 0xFFFFFFFF) << 32) | (v->regs.rax & 0xFFFFFFFF);

	if (!(read_cr4() & CR4_OSXSAVE) || (uint32_t)v->regs.rcx != 0 || !cpuid_xcr0_valid(value)) {
		return vcpu_inject_exception(v, VEC_GP, true, 0);
	}
	/* the host's CR4.OSXSAVE is on whenever the CPU has XSAVE (vmx/vmx.c) */
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
	v->xcr0 = value;
	vmx_skip_instruction(v);
	return VCPU_RESUME;
}
