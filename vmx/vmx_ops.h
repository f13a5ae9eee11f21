/*
 * vmx/vmx_ops.h: every VMX instruction, wrapped once (SDM Vol. 3C, 31.3
 * "VMX Instructions"; Vol. 2, the instruction pages).
 *
 * A VMX instruction reports failure in RFLAGS (SDM Vol. 3C, 31.2):
 *   CF=1  VMfailInvalid: there is no current VMCS to hold an error number;
 *   ZF=1  VMfailValid: the reason is in the VM-instruction error field,
 *         decoded by vmx_error_name().
 * Each wrapper returns VMX_OK, VMX_FAIL_INVALID or VMX_FAIL_VALID, and
 * __must_check makes the compiler refuse a caller that ignores it.
 */
#ifndef VMX_VMX_OPS_H
#define VMX_VMX_OPS_H

#include "kernel/compiler.h"

#define VMX_OK              0
#define VMX_FAIL_INVALID    (-1)
#define VMX_FAIL_VALID      (-2)

#define __must_check        __attribute__((warn_unused_result))

/* The VM-instruction error field (SDM Vol. 3D, Appendix B.3.1: encoding 4400H). */
#define VMCS_VM_INSTRUCTION_ERROR_FIELD 0x4400

#define VMX_RESULT(cf, zf)  ((cf) ? VMX_FAIL_INVALID : (zf) ? VMX_FAIL_VALID : VMX_OK)

static inline int __must_check
vmxon(uint64_t region_pa)
{
	uint8_t cf, zf;

	__asm__ volatile("vmxon %2\n\tsetc %0\n\tsetz %1"
			 : "=qm"(cf), "=qm"(zf) : "m"(region_pa) : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

static inline int __must_check
vmxoff(void)
{
	uint8_t cf, zf;

	__asm__ volatile("vmxoff\n\tsetc %0\n\tsetz %1" : "=qm"(cf), "=qm"(zf) : : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

static inline int __must_check
vmclear(uint64_t vmcs_pa)
{
	uint8_t cf, zf;

	__asm__ volatile("vmclear %2\n\tsetc %0\n\tsetz %1"
			 : "=qm"(cf), "=qm"(zf) : "m"(vmcs_pa) : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

static inline int __must_check
vmptrld(uint64_t vmcs_pa)
{
	uint8_t cf, zf;

	__asm__ volatile("vmptrld %2\n\tsetc %0\n\tsetz %1"
			 : "=qm"(cf), "=qm"(zf) : "m"(vmcs_pa) : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

static inline int __must_check
vmptrst(uint64_t *vmcs_pa)
{
	uint8_t cf, zf;

	__asm__ volatile("vmptrst %2\n\tsetc %0\n\tsetz %1"
			 : "=qm"(cf), "=qm"(zf), "=m"(*vmcs_pa) : : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

/* Raw VMREAD/VMWRITE; use the width-checked accessors in vmx/vmcs.h. */
static inline int __must_check
vmread(uint64_t field, uint64_t *value)
{
	uint8_t cf, zf;

	__asm__ volatile("vmread %3, %2\n\tsetc %0\n\tsetz %1"
			 : "=qm"(cf), "=qm"(zf), "=rm"(*value) : "r"(field) : "cc");
	return VMX_RESULT(cf, zf);
}

static inline int __must_check
vmwrite(uint64_t field, uint64_t value)
{
	uint8_t cf, zf;

	__asm__ volatile("vmwrite %3, %2\n\tsetc %0\n\tsetz %1"
			 : "=qm"(cf), "=qm"(zf) : "r"(field), "rm"(value) : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

/* INVEPT / INVVPID descriptors and types (SDM Vol. 3C, 31.3, INVEPT and INVVPID) */
#define INVEPT_SINGLE_CONTEXT   1
#define INVEPT_ALL_CONTEXT      2
#define INVVPID_ADDRESS         0
#define INVVPID_SINGLE_CONTEXT  1
#define INVVPID_ALL_CONTEXT     2

struct invept_desc {
	uint64_t eptp;
	uint64_t reserved;
};

struct invvpid_desc {
	uint64_t vpid;          /* bits 15:0; the rest must be zero */
	uint64_t linear_address;
};

static inline int __must_check
invept(uint64_t type, uint64_t eptp)
{
	struct invept_desc d = { eptp, 0 };
	uint8_t cf, zf;

	__asm__ volatile("invept %2, %3\n\tsetc %0\n\tsetz %1"
			 : "=qm"(cf), "=qm"(zf) : "m"(d), "r"(type) : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

static inline int __must_check
invvpid(uint64_t type, uint16_t vpid, uint64_t address)
{
	struct invvpid_desc d = { vpid, address };
	uint8_t cf, zf;

	__asm__ volatile("invvpid %2, %3\n\tsetc %0\n\tsetz %1"
			 : "=qm"(cf), "=qm"(zf) : "m"(d), "r"(type) : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

/* The VM-instruction error of the last VMfailValid, read from the current VMCS. */
static inline uint32_t
vmx_instruction_error(void)
{
	uint64_t v = 0;

	if (vmread(VMCS_VM_INSTRUCTION_ERROR_FIELD, &v) != VMX_OK)
		return 0;
	return (uint32_t)v;
}

const char *vmx_error_name(uint32_t error);
const char *vmx_result_name(int result);

#endif
