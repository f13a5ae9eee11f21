/*
 * guests/lib/idt.h: the IDT of a 64-bit test guest (SDM Vol. 3A, 6.10 and
 * 6.14: 256 gates, 64-bit interrupt gates, the IST in the 64-bit TSS,
 * 7.7). entry64.S calls idt_init() before guest_main(), so every vector
 * has a gate: exceptions go to trap_dispatch() (guests/lib/trap.h), any
 * other vector fails the guest, until a handler is installed.
 *
 * Handlers are C functions called with the interrupt frame
 * (struct trap_frame); interrupts stay disabled while they run (interrupt
 * gates), and the interrupted code resumes with what the frame holds when
 * they return. Sending EOI to the interrupt controller is the handler's
 * business.
 */
#ifndef GUESTS_LIB_IDT_H
#define GUESTS_LIB_IDT_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/lib/trap.h"

#define IDT_VECTORS     256

typedef void (*idt_handler_t)(struct trap_frame *tf);

/* Fill all 256 gates with trap.S's stubs and load the IDT. */
void idt_init(void);

/* Call fn for vector from now on; NULL restores the default. */
void idt_set_handler(uint8_t vector, idt_handler_t fn);

/* Point vector's gate at entry itself, code that ends in IRETQ (for
 * measurements where the stub's register saving is in the way); NULL
 * points it back at the stub. */
void idt_set_entry(uint8_t vector, void (*entry)(void));

/* Set or clear the gate's P flag: delivering through a not-present gate
 * raises #NP (SDM 6.12.1.1). */
void idt_set_present(uint8_t vector, bool present);

/* Deliver vector on interrupt stack ist (1-7, its own 16 KiB stack), or on
 * the current stack (0). The first call loads a GDT with a 64-bit TSS and
 * LTRs it. Returns the top of that stack, for handlers that check they are
 * on it. */
uint64_t idt_set_ist(uint8_t vector, unsigned ist);

/* Called by trap.S for every vector. */
void idt_dispatch(struct trap_frame *tf);

#endif
