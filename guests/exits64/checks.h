/*
 * guests/exits64/checks.h: the groups of checks exits64 runs, one file
 * each. Every check prints one "ok: ..." or "FAIL: ..." line.
 */
#ifndef GUESTS_EXITS64_CHECKS_H
#define GUESTS_EXITS64_CHECKS_H

#include "guests/lib/trap.h"

void cpuid_checks(void);
void msr_checks(void);
void vmxinsn_checks(void);
void io_checks(void);
void cr_checks(void);
void insn_checks(void);
void hypercall_checks(void);

/* Run fn(arg) and check that it raised exactly vector with error_code (or returned, for TRAP_NONE). */
void expect_trap(void (*fn)(void *), void *arg, uint64_t vector, uint64_t error_code, const char *what);

#endif
