/*
 * guests/hello32/main.c: an ordinary Multiboot1 kernel. It prints what the
 * loader told it (command line, memory, memory map, loader name), checks
 * the boot magic and, under the hypervisor, its ABI version. It runs the
 * same under QEMU's -kernel, where it ends through isa-debug-exit.
 */
#include "boot/multiboot1_format.h"
#include "guests/lib/guest.h"
#include "guests/lib/hypercall.h"

GUEST_NAME("hello32");

static const char *
mmap_type(uint32_t type)
{
	switch (type) {
	case 1: return "usable";
	case 2: return "reserved";
	case 3: return "ACPI";
	case 4: return "ACPI NVS";
	case 5: return "bad";
	default: return "other";
	}
}

static void
print_mmap(const struct mb1_info *mb)
{
	uint32_t at = mb->mmap_addr, end = mb->mmap_addr + mb->mmap_length;
	uint64_t usable = 0;
	int n = 0;

	while (at + sizeof(struct mb1_mmap_entry) <= end) {
		const struct mb1_mmap_entry *e = (const void *)at;

		guest_printf("memory map: [0x%08llx, 0x%08llx) %s\n", (unsigned long long)e->base,
			     (unsigned long long)(e->base + e->length), mmap_type(e->type));
		if (e->type == MB1_MMAP_USABLE)
			usable += e->length;
		n++;
		at += e->size + sizeof(e->size);
	}
	guest_check(n > 0 && usable > 0, "memory map: %d ranges, %llu KiB usable", n,
		    (unsigned long long)(usable >> 10));
}

void
guest_main(uint32_t magic, uint32_t info)
{
	const struct mb1_info *mb = (const void *)info;

	guest_printf("hello from a 32-bit Multiboot guest\n");
	if (!guest_check(magic == MB1_BOOT_MAGIC, "boot magic %#x (want %#x)", magic, MB1_BOOT_MAGIC))
		guest_fail("not started by a Multiboot1 loader: no information to read");
	if (mb->flags & MB1_INFO_LOADER)
		guest_printf("loader: %s\n", (const char *)mb->boot_loader_name);
	if (mb->flags & MB1_INFO_CMDLINE)
		guest_printf("command line: \"%s\"\n", (const char *)mb->cmdline);
	else
		guest_printf("command line: none\n");
	if (mb->flags & MB1_INFO_MEM)
		guest_printf("memory: %u KiB lower, %u KiB upper\n", mb->mem_lower, mb->mem_upper);
	if (guest_check(mb->flags & MB1_INFO_MMAP, "the loader gave a memory map"))
		print_mmap(mb);
	if (guest_hypervisor_present()) {
		long v = hypercall_version();

		guest_check(v == HYPERCALL_ABI_VERSION, "HC_VERSION returns %ld (want %d)", v,
			    HYPERCALL_ABI_VERSION);
	} else {
		guest_printf("no hypervisor here: ending through isa-debug-exit\n");
	}
	guest_pass();
}
