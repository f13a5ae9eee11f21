/*
 * vm/sched.c: which guest runs next on this CPU. Round robin: each
 * runnable guest runs until its time slice ends (the backend's timer exit
 * says VCPU_RESCHEDULE) or it stops. The list is shared by all CPUs later,
 * hence the lock; a CPU runs only a vCPU it took from the list.
 */
#include "vm/backend.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"

static struct spinlock sched_lock = SPINLOCK_INIT;
static struct vm *vms[GUEST_MAX];
static uint32_t vm_count;

int
sched_add(struct vm *vm)
{
	int r = -ENOSPC;

	spin_lock(&sched_lock);
	if (vm_count < GUEST_MAX) {
		vms[vm_count++] = vm;
		r = 0;
	}
	spin_unlock(&sched_lock);
	return r;
}

/* Give v one time slice on this CPU. */
static void
run_slice(struct vcpu *v)
{
	this_cpu()->vcpu = v;
	vm_backend->vcpu_load(v);
	vm_backend->vcpu_run(v);
	this_cpu()->vcpu = NULL;
}

void
sched_run(void)
{
	for (;;) {
		uint32_t runnable = 0;

		for (uint32_t i = 0; i < vm_count; i++) {
			struct vm *vm = vms[i];

			if (vm->state != VM_RUNNABLE)
				continue;
			runnable++;
			run_slice(&vm->vcpu);
		}
		if (!runnable)
			return;
	}
}
