/*
 * vm/sched.c: which guest runs next on this CPU. Round robin: each
 * runnable guest runs until its time slice ends (the backend's timer exit
 * says VCPU_RESCHEDULE) or it stops. The list is shared by all CPUs later,
 * hence the lock; a CPU runs only a vCPU it took from the list.
 */
#include "vm/backend.h"
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/x86.h"
#include "devices/uart.h"
#include "vm/irq.h"
#include "vm/monitor.h"

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

#define SLICES_PER_SECOND   100         /* a time slice is 10 ms */

/* Give v one time slice on this CPU; it ends early when a halted vCPU's
 * timer is due, so that one's interrupt is not late by a whole slice. */
static void
run_slice(struct vcpu *v, uint64_t wake)
{
	v->slice_end = MIN(rdtsc() + timer_tsc_hz() / SLICES_PER_SECOND, wake);
	this_cpu()->vcpu = v;
	vm_backend->vcpu_load(v);
	vm_backend->vcpu_run(v);
	this_cpu()->vcpu = NULL;
}

/* A halted vCPU runs again when an interrupt waits or its timer is due. */
static bool
wakes(struct vcpu *v, uint64_t now)
{
	if (irq_pending(v) || now >= v->wake_tsc) {
		v->halted = false;
		v->requests |= VCPU_REQ_IRQ | VCPU_REQ_TIMER;
		return true;
	}
	return false;
}

/* Could typed input make a VM run: a paused one (the monitor resumes it),
 * or one with receive interrupts on? */
static bool
input_may_wake(void)
{
	for (uint32_t i = 0; i < vm_count; i++)
		if (vms[i]->state == VM_PAUSED || (vms[i]->state == VM_RUNNABLE && uart_input_wakes(vms[i])))
			return true;
	return false;
}

/*
 * Nothing can run: wait for the earliest timer any halted vCPU waits for,
 * looking at the console now and then. With no timer armed and nothing
 * typed input could wake, those guests can never wake: stop them.
 */
static void
idle(uint64_t wake)
{
	if (wake == UINT64_MAX && !input_may_wake()) {
		for (uint32_t i = 0; i < vm_count; i++)
			if (vms[i]->state == VM_RUNNABLE)
				vm_stop(vms[i], "halted with no timer armed and no device that could wake it");
		return;
	}
	timer_sleep_until(MIN(wake, rdtsc() + timer_tsc_hz() / MONITOR_POLLS_PER_SECOND));
}

/* The earliest host TSC at which a halted vCPU other than v wants to run. */
static uint64_t
next_wake(const struct vcpu *v)
{
	uint64_t wake = UINT64_MAX;

	for (uint32_t i = 0; i < vm_count; i++)
		if (vms[i]->state == VM_RUNNABLE && vms[i]->vcpu.halted && &vms[i]->vcpu != v)
			wake = MIN(wake, vms[i]->vcpu.wake_tsc);
	return wake;
}

void
sched_run(void)
{
	for (;;) {
		uint32_t alive = 0, ran = 0;

		monitor_poll();                 /* typed input: to a guest or the monitor */
		for (uint32_t i = 0; i < vm_count; i++)
			alive += vm_settle(vms[i]);     /* restarts due; stopped VMs give everything back */
		if (!alive) {
			vm_count = 0;           /* the list is the caller's again */
			return;
		}
		for (uint32_t i = 0; i < vm_count; i++) {
			struct vcpu *v = &vms[i]->vcpu;

			if (vms[i]->state != VM_RUNNABLE)
				continue;
			if (v->halted && !wakes(v, rdtsc()))
				continue;
			ran++;
			run_slice(v, next_wake(v));
		}
		if (!ran)
			idle(next_wake(NULL));
	}
}
