/*
 * devices/pcihost.h: the guest's PCI host bridge as software finds it
 * through configuration mechanism #1 (PCI Local Bus Specification 3.0,
 * 3.2.2.3.2): CONFIG_ADDRESS, a dword at 0xCF8 (bit 31 enable, bus 23:16,
 * device 15:11, function 10:8, register 7:2; bits 30:24 and 1:0 read as
 * 0), and CONFIG_DATA at 0xCFC-0xCFF, read or written a byte, word or
 * dword at a time. Bus 0 device 0 function 0 is an Intel 440FX host bridge
 * (82441FX PMC, 8086:1237, as in QEMU's pc machine); every other function
 * reads all-ones, as on a bus where nothing answers.
 */
#ifndef DEVICES_PCIHOST_H
#define DEVICES_PCIHOST_H

#include "kernel/compiler.h"

#define PCI_CONFIG_ENABLE       0x80000000u
#define PCI_CONFIG_ADDR_MASK    0x80FFFFFCu     /* the bits CONFIG_ADDRESS keeps */
#define PCI_CONFIG_SPACE        256

/* Configuration header, type 0 (PCI 3.0, 6.1) */
#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define PCI_STATUS              0x06
#define PCI_REVISION            0x08
#define PCI_CLASS_PROG          0x09
#define PCI_CLASS_DEVICE        0x0A            /* subclass, then base class */
#define PCI_CACHE_LINE_SIZE     0x0C
#define PCI_LATENCY_TIMER       0x0D
#define PCI_HEADER_TYPE         0x0E
#define PCI_SUBSYSTEM_VENDOR_ID 0x2C
#define PCI_SUBSYSTEM_ID        0x2E

#define PCI_VENDOR_INTEL        0x8086
#define PCI_DEVICE_I440FX       0x1237
#define PCI_CLASS_BRIDGE_HOST   0x0600

struct pcihost {
	uint32_t address;               /* CONFIG_ADDRESS */
	uint8_t config[PCI_CONFIG_SPACE];       /* 00:00.0's configuration space */
};

void pcihost_init(struct pcihost *h);

/* Is this CONFIG_ADDRESS (enable bit on) bus 0, device 0, function 0? */
bool pcihost_is_bridge(uint32_t address);

/* An access of size 1, 2 or 4 bytes to port 0xCF8-0xCFF: CONFIG_ADDRESS
 * takes dwords only, CONFIG_DATA any size within its dword. A read fills
 * *value (all-ones where nothing answers), a write takes it. */
void pcihost_io(struct pcihost *h, uint16_t port, uint8_t size, bool in, uint32_t *value);

struct vm;
/* Put h on vm's ports 0xCF8 and 0xCFC-0xCFF (0xCF9 is the reset register). */
int pcihost_attach(struct vm *vm, struct pcihost *h);

#endif
