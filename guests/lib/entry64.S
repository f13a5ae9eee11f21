/*
 * guests/lib/entry64.S: where a 64-bit ELF guest starts.
 *
 *   void _start(void)   never returns
 *
 * In:  64-bit mode, identity paging, flat GDT (vm/loader.h), RSP = 0,
 *      interrupts off. Nothing else is promised.
 * Does: clears .bss (the loader does too; a second time is cheap), takes
 *      the stack below, installs the IDT (idt_init), calls
 *      guest_main() and, if that returns, guest_pass().
 */
	.section .text.entry, "ax"
	.code64
	.globl _start
	.type _start, @function
_start:
	cld
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	lea	stack_top(%rip), %rsp
	xor	%ebp, %ebp
	call	idt_init
	call	guest_main
	call	guest_pass
1:	cli
	hlt
	jmp	1b
	.size _start, . - _start

	.section .bss
	.balign 16
stack:
	.skip 16384
stack_top:

	.section .note.GNU-stack, "", @progbits
