/*
 * guests/echo64/main.c: a guest that reads its COM1 the way an interrupt-
 * driven driver (Linux's 8250) does. First it checks the UART as Linux
 * probes it: IER bits that stick, loopback with the modem lines looped back
 * (MCR RTS|OUT2 shows as MSR CTS|DCD), a 16-byte receive FIFO measured in
 * loopback, and a THR-empty interrupt when IER enables one. Then it waits
 * in HLT for receive interrupts on IRQ 4 (IOAPIC pin 4 to the local APIC,
 * or the 8259 when CPUID shows no APIC), reads every byte the FIFO holds,
 * echoes it after an "echo64> " prompt and answers each line with
 * "echo64: got 'LINE'"; "quit" ends it with PASS.
 */
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/ioapic.h"
#include "guests/lib/lapic.h"
#include "guests/lib/pic.h"
#include "guests/lib/serial.h"
#include "kernel/apic.h"
#include "kernel/x86.h"
#include "lib/string.h"

GUEST_NAME("echo64");

#define COM1            0x3F8
#define COM1_IRQ        4
#define REG_DATA        0
#define REG_IER         1
#define   IER_RDI       0x01
#define   IER_THRI      0x02
#define REG_IIR         2       /* FCR on write */
#define   IIR_NO_INTR   0x01
#define   IIR_ID_MASK   0x0E
#define   IIR_THRI      0x02
#define   IIR_RDI       0x04
#define   IIR_TIMEOUT   0x0C
#define   FCR_FIFO_CLEAR 0x07   /* enable, clear both FIFOs */
#define REG_LCR         3
#define REG_MCR         4
#define   MCR_DTR       0x01
#define   MCR_RTS       0x02
#define   MCR_OUT2      0x08
#define   MCR_LOOP      0x10
#define REG_LSR         5
#define   LSR_DR        0x01
#define REG_MSR         6

#define VEC_PIC_BASE    0x20
#define VEC_COM1        0x34
#define VEC_SPURIOUS    0xFF
#define RING_SIZE       256
#define LINE_MAX        80
#define PROMPT          "echo64> "

static volatile uint8_t ring[RING_SIZE];
static volatile uint32_t ring_in, ring_out;
static volatile unsigned rx_irqs, thre_irqs;
static bool apic;

static uint8_t reg_in(unsigned r)             { return inb(COM1 + r); }
static void reg_out(unsigned r, uint8_t v)    { outb(COM1 + r, v); }

static void
eoi(void)
{
	if (apic)
		lapic_eoi();
	else
		pic_eoi(COM1_IRQ);
}

/* The interrupt handler: every source until IIR says none, as 8250 does. */
static void
com1_irq(struct trap_frame *tf)
{
	uint8_t iir;

	(void)tf;
	while (!((iir = reg_in(REG_IIR)) & IIR_NO_INTR)) {
		switch (iir & IIR_ID_MASK) {
		case IIR_RDI:
		case IIR_TIMEOUT:
			rx_irqs++;
			while (reg_in(REG_LSR) & LSR_DR) {
				uint8_t c = reg_in(REG_DATA);

				if (ring_in - ring_out < RING_SIZE)
					ring[ring_in++ % RING_SIZE] = c;
			}
			break;
		case IIR_THRI:
			thre_irqs++;
			reg_out(REG_IER, IER_RDI);      /* nothing more to send: THRI off, as stop_tx */
			break;
		default:
			reg_in(REG_LSR);
			reg_in(REG_MSR);
			break;
		}
	}
	eoi();
}

static void spurious_irq(struct trap_frame *tf) { (void)tf; }

/* Linux's autoconfig and size_fifo, in short. */
static void
probe(void)
{
	uint8_t msr, iir, lsr;
	unsigned n;

	reg_out(REG_IER, 0);
	guest_check(reg_in(REG_IER) == 0, "IER reads back 0");
	reg_out(REG_IER, 0x0F);
	guest_check((reg_in(REG_IER) & 0x0F) == 0x0F, "IER reads back 0x0f");
	reg_out(REG_IER, 0);

	/* in loopback what is sent comes back: no printing until it ends */
	reg_out(REG_MCR, MCR_LOOP | MCR_RTS | MCR_OUT2);
	msr = reg_in(REG_MSR);
	reg_out(REG_IIR, FCR_FIFO_CLEAR);
	iir = reg_in(REG_IIR);
	for (unsigned i = 0; i < 64; i++)
		reg_out(REG_DATA, (uint8_t)i);
	for (n = 0; n < 64 && (reg_in(REG_LSR) & LSR_DR); n++)
		if (reg_in(REG_DATA) != n)
			break;
	lsr = reg_in(REG_LSR);
	reg_out(REG_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	reg_in(REG_MSR);                                /* clear the deltas of leaving loopback */
	guest_check((msr & 0xF0) == 0x90, "loopback: MCR RTS|OUT2 shows as MSR CTS|DCD (%#x)", msr);
	guest_check((iir & 0xC0) == 0xC0, "FCR enables the FIFOs (IIR bits 7:6)");
	guest_check(n == 16, "loopback: the receive FIFO holds 16 bytes in order (%u)", n);
	guest_check(lsr == 0x60, "LSR: THR and transmitter empty, no data, no overrun once read (%#x)", lsr);
	guest_check((reg_in(REG_MSR) & 0xF0) == 0xB0, "MSR: CTS, DSR and DCD of a connected terminal");
	reg_out(REG_IIR, FCR_FIFO_CLEAR | 0x80);        /* 8-byte trigger level */
}

static void
route_irq(void)
{
	idt_set_handler(VEC_SPURIOUS, spurious_irq);
	for (unsigned i = 0; i < 16; i++)
		idt_set_handler((uint8_t)(VEC_PIC_BASE + i), spurious_irq);
	pic_init(VEC_PIC_BASE);
	if (apic) {
		lapic_init(VEC_SPURIOUS);
		pic_mask_all();
		ioapic_init();
		idt_set_handler(VEC_COM1, com1_irq);
		ioapic_route(COM1_IRQ, VEC_COM1, lapic_id(), 0);
		guest_printf("echo64: COM1 on IOAPIC pin %u, vector %#x\n", COM1_IRQ, VEC_COM1);
	} else {
		idt_set_handler(VEC_PIC_BASE + COM1_IRQ, com1_irq);
		pic_unmask(COM1_IRQ);
		guest_printf("echo64: no local APIC: COM1 on the 8259, IRQ %u\n", COM1_IRQ);
	}
}

/* The next typed byte; HLT until an interrupt brings one. */
static uint8_t
next_byte(void)
{
	uint8_t c;

	cli();
	while (ring_in == ring_out) {
		__asm__ volatile("sti; hlt; cli" ::: "memory");       /* STI's shadow: no lost wake-up */
	}
	c = ring[ring_out++ % RING_SIZE];
	sti();
	return c;
}

void
guest_main(void)
{
	char line[LINE_MAX];
	unsigned len = 0;

	apic = lapic_present();
	probe();
	route_irq();
	sti();
	reg_out(REG_IER, IER_RDI | IER_THRI);           /* THR is empty: an interrupt at once */
	for (unsigned i = 0; i < 1000 && !thre_irqs; i++)
		cpu_relax();
	guest_check(thre_irqs == 1, "enabling IER THRI with THR empty interrupts once (%u)", thre_irqs);
	guest_printf("echo64: ready; type a line, quit ends\n");

	serial_write(PROMPT, sizeof(PROMPT) - 1);
	for (;;) {
		char c = (char)next_byte();

		/* echoed as a terminal's line discipline would: the prompt line shows what was typed */
		if (c == '\r' || c == '\n') {
			if (!len)
				continue;
			line[len] = '\0';
			serial_write("\n", 1);
			guest_printf("echo64: got '%s'\n", line);
			if (!strcmp(line, "quit"))
				break;
			len = 0;
			serial_write(PROMPT, sizeof(PROMPT) - 1);
		} else if ((c == '\b' || c == 0x7F) && len) {
			len--;
			serial_write("\b \b", 3);
		} else if (len < LINE_MAX - 1 && c >= 0x20 && c < 0x7F) {
			line[len++] = c;
			serial_putc(c);
		}
	}
	guest_printf("echo64: %u receive interrupts\n", rx_irqs);
	guest_pass();
}
