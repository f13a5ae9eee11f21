/*
 * kernel/options.c: every option of the hypervisor command line, in one
 * table. README.md documents each; keep the two in step.
 */
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/log.h"
#include "vm/guests.h"
#include "vm/sched.h"
#include "vmx/vmcs.h"

const struct cmdline_option kernel_options[] = {
	{ "log",     log_set_option,     "one of error, warn, info, debug" },
	{ "console", console_set_option, "serial, screen, or both separated by a comma" },
	{ "test_bad_state", guests_set_test_bad_state, "a guest name (testing: that guest's VM entry fails)" },
	{ "preemption_timer", vmcs_set_preemption_timer_option, "on or off (off: the host's timer ends time slices)" },
	{ "apicv", vmcs_set_apicv_option, "on, registers or off (off: the local APIC is emulated on every access)" },
	{ "slice",   sched_set_slice_option, "a time slice such as 10ms or 500us, from 100us to 1000ms" },
};

const size_t kernel_options_count = ARRAY_SIZE(kernel_options);
