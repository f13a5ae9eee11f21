/*
 * vm/iobus.c: dispatch a guest's port I/O to the device that claimed it.
 * The ranges are kept sorted by first port and never overlap, so an access
 * finds its device (or that there is none) by binary search: the PC's
 * twenty-odd ranges cost five comparisons, not twenty, on every I/O exit.
 */
#include "vm/iobus.h"
#include "kernel/errno.h"
#include "vm/vm.h"

int
iobus_register(struct iobus *bus, uint16_t first, uint16_t last, iobus_fn fn, void *dev, const char *name)
{
	uint32_t at = 0;

	if (first > last)
		return -EINVAL;
	if (bus->count == IOBUS_MAX_RANGES)
		return -ENOSPC;
	while (at < bus->count && bus->ranges[at].first < first)
		at++;
	if ((at > 0 && bus->ranges[at - 1].last >= first) || (at < bus->count && bus->ranges[at].first <= last))
		return -EBUSY;          /* two devices on one port: a wiring mistake */
	for (uint32_t i = bus->count; i > at; i--)
		bus->ranges[i] = bus->ranges[i - 1];
	bus->ranges[at] = (struct iobus_range){ first, last, fn, dev, name };
	bus->count++;
	return 0;
}

/* The range holding port, or NULL. */
static const struct iobus_range *
find(const struct iobus *bus, uint16_t port)
{
	uint32_t lo = 0, hi = bus->count;       /* the answer is below hi */

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		const struct iobus_range *r = &bus->ranges[mid];

		if (port < r->first)
			hi = mid;
		else if (port > r->last)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

bool
iobus_access(struct vm *vm, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	const struct iobus_range *r = find(&vm->iobus, port);

	if (r) {
		r->fn(vm, r->dev, port, size, in, value);
		return true;
	}
	if (in)
		*value = size == 4 ? 0xFFFFFFFFu : size == 2 ? 0xFFFFu : 0xFFu;
	return false;
}
