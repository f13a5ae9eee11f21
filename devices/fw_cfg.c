/*
 * devices/fw_cfg.c: the fw_cfg items, built a byte at a time from what
 * the guest description says, so nothing is copied.
 */
#include "devices/fw_cfg.h"
#include "devices/pc.h"
#include "lib/string.h"
#include "vm/vm.h"

#define FW_CFG_ITEM_MASK        0x3FFF

void
fw_cfg_init(struct fw_cfg *f, uint64_t ram_size, const char *cmdline)
{
	memset(f, 0, sizeof(*f));
	f->ram_size = ram_size;
	f->cmdline = cmdline ? cmdline : "";
}

/* Byte i of a little-endian number of len bytes, 0 past it. */
static uint8_t
le_byte(uint64_t v, uint32_t len, uint32_t i)
{
	return i < len ? (uint8_t)(v >> (8 * i)) : 0;
}

static uint8_t
item_byte(const struct fw_cfg *f, uint32_t i)
{
	static const char signature[4] = { 'Q', 'E', 'M', 'U' };
	uint32_t cmdline_size = (uint32_t)strlen(f->cmdline) + 1;

	if (f->selector & FW_CFG_ARCH_LOCAL)
		return 0;
	switch (f->selector & FW_CFG_ITEM_MASK) {
	case FW_CFG_SIGNATURE:      return i < sizeof(signature) ? (uint8_t)signature[i] : 0;
	case FW_CFG_ID:             return le_byte(FW_CFG_ID_TRADITIONAL, 4, i);
	case FW_CFG_RAM_SIZE:       return le_byte(f->ram_size, 8, i);
	case FW_CFG_NB_CPUS:        return le_byte(1, 2, i);
	case FW_CFG_MAX_CPUS:       return le_byte(1, 2, i);
	case FW_CFG_CMDLINE_SIZE:   return le_byte(cmdline_size, 4, i);
	case FW_CFG_CMDLINE_DATA:   return i < cmdline_size ? (uint8_t)f->cmdline[i] : 0;
	default:                    return 0;
	}
}

void
fw_cfg_io(struct fw_cfg *f, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	if (port == PC_PORT_FW_CFG_SEL) {
		if (in) {
			*value = 0;
		} else {
			f->selector = (uint16_t)(size == 1 ? *value & 0xFF : *value & 0xFFFF);
			f->offset = 0;
		}
		return;
	}
	if (!in)
		return;                 /* writes through the data port are ignored (QEMU 2.4 on) */
	*value = 0;
	for (uint8_t i = 0; i < size; i++) {
		*value |= (uint32_t)item_byte(f, f->offset) << (8 * i);
		if (f->offset != UINT32_MAX)
			f->offset++;
	}
}

static void
fw_cfg_port(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	fw_cfg_io(dev, port, size, in, value);
}

int
fw_cfg_attach(struct vm *vm, struct fw_cfg *f)
{
	fw_cfg_init(f, vm->ram_size, vm->desc.cmdline);
	return iobus_register(&vm->iobus, PC_PORT_FW_CFG_SEL, PC_PORT_FW_CFG_DATA, fw_cfg_port, f, "fw_cfg");
}
