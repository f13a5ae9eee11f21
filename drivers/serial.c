/*
 * drivers/serial.c: polled 16550 UART at 115200 8N1.
 * Register map: PC16550D data sheet, "Register Description"; the same
 * layout every PC chipset's UART keeps.
 */
#include "drivers/serial.h"
#include "kernel/x86.h"

#define UART_DATA       0       /* receive/transmit buffer (DLAB=0) */
#define UART_IER        1       /* interrupt enable (DLAB=0) */
#define UART_DLL        0       /* divisor latch low (DLAB=1) */
#define UART_DLH        1       /* divisor latch high (DLAB=1) */
#define UART_FCR        2       /* FIFO control (write) */
#define UART_LCR        3       /* line control */
#define   LCR_8N1       0x03
#define   LCR_DLAB      0x80    /* divisor latch access */
#define UART_MCR        4       /* modem control */
#define   MCR_DTR       0x01
#define   MCR_RTS       0x02
#define   MCR_OUT2      0x08
#define   MCR_LOOP      0x10
#define UART_LSR        5       /* line status */
#define   LSR_DR        0x01    /* data ready */
#define   LSR_THRE      0x20    /* transmit holding register empty */
#define   LSR_TEMT      0x40    /* transmitter empty: FIFO and shift register */

#define UART_CLOCK_DIV_115200 1 /* 1.8432 MHz / 16 / 115200 */

static uint16_t serial_port;

/*
 * Program the UART and check that one is there with the loopback test
 * (many laptops have no COM1: writes would then spin for nothing).
 * Returns false when no UART answers at that port.
 */
bool
serial_init(uint16_t port)
{
	outb(port + UART_IER, 0x00);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, UART_CLOCK_DIV_115200);
	outb(port + UART_DLH, 0);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, 0xC7);    /* enable and clear FIFOs, 14-byte trigger */

	outb(port + UART_MCR, MCR_LOOP | MCR_RTS | MCR_OUT2 | 0x04);
	outb(port + UART_DATA, 0xAE);
	if (inb(port + UART_DATA) != 0xAE) {
		serial_port = 0;
		return false;
	}
	outb(port + UART_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	serial_port = port;
	return true;
}

static void
putc_raw(char c)
{
	/* bounded wait: a wedged UART must not hang the hypervisor */
	for (int spins = 0; spins < 100000; spins++)
		if (inb(serial_port + UART_LSR) & LSR_THRE)
			break;
	outb(serial_port + UART_DATA, (uint8_t)c);
}

void
serial_write(const char *s, size_t n)
{
	if (!serial_port)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			putc_raw('\r');
		putc_raw(s[i]);
	}
}

int
serial_getc(void)
{
	if (!serial_port || !(inb(serial_port + UART_LSR) & LSR_DR))
		return -1;
	return inb(serial_port + UART_DATA);
}

/* Before the machine stops: the FIFO may still hold the last line. */
void
serial_flush(void)
{
	if (!serial_port)
		return;
	for (int spins = 0; spins < 1000000; spins++)
		if (inb(serial_port + UART_LSR) & LSR_TEMT)
			return;
}
