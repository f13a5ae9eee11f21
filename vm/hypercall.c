/*
 * vm/hypercall.c: the hypercalls of vm/hypercall.h, for any backend.
 * Arguments come from the vCPU's saved registers; a 16- or 32-bit guest's
 * registers are read and written as 32 bits.
 */
#include "vm/hypercall.h"
#include "devices/uart.h"
#include "kernel/errno.h"
#include "kernel/x86.h"
#include "vm/backend.h"
#include "vm/sched.h"

#define HC_PUTS_MAX     4096

static int64_t
hc_puts(struct vcpu *v, uint64_t gpa, uint64_t len)
{
	const char *s;

	if (len > HC_PUTS_MAX)
		return -EINVAL;
	s = vm_gpa_to_hva(v->vm, gpa, len);
	if (!s)
		return -EFAULT;
	uart_write_guest_text(v->vm, s, len);
	return (int64_t)len;
}

enum vcpu_action
hypercall(struct vcpu *v, bool wide)
{
	uint64_t mask = wide ? ~(uint64_t)0 : 0xFFFFFFFF;
	uint64_t nr = v->regs.rax & mask, a0 = v->regs.rbx & mask, a1 = v->regs.rcx & mask;
	enum vcpu_action next = VCPU_RESUME;
	int64_t ret;

	switch (nr) {
	case HC_VERSION:
		ret = HYPERCALL_ABI_VERSION;
		break;
	case HC_EXIT:
		vm_exit(v->vm, (int)a0);
		return VCPU_STOP;
	case HC_PUTS:
		ret = hc_puts(v, a0, a1);
		break;
	case HC_TICKS:
		ret = (int64_t)vcpu_tsc(v);
		break;
	case HC_YIELD:
		sched_yield(v);
		ret = 0;
		next = VCPU_RESCHEDULE;
		break;
	default:
		ret = -ENOSYS;
		break;
	}
	v->regs.rax = (uint64_t)ret & mask;
	return next;
}
