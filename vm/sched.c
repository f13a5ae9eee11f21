/*
 * vm/sched.c: which guest runs next on this CPU, and for how long.
 *
 * Proportional share by virtual time (stride scheduling): a guest's virtual
 * time advances by the host ticks it runs divided by its weight, and the
 * runnable guest with the least virtual time runs next, for one time slice
 * (slice=, 10 ms by default). A guest of weight 2 therefore runs twice as
 * often as one of weight 1; with equal weights this is round robin. A slice
 * that ends early (an exit handler stops it, a halted guest's timer is due)
 * is charged only for what it ran, so nobody loses their share.
 *
 * A guest that executes HLT with interrupts on sleeps until its next timer
 * event: the others share the CPU meanwhile, their slices cut short so
 * that its interrupt is not late. When it wakes it runs first; its virtual
 * time is brought up to the scheduler's (the least any runnable guest had
 * when the last one was picked), so time spent asleep is not credit. When
 * every guest sleeps the CPU halts in root mode until the first is due.
 * HC_YIELD puts a guest behind every other runnable one. A paused guest
 * (VM_PAUSED) is skipped until it is resumed, and earns no credit either.
 * A stopped guest that is to start again (vm_restart) is built anew in its
 * place (vm_settle); the others are reported and given back.
 *
 * Between slices, and about MONITOR_POLLS_PER_SECOND times a second while
 * idle, the console is read: typed input goes to a guest or the monitor.
 *
 * Accounting, per guest: the host ticks it ran, hypervisor work on its
 * behalf included (vm->run_tsc), and how often the CPU switched to it
 * (vm->switches); its exits are counted by the backend. Printed when it ends.
 *
 * The list is shared by all CPUs later, hence the lock; a CPU runs only a
 * vCPU it took from the list.
 */
#include "vm/sched.h"
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/x86.h"
#include "devices/uart.h"
#include "lib/string.h"
#include "vm/backend.h"
#include "vm/irq.h"
#include "vm/monitor.h"

struct sched_entity {
	struct vm *vm;
	uint64_t vtime;         /* host ticks run / weight, brought forward after a sleep */
	uint64_t since;         /* host TSC when it joined the run */
	bool yielded;           /* HC_YIELD during its last slice */
};

static struct spinlock sched_lock = SPINLOCK_INIT;
static struct sched_entity queue[GUEST_MAX];
static uint32_t queue_len;
static uint64_t vclock;                         /* least vtime of a runnable guest, at the last pick */
static uint64_t slice_us = SCHED_SLICE_DEFAULT_US;
static struct sched_entity *last_ran[MAX_CPUS]; /* on each CPU, running now or last */

int
sched_add(struct vm *vm)
{
	int r = -ENOSPC;

	spin_lock(&sched_lock);
	if (queue_len < GUEST_MAX) {
		vm->weight = vm->desc.weight ? vm->desc.weight : 1;
		queue[queue_len++] = (struct sched_entity){ .vm = vm, .vtime = vclock, .since = rdtsc() };
		r = 0;
	}
	spin_unlock(&sched_lock);
	return r;
}

int
sched_set_slice_option(const char *value)
{
	uint64_t n = 0;
	const char *p = value;

	for (; *p >= '0' && *p <= '9' && n <= SCHED_SLICE_MAX_US; p++)
		n = n * 10 + (uint64_t)(*p - '0');
	if (p == value)
		return -1;
	if (!strcmp(p, "ms"))
		n *= 1000;
	else if (strcmp(p, "us"))
		return -1;
	if (n < SCHED_SLICE_MIN_US || n > SCHED_SLICE_MAX_US)
		return -1;
	slice_us = n;
	return 0;
}

void
sched_yield(struct vcpu *v)
{
	last_ran[this_cpu()->index]->yielded = true;
}

/* "guest NAME: ran 12.345 ms of the 40.000 ms it was there (30.8%), weight 1, 5 switches to it" */
static void
report(const struct sched_entity *e)
{
	const struct vm *vm = e->vm;
	uint64_t khz = timer_tsc_hz() / 1000, us = vm->run_tsc * 1000 / khz;
	uint64_t there = (rdtsc() - e->since) * 1000 / khz, permille = there ? us * 1000 / there : 0;

	log_info("guest %s: ran %lu.%03lu ms of the %lu.%03lu ms it was there (%lu.%lu%%), weight %u, %lu switch%s to it",
		 vm->desc.name, us / 1000, us % 1000, there / 1000, there % 1000, permille / 10, permille % 10,
		 vm->weight, vm->switches, vm->switches == 1 ? "" : "es");
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

/*
 * The guest to run next: one whose HLT ends now, else the runnable guest
 * with the least virtual time (ties: the first after the one that ran last,
 * so that equal guests take turns). Stopped guests are reported and then
 * restarted or given back on the way. NULL when none can run. Also counts
 * the guests not stopped (*alive) and finds the host TSC at which the first
 * of those still asleep wakes (*wake, UINT64_MAX for never).
 */
static struct sched_entity *
pick(uint64_t now, uint32_t *alive, uint64_t *wake)
{
	struct sched_entity *best = NULL, *woken = NULL, *last = last_ran[this_cpu()->index];
	uint32_t start = last ? (uint32_t)(last - queue) + 1 : 0;

	*alive = 0;
	*wake = UINT64_MAX;
	for (uint32_t i = 0; i < queue_len; i++) {
		struct sched_entity *e = &queue[(start + i) % queue_len];
		struct vm *vm = e->vm;

		if (vm->state == VM_STOPPED) {
			if (!vm->destroyed)
				report(e);
			if (!vm_settle(vm))
				continue;               /* given back */
			e->since = now;                 /* started again, with the time it ran still charged */
		}
		(*alive)++;
		if (vm->state == VM_PAUSED)
			continue;
		if (vm->vcpu.halted) {
			if (!wakes(&vm->vcpu, now)) {
				*wake = MIN(*wake, vm->vcpu.wake_tsc);
				continue;
			}
			if (!woken)
				woken = e;                      /* its interrupt is due: it goes first */
		}
		e->vtime = MAX(e->vtime, vclock);               /* time asleep or paused earns no credit */
		if (!best || e->vtime < best->vtime)
			best = e;
	}
	if (woken)
		best = woken;
	if (best)
		vclock = MAX(vclock, best->vtime);
	return best;
}

/* HC_YIELD: e goes behind every other runnable guest. */
static void
go_behind_the_others(struct sched_entity *e)
{
	for (uint32_t i = 0; i < queue_len; i++)
		if (&queue[i] != e && queue[i].vm->state == VM_RUNNABLE && !queue[i].vm->vcpu.halted)
			e->vtime = MAX(e->vtime, queue[i].vtime + 1);
	e->yielded = false;
}

/*
 * Give e one time slice on this CPU, cut short at wake (a halted guest's
 * timer): switch the machine to its vCPU and run it until the slice ends or
 * the guest stops, yields or halts. Then charge it for what it ran (a
 * guest that stopped is reported and destroyed by the next pick()).
 */
static void
run_slice(struct sched_entity *e, uint64_t slice_tsc, uint64_t wake)
{
	struct sched_entity **last = &last_ran[this_cpu()->index];
	struct vm *vm = e->vm;
	struct vcpu *v = &vm->vcpu;
	uint64_t start = rdtsc(), ran;

	if (*last != e)
		vm->switches++;
	*last = e;
	v->slice_end = MIN(start + slice_tsc, wake);
	this_cpu()->vcpu = v;
	vm_backend->vcpu_load(v);
	vm_backend->vcpu_run(v);
	this_cpu()->vcpu = NULL;
	ran = rdtsc() - start;
	vm->run_tsc += ran;
	e->vtime += ran / vm->weight;
	if (e->yielded)
		go_behind_the_others(e);
}

/* Could typed input make a guest run: a paused one (the monitor resumes
 * it), or one whose UART has receive interrupts on? */
static bool
input_may_wake(void)
{
	for (uint32_t i = 0; i < queue_len; i++) {
		const struct vm *vm = queue[i].vm;

		if (vm->state == VM_PAUSED || (vm->state == VM_RUNNABLE && uart_input_wakes(vm)))
			return true;
	}
	return false;
}

/*
 * Nothing can run: halt in root mode until the first halted guest's timer
 * is due (wake), looking at the console now and then. With no timer armed
 * and nothing typed input could wake, the halted guests can never wake:
 * stop them.
 */
static void
idle(uint64_t wake)
{
	if (wake == UINT64_MAX && !input_may_wake()) {
		for (uint32_t i = 0; i < queue_len; i++)
			if (queue[i].vm->state == VM_RUNNABLE)
				vm_stop(queue[i].vm, "halted with no timer armed and no device that could wake it");
		return;
	}
	timer_sleep_until(MIN(wake, rdtsc() + timer_tsc_hz() / MONITOR_POLLS_PER_SECOND));
}

void
sched_run(void)
{
	uint64_t slice_tsc = timer_tsc_hz() / 1000 * slice_us / 1000;
	uint64_t poll_tsc = timer_tsc_hz() / MONITOR_POLLS_PER_SECOND;
	uint64_t now = rdtsc(), next_poll = now;

	for (uint32_t i = 0; i < queue_len; i++)
		queue[i].since = now;
	for (;;) {
		uint32_t alive;
		uint64_t wake;
		struct sched_entity *e;

		if ((now = rdtsc()) >= next_poll) {
			monitor_poll();         /* typed input: to a guest or the monitor */
			next_poll = now + poll_tsc;
		}
		e = pick(now, &alive, &wake);
		if (!alive)
			break;
		if (e)
			run_slice(e, slice_tsc, wake);
		else
			idle(wake);
	}
	for (uint32_t i = 0; i < queue_len; i++)
		vm_destroy(queue[i].vm);
	queue_len = 0;                  /* the list is the caller's again */
	last_ran[this_cpu()->index] = NULL;
	vclock = 0;
}
