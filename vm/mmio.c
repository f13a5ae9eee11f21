/*
 * vm/mmio.c: dispatch a guest's access to emulated device memory. How the
 * result lands in a register follows the CPU (SDM Vol. 1, 3.4.1.1): a 32-bit
 * result zero-extends to 64 bits, an 8- or 16-bit one leaves the rest of
 * the register alone, AH-BH are bits 15:8 of RAX-RBX.
 */
#include "vm/mmio.h"
#include "kernel/errno.h"
#include "vm/decode.h"
#include "vm/vm.h"

#define GPR_RSP     4

int
mmio_register(struct mmio_bus *bus, uint64_t base, uint64_t len, mmio_fn fn, void *dev, const char *name)
{
	if (bus->count == MMIO_MAX_REGIONS)
		return -ENOSPC;
	bus->regions[bus->count++] = (struct mmio_region){ base, len, fn, dev, name };
	return 0;
}

const struct mmio_region *
mmio_find(const struct mmio_bus *bus, uint64_t gpa)
{
	for (uint32_t i = 0; i < bus->count; i++)
		if (gpa - bus->regions[i].base < bus->regions[i].len)
			return &bus->regions[i];
	return NULL;
}

/* The general registers in the order instructions number them; RSP lives
 * in the backend's state and is not offered. */
static uint64_t *
gpr(struct vcpu *v, uint8_t n)
{
	uint64_t *const regs[16] = {
		&v->regs.rax, &v->regs.rcx, &v->regs.rdx, &v->regs.rbx, NULL, &v->regs.rbp,
		&v->regs.rsi, &v->regs.rdi, &v->regs.r8, &v->regs.r9, &v->regs.r10, &v->regs.r11,
		&v->regs.r12, &v->regs.r13, &v->regs.r14, &v->regs.r15,
	};
	return regs[n & 15];
}

static uint64_t
size_mask(uint8_t size)
{
	return size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (size * 8)) - 1;
}

static uint64_t
sign_extend(uint64_t v, uint8_t size)
{
	uint32_t shift = 64 - size * 8;

	return size >= 8 ? v : (uint64_t)((int64_t)(v << shift) >> shift);
}

static void
reg_store(uint64_t *r, const struct decoded_insn *d, uint64_t value)
{
	if (d->reg_high_byte)
		*r = (*r & ~0xFF00ULL) | ((value & 0xFF) << 8);
	else if (d->reg_size == 4)
		*r = value & 0xFFFFFFFF;
	else
		*r = (*r & ~size_mask(d->reg_size)) | (value & size_mask(d->reg_size));
}

int
mmio_emulate(struct vcpu *v, const struct mmio_region *r, uint64_t gpa,
	     const uint8_t *insn, size_t avail, int mode)
{
	struct decoded_insn d;
	char err[96];
	uint64_t value = 0, *reg;

	if (decode_insn(insn, avail, mode, &d, err, sizeof(err)) < 0) {
		vm_stop(v->vm, "%s access at GPA %#lx: cannot emulate the instruction: %s", r->name, gpa, err);
		return -EINVAL;
	}
	if (d.op != DECODE_STORE_IMM && d.reg == GPR_RSP && !d.reg_high_byte) {
		vm_stop(v->vm, "%s access at GPA %#lx with RSP as the register: not emulated", r->name, gpa);
		return -EINVAL;
	}
	reg = gpr(v, d.reg_high_byte ? d.reg - 4 : d.reg);     /* AH-BH are in RAX-RBX */
	switch (d.op) {
	case DECODE_STORE:
	case DECODE_STORE_MOFFS:
		value = d.reg_high_byte ? (*reg >> 8) & 0xFF : *reg & size_mask(d.mem_size);
		r->fn(v->vm, r->dev, gpa - r->base, d.mem_size, true, &value);
		break;
	case DECODE_STORE_IMM:
		value = d.imm & size_mask(d.mem_size);
		r->fn(v->vm, r->dev, gpa - r->base, d.mem_size, true, &value);
		break;
	case DECODE_LOAD:
	case DECODE_LOAD_MOFFS:
	case DECODE_LOAD_ZX:
	case DECODE_LOAD_SX:
		r->fn(v->vm, r->dev, gpa - r->base, d.mem_size, false, &value);
		value &= size_mask(d.mem_size);
		if (d.op == DECODE_LOAD_SX)
			value = sign_extend(value, d.mem_size);
		reg_store(reg, &d, value);
		break;
	}
	return d.length;
}
