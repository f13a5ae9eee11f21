/*
 * test/unit/test_guest_desc.c: guest descriptions from module command
 * lines, the good ones, the defaults, and one test per error message.
 */
#include "test/unit/fake.h"

#include <stdio.h>

#include "kernel/cmdline.c"
#include "lib/format.c"
#include "lib/string.c"
#include "vm/guest_desc.c"

static struct guest_desc d;
static char err[GUEST_ERROR_MAX];

static void
parse_ok(const char *line, uint32_t module)
{
	memset(&d, 0xAA, sizeof(d));
	err[0] = '\0';
	if (guest_desc_parse(line, module, &d, err, sizeof(err)) != 1)
		fail_msg("'%s' did not parse: %s", line, err);
}

static void
parse_bad(const char *line, uint32_t module, const char *want)
{
	err[0] = '\0';
	assert_int_equal(guest_desc_parse(line, module, &d, err, sizeof(err)), -1);
	assert_string_equal(err, want);
}

static void
test_elf_with_defaults(void **state)
{
	parse_ok("name=hello64 kind=elf", 3);
	assert_string_equal(d.name, "hello64");
	assert_int_equal(d.kind, GUEST_KIND_ELF);
	assert_int_equal(d.mem, 16u << 20);
	assert_string_equal(d.cmdline, "");
	assert_true(d.console);
	assert_int_equal(d.load, 0x7c00);
	assert_int_equal(d.entry, 0);
	assert_int_equal(d.mode, GUEST_MODE_REAL);
	assert_int_equal(d.on_crash, GUEST_ON_CRASH_STOP);
	assert_int_equal(d.module, 3);
	assert_int_equal(d.weight, 1);
}

static void
test_multiboot_full(void **state)
{
	parse_ok("/guests/kernel.elf name=mb kind=multiboot mem=256M cmdline=\"quiet x=1\" console=off", 1);
	assert_string_equal(d.name, "mb");
	assert_int_equal(d.kind, GUEST_KIND_MULTIBOOT);
	assert_int_equal(d.mem, 256u << 20);
	assert_string_equal(d.cmdline, "quiet x=1");
	assert_false(d.console);
}

static void
test_on_crash(void **state)
{
	parse_ok("name=t kind=elf on_crash=restart", 0);
	assert_int_equal(d.on_crash, GUEST_ON_CRASH_RESTART);
	parse_ok("name=t kind=elf on_crash=stop", 0);
	assert_int_equal(d.on_crash, GUEST_ON_CRASH_STOP);
	parse_bad("name=t kind=elf on_crash=reboot", 0, "guest 't': on_crash=reboot: expected stop or restart");
}

static void
test_flat_full(void **state)
{
	parse_ok("  real.bin\tkind=flat mem=1M name=real_1-x load=0x10000 entry=65552 mode=protected", 0);
	assert_string_equal(d.name, "real_1-x");
	assert_int_equal(d.kind, GUEST_KIND_FLAT);
	assert_int_equal(d.mem, 1u << 20);
	assert_int_equal(d.load, 0x10000);
	assert_int_equal(d.entry, 0x10010);
	assert_int_equal(d.mode, GUEST_MODE_PROTECTED);

	parse_ok("name=l kind=flat mode=long load=0X200000", 0);
	assert_int_equal(d.mode, GUEST_MODE_LONG);
	assert_int_equal(d.load, 0x200000);
	parse_ok("name=r kind=flat mode=real", 0);
	assert_int_equal(d.mode, GUEST_MODE_REAL);
}

static void
test_sizes(void **state)
{
	parse_ok("name=a kind=elf mem=4096K", 0);
	assert_int_equal(d.mem, 4u << 20);
	parse_ok("name=a kind=elf mem=2g", 0);
	assert_int_equal(d.mem, 2ull << 30);
	parse_ok("name=a kind=elf mem=0x100000", 0);
	assert_int_equal(d.mem, 1u << 20);
	parse_ok("name=a kind=elf mem=1028k", 0);
	assert_int_equal(d.mem, 1028u << 10);
	parse_ok("name=a kind=elf mem=17179869183G", 0);  /* 2^64 - 1 GiB */
	assert_int_equal(d.mem, 0x3FFFFFFFFull << 30);
}

static void
test_quoting_and_file_name(void **state)
{
	/* only the first word may lack '=' */
	parse_ok("/boot/x.elf name=\"q\" kind=\"elf\" cmdline=\"a b\"c\"d e\"", 0);
	assert_string_equal(d.name, "q");
	assert_string_equal(d.cmdline, "a bcd e");
	parse_ok("name=e kind=elf cmdline=", 0);
	assert_string_equal(d.cmdline, "");
	parse_ok("name=e kind=elf cmdline=\"\"", 0);
	assert_string_equal(d.cmdline, "");
	parse_ok("name=e kind=elf cmdline=root=/dev/sda", 0);
	assert_string_equal(d.cmdline, "root=/dev/sda");
}

static void
test_not_a_guest(void **state)
{
	assert_int_equal(guest_desc_parse("", 0, &d, err, sizeof(err)), 0);
	assert_int_equal(guest_desc_parse("   ", 0, &d, err, sizeof(err)), 0);
	assert_int_equal(guest_desc_parse("/boot/initrd.img", 0, &d, err, sizeof(err)), 0);
}

static void
test_name_errors(void **state)
{
	parse_bad("name=Bad! kind=elf", 2, "module 2: name=Bad!: expected 1-15 of a-z, 0-9, _ and -");
	parse_bad("kind=elf name=", 2, "module 2: name=: expected 1-15 of a-z, 0-9, _ and -");
	parse_bad("name=abcdefghijklmnop kind=elf", 0,
		  "module 0: name=abcdefghijklmnop: expected 1-15 of a-z, 0-9, _ and -");
	parse_bad("name=\"a b\" kind=elf", 0, "module 0: name=a b: expected 1-15 of a-z, 0-9, _ and -");
	parse_bad("/x.elf kind=elf mem=4M", 5, "module 5: no name=: every guest needs one (1-15 of a-z, 0-9, _ and -)");
	parse_bad("name=a name=b kind=elf", 0, "guest 'a': name= given twice");
	/* fifteen is the most */
	parse_ok("name=abcdefghijklmno kind=elf", 0);
	assert_string_equal(d.name, "abcdefghijklmno");
}

static void
test_kind_errors(void **state)
{
	parse_bad("name=a kind=windows", 0, "guest 'a': kind=windows: expected elf, multiboot, flat or linux");
	parse_bad("name=a kind=ELF", 0, "guest 'a': kind=ELF: expected elf, multiboot, flat or linux");
	parse_bad("name=a mem=4M", 0, "guest 'a': no kind=: expected elf, multiboot, flat or linux");
	parse_bad("name=a kind=elf kind=flat", 0, "guest 'a': kind= given twice");
}

static void
test_linux(void **state)
{
	parse_ok("name=lx kind=linux", 0);
	assert_int_equal(d.kind, GUEST_KIND_LINUX);
	assert_string_equal(d.cmdline, "console=ttyS0");
	assert_string_equal(d.initrd, "");
	parse_ok("/boot/bzImage name=lx kind=linux mem=64M initrd=initramfs.cpio.gz cmdline=\"console=ttyS0 quiet\"", 1);
	assert_int_equal(d.mem, 64u << 20);
	assert_string_equal(d.initrd, "initramfs.cpio.gz");
	assert_string_equal(d.cmdline, "console=ttyS0 quiet");
	/* an empty cmdline= is what the user asked for */
	parse_ok("name=lx kind=linux cmdline=", 0);
	assert_string_equal(d.cmdline, "");
	/* other kinds keep an empty default */
	parse_ok("name=mb kind=multiboot", 0);
	assert_string_equal(d.cmdline, "");
}

static void
test_linux_errors(void **state)
{
	parse_bad("name=x kind=elf initrd=a.img", 0, "guest 'x': initrd= is only for kind=linux");
	parse_bad("initrd=a.img name=x kind=flat", 0, "guest 'x': initrd= is only for kind=linux");
	parse_bad("name=x kind=linux initrd=", 0, "guest 'x': initrd=: expected a module's file name (1-63 characters)");
	parse_bad("name=x kind=linux initrd=0123456789012345678901234567890123456789012345678901234567890123", 0,
		  "guest 'x': initrd=0123456789012345678901234567890123456789: expected a module's file name (1-63 characters)");
	parse_bad("name=x kind=linux load=0x100000", 0, "guest 'x': load= is only for kind=flat");
}

static void
test_mem_errors(void **state)
{
	/* the name comes from name= even when it follows the bad field */
	parse_bad("mem=12Q name=web kind=elf", 0, "guest 'web': mem=12Q: expected a size such as 16M (K, M or G)");
	parse_bad("name=web kind=elf mem=", 0, "guest 'web': mem=: expected a size such as 16M (K, M or G)");
	parse_bad("name=web kind=elf mem=M", 0, "guest 'web': mem=M: expected a size such as 16M (K, M or G)");
	parse_bad("name=web kind=elf mem=16MB", 0, "guest 'web': mem=16MB: expected a size such as 16M (K, M or G)");
	parse_bad("name=web kind=elf mem=-1M", 0, "guest 'web': mem=-1M: expected a size such as 16M (K, M or G)");
	parse_bad("name=web kind=elf mem=0x", 0, "guest 'web': mem=0x: expected a size such as 16M (K, M or G)");
	parse_bad("name=web kind=elf mem=1023K", 0, "guest 'web': mem=1023K: expected at least 1M");
	parse_bad("name=web kind=elf mem=0", 0, "guest 'web': mem=0: expected at least 1M");
	parse_bad("name=web kind=elf mem=1025K", 0, "guest 'web': mem=1025K: expected a multiple of 4K");
	parse_bad("name=web kind=elf mem=1048577", 0, "guest 'web': mem=1048577: expected a multiple of 4K");
	parse_bad("name=web kind=elf mem=17179869184G", 0, "guest 'web': mem=17179869184G: too large");
	parse_bad("name=web kind=elf mem=18446744073709551616", 0, "guest 'web': mem=18446744073709551616: too large");
	parse_bad("name=web kind=elf mem=0x10000000000000000", 0, "guest 'web': mem=0x10000000000000000: too large");
}

static void
test_flat_errors(void **state)
{
	parse_bad("name=x kind=elf load=0x1000", 0, "guest 'x': load= is only for kind=flat");
	parse_bad("load=0x1000 name=x kind=multiboot", 0, "guest 'x': load= is only for kind=flat");
	parse_bad("name=x kind=elf entry=0x1000", 0, "guest 'x': entry= is only for kind=flat");
	parse_bad("name=x kind=multiboot mode=real", 0, "guest 'x': mode= is only for kind=flat");
	parse_bad("name=x kind=flat mode=virtual", 0, "guest 'x': mode=virtual: expected real, protected or long");
	parse_bad("name=x kind=flat load=7c00", 0,
		  "guest 'x': load=7c00: expected an address such as 0x7c00 (decimal or 0x hex)");
	parse_bad("name=x kind=flat entry=0x7c00z", 0,
		  "guest 'x': entry=0x7c00z: expected an address such as 0x7c00 (decimal or 0x hex)");
	parse_bad("name=x kind=flat entry=0x10000000000000000", 0, "guest 'x': entry=0x10000000000000000: too large");
	parse_bad("name=x kind=flat load=18446744073709551616", 0, "guest 'x': load=18446744073709551616: too large");
	parse_ok("name=x kind=flat load=0xFFFFFFFFFFFFFFFF", 0);
	assert_int_equal(d.load, UINT64_MAX);
	parse_ok("name=x kind=flat load=18446744073709551615", 0);
	assert_int_equal(d.load, UINT64_MAX);
}

static void
test_other_errors(void **state)
{
	parse_bad("name=x kind=elf colour=red", 0, "guest 'x': unknown key 'colour'");
	parse_bad("name=x kind=elf colour", 0, "guest 'x': 'colour': expected key=value");
	parse_bad("name=x kind=elf console=maybe", 0, "guest 'x': console=maybe: expected on or off");
	parse_bad("name=x kind=elf console=on console=off", 0, "guest 'x': console= given twice");
	/* a long bad value is cut, and the line still fits */
	parse_bad("name=x kind=elf mem=1234567890123456789012345678901234567890123456789", 0,
		  "guest 'x': mem=1234567890123456789012345678901234567890: too large");
}

static void
test_weight(void **state)
{
	parse_ok("name=a kind=elf weight=4", 0);
	assert_int_equal(d.weight, 4);
	parse_ok("name=a kind=elf weight=1", 0);
	assert_int_equal(d.weight, 1);
	parse_ok("name=a kind=elf weight=100", 0);
	assert_int_equal(d.weight, 100);
	parse_ok("name=a kind=elf weight=0x10", 0);
	assert_int_equal(d.weight, 16);
	parse_bad("name=a kind=elf weight=0", 0, "guest 'a': weight=0: expected a whole number from 1 to 100");
	parse_bad("name=a kind=elf weight=101", 0, "guest 'a': weight=101: expected a whole number from 1 to 100");
	parse_bad("name=a kind=elf weight=", 0, "guest 'a': weight=: expected a whole number from 1 to 100");
	parse_bad("name=a kind=elf weight=-2", 0, "guest 'a': weight=-2: expected a whole number from 1 to 100");
	parse_bad("name=a kind=elf weight=1.5", 0, "guest 'a': weight=1.5: expected a whole number from 1 to 100");
	parse_bad("name=a kind=elf weight=99999999999999999999", 0,
		  "guest 'a': weight=99999999999999999999: expected a whole number from 1 to 100");
	parse_bad("name=a kind=elf weight=2 weight=3", 0, "guest 'a': weight= given twice");
}

static void
add_module(struct boot_info *bi, const char *line)
{
	snprintf(bi->modules[bi->module_count++].cmdline, BOOT_MODULE_CMDLINE_MAX, "%s", line);
}

static struct boot_info bi;
static struct guest_desc out[GUEST_MAX];

static void
test_parse_all(void **state)
{
	memset(&bi, 0, sizeof(bi));
	add_module(&bi, "/guests/a.elf name=a kind=elf");
	add_module(&bi, "/boot/initrd.img");
	add_module(&bi, "/guests/b.bin name=b kind=flat mem=1M");
	fake_log_reset();
	assert_int_equal(guest_desc_parse_all(&bi, out, GUEST_MAX), 2);
	assert_string_equal(fake_log_text(), "");
	assert_string_equal(out[0].name, "a");
	assert_int_equal(out[0].module, 0);
	assert_string_equal(out[1].name, "b");
	assert_int_equal(out[1].module, 2);

	memset(&bi, 0, sizeof(bi));
	fake_log_reset();
	assert_int_equal(guest_desc_parse_all(&bi, out, GUEST_MAX), 0);
	assert_string_equal(fake_log_text(), "");
}

static void
test_parse_all_reports_every_error(void **state)
{
	memset(&bi, 0, sizeof(bi));
	add_module(&bi, "name=web kind=elf mem=12Q");
	add_module(&bi, "name=ok kind=elf");
	add_module(&bi, "name=Bad! kind=elf");
	add_module(&bi, "name=ok kind=flat");
	fake_log_reset();
	assert_int_equal(guest_desc_parse_all(&bi, out, GUEST_MAX), -1);
	assert_string_equal(fake_log_text(),
			    "guest 'web': mem=12Q: expected a size such as 16M (K, M or G)\n"
			    "module 2: name=Bad!: expected 1-15 of a-z, 0-9, _ and -\n"
			    "module 3: name=ok: expected a name no other guest has (module 1 has it too)\n");
}

static void
test_parse_all_initrd(void **state)
{
	memset(&bi, 0, sizeof(bi));
	add_module(&bi, "initramfs");                           /* GRUB: the word the user wrote */
	add_module(&bi, "name=a kind=linux initrd=initramfs");
	add_module(&bi, "/guests/rootfs.cpio.gz");              /* a loader that puts the path first */
	add_module(&bi, "name=b kind=linux initrd=rootfs.cpio.gz");
	add_module(&bi, "name=c kind=linux initrd=/guests/rootfs.cpio.gz");
	add_module(&bi, "name=d kind=linux initrd=initramfs");  /* two guests may share one */
	add_module(&bi, "name=e kind=linux");
	fake_log_reset();
	assert_int_equal(guest_desc_parse_all(&bi, out, GUEST_MAX), 5);
	assert_string_equal(fake_log_text(), "");
	assert_int_equal(out[0].initrd_module, 0);
	assert_int_equal(out[1].initrd_module, 2);
	assert_int_equal(out[2].initrd_module, 2);
	assert_int_equal(out[3].initrd_module, 0);
	assert_string_equal(out[4].initrd, "");
}

static void
test_parse_all_initrd_errors(void **state)
{
	memset(&bi, 0, sizeof(bi));
	add_module(&bi, "/a/initrd.img");
	add_module(&bi, "/b/initrd.img");
	add_module(&bi, "name=a kind=linux initrd=initrd.img");         /* two modules have the name */
	add_module(&bi, "name=b kind=linux initrd=initramfs");          /* none has it */
	add_module(&bi, "/guests/hello.elf name=c kind=elf");
	add_module(&bi, "name=d kind=linux initrd=hello.elf");          /* that one is a guest */
	add_module(&bi, "name=e kind=linux initrd=initrd");             /* a name is not a prefix */
	fake_log_reset();
	assert_int_equal(guest_desc_parse_all(&bi, out, GUEST_MAX), -1);
	assert_string_equal(fake_log_text(),
			    "guest 'a': initrd=initrd.img: modules 0 and 1 both have that name\n"
			    "guest 'b': initrd=initramfs: no boot module has that name (the first word of its command line)\n"
			    "guest 'd': initrd=hello.elf: module 4 is a guest description, not an initrd\n"
			    "guest 'e': initrd=initrd: no boot module has that name (the first word of its command line)\n");
}

static void
test_parse_all_too_many(void **state)
{
	memset(&bi, 0, sizeof(bi));
	add_module(&bi, "name=a kind=elf");
	add_module(&bi, "name=b kind=elf");
	add_module(&bi, "name=c kind=elf");
	fake_log_reset();
	assert_int_equal(guest_desc_parse_all(&bi, out, 2), -1);
	assert_string_equal(fake_log_text(), "guest 'c': too many guests: at most 2\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_with_defaults),
		cmocka_unit_test(test_multiboot_full),
		cmocka_unit_test(test_on_crash),
		cmocka_unit_test(test_flat_full),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_quoting_and_file_name),
		cmocka_unit_test(test_not_a_guest),
		cmocka_unit_test(test_name_errors),
		cmocka_unit_test(test_kind_errors),
		cmocka_unit_test(test_linux),
		cmocka_unit_test(test_linux_errors),
		cmocka_unit_test(test_mem_errors),
		cmocka_unit_test(test_flat_errors),
		cmocka_unit_test(test_other_errors),
		cmocka_unit_test(test_weight),
		cmocka_unit_test(test_parse_all),
		cmocka_unit_test(test_parse_all_reports_every_error),
		cmocka_unit_test(test_parse_all_initrd),
		cmocka_unit_test(test_parse_all_initrd_errors),
		cmocka_unit_test(test_parse_all_too_many),
	};
	return cmocka_run_group_tests_name("guest_desc", tests, NULL, NULL);
}
