/*
 * test/unit/fake.h: what host unit tests put in place of the machine.
 *
 * Physical memory is a buffer: fake_phys_reset() clears it, and
 * phys_to_virt(pa) points into it (a test fails loudly on an address past
 * its end). The log goes to a buffer a test can search.
 *
 * A test file includes the .c files it tests, so each test binary links
 * exactly the code it covers plus test/unit/fake.c.
 */
#ifndef TEST_UNIT_FAKE_H
#define TEST_UNIT_FAKE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define FAKE_PHYS_SIZE  (64u << 20)     /* 64 MiB of pretend RAM */

void fake_phys_reset(void);
uint8_t *fake_phys_base(void);

void fake_log_reset(void);
const char *fake_log_text(void);
int fake_log_contains(const char *needle);

/* Random numbers for the unit tests' fuzz loops (xorshift64): each loop
 * starts from a fixed seed, so a failure repeats. */
struct fake_random {
	uint64_t state;                 /* the seed first; never 0 */
};

static inline uint64_t
fake_random_next(struct fake_random *r)
{
	r->state ^= r->state << 13;
	r->state ^= r->state >> 7;
	r->state ^= r->state << 17;
	return r->state;
}

#endif
