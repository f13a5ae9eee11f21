/*
 * guests/lib/pic.c: programming the 8259A pair (8259A data sheet,
 * "Programming the 8259A": ICW1-ICW4 in that order, then OCWs).
 */
#include "guests/lib/pic.h"
#include "kernel/x86.h"

#define PIC1_CMD        0x20
#define PIC1_DATA       0x21            /* IMR after initialisation */
#define PIC2_CMD        0xA0
#define PIC2_DATA       0xA1
#define ELCR1           0x4D0
#define ELCR2           0x4D1

#define ICW1_ICW4       0x01            /* ICW4 follows */
#define ICW1_INIT       0x10            /* this is ICW1 */
#define ICW4_8086       0x01            /* 8086/8088 mode */
#define OCW2_EOI        0x20            /* non-specific EOI */
#define OCW3            0x08            /* this is OCW3 */
#define   OCW3_READ_IRR 0x02
#define   OCW3_READ_ISR 0x03

void
pic_init(uint8_t base)
{
	outb(PIC1_DATA, 0xFF);
	outb(PIC2_DATA, 0xFF);
	outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4);  /* edge, cascade, ICW4 */
	outb(PIC1_DATA, base);                  /* ICW2: vector base */
	outb(PIC1_DATA, 1u << PIC_CASCADE_IRQ); /* ICW3: a slave on IR2 */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4);
	outb(PIC2_DATA, (uint8_t)(base + 8));
	outb(PIC2_DATA, PIC_CASCADE_IRQ);       /* ICW3: slave id 2 */
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, (uint8_t)~(1u << PIC_CASCADE_IRQ));
	outb(PIC2_DATA, 0xFF);
}

static uint16_t
imr_port(unsigned irq)
{
	return irq < 8 ? PIC1_DATA : PIC2_DATA;
}

void
pic_unmask(unsigned irq)
{
	uint16_t port = imr_port(irq);

	outb(port, inb(port) & (uint8_t)~(1u << (irq & 7)));
}

void
pic_mask(unsigned irq)
{
	uint16_t port = imr_port(irq);

	outb(port, inb(port) | (uint8_t)(1u << (irq & 7)));
}

void
pic_mask_all(void)
{
	outb(PIC1_DATA, 0xFF);
	outb(PIC2_DATA, 0xFF);
}

void
pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}

static uint16_t
read_ocw3(uint8_t which)
{
	outb(PIC1_CMD, OCW3 | which);
	outb(PIC2_CMD, OCW3 | which);
	return (uint16_t)(inb(PIC2_CMD) << 8 | inb(PIC1_CMD));
}

uint16_t
pic_irr(void)
{
	return read_ocw3(OCW3_READ_IRR);
}

uint16_t
pic_isr(void)
{
	uint16_t v = read_ocw3(OCW3_READ_ISR);

	read_ocw3(OCW3_READ_IRR);               /* reads of the command port give IRR again */
	return v;
}

uint16_t
pic_elcr(void)
{
	return (uint16_t)(inb(ELCR2) << 8 | inb(ELCR1));
}
