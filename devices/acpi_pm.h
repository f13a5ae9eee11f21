/*
 * devices/acpi_pm.h: the ACPI fixed hardware of the guest's PC (ACPI 6.5,
 * 4.8 "ACPI Hardware Features"), as PIIX4 power management has it at
 * PC_PORT_PM_BASE: the PM1a event block (status and enable), the PM1a
 * control block (SCI_EN; SLP_TYP and SLP_EN to enter a sleep state, of
 * which only S5, soft-off, exists here), and the 24-bit PM timer at
 * 3.579545 MHz, taken from the guest's TSC. Beside them the reset control
 * register at 0xCF9 (PIIX3), which the FADT names as the reset register.
 *
 * There is no SMI_CMD port: the machine is always in ACPI mode, so SCI_EN
 * is on from power-on (an FADT with SMI_CMD 0 says so, ACPI 6.5, 5.2.9).
 * The SCI (IRQ 9, level) is on while SCI_EN is and an enabled status bit is set.
 *
 * Time is the caller's: `now` is the guest TSC.
 */
#ifndef DEVICES_ACPI_PM_H
#define DEVICES_ACPI_PM_H

#include "kernel/compiler.h"

/* PM1 status and enable (ACPI 6.5, Tables 4.16 and 4.17) */
#define ACPI_PM1_TMR_STS        0x0001  /* the timer's bit 23 changed */
#define ACPI_PM1_BM_STS         0x0010
#define ACPI_PM1_GBL_STS        0x0020
#define ACPI_PM1_PWRBTN_STS     0x0100  /* the power button was pressed */
#define ACPI_PM1_SLPBTN_STS     0x0200
#define ACPI_PM1_RTC_STS        0x0400
#define ACPI_PM1_WAK_STS        0x8000
#define ACPI_PM1_EN_MASK        0x0721  /* TMR_EN GBL_EN PWRBTN_EN SLPBTN_EN RTC_EN */
/* PM1 control (Table 4.18) */
#define ACPI_PM1_GBL_RLS        0x0004  /* write-only */
#define ACPI_PM1_SLP_TYP_SHIFT  10
#define ACPI_PM1_SLP_TYP_MASK   0x1C00
#define ACPI_PM1_CNT_MASK       0x1C07  /* SCI_EN BM_RLD GBL_RLS SLP_TYP */

#define ACPI_PM_TMR_BITS        24      /* TMR_VAL_EXT clear in the FADT */
#define ACPI_PM_TMR_MASK        0xFFFFFF

/* Reset control register, 0xCF9 (Intel 82371SB PIIX3 data sheet, 4.1.6) */
#define ACPI_RCR_SYS_RST        0x02    /* kept: hard (1) or soft (0) reset */
#define ACPI_RCR_RST_CPU        0x04    /* written as 1: reset now */
#define ACPI_RCR_FULL_RST       0x08    /* kept */

/* Offsets in the port block from PC_PORT_PM_BASE. */
#define ACPI_PM_STS             0x0
#define ACPI_PM_EN              0x2
#define ACPI_PM_CNT             0x4
#define ACPI_PM_TMR             0x8
#define ACPI_PM_LEN             0xC

enum acpi_pm_action {
	ACPI_PM_NONE,
	ACPI_PM_POWEROFF,       /* S5 entered */
	ACPI_PM_RESET,          /* the reset control register asked */
	ACPI_PM_SLEEP_UNKNOWN,  /* another sleep type: ignored (acpi_pm.slp_typ says which) */
};

struct acpi_pm {
	uint16_t sts, en, cnt;
	uint8_t rcr;                    /* reset control, as kept */
	uint8_t slp_typ;                /* the last sleep type entered */
	uint64_t tsc_hz;
	uint64_t tmr_seen;              /* TMR_STS is up to date for the timer at this count */
	bool sci;                       /* the level last given to IRQ 9 */
};

/* Power-on: SCI_EN on, every status and enable clear. */
void acpi_pm_init(struct acpi_pm *pm, uint64_t tsc_hz, uint64_t now);

/* The PM timer's full count at now (the register is its low 24 bits). */
uint64_t acpi_pm_ticks(const struct acpi_pm *pm, uint64_t now);

/* One byte at offset (0 - ACPI_PM_LEN-1) of the block at time now; words
 * and dwords are their bytes in order. A write returns what it asks of
 * the machine. */
enum acpi_pm_action acpi_pm_io(struct acpi_pm *pm, uint16_t offset, bool in, uint8_t *value, uint64_t now);

/* The reset control register at 0xCF9. */
enum acpi_pm_action acpi_pm_rcr_io(struct acpi_pm *pm, bool in, uint8_t *value);

/* Bring TMR_STS up to now; is the SCI on? */
bool acpi_pm_update(struct acpi_pm *pm, uint64_t now);

/* The guest TSC when TMR_STS will be set if the timer may interrupt, else UINT64_MAX. */
uint64_t acpi_pm_next_event(const struct acpi_pm *pm);

/* Press the power button: PWRBTN_STS, and the SCI if PWRBTN_EN. */
void acpi_pm_power_button(struct acpi_pm *pm);

struct vm;
/* Put pm on vm's ports (PM block, 0xCF9) and IRQ 9. */
int acpi_pm_attach(struct vm *vm, struct acpi_pm *pm);
/* The power button, from outside the guest (a graceful shutdown request). */
void acpi_pm_press_power_button(struct vm *vm, struct acpi_pm *pm);

#endif
