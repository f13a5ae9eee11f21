/*
 * guests/lib/pit.h: the 8254 programmable interval timer (Intel 8254 data
 * sheet; ports 0x40-0x43, input clock 1.193182 MHz, channel 0 on IRQ0) and
 * port 0x61, which gates channel 2 and reads its output (PC/AT system
 * control port B).
 */
#ifndef GUESTS_LIB_PIT_H
#define GUESTS_LIB_PIT_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_HZ                  1193182u

#define PIT_MODE_TERMINAL       0       /* mode 0: interrupt on terminal count */
#define PIT_MODE_RATE           2       /* mode 2: rate generator */
#define PIT_MODE_SQUARE         3       /* mode 3: square wave */

/* Program channel (0-2) in mode with count (lobyte then hibyte; binary). */
void pit_start(unsigned channel, unsigned mode, uint16_t count);

/* Channel 2: set its gate (port 0x61 bit 0), speaker off; read its OUT
 * (port 0x61 bit 5). */
void pit_gate2(bool on);
bool pit_out2(void);

#endif
