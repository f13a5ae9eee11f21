/*
 * vm/hypercall.h: the hypercall ABI, the same for every guest and every
 * CPU vendor. A guest executes VMCALL (Intel; VMMCALL on AMD later) with
 *
 *     RAX = hypercall number
 *     RBX, RCX, RDX, RSI = arguments (unused ones are ignored)
 *
 * and finds the result in RAX when it resumes; no other register changes.
 * Results are >= 0 on success, or a negative error code (kernel/errno.h:
 * -ENOSYS for an unknown number, -EINVAL for a bad argument, -EFAULT for a
 * buffer outside the guest's RAM). In 16- and 32-bit guests only the low
 * 32 bits are read and written; a 32-bit -ENOSYS is 0xFFFFFFDA.
 *
 * Guests find the hypervisor with CPUID leaf 0x40000000: EBX, ECX, EDX spell
 * HYPERCALL_SIGNATURE and EAX is the highest hypervisor leaf.
 */
#ifndef VM_HYPERCALL_H
#define VM_HYPERCALL_H

#define HYPERCALL_SIGNATURE     "HvLabHvLabHv"  /* 12 bytes: CPUID 0x40000000 EBX:ECX:EDX */
#define HYPERCALL_ABI_VERSION   1

#define HC_VERSION      0       /* () -> HYPERCALL_ABI_VERSION */
#define HC_EXIT         1       /* (RBX = code) -> never returns: the guest stops with that code */
#define HC_PUTS         2       /* (RBX = guest-physical address, RCX = length <= 4096) -> length written */
#define HC_TICKS        3       /* () -> the guest's TSC, as RDTSC would read it */
#define HC_YIELD        4       /* () -> 0, after the other runnable guests have had the CPU (vm/sched.c) */
#define HC_COUNT        5       /* numbers from here on are not defined: -ENOSYS */

#endif
