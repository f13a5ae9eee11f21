/*
 * boot/efi/config.h: the UEFI loader's configuration file,
 * \EFI\hvlab\hvlab.cfg on the EFI system partition:
 *
 *   # comment
 *   kernel  /boot/hypervisor.elf
 *   cmdline log=info
 *   module  /guests/hello64.elf name=hello64 kind=elf mem=4M
 *
 * One "kernel" line (required), at most one "cmdline" line (the rest of the
 * line is the hypervisor's command line), and up to BOOT_MAX_MODULES
 * "module PATH DESCRIPTION" lines, DESCRIPTION being the module's command
 * line as in grub.cfg's module2 lines (vm/guest_desc.h). Paths are from the
 * root of the partition; '/' and '\' both separate folders. Pure logic,
 * built into the loader and the host tests (test/unit/test_efi_config.c).
 */
#ifndef BOOT_EFI_CONFIG_H
#define BOOT_EFI_CONFIG_H

#include "boot/boot_info.h"

#define CONFIG_PATH             "\\EFI\\hvlab\\hvlab.cfg"
#define CONFIG_PATH_MAX         128
#define CONFIG_MAX_SIZE         65536   /* larger is not a config file */

struct config_module {
	char path[CONFIG_PATH_MAX];             /* '\' separated, from the root */
	char desc[BOOT_MODULE_CMDLINE_MAX];
};

struct config {
	char kernel[CONFIG_PATH_MAX];
	char cmdline[BOOT_CMDLINE_MAX];
	uint32_t module_count;
	struct config_module modules[BOOT_MAX_MODULES];
};

/*
 * Parse len bytes of text into c. Returns 0, or -1 with err holding one
 * line naming the line number and what is wrong ("line 3: unknown keyword
 * 'kernal'").
 */
int config_parse(struct config *c, const char *text, size_t len, char *err, size_t err_size);

#endif
