/*
 * guests/linuxboot64/main.c: a stand-in for a Linux kernel, to test the
 * hypervisor's side of the x86 Linux boot protocol (vm/linux.h) without
 * one. Built as a bzImage (head.S, bzimage.ld), it checks what a kernel
 * relies on at its 64-bit entry: the registers and segments, the
 * boot_params (setup header copy, type_of_loader, command line, initrd,
 * e820 map, RSDP) and that each points at what it should. The test gives
 * it cmdline="console=ttyS0 linuxboot64" and hello32.elf as its initrd.
 */
#include "guests/lib/guest.h"
#include "lib/string.h"

GUEST_NAME("linuxboot64");

#define EXPECTED_CMDLINE        "console=ttyS0 linuxboot64"
#define BOOT_CS                 0x10
#define BOOT_DS                 0x18
#define RFLAGS_IF               (1u << 9)
#define KERNEL_BASE             0x200000

/* boot_params offsets (the kernel's Documentation/x86/zero-page.rst, boot.rst) */
#define BP_ACPI_RSDP_ADDR       0x070
#define BP_E820_ENTRIES         0x1E8
#define BP_HEADER               0x202
#define BP_VERSION              0x206
#define BP_TYPE_OF_LOADER       0x210
#define BP_CODE32_START         0x214
#define BP_RAMDISK_IMAGE        0x218
#define BP_RAMDISK_SIZE         0x21C
#define BP_CMD_LINE_PTR         0x228
#define BP_E820_TABLE           0x2D0

struct entry_state {
	uint64_t rsi;
	uint16_t cs, ds, es, ss;
	uint64_t rflags;
};
extern struct entry_state entry_state;          /* head.S */

struct __attribute__((packed)) e820 {
	uint64_t addr, size;
	uint32_t type;
};

static uint64_t
get(uint64_t pa, unsigned bytes)
{
	uint64_t v = 0;

	memcpy(&v, (const void *)pa, bytes);
	return v;
}

static uint8_t
sum(uint64_t pa, unsigned n)
{
	uint8_t s = 0;

	for (unsigned i = 0; i < n; i++)
		s += *(const uint8_t *)(pa + i);
	return s;
}

static void
check_entry_state(void)
{
	const struct entry_state *e = &entry_state;

	guest_check(e->cs == BOOT_CS, "CS is __BOOT_CS (%#x)", e->cs);
	guest_check(e->ds == BOOT_DS && e->es == BOOT_DS && e->ss == BOOT_DS, "DS, ES, SS are __BOOT_DS (%#x %#x %#x)",
		    e->ds, e->es, e->ss);
	guest_check(!(e->rflags & RFLAGS_IF), "interrupts are off (RFLAGS %#lx)", (unsigned long)e->rflags);
	guest_check(e->rsi && e->rsi < 0x100000 && !(e->rsi & 0xFFF), "RSI points at boot_params (%#lx)",
		    (unsigned long)e->rsi);
}

/* The e820 RAM range that holds [addr, addr + size), or NULL. */
static const struct e820 *
ram_holding(const struct e820 *map, unsigned n, uint64_t addr, uint64_t size)
{
	for (unsigned i = 0; i < n; i++)
		if (map[i].type == 1 && addr >= map[i].addr && addr + size <= map[i].addr + map[i].size)
			return &map[i];
	return NULL;
}

static void
check_boot_params(uint64_t bp)
{
	const struct e820 *map = (const struct e820 *)(bp + BP_E820_TABLE), *high;
	unsigned n = (unsigned)get(bp + BP_E820_ENTRIES, 1);
	uint64_t cmdline = get(bp + BP_CMD_LINE_PTR, 4);
	uint64_t rd = get(bp + BP_RAMDISK_IMAGE, 4), rd_size = get(bp + BP_RAMDISK_SIZE, 4);

	guest_check(!memcmp((const void *)(bp + BP_HEADER), "HdrS", 4) && get(bp + BP_VERSION, 2) == 0x020F,
		    "boot_params holds the image's setup header");
	guest_check(get(bp + BP_TYPE_OF_LOADER, 1) == 0xFF, "type_of_loader is 0xff");
	guest_check(get(bp + BP_CODE32_START, 4) == KERNEL_BASE, "code32_start is the load address");
	guest_check(cmdline && !strcmp((const char *)cmdline, EXPECTED_CMDLINE), "command line \"%s\"",
		    cmdline ? (const char *)cmdline : "");

	guest_check(n >= 3 && n <= 128, "e820 map of %u entries", n);
	if (n < 3 || n > 128)
		return;
	guest_check(map[0].addr == 0 && map[0].type == 1 && map[0].size >= 0x9F000, "e820: low RAM [0, %#lx)",
		    (unsigned long)map[0].size);
	guest_check(ram_holding(map, n, KERNEL_BASE, 0x1000) != NULL, "e820: the kernel is in RAM");
	guest_check(!ram_holding(map, n, 0xE0000, 16), "e820: the ACPI tables at 0xe0000 are not RAM");
	high = ram_holding(map, n, rd, rd_size);
	guest_check(rd && rd_size && !(rd & 0xFFF) && high, "initrd at %#lx, %lu bytes, in RAM", (unsigned long)rd,
		    (unsigned long)rd_size);
	if (high)
		guest_check(high->addr + high->size - (rd + rd_size) < 0x1000, "initrd at the top of RAM (ends %#lx)",
			    (unsigned long)(high->addr + high->size));
	guest_check(rd && !memcmp((const void *)rd, "\177ELF\001", 5), "initrd holds the module's bytes (hello32.elf)");
}

static void
check_acpi(uint64_t bp)
{
	uint64_t rsdp = get(bp + BP_ACPI_RSDP_ADDR, 8), xsdt, fadt;

	if (!guest_check(rsdp && !memcmp((const void *)rsdp, "RSD PTR ", 8) && sum(rsdp, 20) == 0 &&
			 sum(rsdp, 36) == 0 && get(rsdp + 15, 1) == 2, "acpi_rsdp_addr %#lx: an ACPI 2.0 RSDP",
			 (unsigned long)rsdp))
		return;
	xsdt = get(rsdp + 24, 8);
	if (!guest_check(!memcmp((const void *)xsdt, "XSDT", 4) && sum(xsdt, (unsigned)get(xsdt + 4, 4)) == 0,
			 "XSDT at %#lx", (unsigned long)xsdt))
		return;
	fadt = get(xsdt + 36, 8);
	guest_check(!memcmp((const void *)fadt, "FACP", 4) && get(fadt + 64, 4) == 0x604,
		    "FADT with PM1a_CNT at port 0x604");
}

void
guest_main(void)
{
	guest_printf("a stand-in Linux kernel, entered by the 64-bit boot protocol\n");
	check_entry_state();
	check_boot_params(entry_state.rsi);
	check_acpi(entry_state.rsi);
	guest_pass();
}
