/*
 * test/unit/test_acpi_tables.c: the ACPI tables every guest gets, read back
 * as an OS would: the RSDP found by the legacy scan, every checksum and
 * length, every reference (RSDP -> RSDT/XSDT -> FADT -> FACS/DSDT, MADT)
 * landing inside the area on a table with the right signature, the MADT's
 * entries, the FADT's fixed hardware, and the DSDT's AML decoded: the
 * \_S5 package and the PCI host bridge.
 */
#include "test/unit/fake.h"

#include <stdio.h>
#include <stdlib.h>

#include "lib/string.c"
#include "vm/acpi_tables.c"

static uint8_t *area;                   /* guest-physical ACPI_TABLES_BASE */
static size_t used;

static int
setup(void **state)
{
	area = malloc(ACPI_TABLES_SIZE);
	assert_non_null(area);
	memset(area, 0xEE, ACPI_TABLES_SIZE);
	used = acpi_tables_build(area);
	return 0;
}

static int
teardown(void **state)
{
	free(area);
	return 0;
}

static uint64_t
get(const void *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);
	return v;
}

/* The table at guest-physical gpa: inside the area and the used part,
 * with signature sig, a sane length and a zero checksum. */
static const uint8_t *
table_at(uint64_t gpa, const char *sig)
{
	const uint8_t *t;
	uint32_t len;

	assert_true(gpa >= ACPI_TABLES_BASE && gpa + 36 <= ACPI_TABLES_BASE + used);
	t = area + (gpa - ACPI_TABLES_BASE);
	if (memcmp(t, sig, 4))
		fail_msg("table at %#lx is '%.4s', expected '%s'", (unsigned long)gpa, (const char *)t, sig);
	len = (uint32_t)get(t + 4, 4);
	assert_true(len >= 36 && gpa + len <= ACPI_TABLES_BASE + used);
	assert_int_equal(sum(t, len), 0);
	assert_memory_equal(t + 10, "HVLAB ", 6);
	return t;
}

static void
test_rsdp_found_by_legacy_scan(void **state)
{
	const uint8_t *r = NULL;

	/* the scan an OS does without a boot protocol: 16-byte steps over the BIOS area */
	for (uint64_t pa = 0xE0000; pa < 0x100000; pa += 16)
		if (!memcmp(area + (pa - ACPI_TABLES_BASE), "RSD PTR ", 8) &&
		    sum(area + (pa - ACPI_TABLES_BASE), 20) == 0) {
			r = area + (pa - ACPI_TABLES_BASE);
			assert_int_equal(pa, ACPI_TABLES_RSDP);
			break;
		}
	assert_non_null(r);
	assert_int_equal(r[15], 2);                     /* revision */
	assert_int_equal(get(r + 20, 4), 36);           /* length */
	assert_int_equal(sum(r, 36), 0);                /* extended checksum */
	table_at(get(r + 16, 4), "RSDT");
	table_at(get(r + 24, 8), "XSDT");
}

static void
test_roots_list_fadt_and_madt(void **state)
{
	const uint8_t *rsdt = table_at(get(area + 16, 4), "RSDT");
	const uint8_t *xsdt = table_at(get(area + 24, 8), "XSDT");

	assert_int_equal(get(rsdt + 4, 4), 36 + 2 * 4);
	assert_int_equal(get(xsdt + 4, 4), 36 + 2 * 8);
	table_at(get(rsdt + 36, 4), "FACP");
	table_at(get(rsdt + 40, 4), "APIC");
	table_at(get(xsdt + 36, 8), "FACP");
	table_at(get(xsdt + 44, 8), "APIC");
	/* the two roots list the same tables */
	assert_int_equal(get(rsdt + 36, 4), get(xsdt + 36, 8));
	assert_int_equal(get(rsdt + 40, 4), get(xsdt + 44, 8));
}

static const uint8_t *
fadt(void)
{
	return table_at(get(table_at(get(area + 24, 8), "XSDT") + 36, 8), "FACP");
}

/* A generic address: system I/O, width in bits, the port. */
static void
assert_gas(const uint8_t *g, unsigned bits, uint16_t port)
{
	assert_int_equal(g[0], 1);
	assert_int_equal(g[1], bits);
	assert_int_equal(g[2], 0);
	assert_int_equal(get(g + 4, 8), port);
}

static void
test_fadt(void **state)
{
	const uint8_t *f = fadt();
	const uint8_t *facs;
	uint32_t flags;

	assert_int_equal(get(f + 4, 4), 244);
	assert_int_equal(f[8], 3);
	/* DSDT, 32- and 64-bit, the same; the FACS by its 32-bit address only */
	assert_int_equal(get(f + 40, 4), get(f + 140, 8));
	table_at(get(f + 40, 4), "DSDT");
	assert_int_equal(get(f + 132, 8), 0);
	facs = area + (get(f + 36, 4) - ACPI_TABLES_BASE);
	assert_memory_equal(facs, "FACS", 4);
	assert_int_equal(get(facs + 4, 4), 64);
	assert_int_equal(get(f + 36, 4) % 64, 0);

	assert_int_equal(get(f + 46, 2), PC_IRQ_SCI);
	assert_int_equal(get(f + 48, 4), 0);                    /* no SMI_CMD: always in ACPI mode */
	assert_int_equal(get(f + 56, 4), PC_PORT_PM1A_EVT);
	assert_int_equal(get(f + 60, 4), 0);                    /* no PM1b */
	assert_int_equal(get(f + 64, 4), PC_PORT_PM1A_CNT);
	assert_int_equal(get(f + 76, 4), PC_PORT_PM_TMR);
	assert_int_equal(get(f + 80, 4), 0);                    /* no GPE0 */
	assert_int_equal(f[88], 4);
	assert_int_equal(f[89], 2);
	assert_int_equal(f[91], 4);
	assert_int_equal(get(f + 109, 2), 3);                   /* legacy devices, 8042 */
	assert_gas(f + 148, 32, PC_PORT_PM1A_EVT);
	assert_gas(f + 172, 16, PC_PORT_PM1A_CNT);
	assert_gas(f + 208, 32, PC_PORT_PM_TMR);
	assert_int_equal(get(f + 160, 8), 0);                   /* X_PM1b_EVT absent */

	flags = (uint32_t)get(f + 112, 4);
	assert_true(flags & BIT(10));                           /* RESET_REG_SUP */
	assert_false(flags & BIT(20));                          /* HW_REDUCED_ACPI */
	assert_false(flags & BIT(8));                           /* TMR_VAL_EXT: a 24-bit timer */
	assert_false(flags & BIT(4));                           /* PWR_BUTTON: the fixed power button is there */
	assert_true(flags & BIT(5));                            /* SLP_BUTTON: no sleep button */
	assert_int_equal(f[108], 0x32);                         /* CENTURY: the CMOS byte */
	assert_gas(f + 116, 8, PC_PORT_RESET);
	assert_int_equal(f[116 + 3], 1);                        /* byte access */
	assert_int_equal(f[128], PC_RESET_VALUE);
}

static void
test_madt(void **state)
{
	const uint8_t *m = table_at(get(table_at(get(area + 24, 8), "XSDT") + 44, 8), "APIC");
	uint32_t len = (uint32_t)get(m + 4, 4);
	unsigned lapics = 0, ioapics = 0, overrides = 0, nmis = 0;
	bool pit = false, sci = false;

	assert_int_equal(get(m + 36, 4), PC_LAPIC_BASE);
	assert_int_equal(get(m + 40, 4), 1);                    /* PCAT_COMPAT */
	for (uint32_t off = 44; off < len;) {
		const uint8_t *e = m + off;

		assert_true(off + 2 <= len && e[1] >= 2 && off + e[1] <= len);
		switch (e[0]) {
		case 0:
			assert_int_equal(e[1], 8);
			assert_int_equal(e[3], 0);              /* APIC id */
			assert_int_equal(get(e + 4, 4), 1);     /* enabled */
			lapics++;
			break;
		case 1:
			assert_int_equal(e[1], 12);
			assert_int_equal(get(e + 4, 4), PC_IOAPIC_BASE);
			assert_int_equal(get(e + 8, 4), 0);     /* GSI base */
			ioapics++;
			break;
		case 2:
			assert_int_equal(e[1], 10);
			assert_int_equal(e[2], 0);              /* ISA */
			if (e[3] == PC_IRQ_PIT) {
				assert_int_equal(get(e + 4, 4), 2);
				assert_int_equal(get(e + 8, 2), 0);
				pit = true;
			} else if (e[3] == PC_IRQ_SCI) {
				assert_int_equal(get(e + 4, 4), PC_IRQ_SCI);
				assert_int_equal(get(e + 8, 2), 0x000D);        /* active high, level */
				sci = true;
			}
			overrides++;
			break;
		case 4:
			assert_int_equal(e[1], 6);
			assert_int_equal(e[2], 0xFF);
			assert_int_equal(e[5], 1);              /* LINT1 */
			nmis++;
			break;
		default:
			fail_msg("MADT entry type %u at %u", e[0], off);
		}
		off += e[1];
		if (off == len)
			break;
	}
	assert_int_equal(lapics, 1);
	assert_int_equal(ioapics, 1);
	assert_int_equal(overrides, 2);
	assert_int_equal(nmis, 1);
	assert_true(pit && sci);
}

/* AML PkgLength (ACPI 6.5, 20.2.4): returns the length, *n the bytes it took. */
static uint32_t
pkg_length(const uint8_t *p, unsigned *n)
{
	unsigned follow = p[0] >> 6;
	uint32_t len = follow ? p[0] & 0x0F : p[0] & 0x3F;

	for (unsigned i = 0; i < follow; i++)
		len |= (uint32_t)p[1 + i] << (4 + 8 * i);
	*n = 1 + follow;
	return len;
}

/* One AML integer constant: ZeroOp, OneOp, a BytePrefix or a DWordPrefix. */
static uint64_t
aml_integer(const uint8_t **p)
{
	uint64_t v;

	switch (*(*p)++) {
	case 0x00: return 0;
	case 0x01: return 1;
	case 0x0A: return *(*p)++;
	case 0x0C:
		v = get(*p, 4);
		*p += 4;
		return v;
	}
	fail_msg("AML byte %#x is not an integer constant", (*p)[-1]);
	return 0;
}

/* What the walk found: \_S5's elements, PCI0's _HID and _UID. */
static struct {
	int s5_count;
	uint64_t s5[4];
	bool hid, uid;
	uint64_t hid_value, uid_value;
	const uint8_t *crs;
	uint64_t crs_size;
} found;

/* A NameString: '\' or not, then one 4-character NameSeg (all this DSDT uses). */
static void
aml_name(const uint8_t **p, char *path, size_t size, const char *scope)
{
	bool root = **p == '\\';

	if (root)
		(*p)++;
	snprintf(path, size, "%s%s%.4s", root ? "" : scope, root || !*scope ? "\\" : ".", (const char *)*p);
	*p += 4;
}

/*
 * Walk a TermList [p, end) of the objects this DSDT may hold (Name with a
 * Package or an integer, Scope, Device), checking that every PkgLength
 * ends exactly where its contents do.
 */
static void
aml_walk(const uint8_t *p, const uint8_t *end, const char *scope)
{
	while (p < end) {
		char path[64];
		const uint8_t *pkg_end;
		unsigned n;

		if (*p == 0x08) {                               /* NameOp */
			p++;
			aml_name(&p, path, sizeof(path), scope);
			if (*p == 0x12) {                       /* PackageOp */
				p++;
				pkg_end = p + pkg_length(p, &n);
				p += n;
				assert_string_equal(path, "\\_S5_");
				found.s5_count = *p++;
				assert_int_equal(found.s5_count, 4);
				for (int i = 0; i < found.s5_count; i++)
					found.s5[i] = aml_integer(&p);
				assert_true(p == pkg_end);
			} else if (!strcmp(path, "\\_SB_.PCI0._HID")) {
				found.hid = true;
				found.hid_value = aml_integer(&p);
			} else if (!strcmp(path, "\\_SB_.PCI0._UID")) {
				found.uid = true;
				found.uid_value = aml_integer(&p);
			} else if (!strcmp(path, "\\_SB_.PCI0._CRS") && *p == 0x11) {        /* BufferOp */
				p++;
				pkg_end = p + pkg_length(p, &n);
				p += n;
				found.crs_size = aml_integer(&p);
				assert_true(p + found.crs_size == pkg_end);
				found.crs = p;
				p = pkg_end;
			} else {
				fail_msg("unexpected AML name %s", path);
			}
		} else if (*p == 0x10 || (p[0] == 0x5B && p[1] == 0x82)) {      /* ScopeOp, DeviceOp */
			p += *p == 0x10 ? 1 : 2;
			pkg_end = p + pkg_length(p, &n);
			assert_true(pkg_end <= end);
			p += n;
			aml_name(&p, path, sizeof(path), scope);
			aml_walk(p, pkg_end, path);
			p = pkg_end;
		} else {
			fail_msg("unexpected AML opcode %#x", *p);
		}
	}
	assert_true(p == end);
}

static void
test_dsdt(void **state)
{
	const uint8_t *d = table_at(get(fadt() + 140, 8), "DSDT");

	assert_int_equal(d[8], 2);
	memset(&found, 0, sizeof(found));
	aml_walk(d + 36, d + get(d + 4, 4), "");
	/* Name (\_S5, Package (4) { 5, 5, 0, 0 }): SLP_TYP for PM1a and PM1b */
	assert_int_equal(found.s5[0], PC_SLP_TYP_S5);
	assert_int_equal(found.s5[1], PC_SLP_TYP_S5);
	assert_int_equal(found.s5[2], 0);
	assert_int_equal(found.s5[3], 0);
	/* what the poweroff write becomes on the PM1a control port */
	assert_int_equal(PC_PM1_CNT_SLP_TYP(found.s5[0]) | PC_PM1_CNT_SLP_EN, 0x3400);
	/* \_SB.PCI0: EisaId ("PNP0A03"), the PCI host bridge */
	assert_true(found.hid && found.uid);
	assert_int_equal(found.hid_value, 0x030AD041);
	assert_int_equal(found.uid_value, 0);
	/* its _CRS: one Word Address Space Descriptor for buses 0-255, then the End Tag */
	assert_non_null(found.crs);
	assert_int_equal(found.crs_size, 18);
	assert_int_equal(found.crs[0], 0x88);
	assert_int_equal(get(found.crs + 1, 2), 13);
	assert_int_equal(found.crs[3], 2);                      /* bus number range */
	assert_int_equal(get(found.crs + 8, 2), 0);             /* minimum */
	assert_int_equal(get(found.crs + 10, 2), 0xFF);         /* maximum */
	assert_int_equal(get(found.crs + 14, 2), 0x100);        /* length */
	assert_int_equal(found.crs[16], 0x79);
}

static void
test_rest_of_area_is_zero(void **state)
{
	assert_true(used > 0 && used <= ACPI_TABLES_SIZE);
	for (size_t i = used; i < ACPI_TABLES_SIZE; i++)
		if (area[i])
			fail_msg("byte %#zx of the area is %#x", i, area[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rsdp_found_by_legacy_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roots_list_fadt_and_madt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fadt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dsdt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rest_of_area_is_zero, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
