/*
 * test/unit/test_cmdline.c: splitting and applying the hypervisor command line.
 */
#include "test/unit/fake.h"

#include <stdio.h>

#include "kernel/cmdline.c"
#include "lib/string.c"

static void
expect_word(const char **cur, const char *key, const char *value)
{
	char k[CMDLINE_KEY_MAX], v[CMDLINE_VALUE_MAX];

	assert_true(cmdline_next(cur, k, sizeof(k), v, sizeof(v)));
	assert_string_equal(k, key);
	assert_string_equal(v, value);
}

static void
expect_end(const char **cur)
{
	char k[CMDLINE_KEY_MAX], v[CMDLINE_VALUE_MAX];

	assert_false(cmdline_next(cur, k, sizeof(k), v, sizeof(v)));
}

static void
test_split_words(void **state)
{
	const char *cur = "  log=debug\tconsole=serial,screen  flag  empty= ";

	expect_word(&cur, "log", "debug");
	expect_word(&cur, "console", "serial,screen");
	expect_word(&cur, "flag", "");
	expect_word(&cur, "empty", "");
	expect_end(&cur);
}

static void
test_quotes_and_equals(void **state)
{
	const char *cur = "name=\"two words\" expr=a=b \"quoted key\"=1";

	expect_word(&cur, "name", "two words");
	expect_word(&cur, "expr", "a=b");
	expect_word(&cur, "quoted key", "1");
	expect_end(&cur);
}

static void
test_empty_line(void **state)
{
	const char *cur = "";

	expect_end(&cur);
	cur = "   \t ";
	expect_end(&cur);
}

static void
test_overlong_is_cut(void **state)
{
	char k[4], v[4];
	const char *cur = "abcdefgh=123456 next=1";

	assert_true(cmdline_next(&cur, k, sizeof(k), v, sizeof(v)));
	assert_string_equal(k, "abc");
	assert_string_equal(v, "123");
	expect_word(&cur, "next", "1");
}

static char seen_level[32];

static int
set_level(const char *value)
{
	if (strcmp(value, "debug") && strcmp(value, "info"))
		return -1;
	snprintf(seen_level, sizeof(seen_level), "%s", value);
	return 0;
}

static const struct cmdline_option opts[] = {
	{ "log", set_level, "one of info, debug" },
};

static void
test_apply_reports_unknown_and_bad(void **state)
{
	int n;

	fake_log_reset();
	seen_level[0] = '\0';
	n = cmdline_apply("frobnicate=1 log=bogus log=debug", opts, 1);
	assert_int_equal(n, 2);
	assert_string_equal(seen_level, "debug");
	assert_true(fake_log_contains("cmdline: unknown option 'frobnicate' ignored"));
	assert_true(fake_log_contains("cmdline: log=bogus: expected one of info, debug; option ignored"));
}

static void
test_apply_clean_line_is_silent(void **state)
{
	fake_log_reset();
	assert_int_equal(cmdline_apply("log=info", opts, 1), 0);
	assert_string_equal(fake_log_text(), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_words),
		cmocka_unit_test(test_quotes_and_equals),
		cmocka_unit_test(test_empty_line),
		cmocka_unit_test(test_overlong_is_cut),
		cmocka_unit_test(test_apply_reports_unknown_and_bad),
		cmocka_unit_test(test_apply_clean_line_is_silent),
	};
	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
