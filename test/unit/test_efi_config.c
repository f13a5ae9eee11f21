/*
 * test/unit/test_efi_config.c: the UEFI loader's configuration file
 * (boot/efi/config.c).
 */
#include "test/unit/fake.h"

#include <stdio.h>
#include <string.h>

#include "boot/efi/config.c"

static struct config c;
static char err[96];

static int
parse(const char *text)
{
	err[0] = '\0';
	return config_parse(&c, text, strlen(text), err, sizeof(err));
}

static void
test_full(void **state)
{
	assert_int_equal(parse("# hvlab\r\n"
			       "kernel  /boot/hypervisor.elf\r\n"
			       "\r\n"
			       "  cmdline log=debug console=serial  \r\n"
			       "module /guests/hello64.elf name=hello64 kind=elf mem=4M\r\n"
			       "module\t\\guests\\hello32.elf   name=hello32 kind=multiboot cmdline=\"a b\"\n"
			       "module guests/real16.bin\n"), 0);
	assert_string_equal(c.kernel, "\\boot\\hypervisor.elf");
	assert_string_equal(c.cmdline, "log=debug console=serial");
	assert_int_equal(c.module_count, 3);
	assert_string_equal(c.modules[0].path, "\\guests\\hello64.elf");
	assert_string_equal(c.modules[0].desc, "name=hello64 kind=elf mem=4M");
	assert_string_equal(c.modules[1].path, "\\guests\\hello32.elf");
	assert_string_equal(c.modules[1].desc, "name=hello32 kind=multiboot cmdline=\"a b\"");
	assert_string_equal(c.modules[2].path, "\\guests\\real16.bin");
	assert_string_equal(c.modules[2].desc, "");
}

static void
test_minimal_and_empty_cmdline(void **state)
{
	assert_int_equal(parse("kernel /hv.elf"), 0);           /* no final newline */
	assert_string_equal(c.kernel, "\\hv.elf");
	assert_string_equal(c.cmdline, "");
	assert_int_equal(c.module_count, 0);
	assert_int_equal(parse("kernel /hv.elf\ncmdline\n"), 0);
	assert_string_equal(c.cmdline, "");
}

static void
test_errors(void **state)
{
	assert_int_equal(parse("# nothing\n"), -1);
	assert_string_equal(err, "line 1: no kernel line in the file");
	assert_int_equal(parse(""), -1);
	assert_int_equal(parse("kernel /a\nkernal /b\n"), -1);
	assert_string_equal(err, "line 2: unknown keyword 'kernal'");
	assert_int_equal(parse("kernel /a\nkernel /b\n"), -1);
	assert_string_equal(err, "line 2: a second kernel line");
	assert_int_equal(parse("kernel /a b\n"), -1);
	assert_string_equal(err, "line 1: kernel takes one path");
	assert_int_equal(parse("kernel\n"), -1);
	assert_string_equal(err, "line 1: kernel takes one path");
	assert_int_equal(parse("kernel /a\nmodule\n"), -1);
	assert_string_equal(err, "line 2: module needs a path");
	assert_int_equal(parse("kernel /a\ncmdline x\ncmdline y\n"), -1);
	assert_string_equal(err, "line 3: a second cmdline line");
}

static void
test_limits(void **state)
{
	static char text[8192];
	char want[64];
	char path[CONFIG_PATH_MAX + 8];
	size_t n = 0;

	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	snprintf(text, sizeof(text), "kernel /%s\n", path);
	assert_int_equal(parse(text), -1);
	assert_true(strncmp(err, "line 1: path too long '/ppp", 27) == 0);

	n = snprintf(text, sizeof(text), "kernel /a\n");
	for (int i = 0; i <= BOOT_MAX_MODULES; i++)
		n += snprintf(text + n, sizeof(text) - n, "module /m%d name=m%d\n", i, i);
	assert_int_equal(parse(text), -1);
	snprintf(want, sizeof(want), "line %d: too many modules", BOOT_MAX_MODULES + 2);
	assert_string_equal(err, want);

	n = snprintf(text, sizeof(text), "kernel /a\nmodule /m ");
	memset(text + n, 'd', BOOT_MODULE_CMDLINE_MAX);
	text[n + BOOT_MODULE_CMDLINE_MAX] = '\0';
	assert_int_equal(parse(text), -1);
	assert_string_equal(err, "line 2: module description too long");

	/* a tiny error buffer is still terminated */
	assert_int_equal(config_parse(&c, "x", 1, err, 4), -1);
	assert_string_equal(err, "lin");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_minimal_and_empty_cmdline),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests_name("efi_config", tests, NULL, NULL);
}
