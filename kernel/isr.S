/*
 * kernel/isr.S: the 256 interrupt entry stubs and their common path.
 *
 * Each stub pushes a zero error code where the CPU pushes none (SDM Vol. 3A,
 * Table 6-1, "Error Code" column), then its vector, and jumps to isr_common,
 * which saves the general registers as a struct trap_frame (kernel/trap.h),
 * calls
 *     void trap_dispatch(struct trap_frame *tf);
 * and returns with IRETQ. In 64-bit mode the CPU aligns RSP to 16 before
 * pushing its frame (SDM Vol. 3A, 6.14.2); 22 quadwords keep that alignment.
 *
 * isr_stubs is a table of 256 stub addresses, read by kernel/idt.c.
 */


	.text
	.altmacro

.macro STUB v
	.p2align 4
isr_stub_\v:
	.if !(\v == 8 || (\v >= 10 && \v <= 14) || \v == 17 || \v == 21 || \v == 29 || \v == 30)
	pushq   $0
	.endif
	pushq   $\v
	jmp     isr_common
.endm

.set vec, 0
.rept 256
	STUB %vec
	.set vec, vec + 1
.endr

isr_common:
	pushq   %rax
	pushq   %rbx
	pushq   %rcx
	pushq   %rdx
	pushq   %rsi
	pushq   %rdi
	pushq   %rbp
	pushq   %r8
	pushq   %r9
	pushq   %r10
	pushq   %r11
	pushq   %r12
	pushq   %r13
	pushq   %r14
	pushq   %r15
	cld
	mov     %rsp, %rdi
	call    trap_dispatch
	popq    %r15
	popq    %r14
	popq    %r13
	popq    %r12
	popq    %r11
	popq    %r10
	popq    %r9
	popq    %r8
	popq    %rbp
	popq    %rdi
	popq    %rsi
	popq    %rdx
	popq    %rcx
	popq    %rbx
	popq    %rax
	add     $16, %rsp               /* vector and error code */
	iretq

.macro STUB_ADDR v
	.quad   isr_stub_\v
.endm

	.section .rodata
	.p2align 3
	.globl isr_stubs
isr_stubs:
.set vec, 0
.rept 256
	STUB_ADDR %vec
	.set vec, vec + 1
.endr
