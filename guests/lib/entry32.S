/*
 * guests/lib/entry32.S: the Multiboot1 header and entry of a 32-bit guest,
 * which is then an ordinary Multiboot1 kernel (Multiboot Specification
 * 0.6.96, 3.1 and 3.2): the hypervisor, GRUB's "multiboot" and QEMU's
 * -kernel all start it the same way.
 *
 *   void _start(void)   never returns
 *
 * In:  32-bit protected mode, paging off, flat segments, EAX = 0x2BADB002,
 *      EBX = physical address of the Multiboot information, ESP undefined.
 * Does: keeps EAX/EBX, clears .bss, takes the stack below and calls
 *      guest_main(magic, info); if that returns, guest_pass().
 */
#define MB1_MAGIC       0x1BADB002
#define MB1_PAGE_ALIGN  (1 << 0)        /* modules on 4 KiB boundaries */
#define MB1_MEMORY_INFO (1 << 1)        /* mem_* and the memory map, please */
#define MB1_FLAGS       (MB1_PAGE_ALIGN | MB1_MEMORY_INFO)

	/* Within the first 8 KiB and 4-byte aligned: guest32.ld puts it first. */
	.section .multiboot, "a"
	.balign 4
	.long	MB1_MAGIC
	.long	MB1_FLAGS
	.long	-(MB1_MAGIC + MB1_FLAGS)

	.section .text.entry, "ax"
	.code32
	.globl _start
	.type _start, @function
_start:
	cld
	mov	%eax, %esi
	mov	%ebx, %edx
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb
	mov	$stack_top, %esp
	xor	%ebp, %ebp
	push	%edx            /* info */
	push	%esi            /* magic */
	call	guest_main
	add	$8, %esp
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
