/*
 * drivers/serial.h: the machine's 16550-compatible UART (COM1), the
 * hypervisor's main console. Guests never reach this device; they get an
 * emulated UART of their own.
 */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include "kernel/compiler.h"

#define SERIAL_COM1     0x3F8

bool serial_init(uint16_t port);
void serial_write(const char *s, size_t n);
int serial_getc(void);          /* -1 when no byte is waiting */
void serial_flush(void);        /* wait until every byte has left the UART */

#endif
