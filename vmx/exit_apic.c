/*
 * vmx/exit_apic.c: the exits APIC virtualization brings (SDM Vol. 3C,
 * chapter 30; vmx/apicv.c sets it up). None needs the instruction decoded
 * except an APIC access, which is rare.
 *
 *   APIC access (30.4): an access to the xAPIC page the CPU does not
 *     virtualize: reading PPR or the timer's current count, writing a
 *     read-only register, an access not within one register's first dword.
 *     It is fault-like and leaves no instruction length (28.2.5), so the
 *     instruction goes through the MMIO decoder (vmx/exit_ept.c), at the
 *     offset the exit qualification gives (28.2.1, Table 28-6).
 *   APIC write (30.4.3.3): trap-like, after the guest's value is stored in
 *     the virtual-APIC page; the qualification gives the offset and the
 *     emulated APIC carries the write out (vm/irq.c, devices/vlapic.c).
 *   TPR below threshold (30.1.2): trap-like; the guest lowered TPR below
 *     the class of an interrupt it held back: look for one again.
 *   Virtualized EOI (30.1.4): trap-like; the CPU did the EOI of a vector
 *     whose bit is set in the EOI-exit bitmap (a level-triggered one): the
 *     IOAPIC must hear of it. The qualification is the vector.
 */
#include "vmx/vmx_vcpu.h"
#include "kernel/apic.h"
#include "vm/irq.h"
#include "vmx/exit_handlers.h"
#include "vmx/vmcs.h"

/* Exit qualification of an APIC access (Table 28-6) */
#define APIC_ACCESS_OFFSET_MASK     0xFFFu          /* bits 11:0: offset in the page */
#define APIC_ACCESS_TYPE_SHIFT      12              /* bits 15:12: access type */
#define APIC_ACCESS_TYPE_MASK       0xFu
#define   APIC_ACCESS_LINEAR_READ   0               /* data read during instruction execution */
#define   APIC_ACCESS_LINEAR_WRITE  1               /* data write during instruction execution */
#define   APIC_ACCESS_LINEAR_FETCH  2               /* instruction fetch */
#define   APIC_ACCESS_LINEAR_EVENT  3               /* linear access during event delivery */
#define   APIC_ACCESS_PHYS_EVENT    10              /* guest-physical access during event delivery */
#define   APIC_ACCESS_PHYS_FETCH    15              /* guest-physical fetch or page walk */

static const char *
access_name(uint32_t type)
{
	switch (type) {
	case APIC_ACCESS_LINEAR_FETCH:  return "an instruction fetch";
	case APIC_ACCESS_LINEAR_EVENT:
	case APIC_ACCESS_PHYS_EVENT:    return "event delivery";
	case APIC_ACCESS_PHYS_FETCH:    return "a page walk or instruction fetch";
	default:                        return "an access of unknown type";
	}
}

enum vcpu_action
vmx_exit_apic_access(struct vcpu *v)
{
	uint64_t q = vmcs_readnat(VMCS_EXIT_QUALIFICATION);
	uint32_t offset = q & APIC_ACCESS_OFFSET_MASK;
	uint32_t type = (q >> APIC_ACCESS_TYPE_SHIFT) & APIC_ACCESS_TYPE_MASK;

	if (type == APIC_ACCESS_LINEAR_READ || type == APIC_ACCESS_LINEAR_WRITE)
		return vmx_emulate_mmio(v, LAPIC_DEFAULT_BASE + offset);
	vm_stop(v->vm, "local APIC page at offset %#x reached by %s (type %u) at rip %#lx: not emulated",
		offset, access_name(type), type, vmcs_readnat(VMCS_GUEST_RIP));
	return VCPU_STOP;
}

enum vcpu_action
vmx_exit_apic_write(struct vcpu *v)
{
	irq_lapic_written(v, vmcs_readnat(VMCS_EXIT_QUALIFICATION) & APIC_ACCESS_OFFSET_MASK);
	return VCPU_RESUME;
}

enum vcpu_action
vmx_exit_tpr_below_threshold(struct vcpu *v)
{
	v->requests |= VCPU_REQ_IRQ;
	return VCPU_RESUME;
}

enum vcpu_action
vmx_exit_virtualized_eoi(struct vcpu *v)
{
	irq_lapic_eoi_exit(v, (uint8_t)vmcs_readnat(VMCS_EXIT_QUALIFICATION));
	return VCPU_RESUME;
}
