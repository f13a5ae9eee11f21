/*
 * vmx/exit_ept.c: a guest touched a guest-physical address its EPT does
 * not map (SDM Vol. 3C, 29.3.3.2; qualification: 28.2.1, Table 28-7).
 * Emulated MMIO devices will answer here; until one claims the address the
 * guest is stopped with its name, the address, RIP and the access.
 */
#include "vmx/vmx_vcpu.h"
#include "vmx/exit_handlers.h"
#include "vmx/vmcs.h"

#define EPT_QUAL_READ       BIT(0)   /* the access was a data read */
#define EPT_QUAL_WRITE      BIT(1)   /* a data write */
#define EPT_QUAL_FETCH      BIT(2)   /* an instruction fetch */
#define EPT_QUAL_GLA_VALID  BIT(7)   /* guest-linear address field is valid */

enum vcpu_action
vmx_exit_ept_violation(struct vcpu *v)
{
	uint64_t q = vmcs_readnat(VMCS_EXIT_QUALIFICATION);
	uint64_t gpa = vmcs_read64(VMCS_GUEST_PHYSICAL_ADDR);
	const char *access = (q & EPT_QUAL_FETCH) ? "instruction fetch" :
			     (q & EPT_QUAL_WRITE) ? "write" : "read";

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
