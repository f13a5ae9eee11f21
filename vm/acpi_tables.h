/*
 * vm/acpi_tables.h: the ACPI tables the hypervisor builds into each guest's
 * RAM, describing the small PC of devices/pc.h as firmware would (ACPI 6.5,
 * chapter 5.2): an RSDP (revision 2) that a legacy scan of
 * [0xE0000, 0x100000) finds, an RSDT and an XSDT, a FADT (revision 3, the
 * ACPI 2.0 layout with X_ fields) with its FACS, the PM1a blocks, the PM
 * timer and the reset register, a MADT (one local APIC, the IOAPIC, the
 * PIT's override to GSI 2, the SCI) and a DSDT: \_S5 and the PCI host
 * bridge \_SB.PCI0.
 *
 * They live in the firmware area [PC_BIOS_AREA, PC_BIOS_AREA_END), which
 * the guest's memory maps (e820, Multiboot) mark reserved:
 *   +0x000 RSDP     +0x040 RSDT     +0x080 XSDT     +0x0C0 FACS
 *   +0x100 FADT     +0x200 MADT     +0x280 DSDT
 * Pure: the builder writes a byte array, so host unit tests check it.
 */
#ifndef VM_ACPI_TABLES_H
#define VM_ACPI_TABLES_H

#include "devices/pc.h"
#include "kernel/compiler.h"

#define ACPI_TABLES_BASE    PC_BIOS_AREA                        /* guest-physical */
#define ACPI_TABLES_SIZE    (PC_BIOS_AREA_END - PC_BIOS_AREA)   /* the whole area is theirs */
#define ACPI_TABLES_RSDP    ACPI_TABLES_BASE                    /* 16-byte aligned, as the scan needs */

/*
 * Write the tables into area, which the guest sees at guest-physical
 * ACPI_TABLES_BASE (ACPI_TABLES_SIZE bytes; the rest is zeroed). Returns
 * the number of bytes the tables use. Cannot fail.
 */
size_t acpi_tables_build(uint8_t *area);

#endif
