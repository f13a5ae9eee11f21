/*
 * test/unit/test_uart.c: the emulated 16550A, driven by the port sequences
 * Linux's 8250 driver writes (autoconfig, size_fifo, the THRE test in
 * startup, its interrupt handler), then typed input through the FIFO and
 * the interrupt line, and output to the console.
 */
#include "test/unit/fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/uart.c"
#include "lib/format.c"
#include "lib/string.c"

/* --- what uart.c reaches outside itself ----------------------------------- */

static struct vm vm;
static char console[4096];
static int irq_edges;                   /* rising edges on IRQ 4 */
static bool irq_level;
static struct vm *focus;

void console_lock(void) {}
void console_unlock(void) {}

void
console_printf(const char *fmt, ...)
{
	size_t n = strlen(console);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(console + n, sizeof(console) - n, fmt, ap);
	va_end(ap);
}

void
console_write_open(const void *owner, const char *prefix, const char *s, size_t n)
{
	(void)owner;
	if (!strstr(console, prefix))
		strcat(console, prefix);
	strncat(console, s, n);
}

bool console_line_is_open(const void *owner) { (void)owner; return console[0] != '\0'; }
void *heap_zalloc(size_t size, const char *who) { (void)who; return calloc(1, size); }
struct vm *monitor_focus(void) { return focus; }

int
iobus_register(struct iobus *bus, uint16_t first, uint16_t last, iobus_fn fn, void *dev, const char *name)
{
	bus->ranges[bus->count++] = (struct iobus_range){ first, last, fn, dev, name };
	return 0;
}

void
irq_set(struct vm *v, uint32_t irq, bool level)
{
	assert_ptr_equal(v, &vm);
	assert_int_equal(irq, PC_IRQ_COM1);
	if (level && !irq_level)
		irq_edges++;
	irq_level = level;
}

/* --- helpers --------------------------------------------------------------- */

static void
out8(unsigned reg, uint8_t v)
{
	uint32_t value = v;

	uart_io(&vm, vm.uart, (uint16_t)(UART_COM1_BASE + reg), 1, false, &value);
}

static uint8_t
in8(unsigned reg)
{
	uint32_t value = 0x5A;

	uart_io(&vm, vm.uart, (uint16_t)(UART_COM1_BASE + reg), 1, true, &value);
	return (uint8_t)value;
}

static int
setup(void **state)
{
	(void)state;
	free(vm.uart);
	memset(&vm, 0, sizeof(vm));
	strcpy(vm.desc.name, "g");
	vm.desc.console = true;
	vm.irq = (struct vm_irqchip *)1;        /* present: uart.c only tests it for NULL */
	console[0] = '\0';
	irq_edges = 0;
	irq_level = false;
	focus = NULL;
	assert_int_equal(uart_attach(&vm, UART_COM1_BASE), 0);
	return 0;
}

static void
type(const char *s)
{
	while (*s)
		assert_true(uart_receive(&vm, (uint8_t)*s++));
}

/* --- tests ----------------------------------------------------------------- */

/* drivers/tty/serial/8250/8250_port.c autoconfig() and size_fifo() */
static void
test_linux_autoconfig(void **state)
{
	unsigned n;

	(void)state;
	out8(REG_IER, 0);
	assert_int_equal(in8(REG_IER) & 0x0F, 0);
	out8(REG_IER, 0x0F);
	assert_int_equal(in8(REG_IER) & 0x0F, 0x0F);
	out8(REG_IER, 0x40);                            /* UUE (XScale) must not stick */
	assert_int_equal(in8(REG_IER), 0);

	out8(REG_MCR, MCR_LOOP | 0x0A);                 /* RTS | OUT2 */
	assert_int_equal(in8(REG_MSR) & 0xF0, 0x90);    /* CTS | DCD */
	out8(REG_MCR, 0);

	out8(REG_IIR_FCR, 0x01);
	assert_int_equal(in8(REG_IIR_FCR) >> 6, 3);     /* 16550A */
	out8(REG_LCR, 0xBF);                            /* no EFR behind LCR 0xBF: not a 16650 */
	assert_int_not_equal(in8(REG_IIR_FCR), 0);
	out8(REG_LCR, 0x03);

	/* size_fifo: 256 bytes in loopback, count what comes back */
	out8(REG_IIR_FCR, 0x07);
	out8(REG_MCR, MCR_LOOP);
	for (unsigned i = 0; i < 256; i++)
		out8(REG_DATA, (uint8_t)i);
	for (n = 0; n < 256 && (in8(REG_LSR) & LSR_DR); n++)
		assert_int_equal(in8(REG_DATA), n);
	assert_int_equal(n, 16);
	assert_string_equal(console, "");               /* loopback sends nothing out */
	out8(REG_MCR, 0);
}

/* startup's THRE test: THRI enabled with THR empty raises it again each time */
static void
test_thre_interrupt(void **state)
{
	(void)state;
	out8(REG_IIR_FCR, 0x01);
	assert_int_equal(in8(REG_IIR_FCR), 0xC1);
	out8(REG_IER, IER_THRI);
	assert_true(irq_level);
	assert_int_equal(in8(REG_IIR_FCR), 0xC2);
	assert_int_equal(in8(REG_IIR_FCR), 0xC1);       /* reading IIR cleared it */
	assert_false(irq_level);
	out8(REG_IER, 0);
	out8(REG_IER, IER_THRI);
	assert_int_equal(in8(REG_IIR_FCR), 0xC2);
	out8(REG_DATA, 'x');                            /* sent at once: THR empty again */
	assert_true(irq_level);
	assert_int_equal(irq_edges, 3);
	assert_int_equal(in8(REG_LSR), LSR_THRE | LSR_TEMT);
}

static void
test_receive_fifo_and_interrupts(void **state)
{
	char got[64] = "";

	(void)state;
	out8(REG_IIR_FCR, 0x47);                        /* FIFOs on, trigger level 4 */
	out8(REG_IER, IER_RDI);
	type("ab");
	assert_true(irq_level);
	assert_int_equal(in8(REG_IIR_FCR), 0xCC);       /* below the trigger: timeout */
	type("cd");
	assert_int_equal(in8(REG_IIR_FCR), 0xC4);       /* at the trigger: data available */
	type("efghijklmnopqrstuvwxyz");                 /* more than the FIFO holds: they wait */
	assert_int_equal(vm.uart->rx_count, 16);
	for (unsigned i = 0; in8(REG_LSR) & LSR_DR; i++)
		got[i] = (char)in8(REG_DATA);
	assert_string_equal(got, "abcdefghijklmnopqrstuvwxyz");
	assert_false(in8(REG_LSR) & LSR_OE);            /* nothing was lost */
	assert_int_equal(in8(REG_IIR_FCR), 0xC1);
	assert_false(irq_level);
	assert_int_equal(irq_edges, 1);
}

static void
test_no_fifo_one_byte(void **state)
{
	(void)state;
	type("xy");
	assert_int_equal(vm.uart->rx_count, 1);
	assert_false(irq_level);                        /* IER off */
	out8(REG_IER, IER_RDI);
	assert_true(irq_level);
	assert_int_equal(in8(REG_IIR_FCR), 0x04);
	assert_int_equal(in8(REG_DATA), 'x');
	assert_int_equal(in8(REG_DATA), 'y');
	assert_false(in8(REG_LSR) & LSR_DR);
	assert_false(irq_level);
	assert_true(uart_input_wakes(&vm));
}

static void
test_loopback_holds_typed_input(void **state)
{
	(void)state;
	out8(REG_MCR, MCR_LOOP);
	type("k");
	assert_false(in8(REG_LSR) & LSR_DR);
	out8(REG_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	assert_true(in8(REG_LSR) & LSR_DR);
	assert_int_equal(in8(REG_DATA), 'k');
	/* leaving loopback changed the modem lines: the deltas say so once */
	assert_int_equal(in8(REG_MSR), MSR_CTS | MSR_DSR | MSR_DCD | MSR_DCTS | MSR_DDSR | MSR_DDCD);
	assert_int_equal(in8(REG_MSR), MSR_CTS | MSR_DSR | MSR_DCD);
}

static void
test_output_lines(void **state)
{
	(void)state;
	for (const char *s = "hi\r\nthere\x1b\n"; *s; s++)
		out8(REG_DATA, (uint8_t)*s);
	assert_string_equal(console, "[g] hi\n[g] there?\n");
	console[0] = '\0';
	focus = &vm;                                    /* a prompt shows once the guest waits */
	for (const char *s = "$ "; *s; s++)
		out8(REG_DATA, (uint8_t)*s);
	assert_string_equal(console, "");
	uart_show_unfinished(&vm);
	assert_string_equal(console, "[g] $ ");
	out8(REG_DATA, 'l');
	out8(REG_DATA, '\b');
	uart_show_unfinished(&vm);
	assert_string_equal(console, "[g] $ l\b");
	out8(REG_DATA, '\n');
	assert_string_equal(console, "[g] $ l\b\n");
	console[0] = '\0';                              /* another line ended it: shown whole again */
	for (const char *s = "$ ab"; *s; s++)
		out8(REG_DATA, (uint8_t)*s);
	uart_show_unfinished(&vm);
	console[0] = '\0';
	out8(REG_DATA, 'c');
	uart_show_unfinished(&vm);
	assert_string_equal(console, "[g] $ abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_linux_autoconfig, setup),
		cmocka_unit_test_setup(test_thre_interrupt, setup),
		cmocka_unit_test_setup(test_receive_fifo_and_interrupts, setup),
		cmocka_unit_test_setup(test_no_fifo_one_byte, setup),
		cmocka_unit_test_setup(test_loopback_holds_typed_input, setup),
		cmocka_unit_test_setup(test_output_lines, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
