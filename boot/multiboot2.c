/*
 * boot/multiboot2.c: Multiboot2 information, as GRUB's "multiboot2" command
 * leaves it, in BIOS and in UEFI mode. The spec: Multiboot2 1.0,
 * "Boot information format". Every tag is bounds-checked against the total
 * size before it is read.
 */
#include "boot/memmap.h"
#include "boot/multiboot.h"
#include "lib/string.h"
#include "mm/phys.h"

#define MB2_TAG_END         0
#define MB2_TAG_CMDLINE     1
#define MB2_TAG_LOADER      2
#define MB2_TAG_MODULE      3
#define MB2_TAG_MEMINFO     4
#define MB2_TAG_MMAP        6
#define MB2_TAG_FB          8
#define MB2_TAG_ACPI_OLD    14
#define MB2_TAG_ACPI_NEW    15

#define MB2_FB_RGB          1
#define MB2_FB_TEXT         2

#define MB2_INFO_MAX        MiB(1)      /* larger is not a real loader's */

struct __packed mb2_tag {
	uint32_t type, size;
};

struct __packed mb2_module {
	struct mb2_tag tag;
	uint32_t start, end;
	char string[];
};

struct __packed mb2_meminfo {
	struct mb2_tag tag;
	uint32_t mem_lower, mem_upper;
};

struct __packed mb2_mmap {
	struct mb2_tag tag;
	uint32_t entry_size, entry_version;
};

struct __packed mb2_mmap_entry {
	uint64_t base, length;
	uint32_t type, reserved;
};

struct __packed mb2_fb {
	struct mb2_tag tag;
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type;
	uint16_t reserved;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

/* A tag's string runs to its end at most. */
static void
copy_tag_string(char *dst, size_t size, const char *s, size_t avail)
{
	size_t n = 0;

	while (n + 1 < size && n < avail && s[n])
		n++;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void
parse_fb(struct boot_info *bi, const struct mb2_fb *t)
{
	bi->fb.addr = t->addr;
	bi->fb.pitch = t->pitch;
	bi->fb.width = t->width;
	bi->fb.height = t->height;
	bi->fb.bpp = t->bpp;
	if (t->type == MB2_FB_TEXT) {
		bi->fb.type = BOOT_FB_TEXT;
	} else if (t->type == MB2_FB_RGB && t->tag.size >= sizeof(*t)) {
		bi->fb.type = BOOT_FB_RGB;
		bi->fb.red_pos = t->red_pos;
		bi->fb.red_size = t->red_size;
		bi->fb.green_pos = t->green_pos;
		bi->fb.green_size = t->green_size;
		bi->fb.blue_pos = t->blue_pos;
		bi->fb.blue_size = t->blue_size;
	}
}

int
multiboot2_parse(struct boot_info *bi, uint64_t info)
{
	const uint32_t *hdr = phys_to_virt(info);
	uint32_t total;
	uint64_t p, end;
	bool have_mmap = false;
	const struct mb2_meminfo *meminfo = NULL;

	if (info == 0 || (info & 7))
		return -1;
	total = hdr[0];
	if (total < 16 || total > MB2_INFO_MAX)
		return -1;
	str_copy(bi->loader, "Multiboot2 loader", sizeof(bi->loader));

	end = info + total;
	for (p = info + 8; p + sizeof(struct mb2_tag) <= end; p = ALIGN_UP(p + ((const struct mb2_tag *)phys_to_virt(p))->size, 8)) {
		const struct mb2_tag *tag = phys_to_virt(p);
		const char *body = (const char *)(tag + 1);
		size_t body_len;

		if (tag->type == MB2_TAG_END)
			break;
		if (tag->size < sizeof(*tag) || p + tag->size > end)
			return -1;
		body_len = tag->size - sizeof(*tag);

		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			copy_tag_string(bi->cmdline, sizeof(bi->cmdline), body, body_len);
			break;
		case MB2_TAG_LOADER:
			copy_tag_string(bi->loader, sizeof(bi->loader), body, body_len);
			break;
		case MB2_TAG_MODULE: {
			const struct mb2_module *m = (const void *)tag;
			struct boot_module *bm;

			if (tag->size < sizeof(*m))
				return -1;
			if (bi->module_count == BOOT_MAX_MODULES) {
				bi->dropped++;
				break;
			}
			bm = &bi->modules[bi->module_count++];
			bm->start = m->start;
			bm->end = m->end;
			copy_tag_string(bm->cmdline, sizeof(bm->cmdline), m->string, tag->size - sizeof(*m));
			break;
		}
		case MB2_TAG_MEMINFO:
			if (tag->size >= sizeof(*meminfo))
				meminfo = (const void *)tag;
			break;
		case MB2_TAG_MMAP: {
			const struct mb2_mmap *mm = (const void *)tag;
			uint64_t e, e_end = p + tag->size;

			if (tag->size < sizeof(*mm) || mm->entry_size < sizeof(struct mb2_mmap_entry))
				return -1;
			for (e = p + sizeof(*mm); e + mm->entry_size <= e_end; e += mm->entry_size) {
				const struct mb2_mmap_entry *me = phys_to_virt(e);
				memmap_add(bi, me->base, me->length, memmap_from_e820(me->type));
			}
			have_mmap = true;
			break;
		}
		case MB2_TAG_FB:
			if (tag->size >= offsetof(struct mb2_fb, red_pos))
				parse_fb(bi, (const void *)tag);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			/* prefer the ACPI 2.0+ copy when both are given */
			if (tag->type == MB2_TAG_ACPI_NEW || bi->rsdp_len == 0) {
				bi->rsdp_len = MIN(body_len, sizeof(bi->rsdp));
				memcpy(bi->rsdp, body, bi->rsdp_len);
			}
			break;
		default:
			break;
		}
	}
	if (!have_mmap && meminfo) {
		memmap_add(bi, 0, (uint64_t)meminfo->mem_lower << 10, BOOT_MEM_USABLE);
		memmap_add(bi, MiB(1), (uint64_t)meminfo->mem_upper << 10, BOOT_MEM_USABLE);
	}
	memmap_sanitize(bi);
	return 0;
}
