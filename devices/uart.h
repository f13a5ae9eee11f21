/*
 * devices/uart.h: the 16550 UART each guest finds at 0x3F8 (COM1). What the
 * guest transmits appears on the hypervisor's console, a line at a time,
 * prefixed with the guest's name: "[name] text".
 */
#ifndef DEVICES_UART_H
#define DEVICES_UART_H

#include "kernel/compiler.h"

#define UART_COM1_BASE  0x3F8
#define UART_LINE_MAX   160

struct vm;

struct uart {
	uint8_t ier, lcr, mcr, scr, dll, dlh, fcr;
	uint32_t len;
	char line[UART_LINE_MAX];
};

int uart_attach(struct vm *vm, uint16_t base);
/* Text from the guest by another way (the HC_PUTS hypercall). */
void uart_write_guest_text(struct vm *vm, const char *s, size_t n);
/* Print whatever partial line is still buffered (the guest stopped). */
void uart_flush(struct vm *vm);

#endif
