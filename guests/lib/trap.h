/*
 * guests/lib/trap.h: exceptions in 64-bit test guests (SDM Vol. 3A,
 * chapter 6). An exception for which no handler was installed with
 * idt_set_handler() (guests/lib/idt.h) comes to trap_dispatch(): inside
 * trap_try() it ends the function tried and is reported to the caller;
 * anywhere else it fails the guest with its vector, RIP and error code.
 */
#ifndef GUESTS_LIB_TRAP_H
#define GUESTS_LIB_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#define TRAP_DE         0       /* divide error */
#define TRAP_BP         3       /* breakpoint */
#define TRAP_UD         6       /* invalid opcode */
#define TRAP_DF         8       /* double fault */
#define TRAP_NP         11      /* segment (or gate) not present */
#define TRAP_GP         13      /* general protection */
#define TRAP_PF         14      /* page fault */
#define TRAP_NONE       (~0ull) /* trap_try: fn returned */

struct trap_fault {
	uint64_t vector;        /* TRAP_NONE when fn returned */
	uint64_t error_code;    /* 0 for vectors without one */
	uint64_t rip;           /* where the exception was raised */
};

/* What trap.S pushes (general registers, vector, error code or 0), then
 * the CPU's 64-bit interrupt frame (SDM 6.14.1). A handler may change any
 * of it: the interrupted code resumes with what the frame then holds. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

/*
 * Call fn(arg). Returns 0 when it returned; 1 when an exception arrived
 * first: fn was abandoned at that point and f holds vector, error code and
 * RIP. Callee-saved registers are restored either way; memory fn wrote
 * stays written. Not nestable.
 */
int trap_try(void (*fn)(void *), void *arg, struct trap_fault *f);

/* Name of an exception vector ("#GP"), "#?" for the reserved ones. */
const char *trap_name(uint64_t vector);

/*
 * If a trap_try() is in progress, report tf's exception to it and make tf
 * return to its landing point (fn abandoned); returns false otherwise.
 * For handlers of exceptions after which the code cannot go on (#DF).
 */
bool trap_land(struct trap_frame *tf);

/* The default for an exception without a handler: trap_land() or fail. */
void trap_dispatch(struct trap_frame *tf);

#endif
