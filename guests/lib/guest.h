/*
 * guests/lib/guest.h: what a test guest is written against. A guest
 * defines its name with GUEST_NAME("hello64") and a guest_main(); the
 * runtime's entry code (entry64.S, entry32.S) sets up a stack and calls it.
 * Returning from guest_main is the same as calling guest_pass().
 *
 * Reports are single lines on the serial port, which the hypervisor shows
 * as "[NAME] LINE":
 *   ok: WHAT            a guest_check() that held
 *   FAIL: WHAT          a guest_check() that did not, or guest_fail()
 *   PASS NAME           guest_pass() with no failed check; exit code 0
 *   FAIL: NAME: N checks failed   guest_pass() after failed checks; exit code 1
 * A guest ends with HC_EXIT (code 0 pass, 1 fail). Run without our
 * hypervisor (CPUID 0x40000000 lacks its signature, e.g. standalone in QEMU)
 * it writes the code to QEMU's isa-debug-exit port 0xF4 instead, then halts.
 */
#ifndef GUESTS_LIB_GUEST_H
#define GUESTS_LIB_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/format.h"

#define GUEST_NAME(n)   const char guest_name[] = n
extern const char guest_name[];

#if defined(__x86_64__)
void guest_main(void);
#else
/* Multiboot1: magic is EAX (0x2BADB002), info EBX, as the loader left them. */
void guest_main(uint32_t magic, uint32_t info);
#endif

/* printf to the serial port; one call may print several lines. */
void guest_printf(const char *fmt, ...) __printf(1, 2);

/* Does CPUID leaf 0x40000000 carry this hypervisor's signature? */
bool guest_hypervisor_present(void);

/* Print "ok: ..." or "FAIL: ..."; a failure makes guest_pass() fail. Returns cond. */
bool guest_check(bool cond, const char *fmt, ...) __printf(2, 3);

/* "PASS NAME" and exit 0, or, after failed checks, one FAIL line and exit 1. */
__noreturn void guest_pass(void);

/* "FAIL: ..." and exit 1. */
__noreturn void guest_fail(const char *fmt, ...) __printf(1, 2);

/* End the guest with code: HC_EXIT, or isa-debug-exit when standalone. */
__noreturn void guest_exit(int code);

#endif
