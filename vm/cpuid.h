/*
 * vm/cpuid.h: what CPUID tells a guest: the real processor, minus what the
 * guest cannot use (virtualization extensions, features we do not
 * virtualize yet), plus the hypervisor leaves.
 */
#ifndef VM_CPUID_H
#define VM_CPUID_H

#include "kernel/x86.h"

#define CPUID_HV_LEAF_BASE      0x40000000      /* signature, highest leaf */
#define CPUID_HV_LEAF_TIMING    0x40000010      /* EAX: TSC kHz, EBX: APIC bus kHz */

struct vcpu;

/* What CPUID returns to vcpu v for the leaf in its EAX and subleaf in its
 * ECX, written into its EAX, EBX, ECX and EDX (upper halves cleared).
 * guest_cr4 is v's CR4 when the leaf is 1 (CPUID.1:ECX.OSXSAVE mirrors it). */
void cpuid_guest(struct vcpu *v, uint64_t guest_cr4);

/* The state components (XCR0 bits) this CPU has, and whether a guest's
 * XSETBV may load xcr0 (false: it gets #GP). */
uint64_t cpuid_xcr0_supported(void);
bool cpuid_xcr0_valid(uint64_t xcr0);

#endif
