/*
 * guests/df64/main.c: double faults, as SDM Vol. 3A, 6.15 ("Interrupt
 * 8") and Table 6-5 say they happen. The #GP gate is made not present, so
 * delivering a #GP raises #NP (6.12.1.1); #GP then #NP, both contributory,
 * is a #DF, error code 0, delivered here on IST1 by a #DF handler of the
 * guest's own. Likewise a #PF whose gate is not present (page fault, then
 * contributory). But #UD then #NP is not a double fault: #UD is benign, so
 * the #NP is delivered with an error code naming the #UD gate (IDT bit and
 * EXT set, 6.13). The #GP is raised twice: by the CPU (a non-canonical
 * load) and by the hypervisor (WRMSR to an MSR that does not exist, which
 * it answers by injecting #GP), whose delivery must end the same way.
 */
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/paging.h"
#include "kernel/x86.h"

GUEST_NAME("df64");

#define DF_IST          1
#define IST_STACK_SIZE  16384           /* idt.c */
#define NP_ERR_EXT      (1u << 0)       /* during delivery of an earlier event */
#define NP_ERR_IDT      (1u << 1)       /* the selector index names an IDT gate */
#define VA_ABSENT       0x20000000ul
#define NON_CANONICAL   0x8000000000000000ul
#define MSR_UNKNOWN     0x12345678

static uint64_t df_stack_top;
static volatile struct {
	uint64_t vector, error_code, rsp;
	int count;
} df;

/* #DF is an abort: the saved RIP cannot be resumed, so leave for trap_try()'s landing. */
static void
df_handler(struct trap_frame *tf)
{
	df.vector = tf->vector;
	df.error_code = tf->error_code;
	df.rsp = (uint64_t)tf;
	df.count++;
	if (!trap_land(tf))
		guest_fail("#DF outside trap_try() at rip %#lx", tf->rip);
}

static void
noncanonical_load(void *arg)
{
	(void)*(volatile uint64_t *)NON_CANONICAL;
}

static void
wrmsr_unknown(void *arg)
{
	wrmsr(MSR_UNKNOWN, 0);
}

static void
absent_read(void *arg)
{
	(void)*(volatile uint64_t *)VA_ABSENT;
}

static void
do_ud2(void *arg)
{
	__asm__ volatile("ud2");
}

/* fn's exception with vector's gate not present must end in our #DF handler. */
static void
expect_df(uint8_t vector, void (*fn)(void *), const char *what)
{
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	df.count = 0;
	idt_set_present(vector, false);
	trap_try(fn, NULL, &f);
	idt_set_present(vector, true);
	guest_check(df.count == 1 && df.vector == TRAP_DF && df.error_code == 0,
		    "%s with the %s gate not present: #DF(0) in the guest's handler (saw %d, vector %lu error code %#lx)",
		    what, trap_name(vector), df.count, df.vector, df.error_code);
	guest_check(df.rsp < df_stack_top && df.rsp >= df_stack_top - IST_STACK_SIZE,
		    "%s: #DF delivered on IST%d (frame at %#lx, stack top %#lx)", what, DF_IST, df.rsp,
		    df_stack_top);
}

void
guest_main(void)
{
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	guest_printf("df64: double faults in the guest's own #DF handler\n");
	idt_set_handler(TRAP_DF, df_handler);
	df_stack_top = idt_set_ist(TRAP_DF, DF_IST);
	paging_map_2m(VA_ABSENT, 0, 0);

	expect_df(TRAP_GP, noncanonical_load, "non-canonical load (#GP by the CPU)");
	expect_df(TRAP_GP, wrmsr_unknown, "wrmsr of unknown MSR (#GP injected by the hypervisor)");
	expect_df(TRAP_PF, absent_read, "read of a not-present page (#PF)");

	df.count = 0;
	idt_set_present(TRAP_UD, false);
	trap_try(do_ud2, NULL, &f);
	idt_set_present(TRAP_UD, true);
	uint64_t want = TRAP_UD << 3 | NP_ERR_IDT | NP_ERR_EXT;
	guest_check(df.count == 0 && f.vector == TRAP_NP && f.error_code == want,
		    "ud2 with the #UD gate not present: #NP(%#lx), no #DF (saw %s(%#lx), %d #DF)", want,
		    trap_name(f.vector), f.error_code, df.count);
	guest_pass();
}
