/*
 * drivers/pic.h: the legacy 8259A pair. The hypervisor never takes an
 * interrupt from it; it is remapped out of the exception range and masked.
 */
#ifndef DRIVERS_PIC_H
#define DRIVERS_PIC_H

#include "kernel/compiler.h"

void pic_init(void);
uint64_t pic_spurious_count(void);

#endif
