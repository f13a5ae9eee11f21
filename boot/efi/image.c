/*
 * boot/efi/image.c: the hypervisor's ELF file, checked and placed.
 * Offsets are those of the ELF-64 Object File Format 1.5: the file header
 * (Elf64_Ehdr, 64 bytes) and program headers (Elf64_Phdr, 56 bytes).
 */
#include "boot/efi/image.h"
#include "boot/efi/handoff.h"
#include "lib/string.h"

#define EI_CLASS        4
#define ELFCLASS64      2
#define EI_DATA         5
#define ELFDATA2LSB     1
#define ET_EXEC         2
#define EM_X86_64       62
#define PT_LOAD         1
#define PAGE            4096u
#define LIMIT_4G        0x100000000ull

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
STATIC_ASSERT(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr");

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
STATIC_ASSERT(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr");

static const struct elf64_phdr *
phdr(const void *file, uint32_t i)
{
	const struct elf64_ehdr *eh = file;

	return (const void *)((const uint8_t *)file + eh->phoff + (uint64_t)i * eh->phentsize);
}

int
image_check(const void *file, uint64_t size, uint32_t boot_info_size, struct image_info *info,
	    const char **why)
{
	const struct elf64_ehdr *eh = file;
	const uint8_t *f = file;
	struct handoff_header h;
	bool found = false;

	info->lo = UINT64_MAX;
	info->hi = 0;
	if (size < sizeof(*eh) || f[0] != 0x7F || f[1] != 'E' || f[2] != 'L' || f[3] != 'F') {
		*why = "not an ELF file";
		return -1;
	}
	if (eh->ident[EI_CLASS] != ELFCLASS64 || eh->ident[EI_DATA] != ELFDATA2LSB ||
	    eh->machine != EM_X86_64 || eh->type != ET_EXEC) {
		*why = "not an x86-64 ELF64 executable";
		return -1;
	}
	if (eh->phentsize < sizeof(struct elf64_phdr) || eh->phnum == 0 || eh->phoff > size ||
	    (uint64_t)eh->phnum * eh->phentsize > size - eh->phoff) {
		*why = "program headers missing or cut off (a truncated file?)";
		return -1;
	}
	for (uint32_t i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph = phdr(file, i);

		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		if (ph->filesz > ph->memsz || ph->offset > size || ph->filesz > size - ph->offset) {
			*why = "a segment runs past the end of the file (a truncated file?)";
			return -1;
		}
		if (ph->paddr >= LIMIT_4G || ph->memsz > LIMIT_4G - ph->paddr) {
			*why = "a segment lies above 4 GiB";
			return -1;
		}
		info->lo = MIN(info->lo, ALIGN_DOWN(ph->paddr, PAGE));
		info->hi = MAX(info->hi, ALIGN_UP(ph->paddr + ph->memsz, (uint64_t)PAGE));
	}
	if (info->hi == 0) {
		*why = "no loadable segments";
		return -1;
	}
	for (uint64_t off = 0; off + sizeof(h) <= MIN(size, (uint64_t)HANDOFF_SEARCH); off += 8) {
		memcpy(&h, f + off, sizeof(h));
		if (h.magic == HANDOFF_HEADER_MAGIC) {
			found = true;
			break;
		}
	}
	if (!found) {
		*why = "no hand-off header (boot/efi/handoff.h): not this project's hypervisor?";
		return -1;
	}
	if (h.version != HANDOFF_VERSION || h.boot_info_size != boot_info_size) {
		*why = "hand-off header of another version: the loader and the hypervisor do not match";
		return -1;
	}
	if (h.entry64 < info->lo || h.entry64 >= info->hi) {
		*why = "the 64-bit entry point lies outside the image";
		return -1;
	}
	info->entry64 = h.entry64;
	return 0;
}

void
image_place(const void *file, const struct image_info *info, void *dest)
{
	const struct elf64_ehdr *eh = file;
	uint8_t *d = dest;

	memset(d, 0, info->hi - info->lo);
	for (uint32_t i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph = phdr(file, i);

		if (ph->type == PT_LOAD && ph->memsz)
			memcpy(d + (ph->paddr - info->lo), (const uint8_t *)file + ph->offset, ph->filesz);
	}
}
