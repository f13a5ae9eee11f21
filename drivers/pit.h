/*
 * drivers/pit.h: the 8254 programmable interval timer, used only as a
 * reference clock for calibration (channel 2) when there is no PM timer.
 */
#ifndef DRIVERS_PIT_H
#define DRIVERS_PIT_H

#include "kernel/compiler.h"

#define PIT_HZ          1193182         /* 14.31818 MHz / 12 */

void pit_init(void);
/* Start channel 2 counting ticks down; pit_oneshot_done() once they have passed. */
void pit_oneshot_start(uint16_t ticks);
bool pit_oneshot_done(void);
void pit_oneshot_stop(void);

#endif
