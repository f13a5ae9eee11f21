/*
 * devices/vioapic.h: an emulated I/O APIC, as the Intel 82093AA data sheet
 * describes it (version 0x11, 24 pins, no EOI register): IOREGSEL at 0x00
 * and IOWIN at 0x10 of its page at 0xFEC00000.
 *
 * A pure state machine: a pin's level goes in with vioapic_set_irq(), the
 * local APIC's EOIs of level-triggered vectors with vioapic_eoi(), and each
 * interrupt to deliver comes out through the caller's callback.
 *
 * Destinations: the guest has one vCPU, so every interrupt whose
 * destination could name it is delivered: any physical destination (the
 * callback gets it, to check against the APIC ID if it cares), and any
 * logical destination except 0, which names no one and is dropped (a level
 * interrupt dropped so leaves Remote IRR clear).
 */
#ifndef DEVICES_VIOAPIC_H
#define DEVICES_VIOAPIC_H

#include "kernel/compiler.h"

#define VIOAPIC_DEFAULT_BASE    0xFEC00000u
#define VIOAPIC_MMIO_LEN        0x1000u
#define VIOAPIC_PINS            24

/* Memory-mapped registers (82093AA, 3.0). */
#define VIOAPIC_IOREGSEL        0x00
#define VIOAPIC_IOWIN           0x10

/* Indirect registers (82093AA, 3.2). */
#define VIOAPIC_REG_ID          0x00    /* ID in bits 27:24 */
#define VIOAPIC_REG_VER         0x01
#define VIOAPIC_REG_ARB         0x02    /* arbitration ID in bits 27:24 */
#define VIOAPIC_REG_REDTBL      0x10    /* pin n: low dword 0x10 + 2n, high 0x11 + 2n */

#define VIOAPIC_VERSION_VALUE   0x00170011u     /* max redirection entry 23, version 0x11 */
#define VIOAPIC_ID_MASK         0x0F000000u

/* Redirection table entry (82093AA, 3.2.4). */
#define VIOAPIC_RTE_VECTOR_MASK 0xFFull
#define VIOAPIC_RTE_MODE_SHIFT  8               /* delivery mode, bits 10:8 */
#define VIOAPIC_RTE_MODE_MASK   (7ull << 8)
#define VIOAPIC_MODE_FIXED      0
#define VIOAPIC_MODE_LOWEST     1
#define VIOAPIC_MODE_SMI        2
#define VIOAPIC_MODE_NMI        4
#define VIOAPIC_MODE_INIT       5
#define VIOAPIC_MODE_EXTINT     7
#define VIOAPIC_RTE_LOGICAL     BIT(11)         /* destination mode */
#define VIOAPIC_RTE_PENDING     BIT(12)         /* delivery status (always 0 here) */
#define VIOAPIC_RTE_ACTIVE_LOW  BIT(13)         /* interrupt input pin polarity */
#define VIOAPIC_RTE_REMOTE_IRR  BIT(14)         /* read-only */
#define VIOAPIC_RTE_LEVEL       BIT(15)         /* trigger mode */
#define VIOAPIC_RTE_MASKED      BIT(16)
#define VIOAPIC_RTE_DEST_SHIFT  56              /* destination, bits 63:56 */
#define VIOAPIC_RTE_WRITABLE    (VIOAPIC_RTE_VECTOR_MASK | VIOAPIC_RTE_MODE_MASK | VIOAPIC_RTE_LOGICAL | \
				 VIOAPIC_RTE_ACTIVE_LOW | VIOAPIC_RTE_LEVEL | VIOAPIC_RTE_MASKED | \
				 (0xFFull << VIOAPIC_RTE_DEST_SHIFT))

struct vioapic {
	uint8_t id;                     /* 4 bits */
	uint8_t regsel;                 /* IOREGSEL */
	uint32_t line;                  /* bit per pin: the input's electrical level */
	uint32_t unmasked_pending;      /* bit per pin: to deliver at the next vioapic_flush() */
	uint64_t rte[VIOAPIC_PINS];
	uint64_t delivered;             /* interrupts passed to a callback (statistics) */
};

/* delivery_mode is VIOAPIC_MODE_FIXED (also for lowest priority),
 * VIOAPIC_MODE_NMI, VIOAPIC_MODE_INIT or VIOAPIC_MODE_EXTINT; level is the
 * trigger mode (only ever true for fixed). */
typedef void (*vioapic_deliver_fn)(void *ctx, uint8_t vector, uint8_t dest, bool level, uint8_t delivery_mode);

/* Reset state: every pin masked, edge, active high, all lines low. */
void vioapic_init(struct vioapic *io, uint8_t id);

/* A 32-bit access at offset in the page; other offsets read 0 and ignore
 * writes. Unmasking a pin whose level interrupt is asserted (Remote IRR
 * clear) makes it due: the caller must call vioapic_flush() after a write. */
void vioapic_mmio(struct vioapic *io, uint32_t offset, bool write, uint32_t *value);

/* Deliver what an MMIO write made due (an unmasked, asserted level pin). */
void vioapic_flush(struct vioapic *io, vioapic_deliver_fn fn, void *ctx);

/* Pin's input goes to level (electrical: an active-low pin is asserted
 * when low). An edge pin delivers on the inactive-to-active transition; a
 * level pin delivers while active unless Remote IRR is set. Masked pins
 * deliver nothing (a masked edge is lost). Pins past 23 are ignored. */
void vioapic_set_irq(struct vioapic *io, unsigned pin, bool level, vioapic_deliver_fn fn, void *ctx);

/* The local APIC's EOI of a level-triggered vector: clears Remote IRR of
 * the pins with that vector and delivers again from any still asserted. */
void vioapic_eoi(struct vioapic *io, uint8_t vector, vioapic_deliver_fn fn, void *ctx);

#endif
