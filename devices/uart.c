/*
 * devices/uart.c: an emulated 16550A as guests' serial drivers (Linux's
 * 8250 among them) expect it, registers and interrupts per the PC16550D
 * data sheet: a 16-byte receive FIFO fed from the console, line and modem
 * status, loopback, and the four interrupt sources on IRQ 4 in their
 * priority order. The transmitter sends at once: THR and the shift register
 * are always empty again by the next access (LSR THRE and TEMT set).
 * As on QEMU, the interrupt reaches IRQ 4 whatever MCR OUT2 says.
 */
#include "devices/uart.h"
#include "devices/pc.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "mm/heap.h"
#include "vm/irq.h"
#include "vm/monitor.h"
#include "vm/vm.h"

#define REG_DATA        0       /* RBR/THR, DLL when DLAB */
#define REG_IER         1       /* DLM when DLAB */
#define   IER_RDI       0x01    /* received data available */
#define   IER_THRI      0x02    /* THR empty */
#define   IER_RLSI      0x04    /* receiver line status */
#define   IER_MSI       0x08    /* modem status */
#define REG_IIR_FCR     2
#define   IIR_NO_INTR   0x01
#define   IIR_MSI       0x00    /* the interrupt IDs, highest priority last */
#define   IIR_THRI      0x02
#define   IIR_RDI       0x04
#define   IIR_RLSI      0x06
#define   IIR_TIMEOUT   0x0C    /* data below the trigger level, not read for 4 character times */
#define   IIR_FIFO_ON   0xC0
#define   FCR_ENABLE    0x01
#define   FCR_CLEAR_RX  0x02
#define   FCR_TRIGGER_SHIFT 6
#define REG_LCR         3
#define   LCR_DLAB      0x80
#define REG_MCR         4
#define   MCR_DTR       0x01
#define   MCR_RTS       0x02
#define   MCR_OUT1      0x04
#define   MCR_OUT2      0x08
#define   MCR_LOOP      0x10
#define REG_LSR         5
#define   LSR_DR        0x01
#define   LSR_OE        0x02
#define   LSR_THRE      0x20
#define   LSR_TEMT      0x40
#define REG_MSR         6
#define   MSR_DCTS      0x01
#define   MSR_DDSR      0x02
#define   MSR_TERI      0x04
#define   MSR_DDCD      0x08
#define   MSR_CTS       0x10
#define   MSR_DSR       0x20
#define   MSR_RI        0x40
#define   MSR_DCD       0x80
#define REG_SCR         7

static const uint8_t trigger_levels[4] = { 1, 4, 8, 14 };

/* --- the console side ------------------------------------------------------ */

static void
emit_line(struct vm *vm, struct uart *u)
{
	if (vm->desc.console) {
		console_lock();
		console_printf("[%s] %.*s\n", vm->desc.name, (int)u->len, u->line);
		console_unlock();
	}
	u->len = 0;
	u->shown = 0;
}

/* An unfinished line (a shell's prompt, the echo of what is typed) goes
 * out on a console line left open; the rest of it follows there. */
static void
show_partial(struct vm *vm, struct uart *u, bool end)
{
	char prefix[GUEST_NAME_MAX + 4];

	if (!vm->desc.console) {
		u->shown = u->len;
		return;
	}
	format(prefix, sizeof(prefix), "[%s] ", vm->desc.name);
	console_lock();
	if (!console_line_is_open(u))
		u->shown = 0;           /* something else ended the line: show it whole again */
	console_write_open(u, prefix, u->line + u->shown, u->len - u->shown);
	if (end)
		console_write_open(u, prefix, "\n", 1);
	console_unlock();
	u->shown = u->len;
}

static void
end_line(struct vm *vm, struct uart *u)
{
	if (u->shown) {
		show_partial(vm, u, true);
		u->len = u->shown = 0;
	} else {
		emit_line(vm, u);
	}
}

static void
put_char(struct vm *vm, struct uart *u, char c)
{
	bool focused = monitor_focus() == vm;

	if (c == '\n') {
		end_line(vm, u);
		return;
	}
	if (c == '\r')
		return;
	if ((unsigned char)c < 0x20 && c != '\t' && !(focused && c == '\b'))
		c = '?';                /* no control sequences reach the host console */
	u->line[u->len++] = c;
	if (u->len == UART_LINE_MAX)
		end_line(vm, u);
}

/* --- the 16550 ---------------------------------------------------------- */

static bool
fifo_on(const struct uart *u)
{
	return u->fcr & FCR_ENABLE;
}

static uint32_t
rx_capacity(const struct uart *u)
{
	return fifo_on(u) ? UART_FIFO_SIZE : 1;
}

/* A byte reaches the receiver: into the FIFO, or lost with an overrun. */
static void
rx_push(struct uart *u, uint8_t c)
{
	if (u->rx_count == rx_capacity(u)) {
		u->lsr_errors |= LSR_OE;
		return;
	}
	u->rx[(u->rx_head + u->rx_count++) % UART_FIFO_SIZE] = c;
}

static uint8_t
rx_pop(struct uart *u)
{
	uint8_t c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
	u->rx_count--;
	return c;
}

/* Typed bytes wait on the line until the FIFO has room (none arrive in
 * loopback, where the receiver hears only the transmitter). */
static void
rx_refill(struct uart *u)
{
	while (u->in_count && u->rx_count < rx_capacity(u) && !(u->mcr & MCR_LOOP)) {
		rx_push(u, u->input[u->in_head]);
		u->in_head = (u->in_head + 1) % UART_INPUT_MAX;
		u->in_count--;
	}
}

static void
rx_clear(struct uart *u)
{
	u->rx_head = u->rx_count = 0;
}

/* MSR's status bits: a connected terminal, or in loopback the MCR's outputs. */
static uint8_t
modem_status(const struct uart *u)
{
	uint8_t m = u->mcr;

	if (!(m & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD;
	return (m & MCR_DTR ? MSR_DSR : 0) | (m & MCR_RTS ? MSR_CTS : 0) |
	       (m & MCR_OUT1 ? MSR_RI : 0) | (m & MCR_OUT2 ? MSR_DCD : 0);
}

static void
set_mcr(struct uart *u, uint8_t v)
{
	uint8_t before = modem_status(u), after, changed;

	u->mcr = v & 0x1F;
	after = modem_status(u);
	changed = before ^ after;
	u->msr_delta |= (changed & MSR_CTS ? MSR_DCTS : 0) | (changed & MSR_DSR ? MSR_DDSR : 0) |
			((before & MSR_RI) && !(after & MSR_RI) ? MSR_TERI : 0) |
			(changed & MSR_DCD ? MSR_DDCD : 0);
	rx_refill(u);
}

/* The highest-priority interrupt pending and enabled (data sheet, Table 4). */
static uint8_t
interrupt_id(const struct uart *u)
{
	if ((u->ier & IER_RLSI) && u->lsr_errors)
		return IIR_RLSI;
	if ((u->ier & IER_RDI) && u->rx_count) {
		/* below the trigger level the timeout is taken to have passed:
		 * four character times are long gone by the time the guest looks */
		if (fifo_on(u) && u->rx_count < trigger_levels[u->fcr >> FCR_TRIGGER_SHIFT])
			return IIR_TIMEOUT;
		return IIR_RDI;
	}
	if ((u->ier & IER_THRI) && u->thre_pending)
		return IIR_THRI;
	if ((u->ier & IER_MSI) && u->msr_delta)
		return IIR_MSI;
	return IIR_NO_INTR;
}

/* INTR follows the pending interrupt; the 8259 and the IOAPIC see its edges. */
static void
update_irq(struct vm *vm, struct uart *u)
{
	bool line = interrupt_id(u) != IIR_NO_INTR;

	if (line != u->irq_line && vm->irq) {
		u->irq_line = line;
		irq_set(vm, PC_IRQ_COM1, line);
	}
}

static void
write_reg(struct vm *vm, struct uart *u, uint16_t reg, uint8_t v)
{
	bool dlab = u->lcr & LCR_DLAB;
	uint8_t old;

	switch (reg) {
	case REG_DATA:
		if (dlab) {
			u->dll = v;
			break;
		}
		if (u->mcr & MCR_LOOP)
			rx_push(u, v);
		else
			put_char(vm, u, (char)v);
		u->thre_pending = true;         /* sent at once: THR is empty again */
		break;
	case REG_IER:
		if (dlab) {
			u->dlh = v;
			break;
		}
		old = u->ier;
		u->ier = v & 0x0F;
		/* enabling THRI with THR empty raises it (the 16550 does; Linux tests it) */
		if ((u->ier & IER_THRI) && !(old & IER_THRI))
			u->thre_pending = true;
		break;
	case REG_IIR_FCR:
		if ((v ^ u->fcr) & FCR_ENABLE || (v & FCR_CLEAR_RX))
			rx_clear(u);            /* FIFO on or off, or cleared: its contents go */
		u->fcr = v & (FCR_ENABLE | 0xC0);
		rx_refill(u);
		break;
	case REG_LCR: u->lcr = v; break;
	case REG_MCR: set_mcr(u, v); break;
	case REG_SCR: u->scr = v; break;
	default: break;                 /* LSR and MSR are read-only */
	}
}

static uint8_t
read_reg(struct uart *u, uint16_t reg)
{
	bool dlab = u->lcr & LCR_DLAB;
	uint8_t v;

	switch (reg) {
	case REG_DATA:
		if (dlab)
			return u->dll;
		v = rx_pop(u);
		rx_refill(u);
		return v;
	case REG_IER:
		return dlab ? u->dlh : u->ier;
	case REG_IIR_FCR:
		v = interrupt_id(u);
		if (v == IIR_THRI)
			u->thre_pending = false;        /* reading IIR clears THRE as the source */
		return v | (fifo_on(u) ? IIR_FIFO_ON : 0);
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		v = (u->rx_count ? LSR_DR : 0) | u->lsr_errors | LSR_THRE | LSR_TEMT;
		u->lsr_errors = 0;
		return v;
	case REG_MSR:
		v = modem_status(u) | u->msr_delta;
		u->msr_delta = 0;
		return v;
	default:
		return u->scr;
	}
}

static void
uart_io(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	struct uart *u = dev;
	uint16_t reg = port & 7;

	if (in) {
		uint8_t v = read_reg(u, reg);

		*value = size == 1 ? v : (uint32_t)v | 0xFFFFFF00u;
	} else {
		write_reg(vm, u, reg, (uint8_t)*value);
	}
	update_irq(vm, u);
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
		end_line(vm, vm->uart);
}

bool
uart_receive(struct vm *vm, uint8_t c)
{
	struct uart *u = vm->uart;

	if (!u || u->in_count == UART_INPUT_MAX)
		return false;
	u->input[(u->in_head + u->in_count++) % UART_INPUT_MAX] = c;
	rx_refill(u);
	update_irq(vm, u);
	return true;
}

void
uart_show_unfinished(struct vm *vm)
{
	if (vm->uart && vm->uart->len > vm->uart->shown)
		show_partial(vm, vm->uart, false);
}

bool
uart_input_wakes(const struct vm *vm)
{
	return vm->uart && (vm->uart->ier & IER_RDI);
}
