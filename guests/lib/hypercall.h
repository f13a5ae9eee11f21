/*
 * guests/lib/hypercall.h: the guest side of the hypercall ABI that
 * vm/hypercall.h defines (VMCALL; number in RAX, arguments in RBX, RCX,
 * RDX, RSI; result in RAX). In a 32-bit guest the registers are the low
 * halves, so "long" is the right width in both.
 */
#ifndef GUESTS_LIB_HYPERCALL_H
#define GUESTS_LIB_HYPERCALL_H

#include <stdint.h>

#include "vm/hypercall.h"

static inline long
hypercall(unsigned long nr, unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
	long r;

	__asm__ volatile("vmcall" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
	return r;
}

static inline long
hypercall_version(void)
{
	return hypercall(HC_VERSION, 0, 0, 0, 0);
}

static inline long
hypercall_puts(const char *s, unsigned long len)
{
	return hypercall(HC_PUTS, (unsigned long)s, len, 0, 0);
}

static inline uint64_t
hypercall_ticks(void)
{
	return (uint64_t)hypercall(HC_TICKS, 0, 0, 0, 0);
}

/* HC_EXIT: does not return under the hypervisor. */
static inline void
hypercall_exit(int code)
{
	hypercall(HC_EXIT, (unsigned long)code, 0, 0, 0);
}

#endif
