/*
 * devices/kbc.c: the 8042's commands and status (IBM PC AT Technical
 * Reference, "Keyboard Controller"; the commands Linux's i8042.c sends).
 * The controller takes every write at once, so IBF is never set; unknown
 * commands are accepted and do nothing.
 */
#include "devices/kbc.h"
#include "devices/pc.h"
#include "lib/string.h"
#include "vm/irq.h"
#include "vm/vm.h"

void
kbc_init(struct kbc *k)
{
	memset(k, 0, sizeof(*k));
	k->status = KBC_STS_SYS | KBC_STS_UNLOCKED;
	k->cb = KBC_CB_KBD_INT | KBC_CB_SYS | KBC_CB_AUX_DISABLE | KBC_CB_XLATE;
}

/* A byte for the OS to read at 0x60. */
static void
put(struct kbc *k, uint8_t v, uint8_t flags)
{
	k->out = v;
	k->status = (uint8_t)((k->status & ~(KBC_STS_AUX | KBC_STS_TIMEOUT)) | KBC_STS_OBF | flags);
}

bool
kbc_irq1(const struct kbc *k)
{
	return (k->status & (KBC_STS_OBF | KBC_STS_AUX)) == KBC_STS_OBF && (k->cb & KBC_CB_KBD_INT);
}

static bool
command(struct kbc *k, uint8_t c)
{
	switch (c) {
	case KBC_CMD_READ_CB:       put(k, k->cb, 0); break;
	case KBC_CMD_AUX_DISABLE:
	case KBC_CMD_AUX_ENABLE:    break;          /* no mouse port: it stays disabled */
	case KBC_CMD_AUX_TEST:      put(k, KBC_AUX_TEST_CLOCK_LOW, 0); break;
	case KBC_CMD_SELF_TEST:     put(k, KBC_SELF_TEST_OK, 0); break;
	case KBC_CMD_KBD_TEST:      put(k, 0x00, 0); break;
	case KBC_CMD_KBD_DISABLE:   k->cb |= KBC_CB_KBD_DISABLE; break;
	case KBC_CMD_KBD_ENABLE:    k->cb &= ~KBC_CB_KBD_DISABLE; break;
	case KBC_CMD_READ_INPUT:    put(k, 0x00, 0); break;
	case KBC_CMD_READ_OUTPUT:   put(k, KBC_OUT_RESET | KBC_OUT_A20, 0); break;
	case KBC_CMD_WRITE_CB:
	case KBC_CMD_WRITE_OUTPUT:
	case KBC_CMD_WRITE_KBD_OUT:
	case KBC_CMD_WRITE_AUX_OUT:
	case KBC_CMD_WRITE_AUX:     k->pending = c; break;
	default:
		/* 0xF0-0xFF pulse the output bits that are 0 in the low nibble: bit 0 is reset */
		if ((c & KBC_CMD_PULSE) == KBC_CMD_PULSE && !(c & KBC_OUT_RESET))
			return true;
		break;
	}
	return false;
}

static bool
data(struct kbc *k, uint8_t v)
{
	uint8_t c = k->pending;

	k->pending = 0;
	switch (c) {
	case KBC_CMD_WRITE_CB:
		k->cb = v | KBC_CB_AUX_DISABLE;         /* no mouse port to enable */
		break;
	case KBC_CMD_WRITE_OUTPUT:
		return !(v & KBC_OUT_RESET);            /* the reset line driven low */
	case KBC_CMD_WRITE_KBD_OUT:
		put(k, v, 0);
		break;
	case KBC_CMD_WRITE_AUX_OUT:
		put(k, v, KBC_STS_AUX);
		break;
	case KBC_CMD_WRITE_AUX:
		break;                                  /* no mouse */
	default:
		put(k, KBC_NO_DEVICE, KBC_STS_TIMEOUT); /* for the keyboard, which is not there */
		break;
	}
	return false;
}

bool
kbc_io(struct kbc *k, uint16_t port, bool in, uint8_t *value)
{
	if (port == PC_PORT_KBC_CMD) {
		if (in) {
			*value = k->status;
			return false;
		}
		k->status |= KBC_STS_CMD;
		k->pending = 0;
		return command(k, *value);
	}
	if (in) {
		*value = k->out;                        /* the last byte again when none waits */
		k->status &= ~(KBC_STS_OBF | KBC_STS_AUX | KBC_STS_TIMEOUT);
		return false;
	}
	k->status &= ~KBC_STS_CMD;
	return data(k, *value);
}

static void
kbc_port(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	struct kbc *k = dev;
	uint8_t b = (uint8_t)*value;
	bool reset = kbc_io(k, port, in, &b);

	if (in)
		*value = size == 1 ? b : b | (0xFFFFFFFFu << 8);
	if (kbc_irq1(k) != k->irq) {
		k->irq = kbc_irq1(k);
		irq_set(vm, PC_IRQ_KBD, k->irq);
	}
	if (reset)
		vm_reset(vm, "keyboard controller reset");
}

int
kbc_attach(struct vm *vm, struct kbc *k)
{
	int r;

	kbc_init(k);
	if ((r = iobus_register(&vm->iobus, PC_PORT_KBC_DATA, PC_PORT_KBC_DATA, kbc_port, k, "8042 data")) < 0)
		return r;
	return iobus_register(&vm->iobus, PC_PORT_KBC_CMD, PC_PORT_KBC_CMD, kbc_port, k, "8042 command");
}
