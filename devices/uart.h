/*
 * devices/uart.h: the 16550A UART each guest finds at 0x3F8 (COM1), with
 * IRQ 4. What the guest transmits appears on the hypervisor's console, a
 * line at a time, prefixed with the guest's name: "[name] text". What is
 * typed on the console while the guest has the focus (vm/monitor.c) arrives
 * in its receive FIFO.
 */
#ifndef DEVICES_UART_H
#define DEVICES_UART_H

#include "kernel/compiler.h"

#define UART_COM1_BASE  0x3F8
#define UART_LINE_MAX   160
#define UART_FIFO_SIZE  16              /* the 16550A's receive FIFO */
#define UART_INPUT_MAX  256             /* typed bytes not yet in the FIFO */

struct vm;

struct uart {
	uint8_t ier, lcr, mcr, scr, dll, dlh, fcr;
	uint8_t lsr_errors;             /* LSR overrun, until LSR is read */
	uint8_t msr_delta;              /* MSR bits 3:0, until MSR is read */
	bool thre_pending;              /* THR-empty interrupt, until IIR reports it or THR is written */
	bool irq_line;                  /* the level last put on IRQ 4 */
	uint8_t rx[UART_FIFO_SIZE];     /* receive FIFO (one byte deep with FIFOs off) */
	uint32_t rx_head, rx_count;
	uint8_t input[UART_INPUT_MAX];  /* the line: typed bytes waiting for FIFO room */
	uint32_t in_head, in_count;
	uint32_t len;                   /* transmitted text of the current line */
	uint32_t shown;                 /* how much of it is already on the console */
	char line[UART_LINE_MAX];
};

int uart_attach(struct vm *vm, uint16_t base);
/* Text from the guest by another way (the HC_PUTS hypercall). */
void uart_write_guest_text(struct vm *vm, const char *s, size_t n);
/* Print whatever partial line is still buffered (the guest stopped). */
void uart_flush(struct vm *vm);
/* Show the unfinished line the guest has sent so far (the guest with the
 * keyboard waits for input: it is a prompt, or the echo of what is typed). */
void uart_show_unfinished(struct vm *vm);
/* A byte typed for the guest; false when its line is full (dropped). */
bool uart_receive(struct vm *vm, uint8_t c);
/* Would typed input wake the guest (receive interrupts enabled)? */
bool uart_input_wakes(const struct vm *vm);

#endif
