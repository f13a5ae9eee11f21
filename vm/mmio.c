/*
 * vm/mmio.c: dispatch a guest's access to emulated device memory. How the
 * result lands in a register follows the CPU (SDM Vol. 1, 3.4.1.1): a 32-bit
 * result zero-extends to 64 bits, an 8- or 16-bit one leaves the rest of
 * the register alone, AH-BH are bits 15:8 of RAX-RBX. The flags of OR,
 * AND, XOR, TEST and CMP are as SDM Vol. 2 gives them for each, and
 * Vol. 1, 3.4.3.1 defines them; MOVS and STOS step rSI/rDI by the element
 * size, down when RFLAGS.DF is set, and REP counts rCX down (Vol. 2B, REP).
 */
#include "vm/mmio.h"
#include "kernel/errno.h"
#include "kernel/x86.h"
#include "lib/string.h"
#include "vm/backend.h"
#include "vm/decode.h"
#include "vm/gva.h"
#include "vm/vm.h"

#define GPR_RSP     4

/* Status flags (SDM Vol. 1, 3.4.3.1, figure 3-8) that kernel/x86.h does not name */
#define RFLAGS_PF           BIT(2)   /* parity of the low byte of the result */
#define RFLAGS_AF           BIT(4)   /* auxiliary carry out of bit 3 */
#define RFLAGS_SF           BIT(7)   /* sign */
#define RFLAGS_OF           BIT(11)  /* signed overflow */
#define RFLAGS_STATUS       (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF)

#define MMIO_PAGE_SIZE      4096     /* a REP batch stays within the device page it started on */

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

static uint64_t
reg_load(const uint64_t *r, const struct decoded_insn *d)
{
	return d->reg_high_byte ? (*r >> 8) & 0xFF : *r & size_mask(d->reg_size);
}

/* rCX, rSI, rDI at the address size: 16 bits keep the rest, 32 bits zero-extend. */
static void
addr_reg_store(uint64_t *r, uint8_t addr_size, uint64_t value)
{
	if (addr_size == 2)
		*r = (*r & ~0xFFFFULL) | (value & 0xFFFF);
	else
		*r = value & size_mask(addr_size);
}

static void
device(struct vcpu *v, const struct mmio_region *r, uint64_t gpa, uint8_t size, bool write, uint64_t *value)
{
	if (!write)
		*value = 0;
	r->fn(v->vm, r->dev, gpa - r->base, size, write, value);
	*value &= size_mask(size);
}

/*
 * OR, AND, XOR, TEST (a & b) or CMP (a - b) on size-byte operands: returns
 * the status flags the instruction sets, *result the value. The logic
 * operations clear CF and OF, and AF, which they leave undefined.
 */
static uint64_t
alu(enum decode_alu op, uint64_t a, uint64_t b, uint8_t size, uint64_t *result)
{
	uint64_t mask = size_mask(size), sign = (uint64_t)1 << (size * 8 - 1), r = 0, f = 0;
	unsigned p;

	a &= mask;
	b &= mask;
	switch (op) {
	case DECODE_ALU_OR:
		r = a | b;
		break;
	case DECODE_ALU_AND:
	case DECODE_ALU_TEST:
		r = a & b;
		break;
	case DECODE_ALU_XOR:
		r = a ^ b;
		break;
	case DECODE_ALU_CMP:
	case DECODE_ALU_NONE:
		r = (a - b) & mask;
		if (a < b)
			f |= RFLAGS_CF;
		if ((a ^ b) & (a ^ r) & sign)
			f |= RFLAGS_OF;
		if ((a ^ b ^ r) & 0x10)
			f |= RFLAGS_AF;
		break;
	}
	if (r == 0)
		f |= RFLAGS_ZF;
	if (r & sign)
		f |= RFLAGS_SF;
	p = (unsigned)(r & 0xFF);
	p ^= p >> 4;
	p ^= p >> 2;
	p ^= p >> 1;
	if (!(p & 1))
		f |= RFLAGS_PF;         /* an even number of ones */
	*result = r;
	return f;
}

/*
 * One element of the MOVS operand that is not the device that exited:
 * guest RAM (split at page boundaries as the CPU would) or another
 * device. Returns 0, or -EFAULT when lin is unmapped, outside RAM, or a
 * device access split across pages.
 */
static int
other_operand(struct vcpu *v, const struct mmio_ctx *c, uint64_t lin, uint8_t size, bool write, uint64_t *value)
{
	uint8_t buf[8];
	size_t done = 0;

	memcpy(buf, value, sizeof(buf));
	while (done < size) {
		size_t chunk = MIN((size_t)size - done, MMIO_PAGE_SIZE - ((lin + done) & (MMIO_PAGE_SIZE - 1)));
		const struct mmio_region *r;
		uint64_t gpa;
		uint8_t *p;

		if (gva_to_gpa(v->vm, &c->paging, lin + done, &gpa) < 0)
			return -EFAULT;
		if ((r = mmio_find(&v->vm->mmio, gpa))) {
			if (chunk != size)
				return -EFAULT;
			device(v, r, gpa, size, write, value);
			return 0;
		}
		if (!(p = vm_gpa_to_hva(v->vm, gpa, chunk)))
			return -EFAULT;
		if (write)
			memcpy(p, buf + done, chunk);
		else
			memcpy(buf + done, p, chunk);
		done += chunk;
	}
	if (!write) {
		*value = 0;
		memcpy(value, buf, size);
	}
	return 0;
}

/*
 * STOS and MOVS, one batch per exit: the elements whose device side stays
 * in the region and in the 4 KiB page the exit named (contiguous linear
 * addresses are contiguous guest-physical ones only within a page), at
 * least one. A REP with elements left returns 0, so the guest runs the
 * instruction again from where this left off, the CPU the elements on RAM
 * and the next exit the next device page; rCX, rSI and rDI are always
 * what the CPU would have after the elements done. Work per exit is at
 * most a page's worth of elements.
 */
static int
string_op(struct vcpu *v, const struct mmio_region *r, uint64_t gpa, const struct decoded_insn *d,
	  const struct mmio_ctx *c)
{
	uint64_t amask = size_mask(d->addr_size), step = d->mem_size;
	uint64_t count = d->rep ? v->regs.rcx & amask : 1, room, n, lin_mask;
	bool down = vm_backend->get_rflags(v) & RFLAGS_DF, device_is_src = false;
	uint8_t src_seg = d->seg == DECODE_SEG_NONE ? DECODE_SEG_DS : d->seg;

	if (count == 0)
		return d->length;
	lin_mask = c->mode == 64 ? ~0ULL : 0xFFFFFFFFULL;
	if (d->op == DECODE_MOVS) {
		uint64_t src = (c->seg_base[src_seg] + (v->regs.rsi & amask)) & lin_mask;
		uint64_t dst = (c->seg_base[DECODE_SEG_ES] + (v->regs.rdi & amask)) & lin_mask;
		uint64_t src_gpa, dst_gpa;

		if (gva_to_gpa(v->vm, &c->paging, src, &src_gpa) == 0 && src_gpa == gpa)
			device_is_src = true;
		else if (gva_to_gpa(v->vm, &c->paging, dst, &dst_gpa) < 0 || dst_gpa != gpa) {
			vm_stop(v->vm, "%s access at GPA %#lx by MOVS: neither its source (linear %#lx) nor its "
				"destination (linear %#lx) is there", r->name, gpa, src, dst);
			return -EINVAL;
		}
	}

	if (down)
		room = MIN(gpa & (MMIO_PAGE_SIZE - 1), gpa - r->base) / step + 1;
	else
		room = MIN(MMIO_PAGE_SIZE - (gpa & (MMIO_PAGE_SIZE - 1)), r->base + r->len - gpa) / step;
	n = MAX(MIN(count, room), 1ULL);

	for (uint64_t i = 0; i < n; i++) {
		uint64_t at = down ? gpa - i * step : gpa + i * step, value = v->regs.rax & size_mask(d->mem_size);
		uint64_t src = (c->seg_base[src_seg] + (v->regs.rsi & amask)) & lin_mask;
		uint64_t dst = (c->seg_base[DECODE_SEG_ES] + (v->regs.rdi & amask)) & lin_mask;
		int e = 0;

		if (d->op == DECODE_MOVS && device_is_src) {
			device(v, r, at, d->mem_size, false, &value);
			e = other_operand(v, c, dst, d->mem_size, true, &value);
		} else if (d->op == DECODE_MOVS) {
			e = other_operand(v, c, src, d->mem_size, false, &value);
			if (e == 0)
				device(v, r, at, d->mem_size, true, &value);
		} else {
			device(v, r, at, d->mem_size, true, &value);
		}
		if (e < 0) {
			vm_stop(v->vm, "%s access at GPA %#lx by MOVS: its %s at linear %#lx is neither guest RAM nor "
				"a whole device access", r->name, at, device_is_src ? "destination" : "source",
				device_is_src ? dst : src);
			return -EINVAL;
		}
		if (d->op == DECODE_MOVS)
			addr_reg_store(&v->regs.rsi, d->addr_size, down ? v->regs.rsi - step : v->regs.rsi + step);
		addr_reg_store(&v->regs.rdi, d->addr_size, down ? v->regs.rdi - step : v->regs.rdi + step);
		if (d->rep)
			addr_reg_store(&v->regs.rcx, d->addr_size, count - i - 1);
	}
	return n < count ? 0 : d->length;
}

int
mmio_emulate(struct vcpu *v, const struct mmio_region *r, uint64_t gpa,
	     const uint8_t *insn, size_t avail, const struct mmio_ctx *c)
{
	struct decoded_insn d;
	char err[128];
	uint64_t value = 0, other, result, flags, *reg = NULL;

	if (decode_insn(insn, avail, c->mode, &d, err, sizeof(err)) < 0) {
		vm_stop(v->vm, "%s access at GPA %#lx: cannot emulate the instruction: %s", r->name, gpa, err);
		return -EINVAL;
	}
	if (d.reg_size && d.reg == GPR_RSP && !d.reg_high_byte) {
		vm_stop(v->vm, "%s access at GPA %#lx with RSP as the register: not emulated", r->name, gpa);
		return -EINVAL;
	}
	if (d.reg_size)
		reg = vcpu_gpr(v, d.reg_high_byte ? d.reg - 4 : d.reg);     /* AH-BH are in RAX-RBX */
	switch (d.op) {
	case DECODE_STORE:
	case DECODE_STORE_MOFFS:
		value = reg_load(reg, &d);
		device(v, r, gpa, d.mem_size, true, &value);
		break;
	case DECODE_STORE_IMM:
		value = d.imm & size_mask(d.mem_size);
		device(v, r, gpa, d.mem_size, true, &value);
		break;
	case DECODE_LOAD:
	case DECODE_LOAD_MOFFS:
	case DECODE_LOAD_ZX:
	case DECODE_LOAD_SX:
		device(v, r, gpa, d.mem_size, false, &value);
		if (d.op == DECODE_LOAD_SX)
			value = sign_extend(value, d.mem_size);
		reg_store(reg, &d, value);
		break;
	case DECODE_ALU:
		device(v, r, gpa, d.mem_size, false, &value);
		other = d.imm_size ? d.imm : reg_load(reg, &d);
		flags = d.mem_first ? alu(d.alu, value, other, d.mem_size, &result)
				    : alu(d.alu, other, value, d.mem_size, &result);
		if (d.alu != DECODE_ALU_CMP && d.alu != DECODE_ALU_TEST) {
			if (d.mem_first)
				device(v, r, gpa, d.mem_size, true, &result);
			else
				reg_store(reg, &d, result);
		}
		vm_backend->set_rflags(v, (vm_backend->get_rflags(v) & ~RFLAGS_STATUS) | flags);
		break;
	case DECODE_XCHG:
		device(v, r, gpa, d.mem_size, false, &value);
		other = reg_load(reg, &d);
		device(v, r, gpa, d.mem_size, true, &other);
		reg_store(reg, &d, value);
		break;
	case DECODE_STOS:
	case DECODE_MOVS:
		return string_op(v, r, gpa, &d, c);
	}
	return d.length;
}
