/*
 * vmx/exit_io.c: IN and OUT. Every port exits (the I/O bitmaps are all
 * ones); the access goes to the guest's emulated device on that port, and
 * a port nobody emulates reads all-ones and drops writes.
 * Exit qualification: SDM Vol. 3C, 28.2.1, Table 28-5.
 */
#include "vmx/vmx_vcpu.h"
#include "vmx/exit_handlers.h"
#include "vmx/vmcs.h"

#define IO_SIZE_MASK        0x7         /* bits 2:0: access size - 1 */
#define IO_IN               BIT(3)      /* direction: 1 = IN */
#define IO_STRING           BIT(4)      /* INS/OUTS */
#define IO_PORT_SHIFT       16          /* bits 31:16: port */

enum vcpu_action
vmx_exit_io(struct vcpu *v)
{
	uint64_t q = vmcs_readnat(VMCS_EXIT_QUALIFICATION);
	uint8_t size = (q & IO_SIZE_MASK) + 1;
	uint16_t port = (uint16_t)(q >> IO_PORT_SHIFT);
	bool in = q & IO_IN;
	uint32_t value;

	if (q & IO_STRING) {
		vm_stop(v->vm, "string I/O (%s to port %#x) is not emulated yet, at rip %#lx",
			in ? "INS" : "OUTS", port, vmcs_readnat(VMCS_GUEST_RIP));
		return VCPU_STOP;
	}
	value = (uint32_t)v->regs.rax;
	iobus_access(v->vm, port, size, in, &value);
	if (in) {
		/* IN writes AL or AX and keeps the rest; a 32-bit IN zero-extends */
		if (size == 1)
			v->regs.rax = (v->regs.rax & ~0xFFULL) | (value & 0xFF);
		else if (size == 2)
			v->regs.rax = (v->regs.rax & ~0xFFFFULL) | (value & 0xFFFF);
		else
			v->regs.rax = value;
	}
	vmx_skip_instruction(v);
	return VCPU_RESUME;
}
