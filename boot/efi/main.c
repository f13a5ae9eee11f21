/*
 * boot/efi/main.c: BOOTX64.EFI, the hypervisor's own UEFI loader, built
 * with GNU-EFI. UEFI 2.10 chapters: 4 (system table), 7.2 (memory
 * services, ExitBootServices), 12.9 (graphics output), 13.4-13.5 (file
 * system).
 *
 * It reads \EFI\hvlab\hvlab.cfg (boot/efi/config.h) from the partition it
 * was loaded from, places the hypervisor ELF at its physical addresses and
 * the modules below 4 GiB, fills the same struct boot_info the Multiboot
 * paths fill, leaves boot services and jumps to the hypervisor's 64-bit
 * entry (boot/efi/handoff.h). Until ExitBootServices() every message goes
 * to the firmware's console and to the serial port (through the Serial I/O
 * protocol when the console does not already reach one, as OVMF's and
 * redirecting servers' do), and on an error the loader returns to the
 * firmware with an error status, which then tries its next boot option.
 */
#include <efi.h>
#include <efilib.h>

#include "boot/boot_info.h"
#include "boot/efi/config.h"
#include "boot/efi/efi_memmap.h"
#include "boot/efi/handoff.h"
#include "boot/efi/image.h"

#define LOADER_NAME         "hvlab UEFI loader"
#define BELOW_4G            0xFFFFFFFFull
#define ERROR_PAUSE_US      5000000         /* time to read an error before the firmware goes on */
#define EXIT_RETRIES        8               /* ExitBootServices() attempts (map key races) */
#define MAX_ALLOCS          (BOOT_MAX_MODULES + 2)

static EFI_HANDLE loader_image;
static EFI_SERIAL_IO_PROTOCOL *serial;  /* set when the console does not reach a serial port */
static EFI_FILE_HANDLE root;
static struct config config;
static struct {
	EFI_PHYSICAL_ADDRESS base;
	UINTN pages;
} allocs[MAX_ALLOCS];
static UINTN nallocs;

static void
ascii_to_wide(CHAR16 *dst, const char *src, UINTN size)
{
	UINTN i = 0;

	for (; src[i] && i + 1 < size; i++)
		dst[i] = (unsigned char)src[i];
	dst[i] = 0;
}

/*
 * Is there a UART (UEFI 2.10, 10.3.4.11, messaging type 3 subtype 14) on
 * a device path of the firmware's ConOut variable? Then the console
 * already reaches a serial port.
 */
static BOOLEAN
conout_has_uart(void)
{
	UINTN size = 0;
	UINT8 *var = LibGetVariableAndSize(L"ConOut", &EfiGlobalVariable, &size);
	BOOLEAN found = FALSE;

	if (!var)
		return FALSE;
	for (UINTN off = 0; off + 4 <= size;) {
		EFI_DEVICE_PATH *dp = (EFI_DEVICE_PATH *)(var + off);
		UINTN len = dp->Length[0] | dp->Length[1] << 8;

		if (dp->Type == MESSAGING_DEVICE_PATH && dp->SubType == MSG_UART_DP)
			found = TRUE;
		if (len < 4 || (dp->Type == END_DEVICE_PATH_TYPE && dp->SubType == END_ENTIRE_DEVICE_PATH_SUBTYPE))
			break;
		off += len;
	}
	FreePool(var);
	return found;
}

static void
serial_setup(void)
{
	EFI_GUID guid = EFI_SERIAL_IO_PROTOCOL_GUID;

	if (conout_has_uart() || EFI_ERROR(LibLocateProtocol(&guid, (void **)&serial)) || !serial) {
		serial = NULL;
		return;
	}
	/* COM1's settings as the hypervisor uses them: 115200 8N1 */
	uefi_call_wrapper(serial->SetAttributes, 7, serial, 115200, 0, 0, NoParity, 8, OneStopBit);
}

/* Print a message on the console and the serial port; '\n' ends a line
 * (VSPrint may already have made it "\r\n"). */
static void
say(const CHAR16 *fmt, ...)
{
	CHAR16 text[256], con[512];
	char ser[512];
	UINTN c = 0, n = 0;
	va_list ap;

	va_start(ap, fmt);
	VSPrint(text, sizeof(text), fmt, ap);
	va_end(ap);
	for (UINTN i = 0; text[i] && c + 3 < ARRAY_SIZE(con); i++) {
		if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
			con[c++] = '\r';
			ser[n++] = '\r';
		}
		con[c++] = text[i];
		ser[n++] = text[i] < 0x80 ? (char)text[i] : '?';
	}
	con[c] = 0;
	uefi_call_wrapper(ST->ConOut->OutputString, 2, ST->ConOut, con);
	if (serial)
		uefi_call_wrapper(serial->Write, 3, serial, &n, ser);
}

/* Pages below 4 GiB (or exactly at *addr with AllocateAddress), freed again
 * if the loader gives up. */
static EFI_STATUS
alloc_pages(EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE type, UINTN pages, EFI_PHYSICAL_ADDRESS *addr)
{
	EFI_STATUS st;

	if (nallocs == MAX_ALLOCS)
		return EFI_OUT_OF_RESOURCES;
	st = uefi_call_wrapper(BS->AllocatePages, 4, how, type, pages, addr);
	if (!EFI_ERROR(st)) {
		allocs[nallocs].base = *addr;
		allocs[nallocs++].pages = pages;
	}
	return st;
}

static void
free_all(void)
{
	while (nallocs) {
		nallocs--;
		uefi_call_wrapper(BS->FreePages, 2, allocs[nallocs].base, allocs[nallocs].pages);
	}
}

/*
 * Open path on the loader's own partition and read it whole: into pages
 * below 4 GiB when to_pages is set (modules), else into pool memory the
 * caller frees. Prints what went wrong.
 */
static EFI_STATUS
read_file(const char *path, void **data, UINT64 *size, BOOLEAN to_pages)
{
	CHAR16 wpath[CONFIG_PATH_MAX];
	EFI_FILE_HANDLE fh;
	EFI_FILE_INFO *fi;
	EFI_STATUS st;
	UINTN n;
	void *buf;

	ascii_to_wide(wpath, path, CONFIG_PATH_MAX);
	st = uefi_call_wrapper(root->Open, 5, root, &fh, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st)) {
		say(L"hvlab: cannot open %s: %r\n", wpath, st);
		return st;
	}
	fi = LibFileInfo(fh);
	if (!fi) {
		say(L"hvlab: %s: cannot read its size\n", wpath);
		uefi_call_wrapper(fh->Close, 1, fh);
		return EFI_DEVICE_ERROR;
	}
	*size = fi->FileSize;
	FreePool(fi);
	if (to_pages) {
		EFI_PHYSICAL_ADDRESS addr = BELOW_4G;

		st = alloc_pages(AllocateMaxAddress, EfiLoaderData, EFI_SIZE_TO_PAGES(*size ? *size : 1), &addr);
		buf = EFI_ERROR(st) ? NULL : (void *)(UINTN)addr;
	} else {
		buf = AllocatePool(*size ? *size : 1);
	}
	if (!buf) {
		say(L"hvlab: %s: no memory for its %lu bytes\n", wpath, *size);
		uefi_call_wrapper(fh->Close, 1, fh);
		return EFI_OUT_OF_RESOURCES;
	}
	n = *size;
	st = uefi_call_wrapper(fh->Read, 3, fh, &n, buf);
	uefi_call_wrapper(fh->Close, 1, fh);
	if (EFI_ERROR(st) || n != *size) {
		say(L"hvlab: %s: read error: %r\n", wpath, st);
		if (!to_pages)
			FreePool(buf);
		return EFI_ERROR(st) ? st : EFI_DEVICE_ERROR;
	}
	*data = buf;
	return EFI_SUCCESS;
}

static EFI_STATUS
load_config(void)
{
	char err[96];
	void *text;
	UINT64 size;
	EFI_STATUS st;

	st = read_file(CONFIG_PATH, &text, &size, FALSE);
	if (EFI_ERROR(st))
		return st;
	if (size > CONFIG_MAX_SIZE || config_parse(&config, text, size, err, sizeof(err)) < 0) {
		say(L"hvlab: %a: %a\n", CONFIG_PATH,
		      size > CONFIG_MAX_SIZE ? "larger than 64 KiB: not a config file" : err);
		FreePool(text);
		return EFI_LOAD_ERROR;
	}
	FreePool(text);
	return EFI_SUCCESS;
}

/* The hypervisor's segments at their physical addresses. */
static EFI_STATUS
load_kernel(struct image_info *img)
{
	const char *why;
	void *file;
	UINT64 size;
	EFI_PHYSICAL_ADDRESS addr;
	EFI_STATUS st;

	st = read_file(config.kernel, &file, &size, FALSE);
	if (EFI_ERROR(st))
		return st;
	if (image_check(file, size, sizeof(struct boot_info), img, &why) < 0) {
		say(L"hvlab: %a: %a\n", config.kernel, why);
		FreePool(file);
		return EFI_LOAD_ERROR;
	}
	addr = img->lo;
	st = alloc_pages(AllocateAddress, EfiLoaderCode, (img->hi - img->lo) / EFI_PAGE_SIZE, &addr);
	if (EFI_ERROR(st)) {
		say(L"hvlab: %a: memory at %lx-%lx, where it must run, is taken: %r\n",
		      config.kernel, img->lo, img->hi - 1, st);
		FreePool(file);
		return st;
	}
	image_place(file, img, (void *)(UINTN)addr);
	FreePool(file);
	return EFI_SUCCESS;
}

static EFI_STATUS
load_modules(struct boot_info *bi)
{
	for (UINT32 i = 0; i < config.module_count; i++) {
		struct boot_module *m = &bi->modules[i];
		void *data;
		UINT64 size;
		EFI_STATUS st;

		st = read_file(config.modules[i].path, &data, &size, TRUE);
		if (EFI_ERROR(st))
			return st;
		m->start = (UINTN)data;
		m->end = m->start + size;
		CopyMem(m->cmdline, config.modules[i].desc, sizeof(m->cmdline));
		m->cmdline[sizeof(m->cmdline) - 1] = '\0';
		bi->module_count++;
	}
	return EFI_SUCCESS;
}

/* The ACPI RSDP from the configuration table, ACPI 2.0 (36 bytes) first. */
static void
find_rsdp(struct boot_info *bi)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	const UINT8 *rsdp10 = NULL;

	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (CompareGuid(&t->VendorGuid, &acpi20) == 0) {
			const UINT8 *r = t->VendorTable;

			bi->rsdp_len = r[15] >= 2 ? BOOT_RSDP_MAX : 20;   /* revision */
			CopyMem(bi->rsdp, (void *)r, bi->rsdp_len);
			return;
		}
		if (CompareGuid(&t->VendorGuid, &acpi10) == 0)
			rsdp10 = t->VendorTable;
	}
	if (rsdp10) {
		bi->rsdp_len = 20;
		CopyMem(bi->rsdp, (void *)rsdp10, 20);
	}
}

/* A GOP channel mask as a bit position and a width. */
static void
mask_field(UINT32 mask, uint8_t *pos, uint8_t *size)
{
	*pos = *size = 0;
	if (!mask)
		return;
	while (!(mask & 1)) {
		mask >>= 1;
		(*pos)++;
	}
	while (mask & 1) {
		mask >>= 1;
		(*size)++;
	}
}

/* The GOP framebuffer, in the mode the firmware has set. */
static void
find_framebuffer(struct boot_info *bi)
{
	EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;
	struct boot_framebuffer *fb = &bi->fb;

	if (EFI_ERROR(LibLocateProtocol(&gop_guid, (void **)&gop)) || !gop || !gop->Mode || !gop->Mode->Info)
		return;
	info = gop->Mode->Info;
	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		fb->red_pos = 0, fb->green_pos = 8, fb->blue_pos = 16;
		fb->red_size = fb->green_size = fb->blue_size = 8;
		fb->bpp = 32;
		break;
	case PixelBlueGreenRedReserved8BitPerColor:
		fb->red_pos = 16, fb->green_pos = 8, fb->blue_pos = 0;
		fb->red_size = fb->green_size = fb->blue_size = 8;
		fb->bpp = 32;
		break;
	case PixelBitMask: {
		UINT32 all = info->PixelInformation.RedMask | info->PixelInformation.GreenMask |
			     info->PixelInformation.BlueMask | info->PixelInformation.ReservedMask;

		mask_field(info->PixelInformation.RedMask, &fb->red_pos, &fb->red_size);
		mask_field(info->PixelInformation.GreenMask, &fb->green_pos, &fb->green_size);
		mask_field(info->PixelInformation.BlueMask, &fb->blue_pos, &fb->blue_size);
		fb->bpp = 32;
		while (fb->bpp > 8 && !(all >> (fb->bpp - 1)))
			fb->bpp -= 8;
		break;
	}
	default:                /* PixelBltOnly: no framebuffer to write to */
		return;
	}
	fb->type = BOOT_FB_RGB;
	fb->addr = gop->Mode->FrameBufferBase;
	fb->width = info->HorizontalResolution;
	fb->height = info->VerticalResolution;
	fb->pitch = info->PixelsPerScanLine * ((fb->bpp + 7) / 8);
}

static void
set_loader_name(struct boot_info *bi)
{
	const char *name = LOADER_NAME ", firmware ";
	UINTN n = 0;

	while (*name && n + 1 < sizeof(bi->loader))
		bi->loader[n++] = *name++;
	for (const CHAR16 *v = ST->FirmwareVendor; v && *v && n + 1 < sizeof(bi->loader); v++)
		bi->loader[n++] = *v < 0x7F && *v >= 0x20 ? (char)*v : '?';
	bi->loader[n] = '\0';
}

/*
 * Take the final memory map into bi and leave boot services. Between
 * GetMemoryMap() and ExitBootServices() nothing may allocate, so the map
 * buffer is sized first with room to spare; a changed map key
 * (EFI_INVALID_PARAMETER) means an event allocated meanwhile: get the map
 * again and retry. Prints nothing once the first attempt was made.
 */
static EFI_STATUS
exit_boot_services(struct boot_info *bi, const struct efi_memmap_keep *keep, UINT32 nkeep)
{
	UINTN size = 0, key, dsize, cap;
	UINT32 ver, dropped = bi->dropped;
	EFI_STATUS st;
	void *map;

	st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &key, &dsize, &ver);
	if (st != EFI_BUFFER_TOO_SMALL) {
		say(L"hvlab: GetMemoryMap: %r\n", st);
		return EFI_ERROR(st) ? st : EFI_DEVICE_ERROR;
	}
	cap = size + 16 * dsize;        /* the pool allocation itself adds descriptors */
	map = AllocatePool(cap);
	if (!map) {
		say(L"hvlab: no memory for the memory map\n");
		return EFI_OUT_OF_RESOURCES;
	}
	for (UINTN tries = 0; tries < EXIT_RETRIES; tries++) {
		size = cap;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, map, &key, &dsize, &ver);
		if (EFI_ERROR(st))
			break;
		bi->mem_count = 0;
		bi->dropped = dropped;
		if (efi_memmap_convert(bi, map, size, dsize, keep, nkeep) < 0) {
			st = EFI_INCOMPATIBLE_VERSION;
			break;
		}
		st = uefi_call_wrapper(BS->ExitBootServices, 2, loader_image, key);
		if (st != EFI_INVALID_PARAMETER)
			break;
	}
	if (EFI_ERROR(st) && st != EFI_INVALID_PARAMETER) {
		/* the first attempt has not been made, or was refused without
		 * shutting anything down: the console still works */
		say(L"hvlab: cannot leave boot services: %r\n", st);
	}
	return st;
}

static EFI_STATUS
load_and_start(void)
{
	EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	EFI_LOADED_IMAGE *li;
	EFI_PHYSICAL_ADDRESS bi_addr = BELOW_4G;
	struct efi_memmap_keep keep[2];
	struct image_info img;
	struct boot_info *bi;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->HandleProtocol, 3, loader_image, &li_guid, (void **)&li);
	if (EFI_ERROR(st)) {
		say(L"hvlab: no loaded-image protocol: %r\n", st);
		return st;
	}
	root = LibOpenRoot(li->DeviceHandle);
	if (!root) {
		say(L"hvlab: cannot open the file system the loader came from\n");
		return EFI_NOT_FOUND;
	}
	st = load_config();
	if (EFI_ERROR(st))
		return st;
	st = alloc_pages(AllocateMaxAddress, EfiLoaderData, EFI_SIZE_TO_PAGES(sizeof(*bi)), &bi_addr);
	if (EFI_ERROR(st)) {
		say(L"hvlab: no memory for the boot information: %r\n", st);
		return st;
	}
	bi = (struct boot_info *)(UINTN)bi_addr;
	SetMem(bi, sizeof(*bi), 0);
	set_loader_name(bi);
	CopyMem(bi->cmdline, config.cmdline, sizeof(bi->cmdline));

	say(L"hvlab: loading %a\n", config.kernel);
	st = load_kernel(&img);
	if (EFI_ERROR(st))
		return st;
	st = load_modules(bi);
	if (EFI_ERROR(st))
		return st;
	find_rsdp(bi);
	find_framebuffer(bi);

	keep[0] = (struct efi_memmap_keep){ bi_addr, EFI_SIZE_TO_PAGES(sizeof(*bi)) * EFI_PAGE_SIZE };
	keep[1] = (struct efi_memmap_keep){ img.lo, img.hi - img.lo };
	say(L"hvlab: starting the hypervisor at %lx\n", img.entry64);
	st = exit_boot_services(bi, keep, 2);
	if (st == EFI_INVALID_PARAMETER) {
		/* the map kept changing: boot services may be half shut down,
		 * and only the hypervisor could still make use of the machine */
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	if (EFI_ERROR(st))
		return st;

	__asm__ volatile("cli\n\tjmp *%0" : : "r"(img.entry64), "D"(bi), "S"(HANDOFF_BI_MAGIC) : "memory");
	__builtin_unreachable();
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS EFIAPI
efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_STATUS st;

	InitializeLib(image, systab);
	loader_image = image;
	serial_setup();
	st = load_and_start();
	free_all();
	say(L"hvlab: not started (%r); returning to the firmware\n", st);
	uefi_call_wrapper(BS->Stall, 1, ERROR_PAUSE_US);
	return st;
}
