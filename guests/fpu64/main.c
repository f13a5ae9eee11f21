/*
 * guests/fpu64/main.c: a guest's SSE registers are its own. It fills
 * XMM0-XMM15 with a pattern of its own (from its TSC, so two copies differ)
 * and checks them again and again for 300 ms of TSC while another copy
 * (guests/fpu64b) does the same beside it: every time slice switch in
 * between must save and restore them (XSAVE/XRSTOR in the hypervisor).
 */
#include "guests/lib/guest.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"

#ifndef FPU_GUEST_NAME
#define FPU_GUEST_NAME "fpu64"
#endif
GUEST_NAME(FPU_GUEST_NAME);

/* Enable SSE (SDM Vol. 3A, 13.1.4): CR4.OSFXSR and OSXMMEXCPT, CR0.MP on, CR0.EM off. */
static void
sse_on(void)
{
	write_cr0((read_cr0() & ~CR0_EM) | CR0_MP);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

#define FOR_EACH_XMM(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) \
			X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

static void
fill(uint64_t pattern)
{
#define LOAD(n) __asm__ volatile("movq %0, %%xmm" #n : : "r"(pattern + n));
	FOR_EACH_XMM(LOAD)
#undef LOAD
}

/* How many XMM registers no longer hold their part of the pattern. */
static int
check(uint64_t pattern)
{
	int bad = 0;
	uint64_t v;

#define STORE(n) __asm__ volatile("movq %%xmm" #n ", %0" : "=r"(v)); bad += v != pattern + n;
	FOR_EACH_XMM(STORE)
#undef STORE
	return bad;
}

void
guest_main(void)
{
	uint64_t pattern = rdtsc() << 8;
	uint64_t end = rdtsc() + tsc_from_us(300000);
	uint64_t rounds = 0;
	int bad = 0;

	sse_on();
	fill(pattern);
	while (rdtsc() < end && !bad) {
		bad = check(pattern);
		rounds++;
	}
	guest_check(!bad, "XMM0-15 kept their values over %lu checks in 300 ms (%d wrong)", rounds, bad);
	guest_pass();
}
