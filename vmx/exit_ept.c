/*
 * vmx/exit_ept.c: a guest touched a guest-physical address its EPT does
 * not map (SDM Vol. 3C, 29.3.3.2; qualification: 28.2.1, Table 28-7).
 * An address an emulated device claims (vm/mmio.h) is served here: the
 * instruction is fetched through the guest's own page tables, decoded and
 * carried out against the device. Any other address stops the guest with
 * its name, the address, RIP and the kind of access.
 */
#include "vmx/vmx_vcpu.h"
#include "vmx/exit_handlers.h"
#include "kernel/msr.h"
#include "kernel/x86.h"
#include "vm/decode.h"
#include "vm/gva.h"
#include "vm/mmio.h"
#include "vmx/vmcs.h"

#define INSN_MAX            15       /* the longest x86 instruction (SDM Vol. 2A, 2.3.11) */

#define EPT_QUAL_READ       BIT(0)   /* the access was a data read */
#define EPT_QUAL_WRITE      BIT(1)   /* a data write */
#define EPT_QUAL_FETCH      BIT(2)   /* an instruction fetch */
#define EPT_QUAL_GLA_VALID  BIT(7)   /* guest-linear address field is valid */

/* Fetch the instruction at CS:RIP, let the device's emulation run it, step over it
 * (or stay on it: a REP string instruction with elements left). */
static inline __attribute__((always_inline)) enum vcpu_action
emulate_mmio(struct vcpu *v, const struct mmio_region *r, uint64_t gpa)
{
	struct mmio_ctx c = {
		.paging = {
			.cr0 = vmcs_readnat(VMCS_GUEST_CR0),
			.cr3 = vmcs_readnat(VMCS_GUEST_CR3),
			.cr4 = vmcs_readnat(VMCS_GUEST_CR4),
			.efer = vmcs_read64(VMCS_GUEST_EFER),
		},
		.seg_base = {
			vmcs_readnat(VMCS_GUEST_ES_BASE), vmcs_readnat(VMCS_GUEST_CS_BASE),
			vmcs_readnat(VMCS_GUEST_SS_BASE), vmcs_readnat(VMCS_GUEST_DS_BASE),
			vmcs_readnat(VMCS_GUEST_FS_BASE), vmcs_readnat(VMCS_GUEST_GS_BASE),
		},
	};
	uint32_t cs_ar = vmcs_read32(VMCS_GUEST_CS_AR);
	uint64_t rip = vmcs_readnat(VMCS_GUEST_RIP);
	uint8_t insn[INSN_MAX];
	size_t n = gva_read(v->vm, &c.paging, c.seg_base[DECODE_SEG_CS] + rip, insn, sizeof(insn));
	int len;

	c.mode = ((c.paging.efer & EFER_LMA) && (cs_ar & AR_L)) ? 64 : (cs_ar & AR_DB) ? 32 : 16;
	if (n == 0) {
		vm_stop(v->vm, "%s access at GPA %#lx: cannot fetch the instruction at rip %#lx", r->name, gpa, rip);
		return VCPU_STOP;
	}
	len = mmio_emulate(v, r, gpa, insn, n, &c);
	if (len < 0)
		return VCPU_STOP;
	if (len > 0)
		vmcs_writenat(VMCS_GUEST_RIP, rip + (uint64_t)len);
	return VCPU_RESUME;
}

enum vcpu_action
vmx_emulate_mmio(struct vcpu *v, uint64_t gpa)
{
	const struct mmio_region *r = mmio_find(&v->vm->mmio, gpa);

	if (!r) {
		vm_stop(v->vm, "no device at GPA %#lx to emulate an access for (rip %#lx)", gpa,
			vmcs_readnat(VMCS_GUEST_RIP));
		return VCPU_STOP;
	}
	return emulate_mmio(v, r, gpa);
}

enum vcpu_action
vmx_exit_ept_violation(struct vcpu *v)
{
	uint64_t q = vmcs_readnat(VMCS_EXIT_QUALIFICATION);
	uint64_t gpa = vmcs_read64(VMCS_GUEST_PHYSICAL_ADDR);
	const struct mmio_region *r = mmio_find(&v->vm->mmio, gpa);
	const char *access = (q & EPT_QUAL_FETCH) ? "instruction fetch" :
			     (q & EPT_QUAL_WRITE) ? "write" : "read";

	if (r && !(q & EPT_QUAL_FETCH))
		return emulate_mmio(v, r, gpa);
	if (q & EPT_QUAL_GLA_VALID)
		vm_stop(v->vm, "EPT violation at GPA %#lx (%s of linear address %#lx) at rip %#lx: "
			"no RAM or device there", gpa, access, vmcs_readnat(VMCS_GUEST_LINEAR_ADDR),
			vmcs_readnat(VMCS_GUEST_RIP));
	else
		vm_stop(v->vm, "EPT violation at GPA %#lx (%s) at rip %#lx: no RAM or device there",
			gpa, access, vmcs_readnat(VMCS_GUEST_RIP));
	return VCPU_STOP;
}

/* A malformed EPT entry is the hypervisor's mistake, but only this guest's tables are wrong. */
enum vcpu_action
vmx_exit_ept_misconfig(struct vcpu *v)
{
	vm_stop(v->vm, "EPT misconfiguration at GPA %#lx (a bug in the hypervisor's EPT for this guest)",
		vmcs_read64(VMCS_GUEST_PHYSICAL_ADDR));
	return VCPU_STOP;
}
