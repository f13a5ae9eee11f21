/*
 * guests/attack64/multiboot.S: how attack64, a 64-bit ELF guest, is also a
 * Multiboot1 kernel, so that its description's cmdline= reaches it (ELF
 * guests get no command line; Multiboot guests get one in their
 * information block, vm/loader.h).
 *
 *   void mb_entry(void)   never returns
 *
 * The header uses the a.out kludge (Multiboot Specification 0.6.96, 3.1.3):
 * the loader copies the file from the byte of load_addr (0x100000, where
 * guest64.ld puts .text, file offset 0x1000) up to the end of .data, zeroes
 * up to the end of .bss and jumps to mb_entry in 32-bit protected mode,
 * paging off, EAX = 0x2BADB002, EBX = the information block.
 * mb_entry keeps EBX in mb_info, identity-maps the first 1 GiB with 2 MiB
 * pages (user-accessible, and the GDT has ring-3 segments: hypercall.c
 * calls from ring 3), turns on long mode (SDM Vol. 3A, 10.8.5: CR4.PAE, CR3, EFER.LME,
 * CR0.PG, then a far jump to a 64-bit code segment) and goes on at the
 * ELF entry, _start (guests/lib/entry64.S). Started as kind=elf, the same
 * file begins at _start directly and mb_info stays 0.
 * The tables live in .data, not .bss: _start clears .bss.
 */
#define MB1_MAGIC       0x1BADB002
#define MB1_BOOT_MAGIC  0x2BADB002      /* EAX from the loader */
#define MB1_PAGE_ALIGN  (1 << 0)
#define MB1_MEMORY_INFO (1 << 1)
#define MB1_AOUT_KLUDGE (1 << 16)       /* use the addresses below */
#define MB1_FLAGS       (MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_AOUT_KLUDGE)
#define LOAD_ADDR       0x100000        /* guest64.ld: .text starts here */

#define PTE_P_RW_US     0x07            /* present, writable, user (for the ring-3 attack) */
#define PDE_2M          0x87            /* present, writable, user, 2 MiB page */
#define CR4_PAE         (1 << 5)
#define CR0_PE_PG       0x80000001
#define MSR_EFER        0xC0000080
#define EFER_LME        (1 << 8)
#define SEL_CODE64      0x08
#define SEL_DATA        0x10

	/* .text.entry: within the first 8 KiB of the file, as the spec wants */
	.section .text.entry, "ax"
	.balign 4
mb_header:
	.long	MB1_MAGIC
	.long	MB1_FLAGS
	.long	-(MB1_MAGIC + MB1_FLAGS)
	.long	mb_header               /* header_addr */
	.long	LOAD_ADDR               /* load_addr */
	.long	__bss_start             /* load_end_addr: the end of .data */
	.long	__bss_end               /* bss_end_addr */
	.long	mb_entry                /* entry_addr */

	.code32
	.globl mb_entry
	.type mb_entry, @function
mb_entry:
	cmp	$MB1_BOOT_MAGIC, %eax
	jne	2f
	mov	%ebx, mb_info
	mov	$mb_pd, %edi
	mov	$PDE_2M, %eax
	xor	%ecx, %ecx
1:	mov	%eax, (%edi,%ecx,8)
	movl	$0, 4(%edi,%ecx,8)
	add	$0x200000, %eax
	inc	%ecx
	cmp	$512, %ecx
	jne	1b
	movl	$(mb_pd + PTE_P_RW_US), mb_pdpt
	movl	$(mb_pdpt + PTE_P_RW_US), mb_pml4
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$mb_pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	lgdt	mb_gdt_ptr
	mov	%cr0, %eax
	or	$CR0_PE_PG, %eax
	mov	%eax, %cr0
	ljmp	$SEL_CODE64, $mb_long
2:	cli                             /* not started by a Multiboot loader */
	hlt
	jmp	2b

	.code64
mb_long:
	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	jmp	_start
	.size mb_entry, . - mb_entry

	.section .rodata
	.balign 8
mb_gdt:
	.quad	0
	.quad	0x00AF9B000000FFFF      /* 0x08: 64-bit code, execute/read */
	.quad	0x00CF93000000FFFF      /* 0x10: flat data, read/write */
	.quad	0x00CFF3000000FFFF      /* 0x18: flat data, ring 3 */
	.quad	0x00AFFB000000FFFF      /* 0x20: 64-bit code, ring 3 */
mb_gdt_end:
mb_gdt_ptr:
	.word	mb_gdt_end - mb_gdt - 1
	.long	mb_gdt

	.section .data
	.globl mb_info
	.balign 4
mb_info:
	.long	0                       /* guest-physical address of the Multiboot information */
	.balign 4096
mb_pml4:
	.fill	512, 8, 0
mb_pdpt:
	.fill	512, 8, 0
mb_pd:
	.fill	512, 8, 0

	.section .note.GNU-stack, "", @progbits
