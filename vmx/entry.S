/*
 * vmx/entry.S: the world switch into a guest and back.
 *
 * int vmx_enter(struct vcpu_regs *regs, bool launched);
 *   rdi = regs, rsi = launched (VMRESUME if nonzero, else VMLAUNCH).
 *   Saves the callee-saved registers, writes HOST_RSP, loads the guest's
 *   general registers and CR2 from regs, and enters. The CPU comes back at
 *   vmx_exit_point (HOST_RIP) on the next VM exit with RSP = HOST_RSP;
 *   the guest's registers are stored into regs and 0 is returned, like a
 *   call that returns on every exit.
 *   When VMLAUNCH/VMRESUME fails instead (SDM Vol. 3C, 31.2: CF = no
 *   current VMCS, ZF = error number in the VMCS), no guest instruction ran:
 *   returns 2 or 1 (VMX_ENTER_FAIL_INVALID / _VALID).
 *   After an exit RFLAGS is 0x2 (SDM Vol. 3C, 28.5.3): interrupts stay off.
 * Register offsets come from vmx/entry.h and are checked in vmx/vcpu.c.
 */
#include "vmx/vmcs_fields.h"
#include "vmx/entry.h"

	.text
	.globl vmx_enter
vmx_enter:
	push    %rbp
	push    %rbx
	push    %r12
	push    %r13
	push    %r14
	push    %r15
	push    %rdi                            /* regs, found again at (%rsp) after the exit */

	mov     $VMCS_HOST_RSP, %rax
	vmwrite %rsp, %rax
	jbe     .Lvmwrite_failed

	mov     VCPU_REGS_CR2(%rdi), %rax
	mov     %rax, %cr2
	test    %rsi, %rsi                      /* ZF survives the MOVs below */
	mov     VCPU_REGS_RAX(%rdi), %rax
	mov     VCPU_REGS_RBX(%rdi), %rbx
	mov     VCPU_REGS_RCX(%rdi), %rcx
	mov     VCPU_REGS_RDX(%rdi), %rdx
	mov     VCPU_REGS_RSI(%rdi), %rsi
	mov     VCPU_REGS_RBP(%rdi), %rbp
	mov     VCPU_REGS_R8(%rdi), %r8
	mov     VCPU_REGS_R9(%rdi), %r9
	mov     VCPU_REGS_R10(%rdi), %r10
	mov     VCPU_REGS_R11(%rdi), %r11
	mov     VCPU_REGS_R12(%rdi), %r12
	mov     VCPU_REGS_R13(%rdi), %r13
	mov     VCPU_REGS_R14(%rdi), %r14
	mov     VCPU_REGS_R15(%rdi), %r15
	mov     VCPU_REGS_RDI(%rdi), %rdi
	jnz     1f
	vmlaunch
	jmp     .Lentry_failed
1:	vmresume

.Lentry_failed:                                 /* CF or ZF says why */
	mov     $VMX_ENTER_FAIL_INVALID, %eax
	jc      2f
.Lvmwrite_failed:
	mov     $VMX_ENTER_FAIL_VALID, %eax
	jc      3f                              /* a failed HOST_RSP write: no VMCS */
2:	add     $8, %rsp
	jmp     .Lreturn
3:	mov     $VMX_ENTER_FAIL_INVALID, %eax
	add     $8, %rsp
	jmp     .Lreturn

	.globl vmx_exit_point
vmx_exit_point:
	push    %rdi                            /* the guest's rdi */
	mov     8(%rsp), %rdi                   /* regs */
	mov     %rax, VCPU_REGS_RAX(%rdi)
	mov     %rbx, VCPU_REGS_RBX(%rdi)
	mov     %rcx, VCPU_REGS_RCX(%rdi)
	mov     %rdx, VCPU_REGS_RDX(%rdi)
	mov     %rsi, VCPU_REGS_RSI(%rdi)
	mov     %rbp, VCPU_REGS_RBP(%rdi)
	mov     %r8, VCPU_REGS_R8(%rdi)
	mov     %r9, VCPU_REGS_R9(%rdi)
	mov     %r10, VCPU_REGS_R10(%rdi)
	mov     %r11, VCPU_REGS_R11(%rdi)
	mov     %r12, VCPU_REGS_R12(%rdi)
	mov     %r13, VCPU_REGS_R13(%rdi)
	mov     %r14, VCPU_REGS_R14(%rdi)
	mov     %r15, VCPU_REGS_R15(%rdi)
	popq    VCPU_REGS_RDI(%rdi)
	mov     %cr2, %rax
	mov     %rax, VCPU_REGS_CR2(%rdi)
	add     $8, %rsp                        /* regs */
	xor     %eax, %eax                      /* VMX_ENTER_EXITED */

.Lreturn:
	pop     %r15
	pop     %r14
	pop     %r13
	pop     %r12
	pop     %rbx
	pop     %rbp
	ret
