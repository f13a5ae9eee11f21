/*
 * guests/lib/libgcc32.c: the libgcc helpers a 32-bit guest needs, for
 * the 64-bit division in lib/format.c (there is no 32-bit libgcc to link
 * on a plain x86-64 host). Their names are the compiler's, not ours.
 * Shift-and-subtract long division: slow, small, and only for printing.
 */
#include <stddef.h>
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);

/* Quotient n / d; the remainder goes to *rem when rem is not NULL. */
uint64_t
__udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;

	if (d == 0) {
		__asm__ volatile("ud2");        /* what a hardware divide by zero would do, roughly */
		__builtin_unreachable();
	}
	for (int i = 63; i >= 0; i--) {
		r = r << 1 | (n >> i & 1);
		if (r >= d) {
			r -= d;
			q |= (uint64_t)1 << i;
		}
	}
	if (rem)
		*rem = r;
	return q;
}

uint64_t
__udivdi3(uint64_t n, uint64_t d)
{
	return __udivmoddi4(n, d, NULL);
}

uint64_t
__umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	__udivmoddi4(n, d, &r);
	return r;
}
