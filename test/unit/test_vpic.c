/*
 * test/unit/test_vpic.c: the emulated 8259A pair and ELCR, driven by the
 * port sequences Linux (arch/x86/kernel/i8259.c) and a BIOS (SeaBIOS
 * pic_setup) write, then through the data sheet's modes one at a time.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "devices/vpic.c"

static struct vpic pic;

static void
out8(uint16_t port, uint8_t v)
{
	vpic_io(&pic, port, false, &v);
}

static uint8_t
in8(uint16_t port)
{
	uint8_t v = 0x5A;

	vpic_io(&pic, port, true, &v);
	return v;
}

static void
pulse(unsigned irq)
{
	vpic_set_irq(&pic, irq, true);
	vpic_set_irq(&pic, irq, false);
}

/* Linux's init_8259A on x86-64: vectors 0x30 and 0x38, slave on IR2. */
static void
linux_init(bool auto_eoi)
{
	vpic_init(&pic);
	out8(0x21, 0xFF);
	out8(0xA1, 0xFF);
	out8(0x20, 0x11);               /* ICW1: edge, cascade, ICW4 needed */
	out8(0x21, 0x30);               /* ICW2 */
	out8(0x21, 0x04);               /* ICW3: slave on IR2 */
	out8(0x21, auto_eoi ? 0x03 : 0x01);     /* ICW4: 8086, AEOI */
	out8(0xA0, 0x11);
	out8(0xA1, 0x38);
	out8(0xA1, 0x02);               /* ICW3: slave ID 2 */
	out8(0xA1, 0x01);
}

static uint8_t
read_isr(uint16_t cmd)
{
	uint8_t v;

	out8(cmd, 0x0B);                /* OCW3: read ISR */
	v = in8(cmd);
	out8(cmd, 0x0A);                /* OCW3: read IRR */
	return v;
}

/* Linux's mask_and_ack_8259A EOI: specific EOI, slave then master. */
static void
linux_eoi(unsigned irq)
{
	if (irq & 8) {
		out8(0xA0, (uint8_t)(0x60 + (irq & 7)));
		out8(0x20, 0x60 + 2);
	} else
		out8(0x20, (uint8_t)(0x60 + irq));
}

static void
test_power_on(void **state)
{
	vpic_init(&pic);
	assert_int_equal(in8(0x21), 0xFF);
	assert_int_equal(in8(0xA1), 0xFF);
	assert_int_equal(in8(0x4D0), 0);
	assert_int_equal(in8(0x4D1), 0);
	/* Uninitialised: a request is latched but never raises INT. */
	out8(0x21, 0x00);
	pulse(0);
	assert_false(vpic_has_intr(&pic));
	assert_int_equal(in8(0x20) & 1, 1);     /* IRR */
	assert_int_equal(in8(0x60), 0xFF);      /* not ours */
}

static void
test_linux_init_and_vectors(void **state)
{
	linux_init(false);
	assert_int_equal(in8(0x21), 0x00);      /* ICW1 cleared IMR */
	assert_int_equal(in8(0xA1), 0x00);
	assert_false(vpic_has_intr(&pic));

	pulse(0);
	assert_true(vpic_has_intr(&pic));
	assert_int_equal(vpic_ack(&pic), 0x30);
	assert_false(vpic_has_intr(&pic));
	assert_int_equal(read_isr(0x20), 0x01);
	linux_eoi(0);
	assert_int_equal(read_isr(0x20), 0x00);

	pulse(8);
	assert_int_equal(in8(0x20) & 0x04, 0x04);       /* master IRR2 is the slave's INT */
	assert_int_equal(vpic_ack(&pic), 0x38);
	assert_int_equal(read_isr(0x20), 0x04);
	assert_int_equal(read_isr(0xA0), 0x01);
	linux_eoi(8);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(read_isr(0xA0), 0x00);

	pulse(15);
	assert_int_equal(vpic_ack(&pic), 0x3F);
	linux_eoi(15);
	pulse(7);
	assert_int_equal(vpic_ack(&pic), 0x37);
	assert_int_equal(read_isr(0x20), 0x80);         /* a real IRQ7 is in service */
	linux_eoi(7);
	assert_false(vpic_has_intr(&pic));
}

static void
test_bios_init_interleaved(void **state)
{
	vpic_init(&pic);
	/* SeaBIOS: both chips' ICWs interleaved, then masks. */
	out8(0x20, 0x11);
	out8(0xA0, 0x11);
	out8(0x21, 0x08);
	out8(0xA1, 0x70);
	out8(0x21, 0x04);
	out8(0xA1, 0x02);
	out8(0x21, 0x01);
	out8(0xA1, 0x01);
	out8(0x21, 0xFB);
	out8(0xA1, 0xFF);
	assert_int_equal(in8(0x21), 0xFB);

	pulse(1);
	pulse(14);
	assert_false(vpic_has_intr(&pic));      /* both masked */
	out8(0x21, 0xF9);                       /* unmask IRQ1 */
	assert_int_equal(vpic_ack(&pic), 0x09);
	out8(0x20, 0x20);
	out8(0xA1, 0xBF);                       /* unmask IRQ14 */
	assert_int_equal(vpic_ack(&pic), 0x76);
	out8(0xA0, 0x20);
	out8(0x20, 0x20);
	assert_false(vpic_has_intr(&pic));
}

static void
test_priority_fully_nested(void **state)
{
	linux_init(false);
	pulse(5);
	pulse(3);
	assert_int_equal(vpic_ack(&pic), 0x33);
	/* IRQ3 in service: IRQ5 (lower) waits, IRQ1 (higher) nests. */
	assert_false(vpic_has_intr(&pic));
	pulse(1);
	assert_int_equal(vpic_ack(&pic), 0x31);
	assert_int_equal(read_isr(0x20), 0x0A);
	out8(0x20, 0x20);                       /* non-specific: the highest, IR1 */
	assert_int_equal(read_isr(0x20), 0x08);
	assert_false(vpic_has_intr(&pic));
	out8(0x20, 0x20);
	assert_int_equal(vpic_ack(&pic), 0x35);
	out8(0x20, 0x20);

	/* Several pending at once come out highest first. */
	pulse(6);
	pulse(4);
	pulse(0);
	pulse(9);                               /* through IR2 */
	assert_int_equal(in8(0x20), 0x55);      /* IRR: 0, 2, 4, 6 */
	assert_int_equal(vpic_ack(&pic), 0x30);
	out8(0x20, 0x20);
	assert_int_equal(vpic_ack(&pic), 0x39);
	/* the cascade level in service holds off the master's lower inputs */
	assert_false(vpic_has_intr(&pic));
	out8(0xA0, 0x20);
	out8(0x20, 0x20);
	assert_int_equal(vpic_ack(&pic), 0x34);
	out8(0x20, 0x20);
	assert_int_equal(vpic_ack(&pic), 0x36);
	out8(0x20, 0x20);
	assert_false(vpic_has_intr(&pic));
}

static void
test_specific_eoi(void **state)
{
	linux_init(false);
	pulse(4);
	assert_int_equal(vpic_ack(&pic), 0x34);
	pulse(2);                               /* IR2 is the cascade: a pulse on it is ignored */
	assert_false(vpic_has_intr(&pic));
	pulse(1);
	assert_int_equal(vpic_ack(&pic), 0x31);
	out8(0x20, 0x64);                       /* specific EOI for IR4, not the highest */
	assert_int_equal(read_isr(0x20), 0x02);
	out8(0x20, 0x61);
	assert_int_equal(read_isr(0x20), 0x00);
	out8(0x20, 0x20);                       /* nothing in service: harmless */
	out8(0x20, 0x40);                       /* OCW2 no-op */
	assert_int_equal(read_isr(0x20), 0x00);
}

static void
test_rotation(void **state)
{
	linux_init(false);
	/* Rotate on non-specific EOI: the level just served goes last. */
	pulse(0);
	assert_int_equal(vpic_ack(&pic), 0x30);
	out8(0x20, 0xA0);
	pulse(0);
	pulse(7);
	assert_int_equal(vpic_ack(&pic), 0x37);         /* order now 1..7, 0 */
	out8(0x20, 0xA0);                               /* IR7 last: 0 is highest */
	assert_int_equal(vpic_ack(&pic), 0x30);
	out8(0x20, 0x20);

	/* Set priority: IR4 lowest, so IR5 highest. */
	out8(0x20, 0xC4);
	pulse(3);
	pulse(5);
	assert_int_equal(vpic_ack(&pic), 0x35);
	/* IR5 in service: IR3 ranks below it now and waits. */
	assert_false(vpic_has_intr(&pic));
	/* Rotate on specific EOI: IR5 served, IR5 lowest, IR6 highest. */
	out8(0x20, 0xE5);
	pulse(6);
	assert_int_equal(vpic_ack(&pic), 0x36);
	out8(0x20, 0x20);
	assert_int_equal(vpic_ack(&pic), 0x33);
	out8(0x20, 0x20);

	/* Rotate in automatic EOI mode. */
	linux_init(true);
	out8(0x20, 0x80);
	pulse(1);
	pulse(3);
	assert_int_equal(vpic_ack(&pic), 0x31);
	pulse(1);
	assert_int_equal(vpic_ack(&pic), 0x33);         /* IR1 went last */
	assert_int_equal(vpic_ack(&pic), 0x31);
	out8(0x20, 0x00);                               /* clear rotate in AEOI */
	pulse(5);
	pulse(6);
	assert_int_equal(vpic_ack(&pic), 0x35);         /* IR2 highest since the last rotation */
	pulse(5);
	assert_int_equal(vpic_ack(&pic), 0x35);         /* no longer rotating */
	assert_int_equal(vpic_ack(&pic), 0x36);
}

static void
test_readback_registers(void **state)
{
	linux_init(false);
	out8(0x21, 0xA5);
	out8(0xA1, 0x5A);
	assert_int_equal(in8(0x21), 0xA5);
	assert_int_equal(in8(0xA1), 0x5A);
	out8(0x21, 0x00);
	pulse(3);
	pulse(6);
	assert_int_equal(in8(0x20), 0x48);              /* IRR by default */
	vpic_ack(&pic);
	out8(0x20, 0x0B);
	assert_int_equal(in8(0x20), 0x08);              /* ISR, and it stays selected */
	assert_int_equal(in8(0x20), 0x08);
	out8(0x20, 0x08);                               /* OCW3 without RR: no change */
	assert_int_equal(in8(0x20), 0x08);
	out8(0x20, 0x0A);
	assert_int_equal(in8(0x20), 0x40);
	assert_int_equal(in8(0x21), 0x00);              /* the data port reads IMR either way */
}

static void
test_poll(void **state)
{
	linux_init(false);
	out8(0x20, 0x0C);
	assert_int_equal(in8(0x20), 0x00);              /* nothing requesting */
	assert_int_equal(in8(0x21), 0x00);              /* poll is one read only: IMR again */
	pulse(5);
	pulse(6);
	out8(0x20, 0x0C);
	assert_int_equal(in8(0x20), 0x85);
	assert_int_equal(read_isr(0x20), 0x20);         /* the poll acknowledged it */
	out8(0x20, 0x0C);
	assert_int_equal(in8(0x20), 0x00);              /* IR6 below the one in service */
	out8(0x20, 0x20);
	out8(0x20, 0x0C);
	assert_int_equal(in8(0x21), 0x86);              /* either port reads the poll word */
	/* polling the slave */
	pulse(13);
	out8(0xA0, 0x0C);
	assert_int_equal(in8(0xA0), 0x85);
}

static void
test_auto_eoi(void **state)
{
	linux_init(true);
	pulse(3);
	assert_int_equal(vpic_ack(&pic), 0x33);
	assert_int_equal(read_isr(0x20), 0x00);
	pulse(5);
	assert_int_equal(vpic_ack(&pic), 0x35);         /* nothing in service holds it */
	/* The slave is not in AEOI (Linux leaves it out): its ISR needs an EOI,
	 * the master's IR2 does not. */
	pulse(10);
	assert_int_equal(vpic_ack(&pic), 0x3A);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(read_isr(0xA0), 0x04);
	pulse(11);
	assert_false(vpic_has_intr(&pic));
	out8(0xA0, 0x20);
	assert_int_equal(vpic_ack(&pic), 0x3B);
}

static void
test_spurious(void **state)
{
	linux_init(false);
	out8(0x4D1, 0x02);                              /* IRQ9 level-triggered */
	vpic_set_irq(&pic, 9, true);
	assert_true(vpic_has_intr(&pic));
	vpic_set_irq(&pic, 9, false);                   /* gone before INTA */
	assert_int_equal(vpic_ack(&pic), 0x37);
	assert_int_equal(read_isr(0x20), 0x00);         /* how Linux tells a spurious IRQ7 */
	assert_int_equal(read_isr(0xA0), 0x00);

	/* Masked between INT and INTA: spurious too. */
	pulse(4);
	assert_true(vpic_has_intr(&pic));
	out8(0x21, 0x10);
	assert_int_equal(vpic_ack(&pic), 0x37);
	assert_int_equal(read_isr(0x20), 0x00);
	out8(0x21, 0x00);
	assert_int_equal(vpic_ack(&pic), 0x34);         /* still latched */
}

static void
test_edge_and_level(void **state)
{
	linux_init(false);
	out8(0x4D0, 0xFF);
	out8(0x4D1, 0xFF);
	assert_int_equal(in8(0x4D0), 0xF8);             /* IRQ0-2 are always edge */
	assert_int_equal(in8(0x4D1), 0xDE);             /* and IRQ8 and 13 */
	out8(0x4D0, 0x00);
	out8(0x4D1, 0x0A);                              /* IRQ9 and IRQ11 level */

	/* Level: requests while high, again after EOI. */
	vpic_set_irq(&pic, 11, true);
	assert_int_equal(vpic_ack(&pic), 0x3B);
	assert_false(vpic_has_intr(&pic));
	linux_eoi(11);
	assert_true(vpic_has_intr(&pic));
	assert_int_equal(vpic_ack(&pic), 0x3B);
	vpic_set_irq(&pic, 11, false);
	linux_eoi(11);
	assert_false(vpic_has_intr(&pic));
	assert_int_equal(in8(0xA0), 0x00);

	/* Edge: a held line is one request; a pulse survives its fall. */
	vpic_set_irq(&pic, 4, true);
	assert_int_equal(vpic_ack(&pic), 0x34);
	linux_eoi(4);
	assert_false(vpic_has_intr(&pic));
	vpic_set_irq(&pic, 4, true);                    /* still high: no new edge */
	assert_false(vpic_has_intr(&pic));
	vpic_set_irq(&pic, 4, false);
	vpic_set_irq(&pic, 4, true);
	assert_int_equal(vpic_ack(&pic), 0x34);
	linux_eoi(4);
	vpic_set_irq(&pic, 4, false);
	/* several pulses before an INTA are one request */
	pulse(6);
	pulse(6);
	assert_int_equal(vpic_ack(&pic), 0x36);
	linux_eoi(6);
	assert_false(vpic_has_intr(&pic));

	/* ICW1 LTIM makes every input level-triggered. */
	out8(0x20, 0x19);
	out8(0x21, 0x30);
	out8(0x21, 0x04);
	out8(0x21, 0x01);
	vpic_set_irq(&pic, 5, true);
	assert_int_equal(vpic_ack(&pic), 0x35);
	out8(0x20, 0x20);
	assert_int_equal(vpic_ack(&pic), 0x35);
	out8(0x20, 0x20);
	vpic_set_irq(&pic, 5, false);
	assert_false(vpic_has_intr(&pic));

	vpic_set_irq(&pic, 16, true);                   /* no such input */
	vpic_set_irq(&pic, 99, true);
	assert_false(vpic_has_intr(&pic));
}

static void
test_elcr_switch_keeps_request(void **state)
{
	linux_init(false);
	out8(0x4D0, 0x08);                              /* IRQ3 level */
	vpic_set_irq(&pic, 3, true);
	out8(0x4D0, 0x00);                              /* edge again, line still high */
	assert_int_equal(vpic_ack(&pic), 0x33);
	out8(0x20, 0x20);
	assert_false(vpic_has_intr(&pic));              /* the held line is spent */
}

static void
test_special_mask_mode(void **state)
{
	linux_init(false);
	pulse(3);
	assert_int_equal(vpic_ack(&pic), 0x33);
	pulse(5);
	assert_false(vpic_has_intr(&pic));
	out8(0x21, 0x08);                               /* mask IR3 */
	assert_false(vpic_has_intr(&pic));              /* masking alone changes nothing */
	out8(0x20, 0x68);                               /* OCW3: set special mask mode */
	assert_int_equal(vpic_ack(&pic), 0x35);         /* a lower level gets through */
	out8(0x20, 0x65);
	out8(0x20, 0x48);                               /* reset special mask mode */
	pulse(6);
	assert_false(vpic_has_intr(&pic));              /* IR3 in service holds IR6 again */
	out8(0x20, 0x63);
	assert_int_equal(vpic_ack(&pic), 0x36);
}

static void
test_special_fully_nested(void **state)
{
	linux_init(false);
	out8(0x20, 0x11);
	out8(0x21, 0x30);
	out8(0x21, 0x04);
	out8(0x21, 0x11);                               /* ICW4: 8086, SFNM */
	pulse(12);
	assert_int_equal(vpic_ack(&pic), 0x3C);
	/* Master IR2 in service; a higher slave input still gets through. */
	pulse(9);
	assert_int_equal(vpic_ack(&pic), 0x39);
	/* a lower one does not: the slave's own nesting holds it */
	pulse(14);
	assert_false(vpic_has_intr(&pic));
	/* Without SFNM the same request waits for the master's EOI. */
	linux_init(false);
	pulse(12);
	assert_int_equal(vpic_ack(&pic), 0x3C);
	pulse(9);
	assert_false(vpic_has_intr(&pic));
	out8(0x20, 0x20);
	assert_int_equal(vpic_ack(&pic), 0x39);
}

static void
test_reinit_resets(void **state)
{
	linux_init(false);
	vpic_set_irq(&pic, 4, true);
	assert_int_equal(vpic_ack(&pic), 0x34);
	out8(0x21, 0xF0);
	pulse(1);
	out8(0x20, 0x0B);
	/* ICW1 again: IMR, ISR, latched edges and the read selection reset. */
	out8(0x20, 0x11);
	assert_false(vpic_has_intr(&pic));              /* mid-sequence: no INT */
	out8(0x21, 0x40);
	out8(0x21, 0x04);
	out8(0x21, 0x01);
	assert_int_equal(in8(0x21), 0x00);
	assert_int_equal(in8(0x20), 0x00);              /* IRR read, empty */
	assert_false(vpic_has_intr(&pic));
	assert_int_equal(read_isr(0x20), 0x00);
	/* IR4's line is still high: it must fall and rise to request again. */
	vpic_set_irq(&pic, 4, true);
	assert_false(vpic_has_intr(&pic));
	vpic_set_irq(&pic, 4, false);
	vpic_set_irq(&pic, 4, true);
	assert_int_equal(vpic_ack(&pic), 0x44);
}

static void
test_single_without_icw4(void **state)
{
	vpic_init(&pic);
	out8(0x20, 0x12);                               /* single, no ICW4 */
	out8(0x21, 0x20);
	out8(0x21, 0xFE);                               /* already OCW1: the sequence ended at ICW2 */
	assert_int_equal(in8(0x21), 0xFE);
	out8(0x21, 0x00);
	pulse(2);                                       /* IR2 is an ordinary input here */
	pulse(9);                                       /* and no slave is heard */
	assert_int_equal(vpic_ack(&pic), 0x22);
	out8(0x20, 0x20);
	assert_false(vpic_has_intr(&pic));
	assert_int_equal(vpic_ack(&pic), 0x27);         /* nothing: spurious IR7 */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_on),
		cmocka_unit_test(test_linux_init_and_vectors),
		cmocka_unit_test(test_bios_init_interleaved),
		cmocka_unit_test(test_priority_fully_nested),
		cmocka_unit_test(test_specific_eoi),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_readback_registers),
		cmocka_unit_test(test_poll),
		cmocka_unit_test(test_auto_eoi),
		cmocka_unit_test(test_spurious),
		cmocka_unit_test(test_edge_and_level),
		cmocka_unit_test(test_elcr_switch_keeps_request),
		cmocka_unit_test(test_special_mask_mode),
		cmocka_unit_test(test_special_fully_nested),
		cmocka_unit_test(test_reinit_resets),
		cmocka_unit_test(test_single_without_icw4),
	};

	return cmocka_run_group_tests_name("vpic", tests, NULL, NULL);
}
