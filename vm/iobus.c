/*
 * vm/iobus.c: dispatch a guest's port I/O to the device that claimed it.
 * A handful of ranges per guest, so a linear scan is the fastest choice.
 */
#include "vm/iobus.h"
#include "kernel/errno.h"
#include "vm/vm.h"

int
iobus_register(struct iobus *bus, uint16_t first, uint16_t last, iobus_fn fn, void *dev, const char *name)
{
	if (bus->count == IOBUS_MAX_RANGES)
		return -ENOSPC;
	bus->ranges[bus->count++] = (struct iobus_range){ first, last, fn, dev, name };
	return 0;
}

bool
iobus_access(struct vm *vm, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	const struct iobus *bus = &vm->iobus;

	for (uint32_t i = 0; i < bus->count; i++) {
		const struct iobus_range *r = &bus->ranges[i];

		if (port >= r->first && port <= r->last) {
			r->fn(vm, r->dev, port, size, in, value);
			return true;
		}
	}
	if (in)
		*value = size == 4 ? 0xFFFFFFFFu : size == 2 ? 0xFFFFu : 0xFFu;
	return false;
}
