/*
 * test/unit/test_format.c: lib/format.c against the host's own snprintf,
 * which is the specification it follows.
 */
#include "test/unit/fake.h"

#include <stdio.h>

#include "lib/format.c"
#include "lib/string.c"

#define CHECK(...)                                                          \
	do {                                                                \
		char want[256], got[256];                                   \
		int wn = snprintf(want, sizeof(want), __VA_ARGS__);         \
		int gn = format(got, sizeof(got), __VA_ARGS__);             \
		assert_string_equal(got, want);                             \
		assert_int_equal(gn, wn);                                   \
	} while (0)

static void
test_integers(void **state)
{
	CHECK("%d %i %u", 0, -1, 4000000000u);
	CHECK("%d", -2147483647 - 1);
	CHECK("%ld %lu %lld", -9223372036854775807L - 1, 18446744073709551615UL, 42LL);
	CHECK("%x %X %#x %#X %o %#o", 0xbeefu, 0xbeefu, 0x1fu, 0x1fu, 8u, 8u);
	CHECK("%hhu %hd %hhx", 300, 70000, 0x1ff);
	CHECK("%zu %zx %td", (size_t)123, (size_t)0xabc, (ptrdiff_t)-5);
	CHECK("%#x %#o", 0u, 0u);
}

static void
test_width_precision_flags(void **state)
{
	CHECK("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	CHECK("[%016lx] [%-8x] [%08X]", 0x1234UL, 0xabu, 0xabu);
	CHECK("[%.3d] [%8.3d] [%-8.3d] [%.0d]", 7, 7, 7, 0);
	CHECK("[%*d] [%-*d] [%.*d]", 6, 1, 6, 1, 4, 1);
	CHECK("[%05d] [%+05d] [%-5d]", -42, 42, -42);
	CHECK("[%#010x]", 0x1234u);
}

static void
test_strings_chars_pointers(void **state)
{
	CHECK("[%s] [%10s] [%-10s] [%.2s] [%c] [%3c]", "abc", "abc", "abc", "abc", 'x', 'y');
	CHECK("%%");
	CHECK("%p", (void *)0x1234);
}

static void
test_truncation(void **state)
{
	char buf[8];
	int n = format(buf, sizeof(buf), "%s", "0123456789");

	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");
	n = format(NULL, 0, "%d", 12345);
	assert_int_equal(n, 5);
	n = format(buf, 1, "abc");
	assert_int_equal(n, 3);
	assert_string_equal(buf, "");
}

/* Deliberately odd formats, which gcc would rightly reject at compile time. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"
static void
test_null_string_and_unknown(void **state)
{
	char buf[64];

	format(buf, sizeof(buf), "%s", (char *)NULL);
	assert_string_equal(buf, "(null)");
	format(buf, sizeof(buf), "a%qb");
	assert_string_equal(buf, "a%qb");
	format(buf, sizeof(buf), "end%");
	assert_string_equal(buf, "end");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_width_precision_flags),
		cmocka_unit_test(test_strings_chars_pointers),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_null_string_and_unknown),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
