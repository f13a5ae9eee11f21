/*
 * devices/testdev.c: the test device's scratch register. Offsets other
 * than the register read zero and ignore writes.
 */
#include "devices/testdev.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "vm/vm.h"

struct testdev {
	uint8_t scratch[8];
};

static void
testdev_mmio(struct vm *vm, void *dev, uint64_t offset, uint8_t size, bool write, uint64_t *value)
{
	struct testdev *t = dev;

	if (offset + size > sizeof(t->scratch)) {
		if (!write)
			*value = 0;
		return;
	}
	if (write)
		memcpy(t->scratch + offset, value, size);
	else {
		*value = 0;
		memcpy(value, t->scratch + offset, size);
	}
}

int
testdev_attach(struct vm *vm)
{
	struct testdev *t = heap_zalloc(sizeof(*t), "testdev");

	if (!t)
		return -ENOMEM;
	vm->testdev = t;
	return mmio_register(&vm->mmio, TESTDEV_MMIO_BASE, TESTDEV_MMIO_LEN, testdev_mmio, t, "testdev");
}
