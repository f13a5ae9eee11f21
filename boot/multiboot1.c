/*
 * boot/multiboot1.c: Multiboot 0.6.96 information, as GRUB's "multiboot"
 * command and QEMU's -kernel leave it. The spec: "Boot information format".
 */
#include "boot/memmap.h"
#include "boot/multiboot.h"
#include "boot/multiboot1_format.h"
#include "lib/string.h"
#include "mm/phys.h"

/* Strings live in the loader's memory; copy them bounded. */
static void
copy_string(char *dst, size_t size, uint32_t pa)
{
	const char *s = phys_to_virt(pa);
	size_t n = 0;

	while (n + 1 < size && s[n])
		n++;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/*
 * QEMU's -kernel (and GRUB Legacy) put the kernel's own file name first on
 * the command line; GRUB 2's "multiboot" command does not. An option never
 * starts with '/', so a leading path is the file name too.
 */
static bool
starts_with_file_name(const struct boot_info *bi)
{
	return !strncmp(bi->loader, "qemu", 4) || bi->cmdline[0] == '/';
}

static void
strip_first_word(char *s)
{
	char *p = s;

	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	memmove(s, p, strlen(p) + 1);
}

int
multiboot1_parse(struct boot_info *bi, uint64_t info)
{
	const struct mb1_info *mb = phys_to_virt(info);

	if (info == 0)
		return -1;
	str_copy(bi->loader, "Multiboot1 loader", sizeof(bi->loader));
	if (mb->flags & MB1_INFO_LOADER)
		copy_string(bi->loader, sizeof(bi->loader), mb->boot_loader_name);
	if (mb->flags & MB1_INFO_CMDLINE) {
		copy_string(bi->cmdline, sizeof(bi->cmdline), mb->cmdline);
		if (starts_with_file_name(bi))
			strip_first_word(bi->cmdline);
	}

	if (mb->flags & MB1_INFO_MMAP) {
		uint64_t p = mb->mmap_addr, end = p + mb->mmap_length;

		while (p + sizeof(struct mb1_mmap_entry) <= end) {
			const struct mb1_mmap_entry *e = phys_to_virt(p);

			if (e->size < 20)       /* base, length and type at least */
				return -1;
			memmap_add(bi, e->base, e->length, memmap_from_e820(e->type));
			p += (uint64_t)e->size + 4;
		}
	} else if (mb->flags & MB1_INFO_MEM) {
		memmap_add(bi, 0, (uint64_t)mb->mem_lower << 10, BOOT_MEM_USABLE);
		memmap_add(bi, MiB(1), (uint64_t)mb->mem_upper << 10, BOOT_MEM_USABLE);
	}
	memmap_sanitize(bi);

	if (mb->flags & MB1_INFO_MODS) {
		const struct mb1_module *m = phys_to_virt(mb->mods_addr);

		for (uint32_t i = 0; i < mb->mods_count; i++) {
			struct boot_module *bm;

			if (bi->module_count == BOOT_MAX_MODULES) {
				bi->dropped++;
				continue;
			}
			bm = &bi->modules[bi->module_count++];
			bm->start = m[i].start;
			bm->end = m[i].end;
			if (m[i].string)
				copy_string(bm->cmdline, sizeof(bm->cmdline), m[i].string);
		}
	}

	if (mb->flags & MB1_INFO_FB) {
		bi->fb.addr = mb->fb_addr;
		bi->fb.pitch = mb->fb_pitch;
		bi->fb.width = mb->fb_width;
		bi->fb.height = mb->fb_height;
		bi->fb.bpp = mb->fb_bpp;
		if (mb->fb_type == MB1_FB_TEXT) {
			bi->fb.type = BOOT_FB_TEXT;
		} else if (mb->fb_type == MB1_FB_RGB) {
			bi->fb.type = BOOT_FB_RGB;
			bi->fb.red_pos = mb->red_pos;
			bi->fb.red_size = mb->red_size;
			bi->fb.green_pos = mb->green_pos;
			bi->fb.green_size = mb->green_size;
			bi->fb.blue_pos = mb->blue_pos;
			bi->fb.blue_size = mb->blue_size;
		}
	}
	return 0;
}
