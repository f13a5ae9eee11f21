/*
 * guests/lib/serial.h: output through the 16550 UART at COM1 (0x3F8), the
 * one every guest of the hypervisor finds emulated there. The hypervisor
 * prints each line the guest writes prefixed with the guest's name.
 */
#ifndef GUESTS_LIB_SERIAL_H
#define GUESTS_LIB_SERIAL_H

#include <stddef.h>

void serial_putc(char c);
void serial_write(const char *s, size_t len);

#endif
