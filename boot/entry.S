/*
 * boot/entry.S: the Multiboot1 and Multiboot2 headers and the way from the
 * loader's 32-bit protected mode into 64-bit long mode.
 *
 * void _start(void)
 *   Entered by GRUB or QEMU in 32-bit protected mode, paging off, interrupts
 *   off. EAX = loader magic (0x2BADB002 Multiboot1, 0x36D76289 Multiboot2),
 *   EBX = physical address of the loader's information structure.
 *   Clears .bss, identity-maps the first 4 GiB with 2 MiB pages, enables
 *   PAE, EFER.LME (and EFER.NXE when the CPU has it) and paging, then calls
 *   multiboot_main(magic, info) in 64-bit mode. Never returns.
 *
 * void efi_entry64(struct boot_info *bi, uint64_t magic)
 *   Entered by the UEFI loader (boot/efi/, contract in boot/efi/handoff.h)
 *   in 64-bit mode on the firmware's page tables, GDT and stack. Assumes
 *   nothing of them: clears .bss, loads our GDT, stack and the same 4 GiB
 *   identity map as above (the firmware's tables live in memory the map
 *   calls usable), then calls efi_entry_main(bi, magic). Never returns.
 *
 * Long-mode activation order: SDM Vol. 3A, 10.8.5 "Initializing IA-32e Mode".
 * mm/paging.c replaces these tables with the real ones once memory is known.
 */
#include "boot/efi/handoff.h"

#define MB1_MAGIC       0x1BADB002
#define MB1_FLAGS       0x00000003      /* page-align modules, give memory info */
#define MB2_MAGIC       0xE85250D6
#define MB2_ARCH_I386   0

#define PTE_P           0x001
#define PTE_W           0x002
#define PTE_PS          0x080

#define COM1            0x3F8

	.section .multiboot, "a"
	.align 4
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)

	.align 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* module alignment tag: modules on page boundaries */
	.align 8
	.short 6, 0
	.long 8
	/* framebuffer tag, optional: any mode GRUB has set or can set (width,
	 * height and depth 0: no preference). UEFI has no VGA text mode, so
	 * this is how GRUB hands over the GOP framebuffer (under BIOS,
	 * scripts/grub.cfg.in keeps VGA text mode). drivers/fbcon.c draws on it. */
	.align 8
	.short 5, 1
	.long 20
	.long 0, 0, 0
	/* end tag */
	.align 8
	.short 0, 0
	.long 8
mb2_header_end:

	.section .text.boot, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov     %eax, boot_magic
	mov     %ebx, boot_info_addr

	/* clear .bss (the stack and page tables below live there) */
	mov     $_bss_start, %edi
	mov     $_bss_end, %ecx
	sub     %edi, %ecx
	shr     $2, %ecx
	xor     %eax, %eax
	rep stosl

	mov     $boot_stack_top, %esp

	/* long mode present? CPUID 80000001h:EDX.LM[29] */
	mov     $0x80000000, %eax
	cpuid
	cmp     $0x80000001, %eax
	jb      no_long_mode
	mov     $0x80000001, %eax
	cpuid
	bt      $29, %edx
	jnc     no_long_mode
	mov     %edx, %esi              /* keep EDX.NX[20] for EFER.NXE */

	/* PML4[0] -> PDPT; PDPT[0..3] -> PD0..PD3; PDn: 512 x 2 MiB pages */
	mov     $boot_pdpt, %eax
	or      $(PTE_P | PTE_W), %eax
	mov     %eax, boot_pml4
	mov     $boot_pd, %eax
	or      $(PTE_P | PTE_W), %eax
	xor     %ecx, %ecx
1:	mov     %eax, boot_pdpt(, %ecx, 8)
	add     $4096, %eax
	inc     %ecx
	cmp     $4, %ecx
	jne     1b

	xor     %ecx, %ecx              /* entry index, 0..2047 */
	mov     $(PTE_P | PTE_W | PTE_PS), %eax
	xor     %edx, %edx              /* high half of the entry: frame bits 32+ */
2:	mov     %eax, boot_pd(, %ecx, 8)
	mov     %edx, boot_pd + 4(, %ecx, 8)
	add     $0x200000, %eax
	adc     $0, %edx
	inc     %ecx
	cmp     $2048, %ecx
	jne     2b

	mov     %cr4, %eax
	or      $0x20, %eax             /* CR4.PAE */
	mov     %eax, %cr4
	mov     $boot_pml4, %eax
	mov     %eax, %cr3

	mov     $0xC0000080, %ecx       /* IA32_EFER */
	rdmsr
	or      $0x100, %eax            /* LME */
	bt      $20, %esi
	jnc     3f
	or      $0x800, %eax            /* NXE */
3:	wrmsr

	mov     %cr0, %eax
	or      $0x80010001, %eax       /* PG | WP | PE */
	mov     %eax, %cr0

	lgdt    boot_gdt_ptr
	ljmp    $0x08, $long_mode

/* Say why on COM1 and on the VGA text screen, then stop. */
no_long_mode:
	mov     $no_lm_msg, %esi
	mov     $0xB8000, %edi
4:	lodsb
	test    %al, %al
	jz      6f
	mov     %al, %bl
	mov     $(COM1 + 5), %dx
5:	inb     %dx, %al                /* wait for THR empty */
	test    $0x20, %al
	jz      5b
	mov     $COM1, %dx
	mov     %bl, %al
	outb    %al, %dx
	mov     %bl, (%edi)
	movb    $0x4F, 1(%edi)
	add     $2, %edi
	jmp     4b
6:	hlt
	jmp     6b

	.code64
long_mode:
	mov     $0x10, %ax
	mov     %ax, %ds
	mov     %ax, %es
	mov     %ax, %ss
	xor     %eax, %eax
	mov     %ax, %fs
	mov     %ax, %gs
	mov     $boot_stack_top, %rsp
	xor     %ebp, %ebp              /* ends the backtrace */
	mov     boot_magic, %edi
	mov     boot_info_addr, %esi
	call    multiboot_main
7:	cli
	hlt
	jmp     7b

/* The UEFI loader's way in: see the header comment. */
	.globl efi_entry64
efi_entry64:
	cli
	cld
	mov     %rdi, %r12              /* bi */
	mov     %rsi, %r13              /* magic */

	mov     $_bss_start, %edi
	mov     $_bss_end, %ecx
	sub     %edi, %ecx
	shr     $2, %ecx
	xor     %eax, %eax
	rep stosl

	mov     $boot_stack_top, %esp
	lgdt    boot_gdt_ptr
	pushq   $0x08
	pushq   $8f
	lretq                           /* reload CS from our GDT */
8:	mov     $0x10, %ax
	mov     %ax, %ds
	mov     %ax, %es
	mov     %ax, %ss
	xor     %eax, %eax
	mov     %ax, %fs
	mov     %ax, %gs

	/* the same tables as the 32-bit path: PML4[0] -> PDPT -> PD0..PD3 */
	mov     $boot_pdpt + (PTE_P | PTE_W), %eax
	mov     %rax, boot_pml4
	mov     $boot_pd + (PTE_P | PTE_W), %eax
	xor     %ecx, %ecx
1:	mov     %rax, boot_pdpt(, %rcx, 8)
	add     $4096, %rax
	inc     %ecx
	cmp     $4, %ecx
	jne     1b
	mov     $(PTE_P | PTE_W | PTE_PS), %eax
	xor     %ecx, %ecx
2:	mov     %rax, boot_pd(, %rcx, 8)
	add     $0x200000, %rax
	inc     %ecx
	cmp     $2048, %ecx
	jne     2b

	/* CR4.PGE off while CR3 changes flushes the firmware's global entries */
	mov     %cr4, %rax
	mov     %rax, %rdx
	and     $~0x80, %rax
	mov     %rax, %cr4
	mov     $boot_pml4, %eax
	mov     %rax, %cr3
	mov     %rdx, %cr4

	xor     %ebp, %ebp              /* ends the backtrace */
	mov     %r12, %rdi
	mov     %r13, %rsi
	call    efi_entry_main
9:	cli
	hlt
	jmp     9b

	.section .rodata
no_lm_msg:
	.asciz  "hypervisor: this CPU has no 64-bit long mode; it cannot run here\r\n"

	.align 8
boot_gdt:
	.quad   0                       /* null */
	.quad   0x00AF9A000000FFFF      /* 0x08: 64-bit code, DPL 0 */
	.quad   0x00CF92000000FFFF      /* 0x10: data, DPL 0 */
boot_gdt_end:
boot_gdt_ptr:
	.short  boot_gdt_end - boot_gdt - 1
	.quad   boot_gdt

	.section .data
boot_magic:
	.long   0
boot_info_addr:
	.long   0

	.section .bss
	.align 4096
boot_pml4:
	.skip   4096
boot_pdpt:
	.skip   4096
boot_pd:
	.skip   4 * 4096
	.globl boot_stack_top
boot_stack:
	.skip   16384
boot_stack_top:
