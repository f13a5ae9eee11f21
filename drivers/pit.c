/*
 * drivers/pit.c: the 8254 PIT (Intel 82C54 data sheet; the PC wiring is in
 * every PCH data sheet, "8254 Timers"). Channel 0 would drive IRQ 0: it is
 * left stopped. Channel 2 is gated by bit 0 of port 0x61 and its output
 * can be read back in bit 5 of the same port, so it times an interval by
 * polling, with no interrupt: that is what calibration uses.
 */
#include "drivers/pit.h"
#include "kernel/x86.h"

#define PIT_CH0                 0x40
#define PIT_CH2                 0x42
#define PIT_CMD                 0x43
#define   CMD_CH0               (0u << 6)       /* select counter 0 */
#define   CMD_CH2               (2u << 6)       /* select counter 2 */
#define   CMD_LOHI              (3u << 4)       /* read/write LSB then MSB */
#define   CMD_MODE0             (0u << 1)       /* interrupt on terminal count */
#define   CMD_BINARY            0               /* 16-bit binary count */

#define PORT_61                 0x61            /* NMI status and control */
#define   P61_GATE2             BIT(0)          /* timer 2 gate */
#define   P61_SPEAKER           BIT(1)          /* speaker data enable */
#define   P61_OUT2              BIT(5)          /* timer 2 output (read only) */

/*
 * Stop channel 0: a mode-0 control word with no count written leaves the
 * counter waiting for its count (82C54, "Mode 0"), so IRQ 0 never fires.
 */
void
pit_init(void)
{
	outb(PIT_CMD, CMD_CH0 | CMD_LOHI | CMD_MODE0 | CMD_BINARY);
	pit_oneshot_stop();
}

/* Speaker off, gate open, mode 0 with the count: OUT2 rises after ticks ticks. */
void
pit_oneshot_start(uint16_t ticks)
{
	uint8_t p61 = inb(PORT_61);

	outb(PORT_61, (uint8_t)((p61 & ~P61_SPEAKER) | P61_GATE2));
	outb(PIT_CMD, CMD_CH2 | CMD_LOHI | CMD_MODE0 | CMD_BINARY);
	outb(PIT_CH2, ticks & 0xFF);
	outb(PIT_CH2, ticks >> 8);
}

bool
pit_oneshot_done(void)
{
	return inb(PORT_61) & P61_OUT2;
}

void
pit_oneshot_stop(void)
{
	outb(PORT_61, (uint8_t)(inb(PORT_61) & ~(P61_GATE2 | P61_SPEAKER)));
}
