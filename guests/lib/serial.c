/*
 * guests/lib/serial.c: polled 16550 transmit (PC16550D data sheet; the
 * port layout is the PC's COM1). No set-up: the hypervisor's emulated UART
 * and the firmware's real one both come up usable at 115200 8N1 or close.
 */
#include "guests/lib/serial.h"
#include "kernel/x86.h"

#define COM1            0x3F8
#define REG_DATA        0       /* transmit holding register */
#define REG_LSR         5       /* line status */
#define   LSR_THRE      0x20    /* transmit holding register empty */

/* A UART that never says "empty" (absent, or broken) must not hang us. */
#define THRE_POLLS      100000

/*
 * Send one byte, after waiting for room in the transmitter as a driver for
 * real hardware would; the wait gives up after THRE_POLLS reads.
 */
void
serial_putc(char c)
{
	for (int i = 0; i < THRE_POLLS; i++)
		if (inb(COM1 + REG_LSR) & LSR_THRE)
			break;
	outb(COM1 + REG_DATA, (uint8_t)c);
}

void
serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}
