/*
 * vmx/vmx_error.c: what a failed VMX instruction means.
 * VM-instruction error numbers: SDM Vol. 3C, 31.4, Table 31-1.
 */
#include "vmx/vmx_ops.h"

static const char *const vm_instruction_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *
vmx_error_name(uint32_t error)
{
	if (error < ARRAY_SIZE(vm_instruction_errors) && vm_instruction_errors[error])
		return vm_instruction_errors[error];
	return "unknown VM-instruction error";
}

const char *
vmx_result_name(int result)
{
	switch (result) {
	case VMX_OK: return "success";
	case VMX_FAIL_INVALID: return "VMfailInvalid (no current VMCS)";
	case VMX_FAIL_VALID: return "VMfailValid";
	default: return "not a VMX result";
	}
}
