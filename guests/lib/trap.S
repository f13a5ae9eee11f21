/*
 * guests/lib/trap.S: exception entry stubs for vectors 0-31 and trap_try()
 * (SDM Vol. 3A, 6.14: 64-bit interrupt frames, and Table 6-1 for which
 * vectors push an error code).
 *
 *   int trap_try(void (*fn)(void *), void *arg, struct trap_fault *f)
 *     RDI = fn, RSI = arg, RDX = f; returns EAX = 0 when fn returned, 1 when
 *     trap_dispatch() sent an exception frame to trap_landing.
 *     Saves RBX, RBP, R12-R15 on the stack and the stack pointer in
 *     trap_saved_rsp, which also says "a try is in progress".
 *
 *   trap_stub_N (N = 0..31), listed in trap_stubs[]: push a zero error code
 *     when the CPU pushes none, push N, jump to trap_common, which calls
 *     trap_dispatch(frame) on a 16-byte aligned stack and IRETQs through
 *     the frame as trap_dispatch() left it.
 */
	.code64
	.text

	.globl trap_try
	.type trap_try, @function
trap_try:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$8, %rsp                /* the call below needs RSP = 0 mod 16 */
	mov	%rdx, trap_fault_out(%rip)
	mov	%rsp, trap_saved_rsp(%rip)
	mov	%rdi, %rax
	mov	%rsi, %rdi
	call	*%rax
	xor	%eax, %eax
	jmp	1f
	.globl trap_landing
trap_landing:                           /* RSP = trap_saved_rsp, from the frame */
	mov	$1, %eax
1:	movq	$0, trap_saved_rsp(%rip)
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret
	.size trap_try, . - trap_try

	.type trap_common, @function
trap_common:
	cld
	mov	%rsp, %rbx              /* clobbered: we never return to the faulter's registers */
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	trap_dispatch
	mov	%rbx, %rsp
	add	$16, %rsp               /* vector, error code */
	iretq
	.size trap_common, . - trap_common

/* Vectors for which the CPU pushes an error code (SDM Table 6-1). */
#define HAS_ERROR(n) ((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17 || (n) == 21 || (n) == 29 || (n) == 30)

	.macro stub n
	.type trap_stub_\n, @function
trap_stub_\n:
	.if (HAS_ERROR(\n)) == 0
	push	$0
	.endif
	push	$\n
	jmp	trap_common
	.size trap_stub_\n, . - trap_stub_\n
	.endm

#define VECTORS 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.irp n, VECTORS
	stub \n
	.endr

	.section .rodata
	.balign 8
	.globl trap_stubs
trap_stubs:
	.macro stub_addr n
	.quad	trap_stub_\n
	.endm
	.irp n, VECTORS
	stub_addr \n
	.endr

	.section .note.GNU-stack, "", @progbits
