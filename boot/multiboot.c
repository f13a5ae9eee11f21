/*
 * boot/multiboot.c: the C side of the Multiboot entry (boot/entry.S).
 * Picks the parser by the loader's magic and hands the result to the
 * hypervisor proper.
 */
#include "boot/multiboot.h"
#include "kernel/console.h"
#include "kernel/log.h"
#include "kernel/power.h"

#define BDA_EBDA_SEGMENT    0x40E   /* BIOS data area: real-mode segment of the EBDA */

static struct boot_info boot_info;

/*
 * Where the BIOS keeps its extended data area (an ACPI RSDP may be in its
 * first KiB, ACPI 6.5, 5.2.5.1). Read now, while page 0 is still mapped: the
 * hypervisor's own page tables leave it out so NULL pointers fault. Anything
 * outside the conventional 640 KiB is not an EBDA (UEFI has none).
 */
static uint64_t
ebda_base(void)
{
	const volatile uint16_t *seg = (const volatile uint16_t *)(uintptr_t)BDA_EBDA_SEGMENT;
	uint64_t base;

	__asm__("" : "+r"(seg));        /* a constant address, not a NULL dereference */
	base = (uint64_t)*seg << 4;
	return base >= 0x80000 && base < 0xA0000 ? base : 0;
}

void
multiboot_main(uint32_t magic, uint32_t info)
{
	int err;

	console_early_init();
	if (magic == MULTIBOOT1_LOADER_MAGIC) {
		err = multiboot1_parse(&boot_info, info);
	} else if (magic == MULTIBOOT2_LOADER_MAGIC) {
		err = multiboot2_parse(&boot_info, info);
	} else {
		log_err("boot: loader magic %#x is neither Multiboot1 (%#x) nor Multiboot2 (%#x); cannot go on",
			magic, MULTIBOOT1_LOADER_MAGIC, MULTIBOOT2_LOADER_MAGIC);
		power_stop(POWER_EXIT_PANIC);
	}
	if (err < 0) {
		log_err("boot: the loader's information at %#x is malformed; cannot go on", info);
		power_stop(POWER_EXIT_PANIC);
	}
	boot_info.ebda = ebda_base();
	kernel_main(&boot_info);
}
