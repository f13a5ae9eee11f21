/*
 * devices/uart.c: an emulated 16550 as guests' serial drivers expect it:
 * registers per the PC16550D data sheet, a transmitter that is always
 * ready (LSR THRE and TEMT set), no receiver yet, no interrupts yet.
 */
#include "devices/uart.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "mm/heap.h"
#include "vm/vm.h"

#define REG_DATA        0       /* THR/RBR, DLL when DLAB */
#define REG_IER         1       /* DLH when DLAB */
#define REG_IIR_FCR     2
#define REG_LCR         3
#define   LCR_DLAB      0x80
#define REG_MCR         4
#define REG_LSR         5
#define   LSR_THRE      0x20
#define   LSR_TEMT      0x40
#define REG_MSR         6
#define   MSR_CTS_DSR_DCD 0xB0
#define REG_SCR         7
#define IIR_NO_INTR     0x01
#define IIR_FIFO_ON     0xC0

static void
emit_line(struct vm *vm, struct uart *u)
{
	if (vm->desc.console) {
		console_lock();
		console_printf("[%s] %.*s\n", vm->desc.name, (int)u->len, u->line);
		console_unlock();
	}
	u->len = 0;
}

static void
put_char(struct vm *vm, struct uart *u, char c)
{
	if (c == '\n') {
		emit_line(vm, u);
		return;
	}
	if (c == '\r')
		return;
	if ((unsigned char)c < 0x20 && c != '\t')
		c = '?';                /* no control sequences reach the host console */
	u->line[u->len++] = c;
	if (u->len == UART_LINE_MAX)
		emit_line(vm, u);
}

static void
uart_io(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	struct uart *u = dev;
	uint16_t reg = port & 7;
	bool dlab = u->lcr & LCR_DLAB;
	uint8_t v = (uint8_t)*value;

	if (!in) {
		switch (reg) {
		case REG_DATA: if (dlab) u->dll = v; else put_char(vm, u, (char)v); break;
		case REG_IER:  if (dlab) u->dlh = v; else u->ier = v & 0x0F; break;
		case REG_IIR_FCR: u->fcr = v; break;
		case REG_LCR:  u->lcr = v; break;
		case REG_MCR:  u->mcr = v & 0x1F; break;
		case REG_SCR:  u->scr = v; break;
		default: break;         /* LSR and MSR are read-only */
		}
		return;
	}
	switch (reg) {
	case REG_DATA:    v = dlab ? u->dll : 0; break;
	case REG_IER:     v = dlab ? u->dlh : u->ier; break;
	case REG_IIR_FCR: v = IIR_NO_INTR | ((u->fcr & 1) ? IIR_FIFO_ON : 0); break;
	case REG_LCR:     v = u->lcr; break;
	case REG_MCR:     v = u->mcr; break;
	case REG_LSR:     v = LSR_THRE | LSR_TEMT; break;
	case REG_MSR:     v = MSR_CTS_DSR_DCD; break;
	default:          v = u->scr; break;
	}
	*value = size == 1 ? v : (uint32_t)v | 0xFFFFFF00u;
}

int
uart_attach(struct vm *vm, uint16_t base)
{
	struct uart *u = heap_zalloc(sizeof(*u), "uart: a guest's COM1");

	if (!u)
		return -ENOMEM;
	u->lcr = 0x03;
	vm->uart = u;
	return iobus_register(&vm->iobus, base, base + 7, uart_io, u, "16550 UART");
}

void
uart_write_guest_text(struct vm *vm, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_char(vm, vm->uart, s[i]);
}

void
uart_flush(struct vm *vm)
{
	if (vm->uart && vm->uart->len)
		emit_line(vm, vm->uart);
}
