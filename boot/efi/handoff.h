/*
 * boot/efi/handoff.h: the contract between the UEFI loader (boot/efi/) and
 * the hypervisor it starts, shared by both sides.
 *
 * The hypervisor carries a struct handoff_header, 8-byte aligned, in the
 * first HANDOFF_SEARCH bytes of its ELF file (boot/efi_entry.c puts it in
 * .multiboot, beside the Multiboot headers). The loader finds it by its
 * magic, so it needs no symbol table, and checks that both were built with
 * the same struct boot_info.
 *
 * void efi_entry64(struct boot_info *bi, uint64_t magic)   (boot/entry.S)
 *   Entered at header.entry64 in 64-bit long mode, as UEFI leaves it after
 *   ExitBootServices(): identity paging, any GDT, interrupts off or on.
 *   RDI = bi (below 4 GiB, filled by the loader), RSI = HANDOFF_BI_MAGIC.
 *   Never returns.
 */
#ifndef BOOT_EFI_HANDOFF_H
#define BOOT_EFI_HANDOFF_H

#define HANDOFF_HEADER_MAGIC    0x34365952544E4548  /* "HENTRY64", little-endian */
#define HANDOFF_BI_MAGIC        0x48564C4142494E46  /* RSI at efi_entry64: "FNIBALVH" */
#define HANDOFF_VERSION         1
#define HANDOFF_SEARCH          32768               /* bytes of the file searched */

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

struct handoff_header {
	uint64_t magic;                 /* HANDOFF_HEADER_MAGIC */
	uint32_t version;               /* HANDOFF_VERSION */
	uint32_t boot_info_size;        /* sizeof(struct boot_info) the kernel expects */
	uint64_t entry64;               /* physical address of efi_entry64 */
};
STATIC_ASSERT(sizeof(struct handoff_header) == 24, "handoff header layout");
#endif

#endif
