/*
 * devices/vrtc.h: the guest's real-time clock and CMOS RAM, a Motorola
 * MC146818A as PCs have it at ports 0x70 (index; bit 7 masks NMIs) and
 * 0x71 (data), interrupting on IRQ 8. It starts at the host's date and time
 * (drivers/rtc.h) and runs on the guest's TSC.
 *
 * Time is the caller's: `now` is the guest TSC, monotonic, and nothing
 * happens per tick. The divider chain is a count of 32.768 kHz ticks
 * worked out from now; the clock is a count of seconds (lib/date.h) turned
 * into the registers' format (BCD or binary, 12- or 24-hour, register B)
 * when read. While register B's SET bit holds the clock, or the divider is
 * stopped, it is kept as separate fields instead, so that software can set
 * them one by one, as the data sheet allows, before the clock runs again.
 *
 * Departures from the data sheet, on purpose:
 * - Changing the data mode or the hour format converts the time registers
 *   (the chip leaves them for software to rewrite), as QEMU does.
 * - The day of the week is worked out from the date; writes to it are ignored.
 * - Only the 32.768 kHz time base (divider 010) runs the clock; other
 *   divider values stop it, as divider reset (11x) does.
 * - The century (CMOS 0x32, as QEMU and the FADT's CENTURY field have it)
 *   is part of the clock: it is read and set like the year.
 */
#ifndef DEVICES_VRTC_H
#define DEVICES_VRTC_H

#include "kernel/compiler.h"
#include "lib/date.h"

#define VRTC_HZ                 32768   /* the time base's divided clock */
#define VRTC_CMOS_SIZE          128

/* CMOS indexes: the clock's registers (MC146818A data sheet, Table 2) */
#define VRTC_SECONDS            0x00
#define VRTC_SECONDS_ALARM      0x01
#define VRTC_MINUTES            0x02
#define VRTC_MINUTES_ALARM      0x03
#define VRTC_HOURS              0x04
#define   VRTC_HOUR_PM          0x80    /* 12-hour mode: afternoon */
#define VRTC_HOURS_ALARM        0x05
#define   VRTC_ALARM_ANY        0xC0    /* an alarm byte at or above this matches every value */
#define VRTC_WEEKDAY            0x06    /* 1 Sunday - 7 Saturday */
#define VRTC_DAY                0x07
#define VRTC_MONTH              0x08
#define VRTC_YEAR               0x09
#define VRTC_REG_A              0x0A
#define   VRTC_A_UIP            0x80    /* update in progress (read-only) */
#define   VRTC_A_DV_MASK        0x70    /* divider: time base and reset */
#define   VRTC_A_DV_32K         0x20    /*   32.768 kHz, running */
#define   VRTC_A_RS_MASK        0x0F    /* rate select of the periodic interrupt */
#define VRTC_REG_B              0x0B
#define   VRTC_B_SET            0x80    /* hold the clock, for setting it */
#define   VRTC_B_PIE            0x40    /* periodic interrupt enable */
#define   VRTC_B_AIE            0x20    /* alarm interrupt enable */
#define   VRTC_B_UIE            0x10    /* update-ended interrupt enable */
#define   VRTC_B_SQWE           0x08    /* square wave enable (no pin here) */
#define   VRTC_B_BINARY         0x04    /* DM: binary, else BCD */
#define   VRTC_B_24H            0x02    /* 24-hour, else 12-hour */
#define   VRTC_B_DSE            0x01    /* daylight saving enable (kept, not applied) */
#define VRTC_REG_C              0x0C    /* read-only; reading clears it */
#define   VRTC_C_IRQF           0x80    /* PF and PIE, AF and AIE, or UF and UIE */
#define   VRTC_C_PF             0x40    /* periodic */
#define   VRTC_C_AF             0x20    /* alarm */
#define   VRTC_C_UF             0x10    /* update ended */
#define VRTC_REG_D              0x0D
#define   VRTC_D_VRT            0x80    /* valid RAM and time: the battery is good */

/* CMOS RAM bytes PC firmware and QEMU keep (QEMU hw/i386/pc.c pc_cmos_init) */
#define VRTC_CMOS_SHUTDOWN      0x0F    /* why the last reset happened */
#define VRTC_CMOS_EQUIPMENT     0x14    /* bit 1: FPU present */
#define VRTC_CMOS_BASE_KB       0x15    /* 0x15-0x16: base memory in KiB (640) */
#define VRTC_CMOS_EXT_KB        0x17    /* 0x17-0x18: KiB from 1 MiB, at most 65535 */
#define VRTC_CMOS_EXT_KB2       0x30    /* 0x30-0x31: the same again */
#define VRTC_CMOS_CENTURY       0x32
#define VRTC_CMOS_MEM_16M       0x34    /* 0x34-0x35: 64 KiB blocks from 16 MiB to 4 GiB */
#define VRTC_CMOS_MEM_4G        0x5B    /* 0x5B-0x5D: 64 KiB blocks above 4 GiB */
#define VRTC_CMOS_CPUS          0x5F    /* number of CPUs - 1 */

struct vrtc {
	uint8_t index;                  /* port 0x70's bits 6:0 */
	bool nmi_masked;                /* port 0x70's bit 7, as last written */
	uint8_t reg_a, reg_b, reg_c;    /* reg_a without UIP */
	uint8_t alarm[3];               /* seconds, minutes, hours, as written */
	uint8_t cmos[VRTC_CMOS_SIZE];   /* RAM; the clock's indexes are not kept here */
	uint64_t tsc_hz;
	/* The divider's count of VRTC_HZ ticks is origin_ticks at guest TSC
	 * origin_tsc and grows from there; a second ends at each multiple of
	 * VRTC_HZ. Running, the clock reads base_seconds + count / VRTC_HZ. */
	uint64_t origin_tsc, origin_ticks;
	int64_t base_seconds;
	struct date_time held;          /* the clock while SET holds it or the divider is stopped */
	uint64_t seen_ticks;            /* flags are set for every tick up to this count */
	bool irq;                       /* the IRQ 8 level last given to the interrupt controllers */
};

/* Power-on at guest TSC now, the clock at seconds (since 1970) and into
 * TSC ticks past it: running, BCD, 24-hour, no interrupts enabled. */
void vrtc_init(struct vrtc *r, int64_t seconds, uint64_t into, uint64_t tsc_hz, uint64_t now);

/* The memory-size bytes of CMOS RAM for a guest with ram bytes from 0. */
void vrtc_set_memory_size(struct vrtc *r, uint64_t ram);

/* One byte at port 0x70 or 0x71 at time now: a write takes *value, a read fills it. */
void vrtc_io(struct vrtc *r, uint16_t port, bool in, uint8_t *value, uint64_t now);

/* Set the flags of every update, alarm and periodic tick up to now. */
void vrtc_update(struct vrtc *r, uint64_t now);

/* Is the interrupt request on (register C's IRQF)? */
static inline bool
vrtc_irq(const struct vrtc *r)
{
	return r->reg_c & VRTC_C_IRQF;
}

/* The guest TSC of the next tick that could raise the interrupt request,
 * or UINT64_MAX (none enabled, the clock stopped, or IRQF already on). */
uint64_t vrtc_next_event(const struct vrtc *r);

/* The clock now, as seconds since 1970 (for tests and the monitor). */
int64_t vrtc_seconds(const struct vrtc *r, uint64_t now);

struct vm;
/* Put r on vm's ports 0x70-0x71 and IRQ 8, at the host's date and time. */
int vrtc_attach(struct vm *vm, struct vrtc *r);

#endif
