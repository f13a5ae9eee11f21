/*
 * devices/kbc.h: the guest's keyboard controller, an 8042 as PCs have it
 * at ports 0x60 (data) and 0x64 (status on read, command on write), with
 * no keyboard and no mouse behind it. Enough of the controller for an OS
 * to probe it and find nothing, quickly (Linux's i8042 driver: the
 * controller commands answer, a byte sent to the keyboard comes back as
 * 0xFE with the time-out bit), and the reset line: a command that pulses
 * output-port bit 0 (0xFE, the usual one) resets the machine.
 * IRQ 1 is raised while a byte waits and the command byte enables it.
 */
#ifndef DEVICES_KBC_H
#define DEVICES_KBC_H

#include "kernel/compiler.h"

/* Status register */
#define KBC_STS_OBF             0x01    /* a byte waits at 0x60 */
#define KBC_STS_IBF             0x02    /* the controller has not taken the last write */
#define KBC_STS_SYS             0x04    /* system flag: self-test passed */
#define KBC_STS_CMD             0x08    /* the last write was to 0x64 */
#define KBC_STS_UNLOCKED        0x10    /* keyboard not inhibited */
#define KBC_STS_AUX             0x20    /* the waiting byte is from the mouse side */
#define KBC_STS_TIMEOUT         0x40    /* the device did not answer */

/* Command byte ("controller configuration byte") */
#define KBC_CB_KBD_INT          0x01    /* IRQ 1 when a keyboard byte waits */
#define KBC_CB_AUX_INT          0x02
#define KBC_CB_SYS              0x04
#define KBC_CB_KBD_DISABLE      0x10
#define KBC_CB_AUX_DISABLE      0x20
#define KBC_CB_XLATE            0x40

/* Commands (written to 0x64) */
#define KBC_CMD_READ_CB         0x20
#define KBC_CMD_WRITE_CB        0x60
#define KBC_CMD_AUX_DISABLE     0xA7
#define KBC_CMD_AUX_ENABLE      0xA8
#define KBC_CMD_AUX_TEST        0xA9
#define KBC_CMD_SELF_TEST       0xAA
#define KBC_CMD_KBD_TEST        0xAB
#define KBC_CMD_KBD_DISABLE     0xAD
#define KBC_CMD_KBD_ENABLE      0xAE
#define KBC_CMD_READ_INPUT      0xC0
#define KBC_CMD_READ_OUTPUT     0xD0
#define KBC_CMD_WRITE_OUTPUT    0xD1
#define KBC_CMD_WRITE_KBD_OUT   0xD2    /* the next data byte comes back as keyboard data */
#define KBC_CMD_WRITE_AUX_OUT   0xD3    /* ... as mouse data */
#define KBC_CMD_WRITE_AUX       0xD4    /* the next data byte goes to the mouse */
#define KBC_CMD_PULSE           0xF0    /* 0xF0-0xFF: pulse output bits 3:0 that are 0 */

#define KBC_OUT_RESET           0x01    /* output port bit 0: the CPU reset line (low resets) */
#define KBC_OUT_A20             0x02

#define KBC_SELF_TEST_OK        0x55
#define KBC_NO_DEVICE           0xFE    /* what comes back from a device that is not there */
#define KBC_AUX_TEST_CLOCK_LOW  0x01    /* the mouse clock line is stuck: no mouse port */

struct kbc {
	uint8_t status;                 /* SYS, CMD, UNLOCKED; OBF, AUX, TIMEOUT with the byte */
	uint8_t out;                    /* the byte at 0x60 */
	uint8_t cb;                     /* command byte */
	uint8_t pending;                /* a command waiting for its data byte, or 0 */
	bool irq;                       /* IRQ 1 as last given */
};

void kbc_init(struct kbc *k);

/* One byte at port 0x60 or 0x64. Returns true when the write resets the machine. */
bool kbc_io(struct kbc *k, uint16_t port, bool in, uint8_t *value);

/* Is IRQ 1 asked for? */
bool kbc_irq1(const struct kbc *k);

struct vm;
/* Put k on vm's ports 0x60 and 0x64, and IRQ 1. */
int kbc_attach(struct vm *vm, struct kbc *k);

#endif
