/*
 * devices/testdev.h: a device for tests and benchmarks only (the guest
 * description's testdev=on), in the spirit of QEMU's pc-testdev: one page of
 * device memory whose first eight bytes are a scratch register that reads
 * back what was last written, at any size. It exercises the whole MMIO path
 * (EPT violation, instruction fetch and decode, device, register update).
 */
#ifndef DEVICES_TESTDEV_H
#define DEVICES_TESTDEV_H

#define TESTDEV_MMIO_BASE   0xFEB00000UL    /* guest-physical, in the PCI hole */
#define TESTDEV_MMIO_LEN    0x1000
#define TESTDEV_SCRATCH     0x0             /* 64-bit read/write register */

struct vm;

int testdev_attach(struct vm *vm);

#endif
