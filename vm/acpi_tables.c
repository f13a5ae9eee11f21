/*
 * vm/acpi_tables.c: the guest's ACPI tables (ACPI 6.5, 5.2), built as
 * QEMU's `pc` machine builds them for a kernel, from the one map of the
 * guest PC in devices/pc.h. The layout is drawn in vm/acpi_tables.h.
 * Unit-tested on the host (test/unit/test_acpi_tables.c).
 */
#include "vm/acpi_tables.h"
#include "lib/string.h"

#define OEM_ID              "HVLAB "        /* 6 characters */
#define OEM_TABLE_ID        "HVLABPC "      /* 8 characters */
#define OEM_REVISION        1
#define CREATOR_ID          "HVLB"
#define CREATOR_REVISION    1

/* Offsets in the area (vm/acpi_tables.h). The FACS must be 64-byte aligned
 * (5.2.10); the rest only needs to be 4 or 8. */
#define OFF_RSDP            0x000
#define OFF_RSDT            0x040
#define OFF_XSDT            0x080
#define OFF_FACS            0x0C0
#define OFF_FADT            0x100
#define OFF_MADT            0x200
#define OFF_DSDT            0x280
#define OFF_END             0x300
#define GPA(off)            ((uint32_t)(ACPI_TABLES_BASE + (off)))

/* Root System Description Pointer (5.2.5.3, Table 5.3) */
struct __packed rsdp {
	char signature[8];              /* "RSD PTR " */
	uint8_t checksum;               /* the first 20 bytes sum to 0 */
	char oem_id[6];
	uint8_t revision;               /* 2: ACPI 2.0 and later */
	uint32_t rsdt;
	uint32_t length;                /* 36 */
	uint64_t xsdt;
	uint8_t ext_checksum;           /* all 36 bytes sum to 0 */
	uint8_t reserved[3];
};
STATIC_ASSERT(sizeof(struct rsdp) == 36, "RSDP is 36 bytes");
#define RSDP_V1_BYTES       20

/* System Description Table header (5.2.6, Table 5.4) */
struct __packed sdt {
	char signature[4];
	uint32_t length;                /* the whole table */
	uint8_t revision;
	uint8_t checksum;               /* the whole table sums to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
};
STATIC_ASSERT(sizeof(struct sdt) == 36, "table header is 36 bytes");

/* Generic Address Structure (5.2.3.2, Table 5.1) */
struct __packed gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;            /* 0 undefined (legacy), 1 byte, 2 word, 3 dword */
	uint64_t address;
};
STATIC_ASSERT(sizeof(struct gas) == 12, "generic address is 12 bytes");
#define GAS_SYSTEM_IO       1
#define GAS_ACCESS_BYTE     1

/* Fixed ACPI Description Table, revision 3: the ACPI 2.0 layout (5.2.9, Table 5.9) */
struct __packed fadt {
	struct sdt hdr;
	uint32_t firmware_ctrl;         /* FACS */
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;               /* 0: no SMI command port, ACPI mode is always on */
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	uint32_t pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct gas reset_reg;
	uint8_t reset_value;
	uint8_t reserved2[3];
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct gas x_pm2_cnt_blk, x_pm_tmr_blk, x_gpe0_blk, x_gpe1_blk;
};
STATIC_ASSERT(sizeof(struct fadt) == 244, "FADT revision 3 is 244 bytes");
#define FADT_REVISION       3
#define FADT_WBINVD         BIT(0)      /* WBINVD flushes caches */
#define FADT_PROC_C1        BIT(2)      /* C1 (HLT) works on every CPU */
#define FADT_SLP_BUTTON     BIT(5)      /* no fixed-feature sleep button */
#define FADT_RESET_REG_SUP  BIT(10)     /* RESET_REG is valid */
/* Not set: PWR_BUTTON (bit 4), for the power button is the fixed-feature one
 * (PWRBTN_STS in PM1a, which the monitor presses); TMR_VAL_EXT (bit 8), for
 * the PM timer counts 24 bits (devices/pc.h); HW_REDUCED_ACPI (bit 20), for
 * the fixed hardware is there. */
#define BOOT_ARCH_LEGACY_DEVICES BIT(0) /* ISA devices: RTC, UART, PIT */
#define BOOT_ARCH_8042      BIT(1)      /* the keyboard controller at 0x60/0x64 */
#define P_LVL2_NONE         101         /* a C2 latency above 100 us: no C2 */
#define P_LVL3_NONE         1001        /* a C3 latency above 1000 us: no C3 */
#define PM1_EVT_LEN         4           /* status and enable, 2 bytes each */
#define PM1_CNT_LEN         2
#define PM_TMR_LEN          4
#define CMOS_CENTURY        0x32        /* the CMOS clock's century byte, as QEMU's (devices/vrtc.h) */

/* Firmware ACPI Control Structure (5.2.10, Table 5.14): no checksum */
struct __packed facs {
	char signature[4];
	uint32_t length;                /* 64 */
	uint32_t hardware_signature;
	uint32_t firmware_waking_vector;
	uint32_t global_lock;
	uint32_t flags;
	uint64_t x_firmware_waking_vector;
	uint8_t version;                /* 1: ACPI 2.0 */
	uint8_t reserved[31];
};
STATIC_ASSERT(sizeof(struct facs) == 64, "FACS is 64 bytes");

/* Multiple APIC Description Table (5.2.12, Tables 5.19-5.28) */
struct __packed madt {
	struct sdt hdr;
	uint32_t lapic_addr;
	uint32_t flags;
	struct __packed {               /* type 0, Table 5.22 */
		uint8_t type, length, uid, apic_id;
		uint32_t flags;
	} lapic;
	struct __packed {               /* type 1, Table 5.24 */
		uint8_t type, length, id, reserved;
		uint32_t addr, gsi_base;
	} ioapic;
	struct __packed {               /* type 2, Table 5.25 */
		uint8_t type, length, bus, source;
		uint32_t gsi;
		uint16_t flags;
	} override[2];
	struct __packed {               /* type 4, Table 5.28 */
		uint8_t type, length, uid;
		uint16_t flags;
		uint8_t lint;
	} lapic_nmi;
};
STATIC_ASSERT(sizeof(struct madt) == 44 + 8 + 12 + 2 * 10 + 6, "MADT with its entries");
#define MADT_REVISION       1           /* ACPI 2.0: these entry types only */
#define MADT_PCAT_COMPAT    BIT(0)      /* a dual 8259 is present too */
#define MADT_TYPE_LAPIC     0
#define MADT_TYPE_IOAPIC    1
#define MADT_TYPE_OVERRIDE  2
#define MADT_TYPE_LAPIC_NMI 4
#define MADT_CPU_ENABLED    BIT(0)
#define MADT_ALL_CPUS       0xFF        /* LAPIC NMI: every processor */
#define MADT_LINT1          1
#define MADT_BUS_ISA        0
#define INTI_HIGH_LEVEL     0x000D      /* MPS INTI flags: active high (01), level (11 << 2) */
#define INTI_CONFORMS       0x0000      /* as the ISA bus: active high, edge */
#define GUEST_LAPIC_ID         0           /* vm/irq.c: the one vCPU's local APIC */
#define GUEST_IOAPIC_ID        0           /* vm/irq.c: vioapic_init(.., 0) */
#define PC_GSI_PIT          2           /* the IOAPIC pin the PIT's IRQ 0 reaches */

/*
 * The DSDT's AML (ACPI 6.5, 20.2), two objects:
 *   Name (\_S5, Package (4) { PC_SLP_TYP_S5, PC_SLP_TYP_S5, 0, 0 })
 * the SLP_TYP values for PM1a and PM1b control (7.4.2): Linux's poweroff
 * writes SLP_TYP | SLP_EN to PM1a_CNT; and
 *   Scope (\_SB) { Device (PCI0) { Name (_HID, EisaId ("PNP0A03")) Name (_UID, 0)
 *       Name (_CRS, ResourceTemplate () { WordBusNumber (..., 0, 0xFF, ...) }) } }
 * the PCI host bridge on ports 0xCF8/0xCFC: with ACPI, Linux looks for PCI
 * root buses only among the DSDT's PNP0A03 devices, and takes their bus
 * range from _CRS (6.4.3.5.3, a Word Address Space Descriptor).
 * A PkgLength (20.2.4) counts itself and what follows it in its package;
 * every one here fits the one-byte form (below 64).
 */
#define AML_ZERO_OP         0x00
#define AML_NAME_OP         0x08
#define AML_BYTE_PREFIX     0x0A
#define AML_DWORD_PREFIX    0x0C
#define AML_SCOPE_OP        0x10
#define AML_BUFFER_OP       0x11
#define AML_PACKAGE_OP      0x12
#define AML_EXT_OP_PREFIX   0x5B
#define AML_DEVICE_OP       0x82        /* after AML_EXT_OP_PREFIX */
#define AML_ROOT_CHAR       0x5C        /* '\' */
#define EISA_PNP0A03        0x41, 0xD0, 0x0A, 0x03      /* EisaId ("PNP0A03"), a PCI host bridge */
#define RES_WORD_ADDRESS    0x88        /* Word Address Space Descriptor (6.4.3.5.3) */
#define RES_TYPE_BUS        2           /* its resource type: bus numbers */
#define RES_MIN_MAX_FIXED   0x0C        /* general flags: _MIF, _MAF; producer, positive decode */
#define RES_END_TAG         0x79        /* End Tag (6.4.2.9), then a checksum byte (0: none) */
static const uint8_t dsdt_aml[] = {
	AML_NAME_OP, AML_ROOT_CHAR, '_', 'S', '5', '_',
	AML_PACKAGE_OP,
	0x08,                           /* PkgLength: itself, NumElements and 6 bytes of elements */
	0x04,                           /* NumElements */
	AML_BYTE_PREFIX, PC_SLP_TYP_S5,
	AML_BYTE_PREFIX, PC_SLP_TYP_S5,
	AML_ZERO_OP,
	AML_ZERO_OP,

	AML_SCOPE_OP,
	0x38,                           /* PkgLength: itself, 5 of name, 50 of Device */
	AML_ROOT_CHAR, '_', 'S', 'B', '_',
	AML_EXT_OP_PREFIX, AML_DEVICE_OP,
	0x30,                           /* PkgLength: itself, 4 of name, 10 of _HID, 6 of _UID, 27 of _CRS */
	'P', 'C', 'I', '0',
	AML_NAME_OP, '_', 'H', 'I', 'D', AML_DWORD_PREFIX, EISA_PNP0A03,
	AML_NAME_OP, '_', 'U', 'I', 'D', AML_ZERO_OP,
	AML_NAME_OP, '_', 'C', 'R', 'S',
	AML_BUFFER_OP,
	0x15,                           /* PkgLength: itself, 2 of BufferSize, 18 of bytes */
	AML_BYTE_PREFIX, 18,            /* BufferSize */
	RES_WORD_ADDRESS, 13, 0,        /* its length, 16 bits */
	RES_TYPE_BUS, RES_MIN_MAX_FIXED, 0,
	0x00, 0x00,                     /* granularity */
	0x00, 0x00,                     /* minimum: bus 0 */
	0xFF, 0x00,                     /* maximum: bus 255 */
	0x00, 0x00,                     /* translation offset */
	0x00, 0x01,                     /* length: 256 buses */
	RES_END_TAG, 0x00,
};
#define DSDT_REVISION       2           /* AML integers are 64 bits */

STATIC_ASSERT(OFF_RSDT >= sizeof(struct rsdp), "RSDP fits");
STATIC_ASSERT(OFF_XSDT >= OFF_RSDT + sizeof(struct sdt) + 2 * 4, "RSDT fits");
STATIC_ASSERT(OFF_FACS >= OFF_XSDT + sizeof(struct sdt) + 2 * 8, "XSDT fits");
STATIC_ASSERT(OFF_FACS % 64 == 0 && OFF_FADT >= OFF_FACS + sizeof(struct facs), "FACS fits, aligned");
STATIC_ASSERT(OFF_MADT >= OFF_FADT + sizeof(struct fadt), "FADT fits");
STATIC_ASSERT(OFF_DSDT >= OFF_MADT + sizeof(struct madt), "MADT fits");
STATIC_ASSERT(OFF_END >= OFF_DSDT + sizeof(struct sdt) + sizeof(dsdt_aml), "DSDT fits");
STATIC_ASSERT(OFF_END <= ACPI_TABLES_SIZE, "the tables fit the firmware area");
STATIC_ASSERT(PC_SLP_TYP_S5 <= 0xFF, "\\_S5 holds SLP_TYP in a BytePrefix");

static uint8_t
sum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (n--)
		s += *b++;
	return s;
}

/* The header of a table of length bytes at area + off; its checksum is set
 * by finish() once the body is written. */
static struct sdt *
header(uint8_t *area, unsigned off, const char *sig, uint32_t length, uint8_t revision)
{
	struct sdt *t = (struct sdt *)(area + off);

	memcpy(t->signature, sig, 4);
	t->length = length;
	t->revision = revision;
	memcpy(t->oem_id, OEM_ID, 6);
	memcpy(t->oem_table_id, OEM_TABLE_ID, 8);
	t->oem_revision = OEM_REVISION;
	memcpy(t->creator_id, CREATOR_ID, 4);
	t->creator_revision = CREATOR_REVISION;
	return t;
}

static void
finish(struct sdt *t)
{
	t->checksum = 0;
	t->checksum = (uint8_t)-sum(t, t->length);
}

static struct gas
system_io(uint16_t port, uint8_t bytes, uint8_t access_size)
{
	return (struct gas){ .space_id = GAS_SYSTEM_IO, .bit_width = (uint8_t)(bytes * 8),
			     .access_size = access_size, .address = port };
}

static void
build_fadt(uint8_t *area)
{
	struct fadt f;

	memset(&f, 0, sizeof(f));
	f.firmware_ctrl = GPA(OFF_FACS);
	f.dsdt = GPA(OFF_DSDT);
	f.sci_int = PC_IRQ_SCI;
	f.pm1a_evt_blk = PC_PORT_PM1A_EVT;
	f.pm1a_cnt_blk = PC_PORT_PM1A_CNT;
	f.pm_tmr_blk = PC_PORT_PM_TMR;
	f.pm1_evt_len = PM1_EVT_LEN;
	f.pm1_cnt_len = PM1_CNT_LEN;
	f.pm_tmr_len = PM_TMR_LEN;
	f.p_lvl2_lat = P_LVL2_NONE;
	f.p_lvl3_lat = P_LVL3_NONE;
	f.century = CMOS_CENTURY;
	f.iapc_boot_arch = BOOT_ARCH_LEGACY_DEVICES | BOOT_ARCH_8042;
	f.flags = FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON | FADT_RESET_REG_SUP;
	f.reset_reg = system_io(PC_PORT_RESET, 1, GAS_ACCESS_BYTE);
	f.reset_value = PC_RESET_VALUE;
	/* X_DSDT repeats DSDT (ACPICA warns when they differ); X_FIRMWARE_CTRL
	 * stays 0, as QEMU leaves it: ACPICA installs a FACS named by both twice */
	f.x_dsdt = f.dsdt;
	f.x_pm1a_evt_blk = system_io(PC_PORT_PM1A_EVT, PM1_EVT_LEN, 0);
	f.x_pm1a_cnt_blk = system_io(PC_PORT_PM1A_CNT, PM1_CNT_LEN, 0);
	f.x_pm_tmr_blk = system_io(PC_PORT_PM_TMR, PM_TMR_LEN, 0);
	memcpy(area + OFF_FADT, &f, sizeof(f));
	finish(header(area, OFF_FADT, "FACP", sizeof(f), FADT_REVISION));
}

static void
build_madt(uint8_t *area)
{
	struct madt m = {
		.lapic_addr = PC_LAPIC_BASE,
		.flags = MADT_PCAT_COMPAT,
		.lapic = { MADT_TYPE_LAPIC, sizeof(m.lapic), 0, GUEST_LAPIC_ID, MADT_CPU_ENABLED },
		.ioapic = { MADT_TYPE_IOAPIC, sizeof(m.ioapic), GUEST_IOAPIC_ID, 0, PC_IOAPIC_BASE, 0 },
		.override = {
			{ MADT_TYPE_OVERRIDE, sizeof(m.override[0]), MADT_BUS_ISA, PC_IRQ_PIT, PC_GSI_PIT, INTI_CONFORMS },
			{ MADT_TYPE_OVERRIDE, sizeof(m.override[0]), MADT_BUS_ISA, PC_IRQ_SCI, PC_IRQ_SCI, INTI_HIGH_LEVEL },
		},
		.lapic_nmi = { MADT_TYPE_LAPIC_NMI, sizeof(m.lapic_nmi), MADT_ALL_CPUS, INTI_CONFORMS, MADT_LINT1 },
	};

	memcpy(area + OFF_MADT, &m, sizeof(m));
	finish(header(area, OFF_MADT, "APIC", sizeof(m), MADT_REVISION));
}

static void
build_roots(uint8_t *area)
{
	static const unsigned tables[] = { OFF_FADT, OFF_MADT };
	struct rsdp r = {
		.signature = "RSD PTR ",
		.oem_id = OEM_ID,
		.revision = 2,
		.rsdt = GPA(OFF_RSDT),
		.length = sizeof(r),
		.xsdt = GPA(OFF_XSDT),
	};
	struct sdt *rsdt, *xsdt;

	rsdt = header(area, OFF_RSDT, "RSDT", sizeof(*rsdt) + ARRAY_SIZE(tables) * 4, 1);
	xsdt = header(area, OFF_XSDT, "XSDT", sizeof(*xsdt) + ARRAY_SIZE(tables) * 8, 1);
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		uint32_t a32 = GPA(tables[i]);
		uint64_t a64 = a32;

		memcpy(area + OFF_RSDT + sizeof(*rsdt) + i * 4, &a32, 4);
		memcpy(area + OFF_XSDT + sizeof(*xsdt) + i * 8, &a64, 8);
	}
	finish(rsdt);
	finish(xsdt);

	r.checksum = (uint8_t)-sum(&r, RSDP_V1_BYTES);
	r.ext_checksum = (uint8_t)-sum(&r, sizeof(r));
	memcpy(area + OFF_RSDP, &r, sizeof(r));
}

size_t
acpi_tables_build(uint8_t *area)
{
	struct facs facs = { .signature = "FACS", .length = sizeof(facs), .version = 1 };
	struct sdt *dsdt;

	memset(area, 0, ACPI_TABLES_SIZE);
	memcpy(area + OFF_FACS, &facs, sizeof(facs));
	dsdt = header(area, OFF_DSDT, "DSDT", sizeof(*dsdt) + sizeof(dsdt_aml), DSDT_REVISION);
	memcpy(area + OFF_DSDT + sizeof(*dsdt), dsdt_aml, sizeof(dsdt_aml));
	finish(dsdt);
	build_fadt(area);
	build_madt(area);
	build_roots(area);
	return OFF_END;
}
