/*
 * boot/efi/efi_memmap.c: the UEFI memory map as struct boot_info ranges.
 *
 * After ExitBootServices() the boot services' code and data, the loader's
 * own code and data, and conventional memory are all free RAM (UEFI 2.10,
 * 7.2, Table 7.6 "Memory Type Usage after ExitBootServices()"). Runtime
 * services memory stays the firmware's; ACPI reclaim memory holds the
 * tables until they are read. The loader marks what it still needs at the
 * hand-off (the struct boot_info, the hypervisor image) as reserved.
 */
#include "boot/efi/efi_memmap.h"
#include "boot/memmap.h"

uint32_t
efi_memmap_type(uint32_t efi_type)
{
	switch (efi_type) {
	case EFIMEM_LOADER_CODE:
	case EFIMEM_LOADER_DATA:
	case EFIMEM_BS_CODE:
	case EFIMEM_BS_DATA:
	case EFIMEM_CONVENTIONAL:
		return BOOT_MEM_USABLE;
	case EFIMEM_ACPI_RECLAIM:
		return BOOT_MEM_ACPI;
	case EFIMEM_ACPI_NVS:
		return BOOT_MEM_ACPI_NVS;
	case EFIMEM_UNUSABLE:
		return BOOT_MEM_BAD;
	default:                /* runtime services, MMIO, PAL, persistent, unaccepted, unknown */
		return BOOT_MEM_RESERVED;
	}
}

int
efi_memmap_convert(struct boot_info *bi, const void *map, uint64_t map_size, uint64_t desc_size,
		   const struct efi_memmap_keep *keep, uint32_t nkeep)
{
	const uint8_t *p = map;
	uint64_t base = 0, length = 0;
	uint32_t type = 0;

	if (desc_size < sizeof(struct efi_memdesc))
		return -1;
	/* first, so a full table can never lose them */
	for (uint32_t i = 0; i < nkeep; i++)
		memmap_add(bi, keep[i].base, keep[i].length, BOOT_MEM_RESERVED);
	for (uint64_t off = 0; off + sizeof(struct efi_memdesc) <= map_size; off += desc_size) {
		const struct efi_memdesc *d = (const void *)(p + off);
		uint32_t t = efi_memmap_type(d->type);
		uint64_t len = d->pages * EFI_PAGE_BYTES;

		if (d->pages > UINT64_MAX / EFI_PAGE_BYTES)
			len = 0 - d->phys_start;        /* memmap_add clamps at the top */
		if (length && t == type && base + length == d->phys_start) {
			length += len;
			continue;
		}
		memmap_add(bi, base, length, type);
		base = d->phys_start;
		length = len;
		type = t;
	}
	memmap_add(bi, base, length, type);
	memmap_sanitize(bi);
	return 0;
}
