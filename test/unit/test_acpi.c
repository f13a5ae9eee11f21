/*
 * test/unit/test_acpi.c: drivers/acpi.c against table images built in fake
 * physical memory: ACPI 2.0 with an XSDT, ACPI 1.0 with an RSDT only, the
 * loader's RSDP copy, and the ways firmware tables go wrong (checksums,
 * lengths, truncated entries, addresses out of reach).
 */
#include "test/unit/fake.h"

#include <string.h>

#include "boot/boot_info.h"
#include "drivers/acpi.c"
#include "lib/format.c"
#include "lib/string.c"

#define RSDP_PA         0xE0000
#define EBDA_SEG        0x9FC0
#define EBDA_PA         (EBDA_SEG << 4)
#define XSDT_PA         0x100000
#define RSDT_PA         0x101000
#define MADT_PA         0x102000
#define FADT_PA         0x103000
#define HPET_PA         0x104000

static struct boot_info bi;

static void *
pa(uint64_t addr)
{
	return fake_phys_base() + addr;
}

static void
fix_checksum(struct acpi_sdt *t)
{
	t->checksum = 0;
	t->checksum = (uint8_t)-checksum(t, t->length);
}

static struct acpi_sdt *
put_header(uint64_t addr, const char *sig, uint32_t length, uint8_t revision)
{
	struct acpi_sdt *t = pa(addr);

	memcpy(t->signature, sig, 4);
	t->length = length;
	t->revision = revision;
	memcpy(t->oem_id, "TESTOE", 6);
	return t;
}

static void
put_rsdp(struct acpi_rsdp *r, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, "TESTOE", 6);
	r->revision = revision;
	r->rsdt_addr = rsdt;
	r->checksum = (uint8_t)-checksum(r, RSDP_V1_LEN);
	if (revision >= 2) {
		r->length = sizeof(*r);
		r->xsdt_addr = xsdt;
		r->ext_checksum = (uint8_t)-checksum(r, sizeof(*r));
	}
}

static void
put_xsdt(const uint64_t *entries, int n)
{
	struct acpi_sdt *t = put_header(XSDT_PA, "XSDT", sizeof(*t) + 8 * n, 1);

	memcpy((uint8_t *)t + sizeof(*t), entries, 8 * n);
	fix_checksum(t);
}

static void
put_rsdt(const uint32_t *entries, int n)
{
	struct acpi_sdt *t = put_header(RSDT_PA, "RSDT", sizeof(*t) + 4 * n, 1);

	memcpy((uint8_t *)t + sizeof(*t), entries, 4 * n);
	fix_checksum(t);
}

/* MADT builder: entries appended after the fixed part. */
static uint8_t *madt_end;

static void
madt_begin(uint32_t lapic_addr, uint32_t flags)
{
	struct acpi_madt *m = pa(MADT_PA);

	put_header(MADT_PA, "APIC", sizeof(*m), 4);
	m->lapic_addr = lapic_addr;
	m->flags = flags;
	madt_end = (uint8_t *)m + sizeof(*m);
}

/* Append n bytes, whatever the entry's own length field says. */
static void
madt_add_bytes(const void *entry, size_t n)
{
	memcpy(madt_end, entry, n);
	madt_end += n;
}

static void
madt_add(const void *entry)
{
	madt_add_bytes(entry, ((const struct madt_entry *)entry)->length);
}

static void
madt_finish(void)
{
	struct acpi_sdt *t = pa(MADT_PA);

	t->length = (uint32_t)(madt_end - (uint8_t *)t);
	fix_checksum(t);
}

static void
madt_lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
	struct madt_lapic l = { { MADT_LAPIC, sizeof(l) }, uid, id, flags };

	madt_add(&l);
}

static void
madt_ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	struct madt_ioapic io = { { MADT_IOAPIC, sizeof(io) }, id, 0, addr, gsi_base };

	madt_add(&io);
}

static void
madt_override(uint8_t irq, uint32_t gsi, uint16_t flags)
{
	struct madt_override o = { { MADT_OVERRIDE, sizeof(o) }, 0, irq, gsi, flags };

	madt_add(&o);
}

/* A QEMU-like MADT: CPUs with the given ids, one IOAPIC, the usual overrides. */
static void
put_pc_madt(int cpus)
{
	struct madt_lapic_nmi nmi = { { MADT_LAPIC_NMI, sizeof(nmi) }, 0xFF, 0, 1 };

	madt_begin(0xFEE00000, MADT_PCAT_COMPAT);
	for (int i = 0; i < cpus; i++)
		madt_lapic((uint8_t)i, (uint8_t)i, MADT_CPU_ENABLED);
	madt_ioapic(0, 0xFEC00000, 0);
	madt_override(0, 2, 0);
	madt_override(5, 5, 0xD);
	madt_override(9, 9, 0xD);
	madt_override(10, 10, 0xD);
	madt_override(11, 11, 0xD);
	madt_add(&nmi);
	madt_finish();
}

static struct acpi_fadt *
put_fadt(uint32_t length, uint8_t revision)
{
	struct acpi_fadt *f = pa(FADT_PA);

	put_header(FADT_PA, "FACP", length, revision);
	f->dsdt = 0x105000;
	f->sci_int = 9;
	return f;
}

static void
put_hpet(void)
{
	struct acpi_sdt *t = put_header(HPET_PA, "HPET", 56, 1);

	fix_checksum(t);
}

/* A modern machine: RSDP 2.0 in the BIOS area, XSDT, FADT 6.x, MADT, HPET. */
static void
put_modern(void)
{
	uint64_t tables[] = { FADT_PA, MADT_PA, HPET_PA };
	struct acpi_fadt *f = put_fadt(sizeof(struct acpi_fadt), 6);

	f->pm_tmr_blk = 0x608;
	f->pm_tmr_len = 4;
	f->x_pm_tmr_blk = (struct acpi_gas){ ACPI_SPACE_IO, 32, 0, 3, 0x608 };
	f->flags = FADT_RESET_REG_SUP;
	f->reset_reg = (struct acpi_gas){ ACPI_SPACE_IO, 8, 0, 1, 0xCF9 };
	f->reset_value = 0x6;
	f->century = 0x32;
	f->iapc_boot_arch = BOOT_ARCH_8042 | BOOT_ARCH_LEGACY_DEVICES;
	f->x_dsdt = 0x106000;
	fix_checksum(&f->hdr);
	put_pc_madt(1);
	put_hpet();
	put_xsdt(tables, 3);
	put_rsdp(pa(RSDP_PA), 2, 0, XSDT_PA);
}

static int
setup(void **state)
{
	fake_phys_reset();
	fake_log_reset();
	memset(&bi, 0, sizeof(bi));
	return 0;
}

static void
test_modern_xsdt(void **state)
{
	const struct acpi_info *a;

	put_modern();
	acpi_init(&bi);
	a = acpi_get();
	assert_true(a->present);
	assert_true(a->xsdt);
	assert_int_equal(a->rsdp_revision, 2);
	assert_int_equal(a->rsdp_addr, RSDP_PA);
	assert_int_equal(a->table_count, 3);
	assert_int_equal(acpi_find_table("HPET"), HPET_PA);
	assert_int_equal(acpi_find_table("SSDT"), 0);

	assert_true(a->madt);
	assert_int_equal(a->lapic_addr, 0xFEE00000);
	assert_true(a->pcat_compat);
	assert_int_equal(a->cpu_count, 1);
	assert_int_equal(a->cpus[0].apic_id, 0);
	assert_true(a->cpus[0].enabled);
	assert_int_equal(a->ioapic_count, 1);
	assert_int_equal(a->ioapics[0].addr, 0xFEC00000);
	assert_int_equal(a->override_count, 5);
	assert_int_equal(a->lapic_nmi_count, 1);
	assert_int_equal(a->lapic_nmis[0].uid, ACPI_NMI_ALL_CPUS);
	assert_int_equal(a->lapic_nmis[0].lint, 1);

	assert_true(a->fadt);
	assert_int_equal(a->pm_timer.space_id, ACPI_SPACE_IO);
	assert_int_equal(a->pm_timer.address, 0x608);
	assert_false(a->pm_timer_32bit);
	assert_true(a->reset_supported);
	assert_int_equal(a->reset_reg.address, 0xCF9);
	assert_int_equal(a->reset_value, 6);
	assert_int_equal(a->century, 0x32);
	assert_true(a->has_8042);
	assert_false(a->no_vga);
	assert_int_equal(a->dsdt, 0x106000);
	assert_int_equal(a->sci_irq, 9);

	assert_true(fake_log_contains("acpi: RSDP rev 2 at 0xe0000, XSDT with 3 tables: FACP APIC HPET"));
	assert_true(fake_log_contains("acpi: 1 CPU (LAPIC ids 0), 1 IOAPIC (id 0 at 0xfec00000 GSI base 0), "
				      "5 interrupt overrides"));
	assert_true(fake_log_contains("acpi: PM timer at port 0x608 (24-bit), reset via I/O port 0xcf9 value 0x6"));
	assert_false(fake_log_contains("warning"));
}

static void
test_isa_irq_overrides(void **state)
{
	struct acpi_irq r;

	put_modern();
	acpi_init(&bi);
	r = acpi_isa_irq(0);
	assert_int_equal(r.gsi, 2);
	assert_false(r.level);
	assert_false(r.active_low);
	r = acpi_isa_irq(9);
	assert_int_equal(r.gsi, 9);
	assert_true(r.level);
	assert_false(r.active_low);
	r = acpi_isa_irq(4);
	assert_int_equal(r.gsi, 4);
	assert_false(r.level);
}

static void
test_loader_copy(void **state)
{
	put_modern();
	memcpy(bi.rsdp, pa(RSDP_PA), sizeof(struct acpi_rsdp));
	bi.rsdp_len = sizeof(struct acpi_rsdp);
	memset(pa(RSDP_PA), 0, 64);                     /* a UEFI machine: no BIOS area copy */
	acpi_init(&bi);
	assert_true(acpi_get()->present);
	assert_int_equal(acpi_get()->rsdp_addr, 0);
	assert_true(fake_log_contains("acpi: RSDP rev 2 from the loader, XSDT with 3 tables"));
}

static void
test_bad_loader_copy_falls_back_to_scan(void **state)
{
	put_modern();
	memcpy(bi.rsdp, pa(RSDP_PA), sizeof(struct acpi_rsdp));
	bi.rsdp_len = sizeof(struct acpi_rsdp);
	bi.rsdp[8] ^= 1;                                /* v1 checksum */
	acpi_init(&bi);
	assert_true(fake_log_contains("loader's RSDP copy is not valid"));
	assert_int_equal(acpi_get()->rsdp_addr, RSDP_PA);
}

/* ACPI 1.0: RSDP revision 0 in the EBDA, RSDT, a 116-byte revision-1 FADT. */
static void
test_acpi1_rsdt_in_ebda(void **state)
{
	uint32_t tables[] = { MADT_PA, FADT_PA };
	struct acpi_fadt *f = put_fadt(116, 1);
	const struct acpi_info *a;

	f->pm_tmr_blk = 0xB008;
	f->pm_tmr_len = 4;
	f->century = 0;
	fix_checksum(&f->hdr);
	put_pc_madt(2);
	put_rsdt(tables, 2);
	bi.ebda = EBDA_PA;                              /* as boot/multiboot.c reads it from the BDA */
	put_rsdp(pa(EBDA_PA + 0x30), 0, RSDT_PA, 0);
	acpi_init(&bi);
	a = acpi_get();
	assert_true(a->present);
	assert_false(a->xsdt);
	assert_int_equal(a->rsdp_addr, EBDA_PA + 0x30);
	assert_int_equal(a->cpu_count, 2);
	assert_int_equal(a->pm_timer.address, 0xB008);
	assert_false(a->reset_supported);
	assert_true(a->has_8042);                       /* not described before FADT revision 2 */
	assert_int_equal(a->dsdt, 0x105000);
	assert_true(fake_log_contains("RSDT with 2 tables: APIC FACP"));
	assert_true(fake_log_contains("acpi: 2 CPUs (LAPIC ids 0 1)"));
	assert_true(fake_log_contains("PM timer at port 0xb008 (24-bit), reset via no reset register"));
	assert_false(fake_log_contains("warning"));
}

static void
test_rsdp_bad_checksum_is_skipped(void **state)
{
	put_modern();
	((struct acpi_rsdp *)pa(RSDP_PA))->checksum ^= 0x55;
	acpi_init(&bi);
	assert_false(acpi_get()->present);
	assert_true(fake_log_contains("RSDP checksum is wrong"));
	assert_true(fake_log_contains("no RSDP found; assuming one CPU"));
	assert_int_equal(acpi_get()->cpu_count, 1);
	assert_int_equal(acpi_get()->lapic_addr, ACPI_DEFAULT_LAPIC);
	assert_int_equal(acpi_get()->ioapic_count, 1);
	assert_int_equal(acpi_get()->ioapics[0].addr, ACPI_DEFAULT_IOAPIC);
}

static void
test_rsdp_bad_ext_checksum_uses_rsdt(void **state)
{
	uint32_t tables[] = { MADT_PA };
	struct acpi_rsdp *r = pa(RSDP_PA);

	put_modern();
	put_rsdt(tables, 1);
	put_rsdp(r, 2, RSDT_PA, XSDT_PA);
	r->ext_checksum ^= 1;
	acpi_init(&bi);
	assert_true(fake_log_contains("extended checksum is wrong; using it as ACPI 1.0"));
	assert_false(acpi_get()->xsdt);
	assert_int_equal(acpi_get()->table_count, 1);
}

static void
test_bad_xsdt_falls_back_to_rsdt(void **state)
{
	uint32_t tables[] = { FADT_PA, MADT_PA };
	struct acpi_sdt *x;

	put_modern();
	put_rsdt(tables, 2);
	put_rsdp(pa(RSDP_PA), 2, RSDT_PA, XSDT_PA);
	x = pa(XSDT_PA);
	x->oem_revision++;                              /* checksum now wrong */
	acpi_init(&bi);
	assert_true(fake_log_contains("XSDT table at 0x100000 has a bad checksum; skipped"));
	assert_true(fake_log_contains("falling back to the RSDT"));
	assert_false(acpi_get()->xsdt);
	assert_true(acpi_get()->fadt);
	assert_true(acpi_get()->madt);
}

static void
test_bad_tables_are_skipped(void **state)
{
	uint64_t tables[] = { FADT_PA, MADT_PA, HPET_PA, 0x200000, 0x100000000ULL, 0 };
	struct acpi_sdt *h;

	put_modern();
	h = pa(HPET_PA);
	h->oem_revision = 7;                            /* bad checksum */
	put_header(0x200000, "SSDT", 0x7FFFFFF0, 1);   /* absurd length */
	put_xsdt(tables, 6);
	put_rsdp(pa(RSDP_PA), 2, 0, XSDT_PA);
	acpi_init(&bi);
	assert_true(fake_log_contains("acpi: HPET table at 0x104000 has a bad checksum; skipped"));
	assert_true(fake_log_contains("acpi: SSDT table at 0x200000 has a bad length 2147483632; skipped"));
	assert_true(fake_log_contains("table at 0x100000000 is out of reach; skipped"));
	assert_true(fake_log_contains("table at 0 is out of reach; skipped"));
	assert_int_equal(acpi_get()->table_count, 2);
	assert_true(acpi_get()->madt);
	assert_true(acpi_get()->fadt);
}

static void
test_bad_madt_checksum_gives_defaults(void **state)
{
	struct acpi_sdt *m;

	put_modern();
	m = pa(MADT_PA);
	m->revision = 9;
	acpi_init(&bi);
	assert_true(fake_log_contains("acpi: APIC table at 0x102000 has a bad checksum; skipped"));
	assert_true(fake_log_contains("no MADT"));
	assert_false(acpi_get()->madt);
	assert_int_equal(acpi_get()->cpu_count, 1);
	assert_int_equal(acpi_get()->ioapics[0].addr, ACPI_DEFAULT_IOAPIC);
	assert_true(acpi_get()->fadt);
}

static void
test_truncated_madt(void **state)
{
	struct acpi_sdt *m;

	put_modern();
	m = pa(MADT_PA);
	m->length = 40;                                 /* shorter than the fixed part */
	fix_checksum(m);
	acpi_init(&bi);
	assert_true(fake_log_contains("APIC table is 40 bytes, shorter than its fixed part"));
	assert_false(acpi_get()->madt);
	assert_int_equal(acpi_get()->cpu_count, 1);
}

static void
test_madt_entry_overruns_table(void **state)
{
	struct madt_ioapic io = { { MADT_IOAPIC, 8 }, 3, 0, 0xFEC01000, 24 };     /* too short */
	uint8_t bad[4] = { MADT_LAPIC, 30, 0, 1 };                              /* runs past the end */

	put_modern();
	madt_begin(0xFEE00000, 0);
	madt_lapic(0, 0, MADT_CPU_ENABLED);
	madt_ioapic(0, 0xFEC00000, 0);
	madt_add(&io);
	madt_add_bytes(bad, sizeof(bad));
	madt_finish();
	acpi_init(&bi);
	assert_true(fake_log_contains("APIC table entry type 1 is 8 bytes, expected 12; skipped"));
	assert_true(fake_log_contains("APIC table entry at offset 72 has a bad length 30; rest skipped"));
	assert_int_equal(acpi_get()->cpu_count, 1);
	assert_int_equal(acpi_get()->ioapic_count, 1);
	assert_false(acpi_get()->pcat_compat);
}

static void
test_madt_zero_length_entry_stops(void **state)
{
	uint8_t zero[2] = { MADT_LAPIC, 0 };

	put_modern();
	madt_begin(0xFEE00000, 0);
	madt_lapic(0, 0, MADT_CPU_ENABLED);
	madt_add_bytes(zero, sizeof(zero));             /* length 0: would loop forever */
	madt_end += 8;                                  /* room after it */
	madt_finish();
	acpi_init(&bi);
	assert_true(fake_log_contains("has a bad length 0; rest skipped"));
	assert_int_equal(acpi_get()->cpu_count, 1);
}

static void
test_x2apic_entries(void **state)
{
	struct madt_x2apic x0 = { { MADT_X2APIC, sizeof(x0) }, 0, 0, MADT_CPU_ENABLED, 0 };   /* dup of LAPIC 0 */
	struct madt_x2apic x1 = { { MADT_X2APIC, sizeof(x1) }, 0, 300, MADT_CPU_ENABLED, 300 };
	struct madt_x2apic x2 = { { MADT_X2APIC, sizeof(x2) }, 0, 301, MADT_CPU_ONLINE_CAPABLE, 301 };
	struct madt_x2apic x3 = { { MADT_X2APIC, sizeof(x3) }, 0, 302, 0, 302 };              /* absent */
	struct madt_x2apic_nmi n = { { MADT_X2APIC_NMI, sizeof(n) }, 0x5, 300, 1, { 0 } };
	struct madt_lapic_override lo = { { MADT_LAPIC_OVERRIDE, sizeof(lo) }, 0, 0xFED00000 };
	const struct acpi_info *a;

	put_modern();
	madt_begin(0xFEE00000, 0);
	madt_lapic(0, 0, MADT_CPU_ENABLED);
	madt_lapic(1, 0xFF, MADT_CPU_ENABLED);          /* id 0xFF: not a usable LAPIC entry */
	madt_add(&x0);
	madt_add(&x1);
	madt_add(&x2);
	madt_add(&x3);
	madt_add(&n);
	madt_add(&lo);
	madt_ioapic(1, 0xFEC00000, 0);
	madt_ioapic(2, 0xFEC01000, 24);
	madt_finish();
	acpi_init(&bi);
	a = acpi_get();
	assert_int_equal(a->cpu_count, 3);
	assert_int_equal(a->cpus[0].apic_id, 0);
	assert_false(a->cpus[0].x2apic_entry);
	assert_int_equal(a->cpus[1].apic_id, 300);
	assert_true(a->cpus[1].x2apic_entry);
	assert_true(a->cpus[1].enabled);
	assert_int_equal(a->cpus[2].apic_id, 301);
	assert_false(a->cpus[2].enabled);
	assert_true(a->cpus[2].online_capable);
	assert_int_equal(a->lapic_nmi_count, 1);
	assert_int_equal(a->lapic_nmis[0].uid, 300);
	assert_int_equal(a->lapic_nmis[0].flags, 5);
	assert_int_equal(a->lapic_addr, 0xFED00000);
	assert_int_equal(a->ioapic_count, 2);
	assert_int_equal(a->ioapics[1].gsi_base, 24);
	assert_true(fake_log_contains("acpi: 3 CPUs (LAPIC ids 0 300 301(offline)), 2 IOAPICs (id 1 at 0xfec00000 "
				      "GSI base 0, id 2 at 0xfec01000 GSI base 24), 0 interrupt overrides, "
				      "LAPIC at 0xfed00000"));
}

static void
test_too_many_cpus(void **state)
{
	uint32_t tables[] = { MADT_PA };

	madt_begin(0xFEE00000, 0);
	for (int i = 0; i < 70; i++)
		madt_lapic((uint8_t)i, (uint8_t)i, MADT_CPU_ENABLED);
	madt_finish();
	put_rsdt(tables, 1);
	put_rsdp(pa(RSDP_PA), 0, RSDT_PA, 0);
	acpi_init(&bi);
	assert_int_equal(acpi_get()->cpu_count, ACPI_MAX_CPUS);
	assert_true(fake_log_contains("6 MADT entries did not fit"));
	assert_true(fake_log_contains("no FADT"));
	assert_false(acpi_get()->fadt);
}

static void
test_fadt_x_pm_timer_and_flags(void **state)
{
	struct acpi_fadt *f;

	put_modern();
	f = pa(FADT_PA);
	f->pm_tmr_blk = 0x1008;                         /* the X_ field wins when non-zero */
	f->x_pm_tmr_blk.address = 0x408;
	f->flags |= FADT_TMR_VAL_EXT;
	f->iapc_boot_arch = BOOT_ARCH_NO_VGA;
	f->reset_reg = (struct acpi_gas){ ACPI_SPACE_MEMORY, 8, 0, 1, 0xFED00100 };
	fix_checksum(&f->hdr);
	acpi_init(&bi);
	assert_int_equal(acpi_get()->pm_timer.address, 0x408);
	assert_true(acpi_get()->pm_timer_32bit);
	assert_false(acpi_get()->has_8042);
	assert_true(acpi_get()->no_vga);
	assert_true(fake_log_contains("PM timer at port 0x408 (32-bit), reset via memory 0xfed00100 value 0x6"));
	assert_true(fake_log_contains("8042 no, VGA absent"));
}

static void
test_fadt_zero_x_pm_timer_uses_legacy(void **state)
{
	struct acpi_fadt *f;

	put_modern();
	f = pa(FADT_PA);
	f->x_pm_tmr_blk.address = 0;
	f->pm_tmr_blk = 0x1008;
	f->flags = 0;                                   /* and no RESET_REG_SUP */
	fix_checksum(&f->hdr);
	acpi_init(&bi);
	assert_int_equal(acpi_get()->pm_timer.address, 0x1008);
	assert_false(acpi_get()->reset_supported);
}

static void
test_fadt_hw_reduced_and_short(void **state)
{
	struct acpi_fadt *f;

	put_modern();
	f = pa(FADT_PA);
	f->flags = FADT_HW_REDUCED_ACPI;
	fix_checksum(&f->hdr);
	acpi_init(&bi);
	assert_true(acpi_get()->hw_reduced);
	assert_int_equal(acpi_get()->pm_timer.address, 0);
	assert_true(fake_log_contains("acpi: no PM timer"));

	fake_log_reset();
	f = put_fadt(80, 1);                            /* cut before PM_TMR_LEN */
	fix_checksum(&f->hdr);
	acpi_init(&bi);
	assert_true(fake_log_contains("FACP table is 80 bytes, too short for the PM timer; skipped"));
	assert_false(acpi_get()->fadt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_modern_xsdt, setup),
		cmocka_unit_test_setup(test_isa_irq_overrides, setup),
		cmocka_unit_test_setup(test_loader_copy, setup),
		cmocka_unit_test_setup(test_bad_loader_copy_falls_back_to_scan, setup),
		cmocka_unit_test_setup(test_acpi1_rsdt_in_ebda, setup),
		cmocka_unit_test_setup(test_rsdp_bad_checksum_is_skipped, setup),
		cmocka_unit_test_setup(test_rsdp_bad_ext_checksum_uses_rsdt, setup),
		cmocka_unit_test_setup(test_bad_xsdt_falls_back_to_rsdt, setup),
		cmocka_unit_test_setup(test_bad_tables_are_skipped, setup),
		cmocka_unit_test_setup(test_bad_madt_checksum_gives_defaults, setup),
		cmocka_unit_test_setup(test_truncated_madt, setup),
		cmocka_unit_test_setup(test_madt_entry_overruns_table, setup),
		cmocka_unit_test_setup(test_madt_zero_length_entry_stops, setup),
		cmocka_unit_test_setup(test_x2apic_entries, setup),
		cmocka_unit_test_setup(test_too_many_cpus, setup),
		cmocka_unit_test_setup(test_fadt_x_pm_timer_and_flags, setup),
		cmocka_unit_test_setup(test_fadt_zero_x_pm_timer_uses_legacy, setup),
		cmocka_unit_test_setup(test_fadt_hw_reduced_and_short, setup),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
