/*
 * guests/share32/main.c: how much of the CPU this guest gets, measured from
 * inside, for the scheduler's fairness tests. A Multiboot1 guest, so that
 * its command line can say what share to expect:
 *
 *   share=N/D   the expected share of the CPU, N/D (e.g. 1/7: weight 1 of 7)
 *   from=MS     the measurement starts this long after the guest first ran
 *               (200)
 *   to=MS       ... and ends this long after it (2200)
 *   end=MS      the guest keeps competing for the CPU until then, so that
 *               every guest of the test is still there while the others
 *               measure (2500)
 *   tol=PCT     how far from N/D the share may be, in percent of it (10)
 *
 * Times count from the guest's first instruction, not from TSC 0: guests
 * are created one after another (their TSCs start then, some 80 ms apart
 * under Bochs, while zeroing their RAM), but all first run within the
 * scheduler's first round. Nothing is printed before the measurement ends,
 * so no guest starts it owing the time its printing took.
 *
 * It spins reading the TSC: two reads more than GAP_US apart mean that it
 * was away (another guest ran); everything else is its own time, the
 * hypervisor's exits on its behalf included. Its share is its own time over
 * the length of the measurement. One check: the share is within tol of N/D.
 */
#include "boot/multiboot1_format.h"
#include "guests/lib/guest.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"
#include "lib/string.h"

GUEST_NAME("share32");

#define GAP_US  50      /* far less than a time slice, far more than an exit */

/* Read a decimal number at *p and advance past it. */
static uint32_t
number(const char **p)
{
	uint32_t v = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++)
		v = v * 10 + (uint32_t)(**p - '0');
	return v;
}

/* The number after "key=" in cmdline, or def; with second, also the one after a '/'. */
static uint32_t
arg(const char *cmdline, const char *key, uint32_t def, uint32_t *second)
{
	size_t n = strlen(key);

	for (const char *p = cmdline; *p; p++) {
		uint32_t v;

		if ((p != cmdline && p[-1] != ' ') || strncmp(p, key, n) || p[n] != '=')
			continue;
		p += n + 1;
		v = number(&p);
		if (second && *p == '/') {
			p++;
			*second = number(&p);
		}
		return v;
	}
	return def;
}

void
guest_main(uint32_t magic, uint32_t info)
{
	const struct mb1_info *mb = (const void *)info;
	const char *cmdline = (mb->flags & MB1_INFO_CMDLINE) ? (const char *)mb->cmdline : "";
	uint64_t first = rdtsc(), gap = tsc_from_us(GAP_US);
	uint32_t den = 0, num = arg(cmdline, "share", 0, &den);
	uint32_t from = arg(cmdline, "from", 200, NULL), to = arg(cmdline, "to", 2200, NULL);
	uint32_t end = arg(cmdline, "end", 2500, NULL), tol = arg(cmdline, "tol", 10, NULL);
	uint64_t t_from, t_to, t_end, start, last, now, mine = 0, span, got, want;

	if (magic != MB1_BOOT_MAGIC || !num || !den || num > den || from >= to || to > end)
		guest_fail("share32: expected a command line such as \"share=1/3 from=200 to=2200 end=2500\", got \"%s\"",
			   cmdline);
	t_from = first + tsc_from_us(from * 1000ull);
	t_to = first + tsc_from_us(to * 1000ull);
	t_end = first + tsc_from_us(end * 1000ull);
	while (rdtsc() < t_from)
		;
	start = last = rdtsc();
	do {
		now = rdtsc();
		if (now - last < gap)
			mine += now - last;
		last = now;
	} while (now < t_to);
	span = now - start;
	while (rdtsc() < t_end)
		;

	guest_printf("share32: first ran at %llu ms of its TSC; measured from %u to %u ms after that\n",
		     (unsigned long long)tsc_to_us(first) / 1000, from, to);
	/* in tenths of a percent */
	got = mine * 1000 / span;
	want = 1000ull * num / den;
	guest_check(got * 100 >= want * (100 - tol) && got * 100 <= want * (100 + tol),
		    "share32: ran %llu.%llu%% of the CPU; expected %llu.%llu%% (%u/%u) within %u%%",
		    (unsigned long long)(got / 10), (unsigned long long)(got % 10),
		    (unsigned long long)(want / 10), (unsigned long long)(want % 10), num, den, tol);
	guest_pass();
}
