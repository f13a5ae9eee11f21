/*
 * devices/debugexit.c: isa-debug-exit, a way for test guests to end with
 * a code (guests/lib/guest.c uses it when it runs under QEMU alone).
 */
#include "devices/debugexit.h"
#include "devices/pc.h"
#include "vm/vm.h"

static void
debugexit_port(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	if (in)
		*value = 0;
	else
		vm_exit(vm, debugexit_code(size, *value));
}

int
debugexit_attach(struct vm *vm)
{
	return iobus_register(&vm->iobus, PC_PORT_DEBUG_EXIT, PC_PORT_DEBUG_EXIT, debugexit_port, NULL,
			      "isa-debug-exit");
}
