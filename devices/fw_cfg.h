/*
 * devices/fw_cfg.h: QEMU's firmware configuration device as x86 guests
 * find it (QEMU docs/specs/fw_cfg.rst): a 16-bit selector at 0x510 picks
 * an item, whose bytes then read one after another from 0x511, from its
 * start after each selection and as 0 past its end. No DMA interface
 * (FW_CFG_ID bit 1 clear), no writes, no file directory entries.
 *
 * Items (little-endian, as QEMU's fw_cfg_add_i16/i32/i64):
 *   0x0000 FW_CFG_SIGNATURE     "QEMU"
 *   0x0001 FW_CFG_ID            u32 1: the traditional interface
 *   0x0003 FW_CFG_RAM_SIZE      u64 the guest's RAM (mem=)
 *   0x0005 FW_CFG_NB_CPUS       u16 1
 *   0x000f FW_CFG_MAX_CPUS      u16 1
 *   0x0014 FW_CFG_CMDLINE_SIZE  u32 length of the command line with its NUL
 *   0x0015 FW_CFG_CMDLINE_DATA  the guest description's cmdline=, NUL-terminated
 * Every other selector, the architecture-specific ones (bit 15) included,
 * reads 0. Bit 14 (write channel) is ignored when selecting.
 */
#ifndef DEVICES_FW_CFG_H
#define DEVICES_FW_CFG_H

#include "kernel/compiler.h"

#define FW_CFG_SIGNATURE        0x0000
#define FW_CFG_ID               0x0001
#define FW_CFG_RAM_SIZE         0x0003
#define FW_CFG_NB_CPUS          0x0005
#define FW_CFG_MAX_CPUS         0x000F
#define FW_CFG_CMDLINE_SIZE     0x0014
#define FW_CFG_CMDLINE_DATA     0x0015
#define FW_CFG_WRITE_CHANNEL    0x4000
#define FW_CFG_ARCH_LOCAL       0x8000
#define FW_CFG_ID_TRADITIONAL   0x1

struct fw_cfg {
	uint16_t selector;
	uint32_t offset;                /* the next byte of the item */
	uint64_t ram_size;
	const char *cmdline;            /* the guest's own, outlives the device */
};

void fw_cfg_init(struct fw_cfg *f, uint64_t ram_size, const char *cmdline);

/* One access of size bytes to 0x510 (select) or 0x511 (data: that many
 * bytes of the item, the first in the low byte). */
void fw_cfg_io(struct fw_cfg *f, uint16_t port, uint8_t size, bool in, uint32_t *value);

struct vm;
int fw_cfg_attach(struct vm *vm, struct fw_cfg *f);

#endif
