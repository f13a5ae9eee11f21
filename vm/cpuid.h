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

/* The four registers CPUID(leaf, subleaf) returns to vcpu v, whose CR4 is
 * guest_cr4 (CPUID.1:ECX.OSXSAVE mirrors it). */
struct cpuid_regs cpuid_guest(const struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint64_t guest_cr4);

#endif
