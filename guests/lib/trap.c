/*
 * guests/lib/trap.c: what happens on an exception nobody handles, and
 * trap_try()'s side of it (SDM Vol. 3A, chapter 6).
 */
#include "guests/lib/guest.h"
#include "guests/lib/trap.h"
#include "kernel/compiler.h"

#define TRAP_EXCEPTIONS 32

STATIC_ASSERT(offsetof(struct trap_frame, vector) == 15 * 8, "trap.S saves 15 registers");
STATIC_ASSERT(offsetof(struct trap_frame, rip) == 17 * 8, "trap.S pushes vector, error code");
STATIC_ASSERT(offsetof(struct trap_frame, ss) == 21 * 8, "CPU frame: rip cs rflags rsp ss");

extern char trap_landing[];

/* Shared with trap_try() in trap.S. */
uint64_t trap_saved_rsp;
struct trap_fault *trap_fault_out;

const char *
trap_name(uint64_t vector)
{
	static const char *const names[TRAP_EXCEPTIONS] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
		"#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#?",
		"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#?", "#?",
		"#?", "#?", "#?", "#?", "#HV", "#VC", "#SX", "#?",
	};

	if (vector == TRAP_NONE)
		return "no exception";
	return vector < TRAP_EXCEPTIONS ? names[vector] : "#?";
}

bool
trap_land(struct trap_frame *tf)
{
	if (!trap_saved_rsp)
		return false;
	if (trap_fault_out)
		*trap_fault_out = (struct trap_fault){ tf->vector, tf->error_code, tf->rip };
	tf->rip = (uint64_t)trap_landing;
	tf->rsp = trap_saved_rsp;
	return true;
}

void
trap_dispatch(struct trap_frame *tf)
{
	if (!trap_land(tf))
		guest_fail("unexpected exception %s (vector %lu) at rip %#lx, error code %#lx",
			   trap_name(tf->vector), tf->vector, tf->rip, tf->error_code);
}
