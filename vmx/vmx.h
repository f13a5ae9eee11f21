/*
 * vmx/vmx.h: VMX operation on each CPU: in (VMXON) and out (VMXOFF).
 * SDM Vol. 3C, 24.7 "Enabling and Entering VMX Operation" and 24.8
 * "Restrictions on VMX Operation".
 */
#ifndef VMX_VMX_H
#define VMX_VMX_H

#include "kernel/compiler.h"

/* Put this CPU in VMX root operation. vmxcap_check() must have passed.
 * Returns 0, or -1 after one line saying what failed. */
int vmx_cpu_on(void);
/* Leave VMX operation on this CPU (no-op when it is not in it). */
void vmx_cpu_off(void);

#endif
