/*
 * guests/lib/rt16.S: the runtime of a real-mode test guest, a flat binary
 * loaded at 0x7c00 (guest16.ld). Only real-mode instructions plus CPUID
 * and VMCALL; 32-bit registers where the ABI needs them.
 *
 *   _start           In: real mode, linear address 0x7c00 (any CS:IP
 *                    naming it), interrupts off. Sets CS = DS = ES = SS = 0,
 *                    SP = 0x7c00 and calls guest_main16, a near function
 *                    the guest defines; if that returns, rt16_exit(0).
 *   rt16_puts        SI = NUL-terminated string (DS-relative). Writes it to
 *                    COM1 ('\n' as CR LF). Clobbers AX, CX, DX, SI.
 *   rt16_putc        AL = byte. Polls LSR.THRE first, at most 65535 reads.
 *                    Clobbers CX, DX.
 *   rt16_hypervisor  AL = 1 when CPUID leaf 0x40000000 carries the
 *                    hypervisor's signature, else 0. Clobbers EAX, EBX,
 *                    ECX, EDX, SI, DI.
 *   rt16_exit        BX = exit code; never returns. HC_EXIT (VMCALL with
 *                    EAX = 1, EBX = code) under the hypervisor, otherwise
 *                    QEMU's isa-debug-exit port 0xF4, then HLT forever.
 */
#include "vm/hypercall.h"

#define COM1            0x3F8
#define COM1_LSR        (COM1 + 5)
#define LSR_THRE        0x20
#define QEMU_DEBUG_EXIT 0xF4
#define LOAD_ADDRESS    0x7c00

	.code16
	.section .text.entry, "ax"
	.globl _start
_start:
	cli
	ljmp	$0, $1f                 /* whatever CS:IP the loader chose, CS = 0 now */
1:	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$LOAD_ADDRESS, %sp      /* grows down, below the image */
	cld
	call	guest_main16
	xor	%bx, %bx
	jmp	rt16_exit

	.text
	.globl rt16_puts
rt16_puts:
	lodsb
	test	%al, %al
	jz	2f
	cmp	$'\n', %al
	jne	1f
	mov	$'\r', %al
	call	rt16_putc
	mov	$'\n', %al
1:	call	rt16_putc
	jmp	rt16_puts
2:	ret

	.globl rt16_putc
rt16_putc:
	push	%ax
	mov	$COM1_LSR, %dx
	mov	$0xFFFF, %cx
1:	in	%dx, %al
	test	$LSR_THRE, %al
	loopz	1b                      /* until THRE, or CX runs out */
	pop	%ax
	mov	$COM1, %dx
	out	%al, %dx
	ret

	.globl rt16_hypervisor
rt16_hypervisor:
	mov	$1, %eax
	cpuid
	test	$0x80000000, %ecx       /* CPUID.1:ECX[31]: under a hypervisor */
	jz	1f
	mov	$0x40000000, %eax
	cpuid
	push	%edx                    /* signature = EBX ECX EDX, as bytes */
	push	%ecx
	push	%ebx
	mov	%sp, %di                /* ES:DI, ES = SS = 0 */
	mov	$signature, %si
	mov	$12, %cx
	repe cmpsb
	sete	%al
	add	$12, %sp
	ret
1:	xor	%al, %al
	ret

	.globl rt16_exit
rt16_exit:
	push	%bx
	call	rt16_hypervisor
	pop	%bx
	test	%al, %al
	jz	1f
	mov	$HC_EXIT, %eax
	movzwl	%bx, %ebx
	vmcall
1:	mov	$QEMU_DEBUG_EXIT, %dx
	movzwl	%bx, %eax
	outl	%eax, %dx
2:	cli
	hlt
	jmp	2b

	.section .rodata
signature:
	.ascii	HYPERCALL_SIGNATURE

	.section .note.GNU-stack, "", @progbits
