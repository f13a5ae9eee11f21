/*
 * vm/mmio.h: memory-mapped devices a guest sees. A guest-physical range an
 * emulated device claims is left out of the guest's second-level tables, so
 * every access to it exits; the backend fetches the instruction, and
 * mmio_emulate() decodes it (vm/decode.c), asks the device, and updates the
 * guest's registers as the instruction would have.
 */
#ifndef VM_MMIO_H
#define VM_MMIO_H

#include "kernel/compiler.h"
#include "vm/gva.h"

#define MMIO_MAX_REGIONS    8

struct vm;
struct vcpu;

/* size is 1, 2, 4 or 8; *value is what is written / receives what is read. */
typedef void (*mmio_fn)(struct vm *vm, void *dev, uint64_t offset, uint8_t size, bool write, uint64_t *value);

struct mmio_region {
	uint64_t base, len;
	mmio_fn fn;
	void *dev;
	const char *name;
};

struct mmio_bus {
	uint32_t count;
	struct mmio_region regions[MMIO_MAX_REGIONS];
};

int mmio_register(struct mmio_bus *bus, uint64_t base, uint64_t len, mmio_fn fn, void *dev, const char *name);
const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t gpa);

/* What mmio_emulate needs of the guest's state beyond its registers:
 * the code size, and for MOVS the paging controls and segment bases to
 * find both operands. */
struct mmio_ctx {
	int mode;                   /* code size: 16, 32 or 64 */
	struct gva_ctx paging;
	uint64_t seg_base[6];       /* ES CS SS DS FS GS, numbered as DECODE_SEG_* (vm/decode.h) */
};

/*
 * Carry out the instruction in insn[0..avail) against region r at gpa for
 * vCPU v: registers and RFLAGS (through vm_backend) change as the
 * instruction would change them. Returns how far to move RIP: the
 * instruction's length, or 0 when a REP string instruction has elements
 * left (the guest runs it again from where it stopped, as after an
 * interrupt). Returns a negative value after stopping the guest with a
 * line saying what could not be emulated.
 */
int mmio_emulate(struct vcpu *v, const struct mmio_region *r, uint64_t gpa,
		 const uint8_t *insn, size_t avail, const struct mmio_ctx *c);

#endif
