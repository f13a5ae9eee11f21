/*
 * vm/linux.c: the x86 Linux boot protocol, 64-bit entry (the kernel's
 * Documentation/x86/boot.rst and zero-page.rst; the layout is drawn in
 * vm/linux.h). Pure logic on an untrusted image: every field is checked
 * before it is used, and nothing is written until everything fits.
 * Unit-tested on the host (test/unit/test_linux.c).
 */
#include "vm/linux.h"
#include "devices/pc.h"
#include "lib/format.h"
#include "lib/string.h"
#include "vm/acpi_tables.h"

/* The setup header (boot.rst, "The Real-Mode Kernel Header"): offsets in
 * the image, and the same in boot_params, which holds a copy of it. */
#define HDR_SETUP_SECTS     0x1F1           /* u8: setup sectors after the boot sector; 0 means 4 */
#define HDR_SYSSIZE         0x1F4           /* u32: protected-mode kernel, 16-byte units (2.04+) */
#define HDR_BOOT_FLAG       0x1FE           /* u16: 0xAA55 */
#define HDR_JUMP            0x200           /* a short jump over the header: EB xx */
#define HDR_HEADER          0x202           /* u32: "HdrS" */
#define HDR_VERSION         0x206           /* u16: protocol version */
#define HDR_TYPE_OF_LOADER  0x210           /* u8, written */
#define HDR_LOADFLAGS       0x211           /* u8 */
#define HDR_CODE32_START    0x214           /* u32, written: where the kernel was loaded */
#define HDR_RAMDISK_IMAGE   0x218           /* u32, written */
#define HDR_RAMDISK_SIZE    0x21C           /* u32, written */
#define HDR_CMD_LINE_PTR    0x228           /* u32, written */
#define HDR_INITRD_ADDR_MAX 0x22C           /* u32: highest byte of an initrd */
#define HDR_KERNEL_ALIGN    0x230           /* u32: alignment of a relocatable kernel */
#define HDR_RELOCATABLE     0x234           /* u8 */
#define HDR_XLOADFLAGS      0x236           /* u16 (2.12+) */
#define HDR_CMDLINE_SIZE    0x238           /* u32 (2.06+) */
#define HDR_PREF_ADDRESS    0x258           /* u64 (2.10+) */
#define HDR_INIT_SIZE       0x260           /* u32 (2.10+) */
#define HDR_MIN_END         0x264           /* every field read here lies below this */
#define HDR_MAX_END         0x290           /* boot_params' edd_mbr_sig_buffer starts here */

#define BOOT_FLAG           0xAA55
#define HDRS_MAGIC          0x53726448      /* "HdrS" */
#define PROTOCOL_MIN        0x020C          /* 2.12: xloadflags, so XLF_KERNEL_64 can be seen */
#define SECTOR              512
#define SETUP_SECTS_ZERO    4               /* what setup_sects == 0 means */
#define LOADED_HIGH         BIT(0)          /* loadflags: a bzImage, kernel at 1 MiB or above */
#define XLF_KERNEL_64       BIT(0)          /* xloadflags: the 64-bit entry at load + 0x200 */
#define ENTRY_64            0x200
#define LOADER_TYPE_UNKNOWN 0xFF            /* type_of_loader: no assigned id */
#define BZIMAGE_LOAD_MIN    MiB(1)

/* boot_params, the zero page (zero-page.rst) */
#define BP_SIZE             4096
#define BP_ACPI_RSDP_ADDR   0x070           /* u64 */
#define BP_EXT_RAMDISK_IMG  0x0C0           /* u32: ramdisk_image bits 63:32 */
#define BP_EXT_RAMDISK_SIZE 0x0C4           /* u32 */
#define BP_EXT_CMD_LINE_PTR 0x0C8           /* u32 */
#define BP_E820_ENTRIES     0x1E8           /* u8 */
#define BP_E820_TABLE       0x2D0           /* 128 struct linux_e820_entry */

/* The BIOS data area, which Linux reads to find low memory's end */
#define BDA_EBDA_SEGMENT    0x40E           /* u16: the EBDA's real-mode segment */
#define BDA_BASE_MEM_KIB    0x413           /* u16: conventional memory, KiB */

STATIC_ASSERT(LINUX_BOOT_PARAMS >= LOADER_AREA_END, "boot_params clear of the loader area");
STATIC_ASSERT(LINUX_CMDLINE >= LINUX_BOOT_PARAMS + BP_SIZE, "command line clear of boot_params");
STATIC_ASSERT(LINUX_CMDLINE + GUEST_CMDLINE_MAX <= PC_LOW_RAM_END, "command line in low RAM");
STATIC_ASSERT(BP_E820_TABLE + LINUX_E820_MAX * sizeof(struct linux_e820_entry) <= BP_SIZE, "e820 fits");

/* Write "guest 'NAME': message" into err; returns -1 for the caller to pass on. */
static int __printf(4, 5)
linux_error(char *err, size_t err_size, const char *name, const char *fmt, ...)
{
	size_t n = (size_t)format(err, err_size, "guest '%s': ", name);
	va_list ap;

	if (n < err_size) {
		va_start(ap, fmt);
		format_v(err + n, err_size - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static uint64_t
le_get(const uint8_t *p, size_t bytes)
{
	uint64_t v = 0;

	memcpy(&v, p, bytes);
	return v;
}

static void
le_put(uint8_t *p, uint64_t v, size_t bytes)
{
	memcpy(p, &v, bytes);
}

int
linux_check(const char *name, const uint8_t *image, size_t size, struct linux_image *li,
	    char *err, size_t err_size)
{
	unsigned sects, xloadflags;
	uint64_t align, pref, need;

	memset(li, 0, sizeof(*li));
	if (size < HDR_HEADER + 4 || le_get(image + HDR_BOOT_FLAG, 2) != BOOT_FLAG ||
	    le_get(image + HDR_HEADER, 4) != HDRS_MAGIC)
		return linux_error(err, err_size, name,
				   "not a Linux bzImage (no boot flag 0xAA55 at 0x1fe and \"HdrS\" at 0x202)");
	if (size < HDR_MIN_END)
		return linux_error(err, err_size, name, "truncated bzImage: %#zx bytes, its setup header needs %#x",
				   size, HDR_MIN_END);
	li->version = (uint16_t)le_get(image + HDR_VERSION, 2);
	if (li->version < PROTOCOL_MIN)
		return linux_error(err, err_size, name, "Linux boot protocol %u.%02u: expected 2.12 or later (a 64-bit entry)",
				   li->version >> 8, li->version & 0xFF);
	if (!(image[HDR_LOADFLAGS] & LOADED_HIGH))
		return linux_error(err, err_size, name, "not a bzImage (loadflags bit 0, LOADED_HIGH, is clear)");
	xloadflags = (unsigned)le_get(image + HDR_XLOADFLAGS, 2);
	if (!(xloadflags & XLF_KERNEL_64))
		return linux_error(err, err_size, name,
				   "no 64-bit entry point (xloadflags %#x: XLF_KERNEL_64 is clear): a 32-bit kernel?",
				   xloadflags);

	sects = image[HDR_SETUP_SECTS] ? image[HDR_SETUP_SECTS] : SETUP_SECTS_ZERO;
	li->setup_bytes = (sects + 1) * SECTOR;
	li->header_end = HDR_JUMP + 2 + image[HDR_JUMP + 1];
	if (li->header_end < HDR_MIN_END || li->header_end > HDR_MAX_END || li->header_end > li->setup_bytes)
		return linux_error(err, err_size, name, "setup header ends at %#x: expected %#x to %#x",
				   li->header_end, HDR_MIN_END, HDR_MAX_END);
	li->kernel_bytes = le_get(image + HDR_SYSSIZE, 4) * 16;
	if (li->kernel_bytes == 0)
		return linux_error(err, err_size, name, "syssize is 0: no protected-mode kernel");
	need = li->setup_bytes + li->kernel_bytes;
	if (size < need)
		return linux_error(err, err_size, name,
				   "truncated bzImage: setup (%#x bytes) and kernel (syssize, %#lx bytes) need %#lx, the file has %#zx",
				   li->setup_bytes, li->kernel_bytes, need, size);

	pref = le_get(image + HDR_PREF_ADDRESS, 8);
	if (pref == 0)
		pref = BZIMAGE_LOAD_MIN;
	if (image[HDR_RELOCATABLE]) {
		align = le_get(image + HDR_KERNEL_ALIGN, 4);
		if (align < KiB(4) || (align & (align - 1)))
			return linux_error(err, err_size, name, "kernel_alignment %#lx: expected a power of two, 4K or more",
					   align);
		pref = ALIGN_UP(pref, align);
	}
	if (pref < BZIMAGE_LOAD_MIN)
		return linux_error(err, err_size, name, "pref_address %#lx: expected 1M or above", pref);
	li->load = pref;
	li->init_size = MAX(le_get(image + HDR_INIT_SIZE, 4), li->kernel_bytes);
	li->cmdline_size = (uint32_t)le_get(image + HDR_CMDLINE_SIZE, 4);
	li->initrd_max = le_get(image + HDR_INITRD_ADDR_MAX, 4);
	return 0;
}

/* Where RAM that the e820 map offers ends: the guest's RAM up to the IOAPIC. */
static uint64_t
ram_end(uint64_t ram_size)
{
	return MIN(ram_size, (uint64_t)PC_IOAPIC_BASE);
}

/* The mem= that holds the kernel and an initrd of initrd_size bytes, in MiB. */
static uint64_t
mem_needed(uint64_t kernel_end, uint64_t initrd_size)
{
	return ALIGN_UP(ALIGN_UP(kernel_end, KiB(4)) + ALIGN_UP(initrd_size, KiB(4)), MiB(1)) >> 20;
}

int
linux_place(const char *name, const struct linux_image *li, uint64_t ram_size, uint64_t initrd_size,
	    struct linux_layout *lay, char *err, size_t err_size)
{
	uint64_t end = ram_end(ram_size), top;

	memset(lay, 0, sizeof(*lay));
	lay->kernel_end = li->load + li->init_size;
	if (li->load > end || li->init_size > end - li->load)
		return linux_error(err, err_size, name,
				   "too little memory: the kernel needs [%#lx, %#lx) (init_size %luK at pref_address), RAM ends at %#lx; mem=%luM would do",
				   li->load, lay->kernel_end, li->init_size >> 10, end,
				   mem_needed(lay->kernel_end, initrd_size));
	if (initrd_size == 0)
		return 0;
	if (li->initrd_max < end) {
		top = li->initrd_max + 1;
		if (initrd_size > top || ALIGN_DOWN(top - initrd_size, KiB(4)) < lay->kernel_end)
			return linux_error(err, err_size, name,
					   "the initrd (%#lx bytes) does not fit between the kernel's end %#lx and initrd_addr_max %#lx",
					   initrd_size, lay->kernel_end, li->initrd_max);
	} else {
		top = end;
		if (initrd_size > top || ALIGN_DOWN(top - initrd_size, KiB(4)) < lay->kernel_end)
			return linux_error(err, err_size, name,
					   "too little memory for the initrd (%#lx bytes) after the kernel's end %#lx: RAM ends at %#lx; mem=%luM would do",
					   initrd_size, lay->kernel_end, end, mem_needed(lay->kernel_end, initrd_size));
	}
	lay->initrd = ALIGN_DOWN(top - initrd_size, KiB(4));
	lay->initrd_size = initrd_size;
	return 0;
}

unsigned
linux_e820(uint64_t ram_size, struct linux_e820_entry *e)
{
	unsigned n = 0;

	e[n++] = (struct linux_e820_entry){ 0, PC_LOW_RAM_END, E820_RAM };
	e[n++] = (struct linux_e820_entry){ PC_LOW_RAM_END, MiB(1) - PC_LOW_RAM_END, E820_RESERVED };
	if (ram_end(ram_size) > MiB(1))
		e[n++] = (struct linux_e820_entry){ MiB(1), ram_end(ram_size) - MiB(1), E820_RAM };
	e[n++] = (struct linux_e820_entry){ PC_IOAPIC_BASE, KiB(4), E820_RESERVED };
	e[n++] = (struct linux_e820_entry){ PC_LAPIC_BASE, KiB(4), E820_RESERVED };
	return n;
}

/* The zero page: the image's setup header, then what the loader writes. */
static void
fill_boot_params(uint8_t *bp, const uint8_t *image, const struct linux_image *li,
		 const struct linux_layout *lay, uint64_t ram_size)
{
	struct linux_e820_entry e820[LINUX_E820_MAX];
	unsigned n = linux_e820(ram_size, e820);

	memset(bp, 0, BP_SIZE);
	memcpy(bp + HDR_SETUP_SECTS, image + HDR_SETUP_SECTS, li->header_end - HDR_SETUP_SECTS);
	bp[HDR_TYPE_OF_LOADER] = LOADER_TYPE_UNKNOWN;
	le_put(bp + HDR_CODE32_START, li->load, 4);
	le_put(bp + HDR_RAMDISK_IMAGE, lay->initrd & 0xFFFFFFFF, 4);
	le_put(bp + HDR_RAMDISK_SIZE, lay->initrd_size & 0xFFFFFFFF, 4);
	le_put(bp + BP_EXT_RAMDISK_IMG, lay->initrd >> 32, 4);
	le_put(bp + BP_EXT_RAMDISK_SIZE, lay->initrd_size >> 32, 4);
	le_put(bp + HDR_CMD_LINE_PTR, LINUX_CMDLINE, 4);
	le_put(bp + BP_EXT_CMD_LINE_PTR, 0, 4);
	le_put(bp + BP_ACPI_RSDP_ADDR, ACPI_TABLES_RSDP, 8);
	bp[BP_E820_ENTRIES] = (uint8_t)n;
	memcpy(bp + BP_E820_TABLE, e820, n * sizeof(e820[0]));
}

int
linux_load(const struct guest_desc *d, const uint8_t *image, size_t size, const uint8_t *initrd,
	   size_t initrd_size, uint8_t *ram, uint64_t ram_size, struct guest_start *start,
	   char *err, size_t err_size)
{
	size_t cmdline_len = strnlen(d->cmdline, sizeof(d->cmdline) - 1);
	struct linux_image li;
	struct linux_layout lay;

	if (linux_check(d->name, image, size, &li, err, err_size) < 0)
		return -1;
	if (cmdline_len > li.cmdline_size)
		return linux_error(err, err_size, d->name, "cmdline= has %zu characters: the kernel takes at most %u",
				   cmdline_len, li.cmdline_size);
	if (ram_size > LOADER_MAP_MAX)
		return linux_error(err, err_size, d->name, "mem=%luM: the 64-bit entry's identity map covers at most %luM",
				   ram_size >> 20, LOADER_MAP_MAX >> 20);
	if (linux_place(d->name, &li, ram_size, initrd ? initrd_size : 0, &lay, err, err_size) < 0)
		return -1;

	memcpy(ram + li.load, image + li.setup_bytes, li.kernel_bytes);
	if (lay.initrd_size)
		memcpy(ram + lay.initrd, initrd, lay.initrd_size);
	memcpy(ram + LINUX_CMDLINE, d->cmdline, cmdline_len);
	ram[LINUX_CMDLINE + cmdline_len] = '\0';
	fill_boot_params(ram + LINUX_BOOT_PARAMS, image, &li, &lay, ram_size);
	le_put(ram + BDA_EBDA_SEGMENT, PC_LOW_RAM_END >> 4, 2);
	le_put(ram + BDA_BASE_MEM_KIB, PC_LOW_RAM_END >> 10, 2);

	loader_long_mode(ram, ram_size, start);
	start->rip = li.load + ENTRY_64;
	start->rsi = LINUX_BOOT_PARAMS;
	return 0;
}
