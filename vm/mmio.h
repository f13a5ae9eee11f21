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

/*
 * Carry out the instruction in insn[0..avail) (code size mode: 16, 32 or
 * 64) against region r at gpa for vCPU v. Returns the instruction's length
 * (to step over it), or a negative value after stopping the guest with a
 * line saying what could not be emulated.
 */
int mmio_emulate(struct vcpu *v, const struct mmio_region *r, uint64_t gpa,
		 const uint8_t *insn, size_t avail, int mode);

#endif
