/*
 * devices/vpic.h: the PC's pair of 8259A programmable interrupt controllers
 * as a guest sees them (Intel 8259A data sheet), master at 0x20/0x21, slave
 * at 0xA0/0xA1 on the master's IR2, plus the edge/level control registers
 * (ELCR) at 0x4D0/0x4D1 that PIIX-style chipsets add.
 *
 * A pure state machine: the caller feeds input line levels (vpic_set_irq),
 * asks whether the master's INT output is up (vpic_has_intr) and performs the
 * INTA cycle when the guest can take the interrupt (vpic_ack). Nothing here
 * knows about vCPUs or injection.
 */
#ifndef DEVICES_VPIC_H
#define DEVICES_VPIC_H

#include "kernel/compiler.h"

#define VPIC_MASTER_CMD     0x20
#define VPIC_MASTER_DATA    0x21
#define VPIC_SLAVE_CMD      0xA0
#define VPIC_SLAVE_DATA     0xA1
#define VPIC_ELCR_MASTER    0x4D0
#define VPIC_ELCR_SLAVE     0x4D1

#define VPIC_CASCADE_IRQ    2       /* the master input the slave's INT drives */

/* One 8259A. Requests and levels are bit masks indexed by the chip's IR number. */
struct vpic_chip {
	uint8_t irr;            /* edge-triggered requests latched (level inputs read from line) */
	uint8_t line;           /* the IR input levels, as last set */
	uint8_t isr;
	uint8_t imr;
	uint8_t elcr;           /* 1 = level-triggered input (ELCR) */
	uint8_t elcr_mask;      /* the ELCR bits the chipset lets software set */
	uint8_t base;           /* ICW2: vector of IR0 (T7-T3) */
	uint8_t icw3;           /* master: inputs with a slave; slave: its ID */
	uint8_t icw_next;       /* 2, 3 or 4: the ICW the next data-port write is; 0 = none */
	uint8_t prio_base;      /* the IR with the highest priority (rotation) */
	bool ready;             /* the ICW sequence has completed at least once */
	bool single;            /* ICW1 SNGL */
	bool ltim;              /* ICW1 LTIM: every input level-triggered */
	bool icw4_needed;       /* ICW1 IC4 */
	bool x86_mode;          /* ICW4 uPM (8086/88); without it the vector is the same anyway */
	bool aeoi;              /* ICW4 AEOI */
	bool sfnm;              /* ICW4 special fully nested mode */
	bool rotate_aeoi;       /* OCW2: rotate in automatic EOI mode */
	bool special_mask;      /* OCW3 SMM */
	bool read_isr;          /* OCW3 RR/RIS: a command-port read returns ISR, not IRR */
	bool poll;              /* OCW3 P: the next read is a poll */
};

struct vpic {
	struct vpic_chip chip[2];   /* [0] master (IRQ 0-7), [1] slave (IRQ 8-15) */
};

/* Power-on: both chips uninitialised (they raise no interrupt until an
 * ICW1-ICW2[-ICW3][-ICW4] sequence completes), everything masked, every
 * input edge-triggered. */
void vpic_init(struct vpic *p);

/* Set the level of input irq (0-15; others are ignored). Edge-triggered
 * inputs latch a request on a 0->1 transition, which stays until acknowledged
 * (so a pulse, 1 then 0, is one request); level-triggered inputs (ELCR or
 * ICW1 LTIM) request exactly while the line is high. */
void vpic_set_irq(struct vpic *p, unsigned irq, bool level);

/* The master's INT output: an unmasked request above the in-service priority. */
bool vpic_has_intr(const struct vpic *p);

/* The INTA cycle: returns the vector (ICW2 base + IR), moving the request
 * from IRR to ISR (not in automatic-EOI mode) and, through IR2, on the
 * slave. With no request left, the master answers with its IR7 vector and
 * sets no ISR bit (a spurious interrupt, as the data sheet describes). */
uint8_t vpic_ack(struct vpic *p);

/* One byte-wide access to 0x20, 0x21, 0xA0, 0xA1, 0x4D0 or 0x4D1: a write
 * takes *value, a read fills it. Other ports read 0xFF and drop writes. */
void vpic_io(struct vpic *p, uint16_t port, bool in, uint8_t *value);

#endif
