/*
 * vm/iobus.h: the I/O ports a guest sees. Each emulated device claims a
 * range; an access to a port nobody claimed reads all-ones and drops
 * writes, as on a PC with nothing at that address.
 */
#ifndef VM_IOBUS_H
#define VM_IOBUS_H

#include "kernel/compiler.h"

#define IOBUS_MAX_RANGES    32

struct vm;

/* size is 1, 2 or 4; *value holds what OUT wrote / receives what IN reads. */
typedef void (*iobus_fn)(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value);

struct iobus_range {
	uint16_t first, last;
	iobus_fn fn;
	void *dev;
	const char *name;
};

struct iobus {
	uint32_t count;
	struct iobus_range ranges[IOBUS_MAX_RANGES];
};

/* Claim ports [first, last] for a device: 0, -ENOSPC, or -EBUSY when any
 * of them is claimed already. */
int iobus_register(struct iobus *bus, uint16_t first, uint16_t last, iobus_fn fn, void *dev, const char *name);
/* Perform one port access for the guest. Returns false when no device claimed the port. */
bool iobus_access(struct vm *vm, uint16_t port, uint8_t size, bool in, uint32_t *value);

#endif
