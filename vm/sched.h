/*
 * vm/sched.h: the scheduler's knobs and the one call a guest makes into it.
 * sched_add() and sched_run() are with struct vm, in vm/vm.h.
 */
#ifndef VM_SCHED_H
#define VM_SCHED_H

#include "vm/vm.h"

#define SCHED_SLICE_DEFAULT_US  10000           /* 10 ms */
#define SCHED_SLICE_MIN_US      100
#define SCHED_SLICE_MAX_US      1000000         /* 1 s */

/* Command-line option slice=: a time such as 10ms or 500us, within
 * [SCHED_SLICE_MIN_US, SCHED_SLICE_MAX_US]. 0, or -1 for a bad value. */
int sched_set_slice_option(const char *value);

/* HC_YIELD: v gives up the rest of its time slice and goes behind every
 * other runnable guest. The caller ends the slice (VCPU_RESCHEDULE). */
void sched_yield(struct vcpu *v);

#endif
