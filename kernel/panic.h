/*
 * kernel/panic.h: stop on a broken invariant of the hypervisor itself.
 * Never for a guest's misbehaviour: that stops the guest, not the machine.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/compiler.h"

struct trap_frame;

/* Print the message, the CPU, its registers and a backtrace; halt this CPU. */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;
/* The same for an exception taken in root mode, with the CPU's own frame. */
void panic_trap(const struct trap_frame *tf, const char *fmt, ...) __printf(2, 3) __noreturn;

#define ASSERT(c)                                                               \
	do {                                                                    \
		if (unlikely(!(c)))                                             \
			panic("assertion failed: %s at %s:%d", #c, __FILE__, __LINE__); \
	} while (0)

#endif
