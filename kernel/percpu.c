/*
 * kernel/percpu.c: per-CPU blocks. The bootstrap processor's is static so it
 * exists before any allocator; the others come with AP bring-up.
 */
#include "kernel/percpu.h"
#include "kernel/msr.h"
#include "kernel/x86.h"
#include "lib/string.h"

static struct cpu bsp_cpu __aligned(64);

struct cpu *
percpu_bsp(void)
{
	return &bsp_cpu;
}

/* Make c this CPU's block: GS_BASE points at it from now on. */
void
percpu_init(struct cpu *c, uint32_t index)
{
	memset(c, 0, sizeof(*c));
	c->self = c;
	c->index = index;
	wrmsr(MSR_IA32_GS_BASE, (uint64_t)(uintptr_t)c);
}
