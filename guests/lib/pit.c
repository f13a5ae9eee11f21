/*
 * guests/lib/pit.c: 8254 control words (8254 data sheet, "Control Word
 * Format") and port 0x61.
 */
#include "guests/lib/pit.h"
#include "kernel/x86.h"

#define PIT_CH0         0x40
#define PIT_CMD         0x43
#define   CW_CHANNEL_SHIFT 6
#define   CW_LOHI       0x30            /* read/write LSB then MSB */
#define   CW_MODE_SHIFT 1
#define PORT_B          0x61
#define   PORT_B_GATE2  0x01
#define   PORT_B_SPKR   0x02            /* speaker data enable */
#define   PORT_B_OUT2   0x20

void
pit_start(unsigned channel, unsigned mode, uint16_t count)
{
	outb(PIT_CMD, (uint8_t)(channel << CW_CHANNEL_SHIFT | CW_LOHI | mode << CW_MODE_SHIFT));
	outb((uint16_t)(PIT_CH0 + channel), (uint8_t)count);
	outb((uint16_t)(PIT_CH0 + channel), (uint8_t)(count >> 8));
}

void
pit_gate2(bool on)
{
	uint8_t b = inb(PORT_B) & (uint8_t)~(PORT_B_GATE2 | PORT_B_SPKR);

	outb(PORT_B, on ? b | PORT_B_GATE2 : b);
}

bool
pit_out2(void)
{
	return inb(PORT_B) & PORT_B_OUT2;
}
