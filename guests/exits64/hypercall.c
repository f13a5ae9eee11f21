/*
 * guests/exits64/hypercall.c: VMCALL exits, the ABI of vm/hypercall.h:
 * known numbers answer, an unknown one returns -ENOSYS, bad arguments
 * -EINVAL or -EFAULT, and HC_TICKS counts up.
 */
#include "guests/exits64/checks.h"
#include "guests/lib/guest.h"
#include "guests/lib/hypercall.h"
#include "kernel/errno.h"

/* Linux's number, as every kernel/errno.h code; older trees lack it there. */
#ifndef EFAULT
#define EFAULT          14
#endif

#define HC_UNKNOWN      0x7FFF
#define GPA_OUTSIDE     0x40000000ul    /* 1 GiB: beyond this guest's RAM */

void
hypercall_checks(void)
{
	static const char msg[] = "exits64: written with HC_PUTS\n";
	long r;

	r = hypercall_version();
	guest_check(r == HYPERCALL_ABI_VERSION, "HC_VERSION returns %ld", r);
	r = hypercall(HC_UNKNOWN, 0, 0, 0, 0);
	guest_check(r == -ENOSYS, "unknown hypercall %#x returns %ld (want -ENOSYS, %d)", HC_UNKNOWN, r,
		    -ENOSYS);
	uint64_t t1 = hypercall_ticks();
	uint64_t t2 = hypercall_ticks();
	guest_check(t2 > t1, "HC_TICKS increases (%lu then %lu)", t1, t2);
	r = hypercall_puts(msg, sizeof(msg) - 1);
	guest_check(r == (long)sizeof(msg) - 1, "HC_PUTS returns the length written (%ld)", r);
	r = hypercall(HC_PUTS, GPA_OUTSIDE, 8, 0, 0);
	guest_check(r == -EFAULT, "HC_PUTS of a buffer outside RAM returns %ld (want -EFAULT, %d)", r,
		    -EFAULT);
	r = hypercall(HC_PUTS, (unsigned long)msg, 4097, 0, 0);
	guest_check(r == -EINVAL, "HC_PUTS of 4097 bytes returns %ld (want -EINVAL, %d)", r, -EINVAL);
}
