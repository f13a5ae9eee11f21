/*
 * guests/linuxboot64/head.S: what makes this guest a bzImage, as the
 * kernel's Documentation/x86/boot.rst lays one out: a boot sector and
 * setup sectors holding the setup header at 0x1F1 (section .setup, the
 * file's first SETUP_SECTS + 1 sectors), then the protected-mode part,
 * loaded at pref_address, whose 64-bit entry is 0x200 bytes in.
 *
 *   linux_entry64: In: the Linux 64-bit boot protocol's state (RSI =
 *   boot_params, CS = 0x10, DS = ES = SS = 0x18, interrupts off, RSP
 *   undefined). Records what it found in entry_state, then runs the
 *   guest runtime's _start (guests/lib/entry64.S).
 */
#define SETUP_SECTS     4
#define SETUP_BYTES     ((SETUP_SECTS + 1) * 512)

	.section .setup, "a"
	.org	0x1F1
	.byte	SETUP_SECTS             /* setup_sects */
	.word	0                       /* root_flags */
	.long	__syssize               /* syssize: the protected-mode part, 16-byte units */
	.word	0                       /* ram_size */
	.word	0xFFFF                  /* vid_mode: normal */
	.word	0                       /* root_dev */
	.word	0xAA55                  /* boot_flag */
	.byte	0xEB, hdr_end - 1f      /* jump: its offset is the header's length */
1:	.ascii	"HdrS"                  /* 0x202 */
	.word	0x020F                  /* version 2.15 */
	.long	0                       /* realmode_swtch */
	.word	0                       /* start_sys_seg */
	.word	0                       /* kernel_version */
	.byte	0                       /* type_of_loader: the loader writes it */
	.byte	0x01                    /* loadflags: LOADED_HIGH */
	.word	0                       /* setup_move_size */
	.long	__kernel_base           /* code32_start */
	.long	0, 0                    /* ramdisk_image, ramdisk_size */
	.long	0                       /* bootsect_kludge */
	.word	0                       /* heap_end_ptr */
	.byte	0, 0                    /* ext_loader_ver, ext_loader_type */
	.long	0                       /* cmd_line_ptr */
	.long	0x7FFFFFFF              /* initrd_addr_max */
	.long	0x200000                /* kernel_alignment */
	.byte	0                       /* relocatable_kernel: no, it runs where it is linked */
	.byte	21                      /* min_alignment */
	.word	0x0001                  /* xloadflags: XLF_KERNEL_64 */
	.long	255                     /* cmdline_size */
	.long	0                       /* hardware_subarch */
	.quad	0                       /* hardware_subarch_data */
	.long	0, 0                    /* payload_offset, payload_length */
	.quad	0                       /* setup_data */
	.quad	__kernel_base           /* pref_address */
	.long	__init_size             /* init_size: up to the end of .bss */
	.long	0                       /* handover_offset */
	.long	0                       /* kernel_info_offset */
hdr_end:
	.org	SETUP_BYTES

	.section .text.linux_entry, "ax"
	.code64
	.globl linux_entry64
linux_entry64:
	mov	%rsi, entry_state + 0(%rip)
	mov	%cs, entry_state + 8(%rip)
	mov	%ds, entry_state + 10(%rip)
	mov	%es, entry_state + 12(%rip)
	mov	%ss, entry_state + 14(%rip)
	lea	entry_stack_top(%rip), %rsp
	pushfq
	popq	entry_state + 16(%rip)
	jmp	_start

	.section .data
	.balign 16
	.globl entry_state
entry_state:                            /* struct entry_state in main.c */
	.skip	24
	.balign 16
entry_stack:
	.skip	64
entry_stack_top:

	.section .note.GNU-stack, "", @progbits
