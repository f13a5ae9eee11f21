/*
 * devices/pcihost.c: configuration mechanism #1 and the 440FX host
 * bridge's header (Intel 82441FX data sheet, 3.2 "PCI Configuration
 * Registers"; identifiers as QEMU's i440FX). Writable: the command
 * register's enable bits, the cache line size and the latency timer; the
 * rest of the space, the chipset registers included, reads as set here
 * and ignores writes.
 */
#include "devices/pcihost.h"
#include "devices/pc.h"
#include "lib/string.h"
#include "vm/vm.h"

#define I440FX_REVISION         0x02
#define SUBSYSTEM_VENDOR_QEMU   0x1AF4          /* what QEMU's devices carry */
#define SUBSYSTEM_QEMU          0x1100
#define COMMAND_WRITABLE        0x0147          /* I/O, memory, bus master, parity and SERR# enables */
#define STATUS_FAST_BACK        0x0080
#define STATUS_DEVSEL_MEDIUM    0x0200

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void
pcihost_init(struct pcihost *h)
{
	memset(h, 0, sizeof(*h));
	put16(h->config + PCI_VENDOR_ID, PCI_VENDOR_INTEL);
	put16(h->config + PCI_DEVICE_ID, PCI_DEVICE_I440FX);
	put16(h->config + PCI_COMMAND, 0x0006);          /* memory and bus master, as after firmware */
	put16(h->config + PCI_STATUS, STATUS_FAST_BACK | STATUS_DEVSEL_MEDIUM);
	h->config[PCI_REVISION] = I440FX_REVISION;
	put16(h->config + PCI_CLASS_DEVICE, PCI_CLASS_BRIDGE_HOST);
	h->config[PCI_HEADER_TYPE] = 0x00;              /* type 0, one function */
	put16(h->config + PCI_SUBSYSTEM_VENDOR_ID, SUBSYSTEM_VENDOR_QEMU);
	put16(h->config + PCI_SUBSYSTEM_ID, SUBSYSTEM_QEMU);
}

bool
pcihost_is_bridge(uint32_t address)
{
	return (address & 0x80FFFF00u) == PCI_CONFIG_ENABLE;   /* bus 0, device 0, function 0 */
}

/* The writable bits of byte reg. */
static uint8_t
writable(unsigned reg)
{
	switch (reg) {
	case PCI_COMMAND:           return (uint8_t)COMMAND_WRITABLE;
	case PCI_COMMAND + 1:       return (uint8_t)(COMMAND_WRITABLE >> 8);
	case PCI_CACHE_LINE_SIZE:
	case PCI_LATENCY_TIMER:     return 0xFF;
	default:                    return 0;
	}
}

static void
config_access(struct pcihost *h, unsigned reg, uint8_t size, bool in, uint32_t *value)
{
	bool bridge = pcihost_is_bridge(h->address);

	if (in)
		*value = 0;
	for (unsigned i = 0; i < size; i++) {
		unsigned r = reg + i;

		if (in) {
			*value |= (uint32_t)(bridge ? h->config[r] : 0xFF) << (8 * i);
		} else if (bridge) {
			uint8_t m = writable(r);

			h->config[r] = (uint8_t)((h->config[r] & ~m) | ((*value >> (8 * i)) & m));
		}
	}
}

void
pcihost_io(struct pcihost *h, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	unsigned offset = port & 3;

	if (port == PC_PORT_PCI_ADDR && size == 4) {
		if (in)
			*value = h->address;
		else
			h->address = *value & PCI_CONFIG_ADDR_MASK;
		return;
	}
	if (port < PC_PORT_PCI_DATA || port > PC_PORT_PCI_DATA + 3 || offset + size > 4 ||
	    !(h->address & PCI_CONFIG_ENABLE)) {
		if (in)
			*value = size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
		return;
	}
	config_access(h, (h->address & 0xFC) + offset, size, in, value);
}

static void
pcihost_port(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	pcihost_io(dev, port, size, in, value);
}

int
pcihost_attach(struct vm *vm, struct pcihost *h)
{
	int r;

	pcihost_init(h);
	if ((r = iobus_register(&vm->iobus, PC_PORT_PCI_ADDR, PC_PORT_PCI_ADDR, pcihost_port, h,
				"PCI CONFIG_ADDRESS")) < 0)
		return r;
	return iobus_register(&vm->iobus, PC_PORT_PCI_DATA, PC_PORT_PCI_DATA + 3, pcihost_port, h, "PCI CONFIG_DATA");
}
