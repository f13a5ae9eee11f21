/*
 * guests/real16/main.S: a real-mode guest, a flat binary started at 0x7c00
 * (kind=flat mode=real). It greets on COM1, checks that CR0.PE is clear
 * (SMSW, SDM Vol. 2B), asks the hypervisor for its ABI version with VMCALL
 * (EAX in, EAX out in 16-bit code) and exits with HC_EXIT.
 *
 *   guest_main16     near call from rt16.S's _start; ends the guest itself.
 */
#include "vm/hypercall.h"

	.code16
	.text
	.globl guest_main16
guest_main16:
	mov	$hello, %si
	call	rt16_puts

	smsw	%ax
	test	$1, %al                 /* CR0.PE */
	jnz	not_real
	mov	$ok_real, %si
	call	rt16_puts

	call	rt16_hypervisor
	test	%al, %al
	jz	standalone
	mov	$HC_VERSION, %eax
	xor	%ebx, %ebx
	vmcall
	cmp	$HYPERCALL_ABI_VERSION, %eax
	jne	bad_version
	mov	$ok_version, %si
	call	rt16_puts
pass:
	mov	$pass_line, %si
	call	rt16_puts
	xor	%bx, %bx
	jmp	rt16_exit

standalone:
	mov	$no_hv, %si
	call	rt16_puts
	jmp	pass
not_real:
	mov	$fail_pe, %si
	jmp	fail
bad_version:
	mov	$fail_version, %si
fail:
	call	rt16_puts
	mov	$1, %bx
	jmp	rt16_exit

	.section .rodata
hello:		.asciz	"hello from real mode\n"
ok_real:	.asciz	"ok: cr0.pe is clear\n"
ok_version:	.asciz	"ok: HC_VERSION returns the ABI version built in\n"
no_hv:		.asciz	"no hypervisor here: ending through isa-debug-exit\n"
pass_line:	.asciz	"PASS real16\n"
fail_pe:	.asciz	"FAIL: cr0.pe is set in a real-mode guest\n"
fail_version:	.asciz	"FAIL: HC_VERSION is not the ABI version built in\n"

	.section .note.GNU-stack, "", @progbits
