/*
 * devices/pc.h: where things are on the small PC every guest sees. One
 * table of fixed addresses, ports and interrupt lines, close to what
 * QEMU's `pc` machine (i440FX/PIIX) gives a kernel, shared by the device
 * models (devices/), the tables the hypervisor builds for the guest
 * (ACPI, e820, boot parameters) and the test guests.
 */
#ifndef DEVICES_PC_H
#define DEVICES_PC_H

/* Interrupt lines (ISA IRQs; the IOAPIC pin is the same number except the
 * PIT, which the MADT overrides to pin 2 as on real chipsets). */
#define PC_IRQ_PIT              0
#define PC_IRQ_KBD              1
#define PC_IRQ_COM1             4
#define PC_IRQ_RTC              8
#define PC_IRQ_SCI              9       /* ACPI system control interrupt (level, active high) */

/* Ports. */
#define PC_PORT_COM1            0x3F8
#define PC_PORT_KBC_DATA        0x60
#define PC_PORT_KBC_CMD         0x64    /* status on read; 0xFE written: reset */
#define PC_KBC_CMD_RESET        0xFE
#define PC_PORT_CMOS_INDEX      0x70
#define PC_PORT_CMOS_DATA       0x71
#define PC_PORT_DEBUG_EXIT      0xF4    /* isa-debug-exit: a write ends the guest */
#define PC_PORT_FW_CFG_SEL      0x510   /* QEMU fw_cfg selector (16-bit) */
#define PC_PORT_FW_CFG_DATA     0x511
#define PC_PORT_PCI_ADDR        0xCF8   /* PCI configuration mechanism #1 */
#define PC_PORT_PCI_DATA        0xCFC
#define PC_PORT_RESET           0xCF9   /* reset control; the FADT's reset register */
#define PC_RESET_VALUE          0x06

/* ACPI fixed hardware (PIIX4 power management at 0x600, as QEMU). */
#define PC_PORT_PM_BASE         0x600
#define PC_PORT_PM1A_EVT        (PC_PORT_PM_BASE + 0)   /* 4 bytes: status, enable */
#define PC_PORT_PM1A_CNT        (PC_PORT_PM_BASE + 4)   /* 2 bytes */
#define PC_PORT_PM_TMR          (PC_PORT_PM_BASE + 8)   /* 4 bytes, 24-bit counter */
#define PC_PM_TMR_HZ            3579545
#define PC_PM1_CNT_SCI_EN       0x0001
#define PC_PM1_CNT_SLP_TYP(x)   (((x) & 7) << 10)
#define PC_PM1_CNT_SLP_EN       0x2000
#define PC_SLP_TYP_S5           5       /* the DSDT's \_S5 package names this value */

/* Memory. */
#define PC_LOW_RAM_END          0x9FC00         /* conventional memory below the EBDA */
#define PC_BIOS_AREA            0xE0000         /* [0xE0000, 0x100000): firmware tables, reserved */
#define PC_BIOS_AREA_END        0x100000
#define PC_IOAPIC_BASE          0xFEC00000u
#define PC_LAPIC_BASE           0xFEE00000u

/*
 * The devices of this map that are not interrupt controllers or the UART
 * (devices/pc.c): CMOS clock, ACPI power management and the reset
 * register, PCI host bridge, keyboard controller, fw_cfg, isa-debug-exit.
 */
struct vm;
struct pc;

/* Give vm those devices, at power-on state (after irq_attach). */
int pc_attach(struct vm *vm);
/* Give back what pc_attach took (vm_destroy). */
void pc_detach(struct vm *vm);
/* Press the guest's ACPI power button: an OS that handles it shuts down. */
void pc_power_button(struct vm *vm);

#endif
