/*
 * vmx/entry.h: what vmx/entry.S and C agree on, usable from both.
 */
#ifndef VMX_ENTRY_H
#define VMX_ENTRY_H

/* Offsets of struct vcpu_regs used by vmx/entry.S. */
#define VCPU_REGS_RAX   0
#define VCPU_REGS_RBX   8
#define VCPU_REGS_RCX   16
#define VCPU_REGS_RDX   24
#define VCPU_REGS_RSI   32
#define VCPU_REGS_RDI   40
#define VCPU_REGS_RBP   48
#define VCPU_REGS_R8    56
#define VCPU_REGS_R9    64
#define VCPU_REGS_R10   72
#define VCPU_REGS_R11   80
#define VCPU_REGS_R12   88
#define VCPU_REGS_R13   96
#define VCPU_REGS_R14   104
#define VCPU_REGS_R15   112
#define VCPU_REGS_CR2   120

#define VMX_ENTER_EXITED        0       /* the guest ran and a VM exit came back */
#define VMX_ENTER_FAIL_VALID    1       /* VMLAUNCH/VMRESUME failed: see the VM-instruction error */
#define VMX_ENTER_FAIL_INVALID  2       /* no current VMCS */

#endif
