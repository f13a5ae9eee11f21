/*
 * kernel/power.h: ending the hypervisor's run on the machine it runs on.
 */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

#include "kernel/compiler.h"

/* Exit codes given to QEMU's isa-debug-exit device; QEMU's own exit status
 * is then (code << 1) | 1. */
#define POWER_EXIT_DONE     0x10    /* ran to the end as intended: status 33 */
#define POWER_EXIT_NO_VMX   0x11    /* stopped cleanly, VMX unusable: status 35 */
#define POWER_EXIT_PANIC    0x12    /* panic(): status 37 */
#define POWER_EXIT_GUESTS   0x13    /* no guest started: a bad description or image: status 39 */

void power_detect(void);
bool power_is_qemu(void);
void power_stop(int code) __noreturn;

#endif
