/*
 * devices/debugexit.h: QEMU's isa-debug-exit device at port 0xF4 (as
 * `-device isa-debug-exit,iobase=0xf4,iosize=4`): a write of any size ends
 * the guest with the value written as its exit code, "guest NAME: exited
 * with code N". QEMU itself would exit with status (N << 1) | 1; here N
 * is shown as written. Reads return 0, as QEMU's do.
 */
#ifndef DEVICES_DEBUGEXIT_H
#define DEVICES_DEBUGEXIT_H

#include "kernel/compiler.h"

/* The exit code an OUT of size bytes of value means. */
static inline int
debugexit_code(uint8_t size, uint32_t value)
{
	return (int)(size == 4 ? value : value & ((1u << (8 * size)) - 1));
}

struct vm;
int debugexit_attach(struct vm *vm);

#endif
