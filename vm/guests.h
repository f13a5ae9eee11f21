/*
 * vm/guests.h: start every guest the boot modules describe and run them
 * until all have ended.
 */
#ifndef VM_GUESTS_H
#define VM_GUESTS_H

#include "boot/boot_info.h"

/* Returns 0 when every guest ran to its end (or there were none), -1 when
 * none could start (the log says why). */
int guests_run(const struct boot_info *bi);

/* Command-line option test_bad_state=NAME: guest NAME starts with an invalid
 * guest state, so the VM-entry failure path can be tested. */
int guests_set_test_bad_state(const char *value);

#endif
