/*
 * vmx/vmcs_dump.c: the current VMCS in words, for a guest that stopped for
 * a reason worth reading about (failed entry, unhandled exit), or for the
 * monitor's "regs" command.
 */
#include "vmx/vmcs.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "vmx/vmx_vcpu.h"

static const struct {
	uint32_t field;
	const char *name;
} dump_fields[] = {
	{ VMCS_EXIT_REASON, "exit reason" },
	{ VMCS_EXIT_QUALIFICATION, "exit qualification" },
	{ VMCS_VM_INSTRUCTION_ERROR, "VM-instruction error" },
	{ VMCS_EXIT_INTR_INFO, "exit interruption info" },
	{ VMCS_IDT_VECTORING_INFO, "IDT-vectoring info" },
	{ VMCS_ENTRY_INTR_INFO, "entry interruption info" },
	{ VMCS_PIN_CONTROLS, "pin-based controls" },
	{ VMCS_PROC_CONTROLS, "processor-based controls" },
	{ VMCS_PROC2_CONTROLS, "secondary controls" },
	{ VMCS_EXIT_CONTROLS, "exit controls" },
	{ VMCS_ENTRY_CONTROLS, "entry controls" },
	{ VMCS_GUEST_RIP, "guest RIP" },
	{ VMCS_GUEST_RSP, "guest RSP" },
	{ VMCS_GUEST_RFLAGS, "guest RFLAGS" },
	{ VMCS_GUEST_CR0, "guest CR0" },
	{ VMCS_CR0_READ_SHADOW, "CR0 read shadow" },
	{ VMCS_GUEST_CR3, "guest CR3" },
	{ VMCS_GUEST_CR4, "guest CR4" },
	{ VMCS_CR4_READ_SHADOW, "CR4 read shadow" },
	{ VMCS_GUEST_EFER, "guest EFER" },
	{ VMCS_GUEST_CS_SEL, "guest CS" },
	{ VMCS_GUEST_CS_BASE, "guest CS base" },
	{ VMCS_GUEST_CS_LIMIT, "guest CS limit" },
	{ VMCS_GUEST_CS_AR, "guest CS access rights" },
	{ VMCS_GUEST_SS_SEL, "guest SS" },
	{ VMCS_GUEST_SS_AR, "guest SS access rights" },
	{ VMCS_GUEST_DS_AR, "guest DS access rights" },
	{ VMCS_GUEST_TR_AR, "guest TR access rights" },
	{ VMCS_GUEST_LDTR_AR, "guest LDTR access rights" },
	{ VMCS_GUEST_GDTR_BASE, "guest GDTR base" },
	{ VMCS_GUEST_GDTR_LIMIT, "guest GDTR limit" },
	{ VMCS_GUEST_IDTR_BASE, "guest IDTR base" },
	{ VMCS_GUEST_IDTR_LIMIT, "guest IDTR limit" },
	{ VMCS_GUEST_INTERRUPTIBILITY, "guest interruptibility" },
	{ VMCS_GUEST_ACTIVITY_STATE, "guest activity state" },
	{ VMCS_GUEST_PHYSICAL_ADDR, "guest-physical address" },
	{ VMCS_EPT_POINTER, "EPT pointer" },
	{ VMCS_TPR_THRESHOLD, "TPR threshold" },
	{ VMCS_VIRTUAL_APIC_ADDR, "virtual-APIC address" },
	{ VMCS_APIC_ACCESS_ADDR, "APIC-access address" },
	{ VMCS_GUEST_INTR_STATUS, "guest interrupt status" },
};

const char *
vmcs_field_name(uint32_t field)
{
	for (size_t i = 0; i < ARRAY_SIZE(dump_fields); i++)
		if (dump_fields[i].field == field)
			return dump_fields[i].name;
	return "field";
}

void
vmcs_dump(void)
{
	console_lock();
	console_printf("VMCS:\n");
	for (size_t i = 0; i < ARRAY_SIZE(dump_fields); i++) {
		uint64_t v;

		if (vmread(dump_fields[i].field, &v) == VMX_OK)
			console_printf("  %-26s %#lx\n", dump_fields[i].name, v);
		else
			console_printf("  %-26s (unreadable)\n", dump_fields[i].name);
	}
	console_unlock();
}

/* VMREAD reads the current VMCS only (SDM Vol. 3C, 25.11.2): load v's for
 * the dump, then put back the one the run loop believes is current. */
void
vmx_vcpu_dump(struct vcpu *v)
{
	uint64_t current = ~0ULL;
	int r;

	if (!v->arch)
		return;
	if (vmptrst(&current) != VMX_OK)
		current = ~0ULL;
	if ((r = vmptrld(to_vmx(v)->vmcs_pa)) != VMX_OK)
		panic("vmx: VMPTRLD of guest '%s' failed: %s", v->vm->desc.name, vmx_result_name(r));
	vmcs_dump();
	if (current != ~0ULL && current != to_vmx(v)->vmcs_pa && (r = vmptrld(current)) != VMX_OK)
		panic("vmx: VMPTRLD of the current VMCS again failed: %s", vmx_result_name(r));
}
