/*
 * mm/pt_format.c: the two entry encodings mm/pgtable.c walks.
 *
 * x86-64 4-level paging: SDM Vol. 3A, 4.5, Tables 4-14 to 4-20.
 * EPT: SDM Vol. 3C, 29.3.2, Tables 29-1 to 29-6.
 */
#include "mm/pgtable.h"

/*
 * x86: non-leaf entries grant everything (present, writable, executable)
 * and leave the decision to the leaf, since the effective rights are the
 * intersection along the walk (SDM Vol. 3A, 4.6.1). Every mapping is
 * supervisor-only and readable. Memory type comes from the PAT entry that
 * PWT, PCD and PAT select; with the power-on PAT (SDM Vol. 3A, 11.12.4,
 * Table 11-12) index 0 is WB and index 3 (PWT | PCD) is UC, so no PAT
 * programming is needed for the two types we use.
 */
static uint64_t
x86_make_table(const struct pt_format *f, uint64_t table_pa)
{
	return (table_pa & PT_ADDR_MASK) | X86_PTE_P | X86_PTE_RW;
}

static uint64_t
x86_make_leaf(const struct pt_format *f, uint64_t pa, uint32_t level, uint32_t flags)
{
	uint64_t e = (pa & PT_ADDR_MASK) | X86_PTE_P;

	if (flags & PT_WRITE)
		e |= X86_PTE_RW;
	if (flags & PT_UC)
		e |= X86_PTE_PWT | X86_PTE_PCD;
	if (flags & PT_GLOBAL)
		e |= X86_PTE_G;
	/* without EFER.NXE bit 63 is reserved: setting it faults every access (Table 4-19, 4.7) */
	if (!(flags & PT_EXEC) && f->nx)
		e |= X86_PTE_XD;
	if (level > PT_LEVEL_4K)
		e |= X86_PTE_PS;
	return e;
}

static uint32_t
x86_leaf_flags(const struct pt_format *f, uint64_t e, uint32_t level)
{
	uint32_t flags = PT_READ;

	if (e & X86_PTE_RW)
		flags |= PT_WRITE;
	if (!(e & X86_PTE_XD))
		flags |= PT_EXEC;
	if (e & X86_PTE_PCD)
		flags |= PT_UC;
	if (e & X86_PTE_G)
		flags |= PT_GLOBAL;
	return flags;
}

static bool
x86_present(uint64_t e)
{
	return e & X86_PTE_P;
}

static bool
x86_large(uint64_t e)
{
	return e & X86_PTE_PS;
}

/* 2 MiB leaves exist on every 64-bit CPU; 1 GiB ones only with CPUID page1g. */
struct pt_format pt_format_x86 = {
	.name = "x86",
	.who = "page tables",
	.max_leaf = PT_LEVEL_2M,
	.nx = false,
	.make_table = x86_make_table,
	.make_leaf = x86_make_leaf,
	.leaf_flags = x86_leaf_flags,
	.present = x86_present,
	.large = x86_large,
};

/*
 * EPT: an entry is present when any of R, W, X is set (SDM Vol. 3C,
 * 29.3.2). Write without read is a misconfiguration (29.3.3.1), which
 * pgtable_map() rules out by requiring PT_READ. The memory type lives only
 * in leaves; with IPAT clear it is combined with the guest's PAT type
 * (29.3.7.2), so WB guest RAM still honours the guest's own UC mappings.
 */
static uint64_t
ept_make_table(const struct pt_format *f, uint64_t table_pa)
{
	return (table_pa & PT_ADDR_MASK) | EPT_R | EPT_W | EPT_X;
}

static uint64_t
ept_make_leaf(const struct pt_format *f, uint64_t pa, uint32_t level, uint32_t flags)
{
	uint64_t e = pa & PT_ADDR_MASK;

	if (flags & PT_READ)
		e |= EPT_R;
	if (flags & PT_WRITE)
		e |= EPT_W;
	if (flags & PT_EXEC)
		e |= EPT_X;
	e |= (uint64_t)((flags & PT_UC) ? EPT_MT_UC : EPT_MT_WB) << EPT_MT_SHIFT;
	if (flags & PT_IGNORE_PAT)
		e |= EPT_IPAT;
	if (level > PT_LEVEL_4K)
		e |= EPT_LARGE;
	return e;
}

static uint32_t
ept_leaf_flags(const struct pt_format *f, uint64_t e, uint32_t level)
{
	uint32_t flags = 0;

	if (e & EPT_R)
		flags |= PT_READ;
	if (e & EPT_W)
		flags |= PT_WRITE;
	if (e & EPT_X)
		flags |= PT_EXEC;
	if (((e & EPT_MT_MASK) >> EPT_MT_SHIFT) == EPT_MT_UC)
		flags |= PT_UC;
	if (e & EPT_IPAT)
		flags |= PT_IGNORE_PAT;
	return flags;
}

static bool
ept_present(uint64_t e)
{
	return e & (EPT_R | EPT_W | EPT_X);
}

static bool
ept_large(uint64_t e)
{
	return e & EPT_LARGE;
}

/* Large EPT pages are optional (IA32_VMX_EPT_VPID_CAP bits 16 and 17): 4 KiB until told. */
struct pt_format pt_format_ept = {
	.name = "EPT",
	.who = "EPT page tables",
	.max_leaf = PT_LEVEL_4K,
	.nx = false,
	.make_table = ept_make_table,
	.make_leaf = ept_make_leaf,
	.leaf_flags = ept_leaf_flags,
	.present = ept_present,
	.large = ept_large,
};
