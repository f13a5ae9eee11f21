/*
 * vm/guest_desc.h: how a user names a guest. Each guest is one boot module
 * whose command line is its description, written by hand in grub.cfg:
 *
 *   module2 /guests/hello64.elf name=hello64 kind=elf mem=4M
 *   module2 /guests/kernel.elf  name=mb kind=multiboot mem=16M cmdline="quiet x=1"
 *   module2 /guests/real.bin    name=real kind=flat mem=1M load=0x7c00 mode=real
 *   module2 /guests/bzImage     name=lx kind=linux mem=64M initrd=initramfs cmdline="console=ttyS0"
 *   module2 /guests/initramfs.cpio.gz initramfs
 *
 * Keys (README.md documents them):
 *   name=     required; 1-15 of [a-z0-9_-], unique among the guests
 *   kind=     required; elf | multiboot | flat | linux (a bzImage, vm/linux.h)
 *   mem=      RAM size: a number (decimal or 0x hex) with K, M or G, or
 *             bytes; 1M..the allocator's limit; a multiple of 4K. Default 16M
 *   cmdline=  the guest's own command line (multiboot and linux guests see
 *             it); quote spaces. Default: empty, for linux "console=ttyS0"
 *   initrd=   linux only: the boot module holding its initrd, named by the
 *             first word of that module's command line (the whole word, or
 *             its part after the last '/', so a loader that puts the file's
 *             path first needs nothing more). That module must not be a
 *             guest. Default: no initrd
 *   console=  on | off: show the guest's serial output. Default on
 *   debug=    on | off: the guest's #DB and #BP come to the hypervisor
 *             first (logged, then delivered as before). Default off
 *   testdev=  on | off: the test device (devices/testdev.h) for tests and
 *             benchmarks. Default off
 *   on_crash= stop | restart: what a crash (triple fault, failed entry,
 *             unhandled exit...) does to the guest. Default stop
 *   weight=   1..GUEST_WEIGHT_MAX: its share of the CPU relative to the
 *             other guests' weights (vm/sched.c). Default 1
 *   load=     flat only: guest-physical load address. Default 0x7c00
 *   entry=    flat only: where to start. Default: the load address
 *   mode=     flat only: real | protected | long. Default real
 * Numbers are decimal or 0x hex. A key may appear once. A leading word
 * without '=' (GRUB may put the module's file name first) is skipped; any
 * other word must be key=value. A module whose line has no key=value word
 * at all (an initrd, say) is not a guest; one with some but no name= is an
 * error, so that a guest whose name= was mistyped is not silently dropped.
 * Modules are counted from 0, as the boot log counts them.
 */
#ifndef VM_GUEST_DESC_H
#define VM_GUEST_DESC_H

#include "boot/boot_info.h"

#define GUEST_NAME_MAX      16
#define GUEST_CMDLINE_MAX   BOOT_MODULE_CMDLINE_MAX
#define GUEST_MAX           64
#define GUEST_WEIGHT_MAX    100
#define GUEST_ERROR_MAX     160
#define GUEST_INITRD_MAX    64              /* initrd= names, '\0' included */

enum guest_kind {
	GUEST_KIND_ELF = 1,     /* ELF32 or ELF64 loaded at its physical addresses */
	GUEST_KIND_MULTIBOOT,   /* a Multiboot1 kernel, as qemu -kernel takes */
	GUEST_KIND_FLAT,        /* raw bytes at load= */
	GUEST_KIND_LINUX,       /* a bzImage, booted by the x86 Linux boot protocol */
};

enum guest_mode {
	GUEST_MODE_REAL = 1,    /* 16-bit real mode (needs unrestricted guest) */
	GUEST_MODE_PROTECTED,   /* 32-bit protected mode, flat segments, paging off */
	GUEST_MODE_LONG,        /* 64-bit mode, identity paging built by the loader */
};

enum guest_on_crash {
	GUEST_ON_CRASH_STOP,    /* the guest stays stopped */
	GUEST_ON_CRASH_RESTART, /* it starts again from its image (vm/vm.h has the limit) */
};

struct guest_desc {
	char name[GUEST_NAME_MAX];
	enum guest_kind kind;
	uint64_t mem;                   /* bytes */
	char cmdline[GUEST_CMDLINE_MAX];
	bool console;
	bool testdev;                   /* devices/testdev.c attached */
	bool debug;                     /* #DB and #BP intercepted */
	enum guest_on_crash on_crash;
	uint32_t weight;                /* CPU share relative to the others (vm/sched.c) */
	uint64_t load;                  /* flat */
	uint64_t entry;                 /* flat; 0 means "the load address" */
	enum guest_mode mode;           /* flat */
	uint32_t module;                /* index in boot_info.modules */
	char initrd[GUEST_INITRD_MAX];  /* linux: initrd= as written; "" when none */
	uint32_t initrd_module;         /* its index in boot_info.modules (guest_desc_parse_all) */
};

/*
 * Parse one module's command line. Returns 1 and fills d when it describes
 * a guest, 0 when it is not a guest (no key=value words), or -1 with err
 * holding one line that names the guest (or "module N" before a valid
 * name is known), the field and what was expected, e.g.
 * "guest 'web': mem=12Q: expected a size such as 16M (K, M or G)".
 */
int guest_desc_parse(const char *line, uint32_t module, struct guest_desc *d, char *err, size_t err_size);

/*
 * Parse every module of bi and find each initrd= module. Returns the
 * number of guests (<= max), or -1 after logging one error line per bad
 * description (duplicate names, an initrd= naming no module, two modules
 * or a guest): then no guest may start.
 */
int guest_desc_parse_all(const struct boot_info *bi, struct guest_desc *out, int max);

#endif
