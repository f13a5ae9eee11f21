/*
 * drivers/acpi.c: find the RSDP, walk the XSDT or RSDT, and read the MADT
 * and the FADT into struct acpi_info (ACPI 6.5, 5.2). Firmware tables are
 * not trusted: every table's length and checksum is checked before a byte
 * of it is used, and a bad one is reported by name and skipped.
 *
 * All firmware memory is reached through phys_to_virt(), so host unit
 * tests (test/unit/test_acpi.c) build the tables in fake physical memory.
 */
#include "drivers/acpi.h"
#include "boot/boot_info.h"
#include "kernel/log.h"
#include "kernel/x86.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/phys.h"

/* Root System Description Pointer (ACPI 6.5, 5.2.5.3, Table 5.3). */
struct __packed acpi_rsdp {
	char signature[8];              /* "RSD PTR " */
	uint8_t checksum;               /* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_addr;
	uint32_t length;                /* revision 2 and later from here */
	uint64_t xsdt_addr;
	uint8_t ext_checksum;           /* over length bytes */
	uint8_t reserved[3];
};
STATIC_ASSERT(sizeof(struct acpi_rsdp) == 36, "ACPI 2.0 RSDP is 36 bytes");
#define RSDP_V1_LEN             20

/* System Description Table header (ACPI 6.5, 5.2.6, Table 5.4). */
struct __packed acpi_sdt {
	char signature[4];
	uint32_t length;                /* the whole table, header included */
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
};
STATIC_ASSERT(sizeof(struct acpi_sdt) == 36, "ACPI table header is 36 bytes");

/* Multiple APIC Description Table (ACPI 6.5, 5.2.12, Table 5.19). */
struct __packed acpi_madt {
	struct acpi_sdt hdr;
	uint32_t lapic_addr;
	uint32_t flags;
};
STATIC_ASSERT(sizeof(struct acpi_madt) == 44, "MADT fixed part is 44 bytes");
#define MADT_PCAT_COMPAT        BIT(0)  /* dual 8259 present */

/* MADT interrupt controller structure types (ACPI 6.5, Table 5.21). */
#define MADT_LAPIC              0
#define MADT_IOAPIC             1
#define MADT_OVERRIDE           2
#define MADT_NMI_SOURCE         3
#define MADT_LAPIC_NMI          4
#define MADT_LAPIC_OVERRIDE     5
#define MADT_X2APIC             9
#define MADT_X2APIC_NMI         10

/* Local APIC flags (ACPI 6.5, Table 5.23). */
#define MADT_CPU_ENABLED        BIT(0)  /* usable now */
#define MADT_CPU_ONLINE_CAPABLE BIT(1)  /* may be enabled at run time */

struct __packed madt_entry {
	uint8_t type;
	uint8_t length;
};

struct __packed madt_lapic {            /* Table 5.22 */
	struct madt_entry h;
	uint8_t uid;
	uint8_t apic_id;
	uint32_t flags;
};
STATIC_ASSERT(sizeof(struct madt_lapic) == 8, "MADT LAPIC entry");

struct __packed madt_ioapic {           /* Table 5.24 */
	struct madt_entry h;
	uint8_t id;
	uint8_t reserved;
	uint32_t addr;
	uint32_t gsi_base;
};
STATIC_ASSERT(sizeof(struct madt_ioapic) == 12, "MADT IOAPIC entry");

struct __packed madt_override {         /* Table 5.25 */
	struct madt_entry h;
	uint8_t bus;
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;
};
STATIC_ASSERT(sizeof(struct madt_override) == 10, "MADT interrupt source override");

struct __packed madt_nmi_source {       /* Table 5.27 */
	struct madt_entry h;
	uint16_t flags;
	uint32_t gsi;
};
STATIC_ASSERT(sizeof(struct madt_nmi_source) == 8, "MADT NMI source");

struct __packed madt_lapic_nmi {        /* Table 5.28 */
	struct madt_entry h;
	uint8_t uid;                    /* 0xFF: all processors */
	uint16_t flags;
	uint8_t lint;
};
STATIC_ASSERT(sizeof(struct madt_lapic_nmi) == 6, "MADT LAPIC NMI");

struct __packed madt_lapic_override {   /* Table 5.29 */
	struct madt_entry h;
	uint16_t reserved;
	uint64_t addr;
};
STATIC_ASSERT(sizeof(struct madt_lapic_override) == 12, "MADT LAPIC address override");

struct __packed madt_x2apic {           /* Table 5.37 */
	struct madt_entry h;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t uid;
};
STATIC_ASSERT(sizeof(struct madt_x2apic) == 16, "MADT x2APIC entry");

struct __packed madt_x2apic_nmi {       /* Table 5.38 */
	struct madt_entry h;
	uint16_t flags;
	uint32_t uid;                   /* 0xFFFFFFFF: all processors */
	uint8_t lint;
	uint8_t reserved[3];
};
STATIC_ASSERT(sizeof(struct madt_x2apic_nmi) == 12, "MADT x2APIC NMI");

/*
 * Fixed ACPI Description Table (ACPI 6.5, 5.2.9, Table 5.9). It grew with
 * every revision and firmware still ships short ones (ACPI 1.0: 116
 * bytes), so each field is read only if the table's length covers it.
 */
struct __packed acpi_fadt {
	struct acpi_sdt hdr;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk, x_gpe1_blk;
	struct acpi_gas sleep_control_reg, sleep_status_reg;
	uint64_t hypervisor_vendor_id;
};
STATIC_ASSERT(sizeof(struct acpi_fadt) == 276, "ACPI 6.5 FADT is 276 bytes");
STATIC_ASSERT(offsetof(struct acpi_fadt, pm_tmr_blk) == 76, "FADT PM_TMR_BLK offset");
STATIC_ASSERT(offsetof(struct acpi_fadt, flags) == 112, "FADT Flags offset");
STATIC_ASSERT(offsetof(struct acpi_fadt, x_pm_tmr_blk) == 208, "FADT X_PM_TMR_BLK offset");

/* FADT Flags (ACPI 6.5, Table 5.10). */
#define FADT_TMR_VAL_EXT        BIT(8)   /* PM timer is 32 bits, else 24 */
#define FADT_RESET_REG_SUP      BIT(10)  /* RESET_REG is valid */
#define FADT_HW_REDUCED_ACPI    BIT(20)  /* no fixed ACPI hardware */

/* IA-PC boot architecture flags (ACPI 6.5, Table 5.11). */
#define BOOT_ARCH_LEGACY_DEVICES BIT(0)  /* ISA devices beyond the 8042 */
#define BOOT_ARCH_8042          BIT(1)   /* keyboard controller present */
#define BOOT_ARCH_NO_VGA        BIT(2)   /* do not probe VGA */
#define BOOT_ARCH_NO_MSI        BIT(3)   /* MSI must not be enabled */
#define BOOT_ARCH_NO_ASPM       BIT(4)   /* PCIe ASPM must not be touched */
#define BOOT_ARCH_NO_CMOS_RTC   BIT(5)   /* CMOS RTC absent */

/* Where the RSDP may be on a BIOS machine (ACPI 6.5, 5.2.5.1). */
#define EBDA_SEARCH_LEN         1024
#define BIOS_AREA_START         0xE0000
#define BIOS_AREA_END           0x100000

/*
 * Tables must lie where the hypervisor's page tables reach before any
 * other mapping exists (mm/ identity-maps the first 4 GiB), and be of a
 * sane size: a huge length is a corrupt header, not a real table.
 */
#define ACPI_ADDR_LIMIT         0x100000000ULL
#define ACPI_TABLE_MAX_LEN      (1u << 20)

static struct acpi_info info;

static uint8_t
checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += b[i];
	return sum;
}

static bool
range_ok(uint64_t addr, uint64_t len)
{
	return addr != 0 && addr < ACPI_ADDR_LIMIT && len <= ACPI_ADDR_LIMIT - addr;
}

/*
 * Check an RSDP of avail bytes at p. Returns 0 for a usable one, sets
 * *v2 when its ACPI 2.0 part (length, XSDT, extended checksum) is also
 * good; a bad extended part leaves an ACPI 1.0 RSDP and says so.
 */
static int
rsdp_check(const struct acpi_rsdp *r, size_t avail, bool *v2, bool quiet)
{
	*v2 = false;
	if (avail < RSDP_V1_LEN || memcmp(r->signature, "RSD PTR ", 8))
		return -1;
	if (checksum(r, RSDP_V1_LEN)) {
		if (!quiet)
			log_warn("acpi: RSDP checksum is wrong; ignoring it");
		return -1;
	}
	if (r->revision < 2)
		return 0;
	if (avail < sizeof(*r) || r->length < sizeof(*r) || r->length > avail) {
		log_warn("acpi: RSDP rev %u has a bad length %u; using it as ACPI 1.0",
			 r->revision, avail < sizeof(*r) ? 0 : r->length);
		return 0;
	}
	if (checksum(r, r->length)) {
		log_warn("acpi: RSDP extended checksum is wrong; using it as ACPI 1.0");
		return 0;
	}
	*v2 = true;
	return 0;
}

/* Scan [start, end) on 16-byte boundaries for a valid RSDP; 0 if none. */
static uint64_t
rsdp_scan(uint64_t start, uint64_t end, bool *v2)
{
	for (uint64_t pa = ALIGN_UP(start, 16); pa + RSDP_V1_LEN <= end; pa += 16) {
		const struct acpi_rsdp *r = phys_to_virt(pa);

		if (memcmp(r->signature, "RSD PTR ", 8))
			continue;
		if (rsdp_check(r, end - pa, v2, false) == 0)
			return pa;
	}
	return 0;
}

/*
 * Map the table at pa and check it: in reach, a header and length that make
 * sense, the expected signature when sig is not NULL, a zero checksum.
 * Returns the table or NULL after a warning naming what was wrong.
 */
static const struct acpi_sdt *
table_get(uint64_t pa, const char *sig, const char *what)
{
	const struct acpi_sdt *t;
	char name[5];

	if (!range_ok(pa, sizeof(*t))) {
		log_warn("acpi: %s at %#lx is out of reach; skipped", what, pa);
		return NULL;
	}
	t = phys_to_virt(pa);
	memcpy(name, t->signature, 4);
	name[4] = '\0';
	for (int i = 0; i < 4; i++)
		if (name[i] < ' ' || name[i] > '~')
			name[i] = '?';
	if (sig && memcmp(t->signature, sig, 4)) {
		log_warn("acpi: %s at %#lx has signature \"%s\", expected %s; skipped", what, pa, name, sig);
		return NULL;
	}
	if (t->length < sizeof(*t) || t->length > ACPI_TABLE_MAX_LEN || !range_ok(pa, t->length)) {
		log_warn("acpi: %s table at %#lx has a bad length %u; skipped", name, pa, t->length);
		return NULL;
	}
	if (checksum(t, t->length)) {
		log_warn("acpi: %s table at %#lx has a bad checksum; skipped", name, pa);
		return NULL;
	}
	return t;
}

/* Record the root table's entries that pass table_get(). */
static void
root_walk(const struct acpi_sdt *root, size_t entry_size)
{
	const uint8_t *p = (const uint8_t *)root + sizeof(*root);
	size_t n = (root->length - sizeof(*root)) / entry_size;

	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		const struct acpi_sdt *t;
		struct acpi_table *e;

		memcpy(&pa, p + i * entry_size, entry_size);    /* little-endian, maybe unaligned */
		t = table_get(pa, NULL, "table");
		if (!t)
			continue;
		if (info.table_count == ACPI_MAX_TABLES) {
			log_warn("acpi: more than %u tables; the rest are ignored", ACPI_MAX_TABLES);
			break;
		}
		e = &info.tables[info.table_count++];
		memcpy(e->sig, t->signature, 4);
		e->sig[4] = '\0';
		e->addr = pa;
		e->length = t->length;
	}
}

uint64_t
acpi_find_table(const char *sig)
{
	for (uint32_t i = 0; i < info.table_count; i++)
		if (!memcmp(info.tables[i].sig, sig, 4))
			return info.tables[i].addr;
	return 0;
}

static void
add_cpu(uint32_t apic_id, uint32_t uid, uint32_t flags, bool x2apic)
{
	struct acpi_cpu *c;

	if (!(flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE)))
		return;                 /* unusable: not present at all */
	for (uint32_t i = 0; i < info.cpu_count; i++)
		if (info.cpus[i].apic_id == apic_id)
			return;         /* both a LAPIC and an x2APIC entry */
	if (info.cpu_count == ACPI_MAX_CPUS) {
		info.dropped++;
		return;
	}
	c = &info.cpus[info.cpu_count++];
	c->apic_id = apic_id;
	c->uid = uid;
	c->enabled = flags & MADT_CPU_ENABLED;
	c->online_capable = !c->enabled && (flags & MADT_CPU_ONLINE_CAPABLE);
	c->x2apic_entry = x2apic;
}

static void
add_lapic_nmi(uint32_t uid, uint8_t lint, uint16_t flags)
{
	if (info.lapic_nmi_count == ACPI_MAX_NMIS) {
		info.dropped++;
		return;
	}
	info.lapic_nmis[info.lapic_nmi_count++] = (struct acpi_lapic_nmi){ uid, lint, flags };
}

/* The minimum length of each known MADT entry type; 0 for types we skip. */
static const uint8_t madt_entry_len[] = {
	[MADT_LAPIC] = sizeof(struct madt_lapic),
	[MADT_IOAPIC] = sizeof(struct madt_ioapic),
	[MADT_OVERRIDE] = sizeof(struct madt_override),
	[MADT_NMI_SOURCE] = sizeof(struct madt_nmi_source),
	[MADT_LAPIC_NMI] = sizeof(struct madt_lapic_nmi),
	[MADT_LAPIC_OVERRIDE] = sizeof(struct madt_lapic_override),
	[MADT_X2APIC] = sizeof(struct madt_x2apic),
	[MADT_X2APIC_NMI] = sizeof(struct madt_x2apic_nmi),
};

static void
madt_entry(const struct madt_entry *e)
{
	switch (e->type) {
	case MADT_LAPIC: {
		const struct madt_lapic *l = (const void *)e;

		if (l->apic_id != 0xFF)
			add_cpu(l->apic_id, l->uid, l->flags, false);
		break;
	}
	case MADT_X2APIC: {
		const struct madt_x2apic *x = (const void *)e;

		if (x->x2apic_id != 0xFFFFFFFF)
			add_cpu(x->x2apic_id, x->uid, x->flags, true);
		break;
	}
	case MADT_IOAPIC: {
		const struct madt_ioapic *io = (const void *)e;

		if (info.ioapic_count == ACPI_MAX_IOAPICS) {
			info.dropped++;
			break;
		}
		info.ioapics[info.ioapic_count++] = (struct acpi_ioapic){ io->id, io->addr, io->gsi_base };
		break;
	}
	case MADT_OVERRIDE: {
		const struct madt_override *o = (const void *)e;

		if (o->bus != 0 || o->source >= 16) {
			log_warn("acpi: MADT override of bus %u IRQ %u is not ISA; ignored", o->bus, o->source);
			break;
		}
		if (info.override_count == ACPI_MAX_OVERRIDES) {
			info.dropped++;
			break;
		}
		info.overrides[info.override_count++] = (struct acpi_override){ o->source, o->gsi, o->flags };
		break;
	}
	case MADT_NMI_SOURCE: {
		const struct madt_nmi_source *n = (const void *)e;

		if (info.nmi_source_count == ACPI_MAX_NMIS) {
			info.dropped++;
			break;
		}
		info.nmi_sources[info.nmi_source_count++] = (struct acpi_nmi_source){ n->gsi, n->flags };
		break;
	}
	case MADT_LAPIC_NMI: {
		const struct madt_lapic_nmi *n = (const void *)e;

		add_lapic_nmi(n->uid == 0xFF ? ACPI_NMI_ALL_CPUS : n->uid, n->lint, n->flags);
		break;
	}
	case MADT_X2APIC_NMI: {
		const struct madt_x2apic_nmi *n = (const void *)e;

		add_lapic_nmi(n->uid, n->lint, n->flags);
		break;
	}
	case MADT_LAPIC_OVERRIDE:
		info.lapic_addr = ((const struct madt_lapic_override *)e)->addr;
		break;
	}
}

/* Interrupt controllers (ACPI 6.5, 5.2.12). */
static void
madt_parse(const struct acpi_sdt *t)
{
	const struct acpi_madt *m = (const void *)t;
	const uint8_t *p, *end;

	if (t->length < sizeof(*m)) {
		log_warn("acpi: APIC table is %u bytes, shorter than its fixed part; skipped", t->length);
		return;
	}
	info.madt = true;
	info.lapic_addr = m->lapic_addr;
	info.pcat_compat = m->flags & MADT_PCAT_COMPAT;
	p = (const uint8_t *)m + sizeof(*m);
	end = (const uint8_t *)t + t->length;
	while (p + sizeof(struct madt_entry) <= end) {
		const struct madt_entry *e = (const void *)p;

		if (e->length < sizeof(*e) || e->length > end - p) {
			log_warn("acpi: APIC table entry at offset %lu has a bad length %u; rest skipped",
				 (unsigned long)(p - (const uint8_t *)t), e->length);
			break;
		}
		if (e->type < ARRAY_SIZE(madt_entry_len) && madt_entry_len[e->type]) {
			if (e->length < madt_entry_len[e->type])
				log_warn("acpi: APIC table entry type %u is %u bytes, expected %u; skipped",
					 e->type, e->length, madt_entry_len[e->type]);
			else
				madt_entry(e);
		}
		p += e->length;
	}
	if (info.dropped)
		log_warn("acpi: %u MADT entries did not fit and were dropped", info.dropped);
}

#define FADT_HAS(len, field) \
	((len) >= offsetof(struct acpi_fadt, field) + sizeof(((struct acpi_fadt *)0)->field))

/* Fixed hardware: PM timer, reset register, boot flags (ACPI 6.5, 5.2.9). */
static void
fadt_parse(const struct acpi_sdt *t)
{
	const struct acpi_fadt *f = (const void *)t;
	uint32_t len = t->length;
	uint32_t flags = 0;
	uint16_t boot_arch;

	if (!FADT_HAS(len, pm_tmr_len)) {
		log_warn("acpi: FACP table is %u bytes, too short for the PM timer; skipped", len);
		return;
	}
	info.fadt = true;
	info.fadt_revision = t->revision;
	info.dsdt = f->dsdt;
	info.sci_irq = f->sci_int;
	if (FADT_HAS(len, x_dsdt) && f->x_dsdt)
		info.dsdt = f->x_dsdt;
	if (FADT_HAS(len, flags))
		flags = f->flags;
	info.hw_reduced = flags & FADT_HW_REDUCED_ACPI;

	if (FADT_HAS(len, x_pm_tmr_blk) && f->x_pm_tmr_blk.address) {
		info.pm_timer = f->x_pm_tmr_blk;
		if (info.pm_timer.space_id != ACPI_SPACE_IO && info.pm_timer.space_id != ACPI_SPACE_MEMORY) {
			log_warn("acpi: PM timer in address space %u is not supported", info.pm_timer.space_id);
			info.pm_timer.address = 0;
		}
	} else if (f->pm_tmr_blk && f->pm_tmr_len == 4) {
		info.pm_timer = (struct acpi_gas){ .space_id = ACPI_SPACE_IO, .bit_width = 32,
						   .access_size = 3, .address = f->pm_tmr_blk };
	}
	if (info.hw_reduced)
		info.pm_timer.address = 0;
	info.pm_timer_32bit = flags & FADT_TMR_VAL_EXT;

	if (FADT_HAS(len, reset_value) && (flags & FADT_RESET_REG_SUP) && f->reset_reg.address) {
		info.reset_supported = true;
		info.reset_reg = f->reset_reg;
		info.reset_value = f->reset_value;
	}
	if (FADT_HAS(len, century))
		info.century = f->century;

	/* ACPI 1.0 (FADT revision 1) had no boot-architecture flags: assume a PC. */
	boot_arch = FADT_HAS(len, iapc_boot_arch) && t->revision >= 2 ?
		    f->iapc_boot_arch : BOOT_ARCH_LEGACY_DEVICES | BOOT_ARCH_8042;
	info.has_8042 = boot_arch & BOOT_ARCH_8042;
	info.no_vga = boot_arch & BOOT_ARCH_NO_VGA;
	info.no_cmos_rtc = boot_arch & BOOT_ARCH_NO_CMOS_RTC;
}

static void
set_defaults(void)
{
	memset(&info, 0, sizeof(info));
	info.lapic_addr = ACPI_DEFAULT_LAPIC;
	info.has_8042 = true;
	info.pcat_compat = true;
}

/* What to assume for the parts the tables did not give. */
static void
fill_gaps(void)
{
	if (info.cpu_count == 0) {
		info.cpus[0] = (struct acpi_cpu){ .apic_id = 0, .enabled = true };
		info.cpu_count = 1;
	}
	if (!info.madt) {
		info.ioapics[0] = (struct acpi_ioapic){ 0, ACPI_DEFAULT_IOAPIC, 0 };
		info.ioapic_count = 1;
	}
}

/* Find the RSDP: the loader's copy first, else the BIOS areas. */
static const struct acpi_rsdp *
rsdp_find(const struct boot_info *bi, bool *v2)
{
	uint64_t pa;
	uint64_t ebda;

	if (bi && bi->rsdp_len) {
		const struct acpi_rsdp *r = (const void *)bi->rsdp;

		if (rsdp_check(r, MIN(bi->rsdp_len, (uint32_t)BOOT_RSDP_MAX), v2, false) == 0)
			return r;
		log_warn("acpi: the loader's RSDP copy is not valid; searching the BIOS area");
	}
	ebda = bi ? bi->ebda : 0;
	pa = 0;
	if (ebda >= 0x80000 && ebda < 0xA0000)
		pa = rsdp_scan(ebda, ebda + EBDA_SEARCH_LEN, v2);
	if (!pa)
		pa = rsdp_scan(BIOS_AREA_START, BIOS_AREA_END, v2);
	info.rsdp_addr = pa;
	return pa ? phys_to_virt(pa) : NULL;
}

/* The root table: the XSDT when the RSDP is 2.0 and it is good, else the RSDT. */
static const struct acpi_sdt *
root_find(const struct acpi_rsdp *r, bool v2)
{
	const struct acpi_sdt *t;

	if (v2 && r->xsdt_addr) {
		t = table_get(r->xsdt_addr, "XSDT", "XSDT");
		if (t) {
			info.xsdt = true;
			return t;
		}
		log_warn("acpi: falling back to the RSDT");
	}
	if (!r->rsdt_addr) {
		log_warn("acpi: the RSDP gives no RSDT");
		return NULL;
	}
	return table_get(r->rsdt_addr, "RSDT", "RSDT");
}

static const char *
reset_how(char *buf, size_t size)
{
	static const char *const space[] = { "memory", "I/O port", "PCI config" };

	if (!info.reset_supported)
		return "no reset register";
	if (info.reset_reg.space_id > ACPI_SPACE_PCI_CONFIG)
		format(buf, size, "address space %u (unsupported)", info.reset_reg.space_id);
	else
		format(buf, size, "%s %#lx value %#x", space[info.reset_reg.space_id],
		       info.reset_reg.address, info.reset_value);
	return buf;
}

static void
report(void)
{
	char line[400], how[80];
	size_t n;

	if (info.rsdp_addr)
		n = (size_t)format(line, sizeof(line), "acpi: RSDP rev %u at %#lx", info.rsdp_revision,
				   info.rsdp_addr);
	else
		n = (size_t)format(line, sizeof(line), "acpi: RSDP rev %u from the loader", info.rsdp_revision);
	n += (size_t)format(line + n, sizeof(line) - n, ", %s with %u tables:", info.xsdt ? "XSDT" : "RSDT",
			    info.table_count);
	for (uint32_t i = 0; i < info.table_count && n < sizeof(line); i++)
		n += (size_t)format(line + n, sizeof(line) - n, " %s", info.tables[i].sig);
	log_info("%s", line);

	n = (size_t)format(line, sizeof(line), "acpi: %u CPU%s (LAPIC ids", info.cpu_count,
			   info.cpu_count == 1 ? "" : "s");
	for (uint32_t i = 0; i < info.cpu_count && n < sizeof(line); i++)
		n += (size_t)format(line + n, sizeof(line) - n, " %u%s", info.cpus[i].apic_id,
				    info.cpus[i].enabled ? "" : "(offline)");
	if (n < sizeof(line))
		n += (size_t)format(line + n, sizeof(line) - n, "), %u IOAPIC%s (", info.ioapic_count,
				    info.ioapic_count == 1 ? "" : "s");
	for (uint32_t i = 0; i < info.ioapic_count && n < sizeof(line); i++)
		n += (size_t)format(line + n, sizeof(line) - n, "%sid %u at %#lx GSI base %u", i ? ", " : "",
				    info.ioapics[i].id, info.ioapics[i].addr, info.ioapics[i].gsi_base);
	if (n < sizeof(line))
		format(line + n, sizeof(line) - n, "), %u interrupt override%s, LAPIC at %#lx",
		       info.override_count, info.override_count == 1 ? "" : "s", info.lapic_addr);
	log_info("%s", line);
	for (uint32_t i = 0; i < info.override_count; i++)
		log_debug("acpi: ISA IRQ %u -> GSI %u, flags %#x", info.overrides[i].isa_irq,
			  info.overrides[i].gsi, info.overrides[i].flags);
	for (uint32_t i = 0; i < info.lapic_nmi_count; i++)
		log_debug("acpi: LAPIC NMI on LINT%u for processor %#x, flags %#x", info.lapic_nmis[i].lint,
			  info.lapic_nmis[i].uid, info.lapic_nmis[i].flags);

	if (!info.fadt)
		return;
	if (info.pm_timer.address)
		n = (size_t)format(line, sizeof(line), "acpi: PM timer at %s %#lx (%s)",
				   info.pm_timer.space_id == ACPI_SPACE_IO ? "port" : "address",
				   info.pm_timer.address, info.pm_timer_32bit ? "32-bit" : "24-bit");
	else
		n = (size_t)format(line, sizeof(line), "acpi: no PM timer");
	format(line + n, sizeof(line) - n, ", reset via %s, century CMOS index %#x, 8042 %s, VGA %s",
	       reset_how(how, sizeof(how)), info.century, info.has_8042 ? "yes" : "no",
	       info.no_vga ? "absent" : "present");
	log_info("%s", line);
	log_debug("acpi: FADT rev %u, DSDT at %#lx, SCI IRQ %u%s", info.fadt_revision, info.dsdt,
		  info.sci_irq, info.hw_reduced ? ", hardware-reduced ACPI" : "");
}

/*
 * Read the ACPI tables into the struct acpi_get() returns. Never fails:
 * without ACPI the defaults stand (one CPU, LAPIC at 0xFEE00000, an IOAPIC
 * at 0xFEC00000, no PM timer) after a warning.
 */
void
acpi_init(const struct boot_info *bi)
{
	const struct acpi_rsdp *r;
	const struct acpi_sdt *root, *t;
	bool v2;
	uint64_t pa;

	set_defaults();
	r = rsdp_find(bi, &v2);
	if (!r) {
		log_warn("acpi: no RSDP found; assuming one CPU, LAPIC at %#lx, IOAPIC at %#lx",
			 ACPI_DEFAULT_LAPIC, ACPI_DEFAULT_IOAPIC);
		fill_gaps();
		return;
	}
	info.rsdp_revision = r->revision;
	memcpy(info.oem_id, r->oem_id, 6);
	root = root_find(r, v2);
	if (!root) {
		log_warn("acpi: no usable root table; using defaults");
		fill_gaps();
		return;
	}
	info.present = true;
	root_walk(root, info.xsdt ? 8 : 4);

	if ((pa = acpi_find_table("APIC")) && (t = table_get(pa, "APIC", "MADT")))
		madt_parse(t);
	else
		log_warn("acpi: no MADT; assuming one CPU and an IOAPIC at %#lx", ACPI_DEFAULT_IOAPIC);
	if ((pa = acpi_find_table("FACP")) && (t = table_get(pa, "FACP", "FADT")))
		fadt_parse(t);
	else
		log_warn("acpi: no FADT; no PM timer or reset register");
	fill_gaps();
	report();
}

const struct acpi_info *
acpi_get(void)
{
	return &info;
}

/*
 * ISA IRQs are identity-mapped to GSIs, edge-triggered and active high,
 * unless an interrupt source override says otherwise (ACPI 6.5, 5.2.12.5).
 */
struct acpi_irq
acpi_isa_irq(uint8_t irq)
{
	struct acpi_irq r = { .gsi = irq };

	for (uint32_t i = 0; i < info.override_count; i++) {
		const struct acpi_override *o = &info.overrides[i];

		if (o->isa_irq != irq)
			continue;
		r.gsi = o->gsi;
		r.active_low = (o->flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_POLARITY_LOW;
		r.level = (o->flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_TRIGGER_LEVEL;
		break;
	}
	return r;
}

#define PCI_CONFIG_ADDR         0xCF8
#define PCI_CONFIG_DATA         0xCFC

/*
 * Write RESET_VALUE to RESET_REG (ACPI 6.5, 4.8.4.6). A PCI-config reset
 * register is on bus 0: device in address bits 47:32, function in 31:16,
 * offset in 15:0 (5.2.3.2). Returns if there is no register or the write
 * did not reset the machine.
 */
void
acpi_reset(void)
{
	const struct acpi_gas *g = &info.reset_reg;

	if (!info.reset_supported)
		return;
	switch (g->space_id) {
	case ACPI_SPACE_IO:
		outb((uint16_t)g->address, info.reset_value);
		break;
	case ACPI_SPACE_MEMORY:
		if (range_ok(g->address, 1))
			*(volatile uint8_t *)phys_to_virt(g->address) = info.reset_value;
		break;
	case ACPI_SPACE_PCI_CONFIG: {
		uint32_t dev = (g->address >> 32) & 0x1F, fn = (g->address >> 16) & 0x7;
		uint32_t off = g->address & 0xFF;

		outl(PCI_CONFIG_ADDR, BIT(31) | dev << 11 | fn << 8 | (off & 0xFC));
		outb(PCI_CONFIG_DATA + (off & 3), info.reset_value);
		break;
	}
	}
}
