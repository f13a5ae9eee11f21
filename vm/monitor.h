/*
 * vm/monitor.h: the hypervisor's console input. What is typed on the
 * serial port goes to the guest that has the keyboard focus, or to a small
 * monitor. Ctrl-A then a digit N gives the focus to guest N (as "list"
 * numbers them), Ctrl-A m to the monitor, Ctrl-A Ctrl-A types one Ctrl-A.
 * The monitor's commands: help, list, exits, pause, resume, stop, start,
 * restart, regs (README.md, "The console and the monitor").
 */
#ifndef VM_MONITOR_H
#define VM_MONITOR_H

#include "kernel/compiler.h"

#define MONITOR_ESCAPE          0x01    /* Ctrl-A */
#define MONITOR_POLLS_PER_SECOND 100    /* how often an idle CPU looks at the console */

struct vm;

/* The guests, numbered from 1 in this order; the first has the focus. */
void monitor_init(struct vm *const *vms, uint32_t count);
/* Take what was typed since the last call (the scheduler calls this
 * between time slices and while idle) and act on it. */
void monitor_poll(void);
/* The guest that has the keyboard, or NULL (the monitor has it). */
struct vm *monitor_focus(void);

#endif
