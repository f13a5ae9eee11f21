/*
 * drivers/pic.c: the legacy 8259A pair (Intel 8259A data sheet,
 * "Programming the 8259A"). Firmware leaves the master on vectors 0x08-0x0F,
 * on top of the CPU's exceptions, so it is reinitialised at VEC_PIC_BASE
 * (0x20-0x2F) and every line masked. A masked 8259A can still raise a
 * spurious IRQ 7 or 15; those are counted, not treated as errors.
 */
#include "drivers/pic.h"
#include "kernel/log.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

#define PIC1_CMD        0x20
#define PIC1_DATA       0x21
#define PIC2_CMD        0xA0
#define PIC2_DATA       0xA1

/* Initialization command words. */
#define ICW1_ICW4       0x01    /* ICW4 follows */
#define ICW1_INIT       0x10    /* start initialization; edge triggered, cascade */
#define ICW3_MASTER_IR2 0x04    /* slave on the master's IR2 */
#define ICW3_SLAVE_ID   0x02    /* slave's cascade identity */
#define ICW4_8086       0x01    /* 8086/88 mode */

/* Operation command words. */
#define OCW2_EOI        0x20    /* non-specific end of interrupt */
#define OCW3_READ_ISR   0x0B    /* next read of the command port returns the ISR */

#define PIC_IRQ_SPURIOUS 7      /* IR7 of each chip: where spurious interrupts land */

static uint64_t spurious;

static uint8_t
read_isr(uint16_t cmd)
{
	outb(cmd, OCW3_READ_ISR);
	return inb(cmd);
}

/*
 * Any vector in 0x20-0x2F. With every line masked only a spurious IRQ 7/15
 * (its ISR bit clear) should arrive; anything else is reported and
 * acknowledged so the chip does not stay blocked.
 */
static void
pic_interrupt(struct trap_frame *tf)
{
	unsigned irq = (unsigned)(tf->vector - VEC_PIC_BASE);
	bool slave = irq >= 8;
	uint8_t isr = read_isr(slave ? PIC2_CMD : PIC1_CMD);

	if ((irq & 7) == PIC_IRQ_SPURIOUS && !(isr & BIT(PIC_IRQ_SPURIOUS))) {
		spurious++;
		if (slave)      /* the master did see the cascade line: it wants its EOI */
			outb(PIC1_CMD, OCW2_EOI);
		return;
	}
	log_warn("pic: IRQ %u arrived although the 8259 is masked", irq);
	if (slave)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}

/* Remap both chips to VEC_PIC_BASE..+15 and mask every line. */
void
pic_init(void)
{
	outb(PIC1_DATA, 0xFF);
	outb(PIC2_DATA, 0xFF);
	outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4);
	io_delay();
	outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4);
	io_delay();
	outb(PIC1_DATA, VEC_PIC_BASE);          /* ICW2: vector base */
	io_delay();
	outb(PIC2_DATA, VEC_PIC_BASE + 8);
	io_delay();
	outb(PIC1_DATA, ICW3_MASTER_IR2);       /* ICW3: cascade wiring */
	io_delay();
	outb(PIC2_DATA, ICW3_SLAVE_ID);
	io_delay();
	outb(PIC1_DATA, ICW4_8086);             /* ICW4 */
	io_delay();
	outb(PIC2_DATA, ICW4_8086);
	io_delay();
	outb(PIC1_DATA, 0xFF);                  /* OCW1: mask all */
	outb(PIC2_DATA, 0xFF);

	for (int v = 0; v < 16; v++)
		trap_set_handler((uint8_t)(VEC_PIC_BASE + v), pic_interrupt);
	log_debug("pic: 8259 pair at vectors %#x-%#x, all masked", VEC_PIC_BASE, VEC_PIC_BASE + 15);
}

uint64_t
pic_spurious_count(void)
{
	return spurious;
}
