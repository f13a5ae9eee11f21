/*
 * boot/multiboot.c: the C side of the Multiboot entry (boot/entry.S).
 * Picks the parser by the loader's magic and hands the result to the
 * hypervisor proper.
 */
#include "boot/multiboot.h"
#include "kernel/console.h"
#include "kernel/log.h"
#include "kernel/power.h"

static struct boot_info boot_info;

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
	kernel_main(&boot_info);
}
