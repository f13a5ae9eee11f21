/*
 * guests/lib/trap.h: exceptions in 64-bit test guests (SDM Vol. 3A,
 * chapter 6). Every vector 0-31 has a handler. An exception inside
 * trap_try() ends the function tried and is reported to the caller; any
 * other one fails the guest with its vector, RIP and error code.
 */
#ifndef GUESTS_LIB_TRAP_H
#define GUESTS_LIB_TRAP_H

#include <stdint.h>

#define TRAP_DE         0       /* divide error */
#define TRAP_BP         3       /* breakpoint */
#define TRAP_UD         6       /* invalid opcode */
#define TRAP_DF         8       /* double fault */
#define TRAP_GP         13      /* general protection */
#define TRAP_PF         14      /* page fault */
#define TRAP_NONE       (~0ull) /* trap_try: fn returned */

struct trap_fault {
	uint64_t vector;        /* TRAP_NONE when fn returned */
	uint64_t error_code;    /* 0 for vectors without one */
	uint64_t rip;           /* where the exception was raised */
};

/* What trap.S pushes, then the CPU's 64-bit interrupt frame (SDM 6.14.1). */
struct trap_frame {
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Load the IDT (interrupt gates, current CS). Called by entry64.S. */
void trap_init(void);

/*
 * Call fn(arg). Returns 0 when it returned; 1 when an exception arrived
 * first: fn was abandoned at that point and f holds vector, error code and
 * RIP. Callee-saved registers are restored either way; memory fn wrote
 * stays written. Not nestable.
 */
int trap_try(void (*fn)(void *), void *arg, struct trap_fault *f);

/* Name of an exception vector ("#GP"), "#?" for the reserved ones. */
const char *trap_name(uint64_t vector);

/* Called by trap.S for every exception; redirects the frame to the landing
 * point of trap_try() or fails the guest. */
void trap_dispatch(struct trap_frame *tf);

#endif
