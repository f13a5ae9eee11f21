/*
 * boot/efi/efi_memmap.h: the UEFI memory map (GetMemoryMap(), UEFI 2.10,
 * 7.2) reduced to struct boot_info's memory ranges. Pure logic, built into
 * the loader and into the host unit tests (test/unit/test_efi_memmap.c).
 */
#ifndef BOOT_EFI_EFI_MEMMAP_H
#define BOOT_EFI_EFI_MEMMAP_H

#include "boot/boot_info.h"

/* EFI_MEMORY_TYPE, UEFI 2.10, Table 7.10 */
#define EFIMEM_RESERVED         0
#define EFIMEM_LOADER_CODE      1
#define EFIMEM_LOADER_DATA      2
#define EFIMEM_BS_CODE          3       /* boot services: free after ExitBootServices() */
#define EFIMEM_BS_DATA          4
#define EFIMEM_RT_CODE          5       /* runtime services: kept for the OS's whole life */
#define EFIMEM_RT_DATA          6
#define EFIMEM_CONVENTIONAL     7
#define EFIMEM_UNUSABLE         8       /* errors detected */
#define EFIMEM_ACPI_RECLAIM     9
#define EFIMEM_ACPI_NVS         10
#define EFIMEM_MMIO             11
#define EFIMEM_MMIO_PORT        12
#define EFIMEM_PAL_CODE         13
#define EFIMEM_PERSISTENT       14
#define EFIMEM_UNACCEPTED       15      /* confidential computing: not accepted yet */

#define EFI_PAGE_BYTES          4096

/* EFI_MEMORY_DESCRIPTOR as the spec lays it out; the firmware's stride
 * (the descriptor size GetMemoryMap() returns) may be larger. */
struct efi_memdesc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t pages;
	uint64_t attribute;
};
STATIC_ASSERT(sizeof(struct efi_memdesc) == 40, "EFI_MEMORY_DESCRIPTOR is 40 bytes");

/* A range the loader itself still needs at the hand-off: never usable. */
struct efi_memmap_keep {
	uint64_t base, length;
};

uint32_t efi_memmap_type(uint32_t efi_type);

/*
 * Add the map_size bytes of descriptors at map (desc_size apart) to bi's
 * memory ranges, then the keep[] ranges as reserved, and sanitize.
 * Adjacent descriptors of the same kind are merged first, so firmware maps
 * of a few hundred descriptors fit BOOT_MAX_MEM_RANGES. Returns 0, or -1
 * when desc_size is smaller than a descriptor (nothing is added then).
 * Allocates nothing and calls nothing: it runs between GetMemoryMap() and
 * ExitBootServices().
 */
int efi_memmap_convert(struct boot_info *bi, const void *map, uint64_t map_size, uint64_t desc_size,
		       const struct efi_memmap_keep *keep, uint32_t nkeep);

#endif
