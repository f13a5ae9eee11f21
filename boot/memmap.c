/*
 * boot/memmap.c: the boot memory map, normalised.
 *
 * Firmware maps overlap, arrive unsorted and repeat themselves (ACPI 6.5,
 * 15 "System Address Map Interfaces" allows all of it). memmap_sanitize()
 * turns whatever was added into sorted, non-overlapping ranges where, on an
 * overlap, the more restrictive type wins: usable RAM is never reported on a
 * byte that anyone also called reserved.
 */
#include "boot/memmap.h"
#include "lib/string.h"

/* Higher rank wins an overlap. */
static int
type_rank(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE:   return 0;
	case BOOT_MEM_ACPI:     return 1;
	case BOOT_MEM_ACPI_NVS: return 2;
	case BOOT_MEM_BAD:      return 4;
	default:                return 3;
	}
}

/* Append a range as the loader reported it; empty ranges are ignored. */
void
memmap_add(struct boot_info *bi, uint64_t base, uint64_t length, uint32_t type)
{
	if (length == 0)
		return;
	if (base + length < base)               /* wraps: clamp to the top */
		length = 0 - base;
	if (bi->mem_count >= BOOT_MAX_MEM_RANGES) {
		bi->dropped++;
		return;
	}
	bi->mem[bi->mem_count++] = (struct boot_mem_range){ base, length, type };
}

/* The E820 / Multiboot numbering (ACPI 6.5, Table 15.1) mapped to ours. */
uint32_t
memmap_from_e820(uint32_t e820_type)
{
	switch (e820_type) {
	case 1: return BOOT_MEM_USABLE;
	case 3: return BOOT_MEM_ACPI;
	case 4: return BOOT_MEM_ACPI_NVS;
	case 5: return BOOT_MEM_BAD;
	default: return BOOT_MEM_RESERVED;
	}
}

static void
sort_u64(uint64_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		uint32_t j = i;
		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/*
 * Rewrite bi->mem as sorted, non-overlapping, maximally merged ranges.
 * Cuts the line at every range boundary and gives each piece the
 * highest-ranked type that covers it. O(n^2) for n <= BOOT_MAX_MEM_RANGES.
 */
void
memmap_sanitize(struct boot_info *bi)
{
	uint64_t cut[2 * BOOT_MAX_MEM_RANGES];
	struct boot_mem_range out[BOOT_MAX_MEM_RANGES];
	uint32_t ncut = 0, nout = 0;

	for (uint32_t i = 0; i < bi->mem_count; i++) {
		cut[ncut++] = bi->mem[i].base;
		cut[ncut++] = bi->mem[i].base + bi->mem[i].length;
	}
	sort_u64(cut, ncut);

	for (uint32_t c = 0; c + 1 < ncut; c++) {
		uint64_t lo = cut[c], hi = cut[c + 1];
		int best = -1;
		uint32_t type = 0;

		if (lo == hi)
			continue;
		for (uint32_t i = 0; i < bi->mem_count; i++) {
			const struct boot_mem_range *r = &bi->mem[i];
			if (r->base <= lo && hi <= r->base + r->length && type_rank(r->type) > best) {
				best = type_rank(r->type);
				type = r->type;
			}
		}
		if (best < 0)
			continue;       /* a hole nobody described */
		if (nout > 0 && out[nout - 1].type == type &&
		    out[nout - 1].base + out[nout - 1].length == lo) {
			out[nout - 1].length += hi - lo;
			continue;
		}
		if (nout == BOOT_MAX_MEM_RANGES) {
			bi->dropped++;
			continue;
		}
		out[nout++] = (struct boot_mem_range){ lo, hi - lo, type };
	}
	memcpy(bi->mem, out, nout * sizeof(out[0]));
	bi->mem_count = nout;
}

uint64_t
memmap_usable_bytes(const struct boot_info *bi)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOT_MEM_USABLE)
			total += bi->mem[i].length;
	return total;
}

const char *
memmap_type_name(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE:   return "usable";
	case BOOT_MEM_RESERVED: return "reserved";
	case BOOT_MEM_ACPI:     return "acpi";
	case BOOT_MEM_ACPI_NVS: return "acpi-nvs";
	case BOOT_MEM_BAD:      return "bad";
	default:                return "?";
	}
}
