/*
 * guests/lib/pic.h: the PC's two cascaded 8259A interrupt controllers
 * (Intel 8259A data sheet; master at ports 0x20/0x21, slave at 0xA0/0xA1
 * on the master's IR2) and the edge/level control registers (ELCR, ports
 * 0x4D0/0x4D1, as in the PIIX/ICH chipsets).
 */
#ifndef GUESTS_LIB_PIC_H
#define GUESTS_LIB_PIC_H

#include <stdint.h>

#define PIC_CASCADE_IRQ 2

/*
 * Initialise both (ICW1-ICW4: edge triggered, cascaded, 8086 mode, normal
 * EOI), master IRQs at vectors base..base+7, slave's at base+8..base+15;
 * every IRQ masked except the cascade.
 */
void pic_init(uint8_t base);

void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);
void pic_mask_all(void);

/* Non-specific EOI to the controller(s) that delivered irq. */
void pic_eoi(unsigned irq);

/* IRR and ISR of both (OCW3), slave in bits 15:8. */
uint16_t pic_irr(void);
uint16_t pic_isr(void);

/* The ELCR: bit n set = IRQ n level-triggered. */
uint16_t pic_elcr(void);

#endif
