/*
 * drivers/acpi.h: what the firmware's static ACPI tables tell the
 * hypervisor about the machine (ACPI 6.5, chapter 5.2): the CPUs and
 * interrupt controllers (MADT), the PM timer, the reset register and the
 * legacy-device flags (FADT). acpi_init() reads the tables once and copies
 * everything into one struct acpi_info; nothing keeps pointers into
 * firmware memory except acpi_find_table().
 */
#ifndef DRIVERS_ACPI_H
#define DRIVERS_ACPI_H

#include "kernel/compiler.h"

struct boot_info;

#define ACPI_MAX_CPUS           64
#define ACPI_MAX_IOAPICS        8
#define ACPI_MAX_OVERRIDES      16
#define ACPI_MAX_NMIS           16
#define ACPI_MAX_TABLES         64

#define ACPI_DEFAULT_LAPIC      0xFEE00000UL
#define ACPI_DEFAULT_IOAPIC     0xFEC00000UL

/* Generic Address Structure (ACPI 6.5, 5.2.3.2, Table 5.1). */
struct __packed acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
};
STATIC_ASSERT(sizeof(struct acpi_gas) == 12, "ACPI generic address is 12 bytes");

#define ACPI_SPACE_MEMORY       0       /* system memory */
#define ACPI_SPACE_IO           1       /* system I/O */
#define ACPI_SPACE_PCI_CONFIG   2       /* PCI configuration space */

/* MPS INTI flags of overrides and NMI entries (ACPI 6.5, Table 5.50). */
#define ACPI_INTI_POLARITY_MASK         0x3
#define   ACPI_INTI_POLARITY_CONFORMS   0x0     /* as the bus says: ISA is active high */
#define   ACPI_INTI_POLARITY_HIGH       0x1     /* active high */
#define   ACPI_INTI_POLARITY_LOW        0x3     /* active low */
#define ACPI_INTI_TRIGGER_MASK          0xC
#define   ACPI_INTI_TRIGGER_CONFORMS    0x0     /* as the bus says: ISA is edge */
#define   ACPI_INTI_TRIGGER_EDGE        0x4     /* edge triggered */
#define   ACPI_INTI_TRIGGER_LEVEL       0xC     /* level triggered */

struct acpi_cpu {
	uint32_t apic_id;       /* local APIC or x2APIC id */
	uint32_t uid;           /* ACPI processor UID, matches LAPIC NMI entries */
	bool enabled;           /* usable now */
	bool online_capable;    /* disabled, but may be brought online later */
	bool x2apic_entry;      /* described by a Processor Local x2APIC entry */
};

struct acpi_ioapic {
	uint32_t id;
	uint64_t addr;          /* physical MMIO base */
	uint32_t gsi_base;      /* GSI of redirection entry 0 */
};

struct acpi_override {
	uint8_t isa_irq;        /* bus-relative source: always ISA */
	uint32_t gsi;
	uint16_t flags;         /* ACPI_INTI_* */
};

struct acpi_lapic_nmi {
	uint32_t uid;           /* ACPI_NMI_ALL_CPUS: every processor */
	uint8_t lint;           /* LINT0 or LINT1 */
	uint16_t flags;         /* ACPI_INTI_* */
};
#define ACPI_NMI_ALL_CPUS       0xFFFFFFFFu

struct acpi_nmi_source {
	uint32_t gsi;
	uint16_t flags;         /* ACPI_INTI_* */
};

/* One interrupt line as the interrupt controllers need to see it. */
struct acpi_irq {
	uint32_t gsi;
	bool active_low;
	bool level;
};

struct acpi_table {
	char sig[5];
	uint64_t addr;
	uint32_t length;
};

struct acpi_info {
	bool present;                   /* a valid RSDP and root table were found */
	uint8_t rsdp_revision;          /* 0: ACPI 1.0, 2: ACPI 2.0 and later */
	uint64_t rsdp_addr;             /* 0 when the loader's copy was used */
	bool xsdt;                      /* the tables came from the XSDT, not the RSDT */
	char oem_id[7];

	uint32_t table_count;           /* the root table's entries that passed their checks */
	struct acpi_table tables[ACPI_MAX_TABLES];

	/* MADT */
	bool madt;
	uint64_t lapic_addr;
	bool pcat_compat;               /* a dual 8259 is present and must be masked */
	uint32_t cpu_count;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	uint32_t ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	uint32_t override_count;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	uint32_t lapic_nmi_count;
	struct acpi_lapic_nmi lapic_nmis[ACPI_MAX_NMIS];
	uint32_t nmi_source_count;
	struct acpi_nmi_source nmi_sources[ACPI_MAX_NMIS];
	uint32_t dropped;               /* MADT entries that did not fit the arrays */

	/* FADT */
	bool fadt;
	uint8_t fadt_revision;
	bool hw_reduced;                /* HW_REDUCED_ACPI: no PM timer, no fixed hardware */
	struct acpi_gas pm_timer;       /* address 0: no PM timer */
	bool pm_timer_32bit;            /* TMR_VAL_EXT */
	bool reset_supported;           /* RESET_REG_SUP */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint8_t century;                /* CMOS index of the century, 0 if none */
	bool has_8042;                  /* a keyboard controller is present */
	bool no_vga;                    /* VGA must not be probed */
	bool no_cmos_rtc;
	uint16_t sci_irq;
	uint64_t dsdt;
};

/* Find and parse the tables; missing or broken ACPI leaves the defaults. */
void acpi_init(const struct boot_info *bi);
const struct acpi_info *acpi_get(void);
/* Physical address of the first valid table with this signature, 0 if none. */
uint64_t acpi_find_table(const char *sig);
/* An ISA IRQ (0-15) after the interrupt source overrides. */
struct acpi_irq acpi_isa_irq(uint8_t irq);
/* Reset the machine through the FADT's RESET_REG; returns only if there is none. */
void acpi_reset(void);

#endif
