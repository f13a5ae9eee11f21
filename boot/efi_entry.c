/*
 * boot/efi_entry.c: the C side of the hypervisor's entry from its own UEFI
 * loader (boot/efi/). The loader has already reduced what the firmware
 * knows to a struct boot_info; boot/entry.S's efi_entry64 has put us on our
 * own stack, GDT and page tables. The contract: boot/efi/handoff.h.
 */
#include "boot/boot_info.h"
#include "boot/efi/handoff.h"
#include "kernel/console.h"
#include "kernel/log.h"
#include "kernel/power.h"
#include "lib/string.h"

void efi_entry64(void);
void efi_entry_main(const struct boot_info *loader_bi, uint64_t magic) __noreturn;

/* Found by the loader in the first HANDOFF_SEARCH bytes of the file. */
__section(".multiboot") __aligned(8) __attribute__((used))
static const struct handoff_header efi_entry_header = {
	.magic = HANDOFF_HEADER_MAGIC,
	.version = HANDOFF_VERSION,
	.boot_info_size = sizeof(struct boot_info),
	.entry64 = (uint64_t)(uintptr_t)efi_entry64,
};

static struct boot_info boot_info;

/*
 * Called by efi_entry64 with the loader's struct boot_info. It lives in
 * memory the loader allocated, which the memory map may call usable: it is
 * copied before anything can allocate.
 */
void
efi_entry_main(const struct boot_info *loader_bi, uint64_t magic)
{
	console_early_init();
	if (magic != HANDOFF_BI_MAGIC) {
		log_err("boot: entered at efi_entry64 with magic %#lx, not %#lx; cannot go on",
			magic, (uint64_t)HANDOFF_BI_MAGIC);
		power_stop(POWER_EXIT_PANIC);
	}
	memcpy(&boot_info, loader_bi, sizeof(boot_info));
	boot_info.ebda = 0;             /* UEFI machines have none */
	kernel_main(&boot_info);
}
