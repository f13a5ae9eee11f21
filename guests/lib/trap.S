/*
 * guests/lib/trap.S: interrupt and exception entry for all 256 vectors and
 * trap_try() (SDM Vol. 3A, 6.14: 64-bit interrupt frames, and Table 6-1
 * for which vectors push an error code).
 *
 *   int trap_try(void (*fn)(void *), void *arg, struct trap_fault *f)
 *     RDI = fn, RSI = arg, RDX = f; returns EAX = 0 when fn returned, 1 when
 *     trap_land() sent an exception frame to trap_landing.
 *     Saves RBX, RBP, R12-R15 on the stack and the stack pointer in
 *     trap_saved_rsp, which also says "a try is in progress".
 *
 *   trap_stubs[N] (N = 0..255, each TRAP_STUB_SIZE bytes from trap_stubs):
 *     push a zero error code when the CPU pushes none, push N, jump to
 *     trap_common, which saves the general registers (struct trap_frame),
 *     calls idt_dispatch(frame) on a 16-byte aligned stack, and returns
 *     through the frame as idt_dispatch() left it: registers, then IRETQ.
 */
#define TRAP_STUB_SIZE  16

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
trap_common:                            /* vector, error code, CPU frame */
	push	%rax
	push	%rcx
	push	%rdx
	push	%rbx
	push	%rbp
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
	mov	%rsp, %rbx              /* callee-saved: survives the call */
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	idt_dispatch
	mov	%rbx, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rbp
	pop	%rbx
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp               /* vector, error code */
	iretq
	.size trap_common, . - trap_common

/* Vectors for which the CPU pushes an error code (SDM Table 6-1). */
#define HAS_ERROR(n) ((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17 || (n) == 21 || (n) == 29 || (n) == 30)

	/*
	 * At most 2 + 5 + 5 bytes each (push imm8, push imm32, jmp rel32), so
	 * every stub starts at trap_stubs + N * TRAP_STUB_SIZE; idt_init()
	 * checks the total against trap_stubs_end.
	 */
	.balign TRAP_STUB_SIZE
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign TRAP_STUB_SIZE
	.if (HAS_ERROR(vec)) == 0
	push	$0
	.endif
	push	$vec
	jmp	trap_common
	.set vec, vec + 1
	.endr
	.balign TRAP_STUB_SIZE
	.globl trap_stubs_end
trap_stubs_end:

	.section .note.GNU-stack, "", @progbits
