/*
 * test/unit/test_kbc.c: the 8042 as Linux's i8042 driver and reboot code
 * use it: status at power-on, the controller commands that answer, the
 * command byte, bytes sent to a keyboard that is not there, IRQ 1, and
 * the commands that reset the machine.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "devices/kbc.c"

void irq_set(struct vm *vm, uint32_t irq, bool level) { }
void vm_reset(struct vm *vm, const char *why) { }
int iobus_register(struct iobus *bus, uint16_t first, uint16_t last, iobus_fn fn, void *dev, const char *name)
{ return 0; }

static struct kbc k;

static bool
cmd(uint8_t c)
{
	return kbc_io(&k, PC_PORT_KBC_CMD, false, &c);
}

static bool
put_data(uint8_t v)
{
	return kbc_io(&k, PC_PORT_KBC_DATA, false, &v);
}

static uint8_t
status(void)
{
	uint8_t v = 0;

	kbc_io(&k, PC_PORT_KBC_CMD, true, &v);
	return v;
}

static uint8_t
get_data(void)
{
	uint8_t v = 0;

	kbc_io(&k, PC_PORT_KBC_DATA, true, &v);
	return v;
}

static void
test_power_on(void **state)
{
	kbc_init(&k);
	assert_int_equal(status(), KBC_STS_SYS | KBC_STS_UNLOCKED);
	assert_false(kbc_irq1(&k));
}

static void
test_controller_commands(void **state)
{
	kbc_init(&k);
	assert_false(cmd(KBC_CMD_SELF_TEST));
	assert_int_equal(status(), KBC_STS_OBF | KBC_STS_SYS | KBC_STS_CMD | KBC_STS_UNLOCKED);
	assert_int_equal(get_data(), KBC_SELF_TEST_OK);
	assert_false(status() & KBC_STS_OBF);
	cmd(KBC_CMD_KBD_TEST);
	assert_int_equal(get_data(), 0x00);
	cmd(KBC_CMD_AUX_TEST);
	assert_int_equal(get_data(), KBC_AUX_TEST_CLOCK_LOW);       /* no mouse port */
	cmd(KBC_CMD_READ_OUTPUT);
	assert_int_equal(get_data() & KBC_OUT_RESET, KBC_OUT_RESET);
	/* the command byte, as i8042_controller_init reads and writes it */
	cmd(KBC_CMD_READ_CB);
	assert_int_equal(get_data(), KBC_CB_KBD_INT | KBC_CB_SYS | KBC_CB_AUX_DISABLE | KBC_CB_XLATE);
	cmd(KBC_CMD_WRITE_CB);
	assert_false(status() & KBC_STS_OBF);
	put_data(KBC_CB_SYS | KBC_CB_XLATE);
	assert_false(status() & KBC_STS_CMD);
	cmd(KBC_CMD_READ_CB);
	assert_int_equal(get_data(), KBC_CB_SYS | KBC_CB_XLATE | KBC_CB_AUX_DISABLE);
	cmd(KBC_CMD_KBD_DISABLE);
	cmd(KBC_CMD_READ_CB);
	assert_true(get_data() & KBC_CB_KBD_DISABLE);
	/* D3: the byte comes back as mouse data (i8042's AUX loop test) */
	cmd(KBC_CMD_WRITE_AUX_OUT);
	put_data(0x5A);
	assert_int_equal(status() & (KBC_STS_OBF | KBC_STS_AUX), KBC_STS_OBF | KBC_STS_AUX);
	assert_int_equal(get_data(), 0x5A);
	/* unknown commands are taken quietly */
	assert_false(cmd(0x42));
	assert_false(status() & KBC_STS_OBF);
	assert_false(cmd(0xFF));                /* pulse no line */
}

static void
test_no_keyboard_and_irq1(void **state)
{
	kbc_init(&k);
	assert_false(put_data(0xF2));           /* "identify" to the keyboard */
	assert_int_equal(status() & (KBC_STS_OBF | KBC_STS_TIMEOUT), KBC_STS_OBF | KBC_STS_TIMEOUT);
	assert_true(kbc_irq1(&k));              /* the command byte enables IRQ 1 */
	assert_int_equal(get_data(), KBC_NO_DEVICE);
	assert_false(kbc_irq1(&k));
	assert_false(status() & KBC_STS_TIMEOUT);
	assert_int_equal(get_data(), KBC_NO_DEVICE);    /* the last byte again */
	cmd(KBC_CMD_WRITE_CB);
	put_data(KBC_CB_SYS);                   /* interrupts off */
	cmd(KBC_CMD_WRITE_KBD_OUT);
	put_data(0x1C);
	assert_true(status() & KBC_STS_OBF);
	assert_false(kbc_irq1(&k));
	assert_int_equal(get_data(), 0x1C);
	/* a byte for the mouse goes nowhere */
	cmd(KBC_CMD_WRITE_AUX);
	put_data(0xFF);
	assert_false(status() & KBC_STS_OBF);
}

static void
test_reset(void **state)
{
	kbc_init(&k);
	assert_true(cmd(PC_KBC_CMD_RESET));
	assert_true(cmd(0xF0));                 /* pulses every line, reset among them */
	assert_false(cmd(0xFD));
	cmd(KBC_CMD_WRITE_OUTPUT);
	assert_false(put_data(KBC_OUT_RESET | KBC_OUT_A20));
	cmd(KBC_CMD_WRITE_OUTPUT);
	assert_true(put_data(KBC_OUT_A20));     /* the reset line driven low */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_on),
		cmocka_unit_test(test_controller_commands),
		cmocka_unit_test(test_no_keyboard_and_irq1),
		cmocka_unit_test(test_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
