/*
 * mm/pgtable.h: one 4-level page-table walker for every table the
 * hypervisor builds: its own x86-64 paging (SDM Vol. 3A, 4.5) and the EPT
 * of its guests (SDM Vol. 3C, 29.3). A struct pt_format says how one kind
 * of table encodes its entries; the walker knows only levels and indices.
 *
 * Levels count from the leaf: 1 is a 4 KiB page table, 2 a page directory
 * (2 MiB leaves), 3 a PDPT (1 GiB leaves), 4 the PML4 / EPT PML4 (the
 * root). Tables are physical addresses, touched only through
 * phys_to_virt(), and their pages come from the frame allocator (mm/pmm.h).
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include "kernel/compiler.h"
#include "kernel/errno.h"

#define PT_LEVELS       4
#define PT_ENTRIES      512
#define PT_LEVEL_4K     1
#define PT_LEVEL_2M     2
#define PT_LEVEL_1G     3

/* Bytes one entry at a level covers: 4 KiB, 2 MiB, 1 GiB, 512 GiB. */
#define PT_LEVEL_SHIFT(l)   (12 + 9 * ((l) - 1))
#define PT_LEVEL_SIZE(l)    ((uint64_t)1 << PT_LEVEL_SHIFT(l))
#define PT_VA_LIMIT         ((uint64_t)1 << 48)     /* what 4 levels translate */

/* Generic mapping flags: each format turns them into its own bits. */
#define PT_READ         BIT(0)   /* required: every mapping is readable */
#define PT_WRITE        BIT(1)   /* writable */
#define PT_EXEC         BIT(2)   /* executable (else no-execute where the format can say so) */
#define PT_WB           0        /* memory type write-back: the default */
#define PT_UC           BIT(3)   /* memory type uncacheable: MMIO */
#define PT_GLOBAL       BIT(4)   /* x86: survives CR3 loads (needs CR4.PGE); EPT: ignored */
#define PT_IGNORE_PAT   BIT(5)   /* EPT: the memory type here overrides the guest PAT; x86: ignored */
#define PT_FLAGS_ALL    (PT_READ | PT_WRITE | PT_EXEC | PT_UC | PT_GLOBAL | PT_IGNORE_PAT)

/* x86-64 4-level paging entries (SDM Vol. 3A, 4.5, Tables 4-14 to 4-20). */
#define X86_PTE_P       BIT(0)   /* present */
#define X86_PTE_RW      BIT(1)   /* writable */
#define X86_PTE_US      BIT(2)   /* user-mode accessible */
#define X86_PTE_PWT     BIT(3)   /* page-level write-through */
#define X86_PTE_PCD     BIT(4)   /* page-level cache disable */
#define X86_PTE_A       BIT(5)   /* accessed */
#define X86_PTE_D       BIT(6)   /* dirty (leaves) */
#define X86_PTE_PS      BIT(7)   /* page size: a leaf in a PDPTE or PDE */
#define X86_PTE_PAT     BIT(7)   /* PAT index bit 2 in a 4 KiB PTE */
#define X86_PTE_G       BIT(8)   /* global (leaves) */
#define X86_PTE_PAT_LARGE BIT(12) /* PAT index bit 2 in a 2 MiB / 1 GiB leaf */
#define X86_PTE_XD      BIT(63)  /* execute-disable; reserved unless EFER.NXE */

/* EPT paging-structure entries (SDM Vol. 3C, 29.3.2, Tables 29-1 to 29-6). */
#define EPT_R           BIT(0)   /* read access */
#define EPT_W           BIT(1)   /* write access */
#define EPT_X           BIT(2)   /* execute access (supervisor execute with mode-based control) */
#define EPT_MT_SHIFT    3        /* bits 5:3 of a leaf: EPT memory type */
#define EPT_MT_MASK     (7ULL << EPT_MT_SHIFT)
#define EPT_MT_UC       0        /* uncacheable */
#define EPT_MT_WC       1        /* write combining */
#define EPT_MT_WT       4        /* write-through */
#define EPT_MT_WP       5        /* write-protected */
#define EPT_MT_WB       6        /* write-back */
#define EPT_IPAT        BIT(6)   /* ignore PAT memory type (leaves) */
#define EPT_LARGE       BIT(7)   /* a leaf in an EPT PDPTE (1 GiB) or PDE (2 MiB) */
#define EPT_A           BIT(8)   /* accessed, when EPTP enables A/D flags */
#define EPT_D           BIT(9)   /* dirty (leaves), when EPTP enables A/D flags */
#define EPT_XU          BIT(10)  /* user-mode execute, with mode-based execute control */

#define PT_ADDR_MASK    0x000FFFFFFFFFF000ULL   /* bits 51:12 of any entry */

/*
 * How one kind of page table encodes entries. max_leaf and nx depend on the
 * CPU and are set once, before first use, by whoever owns the tables
 * (mm/paging.c for x86, the EPT code from IA32_VMX_EPT_VPID_CAP).
 */
struct pt_format {
	const char *name;               /* for logs: "x86", "EPT" */
	const char *who;                /* names table-page allocations in out-of-memory lines */
	uint32_t max_leaf;              /* largest leaf level allowed: 1..3 */
	bool nx;                        /* x86: EFER.NXE is on, so XD may be set */
	/* entry pointing at a next-level table */
	uint64_t (*make_table)(const struct pt_format *f, uint64_t table_pa);
	/* leaf at level (1..3) mapping pa with PT_* flags */
	uint64_t (*make_leaf)(const struct pt_format *f, uint64_t pa, uint32_t level, uint32_t flags);
	/* the PT_* flags a leaf at level grants */
	uint32_t (*leaf_flags)(const struct pt_format *f, uint64_t entry, uint32_t level);
	bool (*present)(uint64_t entry);
	/* a present entry at level (2..3) that maps a page rather than a table */
	bool (*large)(uint64_t entry);
};

extern struct pt_format pt_format_x86;  /* max_leaf 2, nx off until set */
extern struct pt_format pt_format_ept;  /* max_leaf 1 until EPT capabilities are read */

/* What pgtable_translate() found. */
struct pt_mapping {
	uint64_t pa;                    /* physical address of the va itself */
	uint32_t flags;                 /* PT_* */
	uint32_t level;                 /* leaf level: 1 (4 KiB), 2 (2 MiB), 3 (1 GiB) */
};

uint64_t pgtable_create(const struct pt_format *f);
void pgtable_destroy(const struct pt_format *f, uint64_t root_pa);
int pgtable_map(const struct pt_format *f, uint64_t root_pa, uint64_t va, uint64_t pa,
		uint64_t size, uint32_t flags);
int pgtable_unmap(const struct pt_format *f, uint64_t root_pa, uint64_t va, uint64_t size);
int pgtable_translate(const struct pt_format *f, uint64_t root_pa, uint64_t va, struct pt_mapping *m);
uint64_t pgtable_table_pages(void);

#endif
