/*
 * test/unit/test_vioapic.c: the emulated 82093AA I/O APIC: its register
 * window, edge and level pins, polarity, masking, and Remote IRR with the
 * EOI that clears it, as guests program them.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "devices/vioapic.c"

struct delivery {
	uint8_t vector, dest, mode;
	bool level;
};

static struct {
	unsigned count;
	struct delivery d[16];
} got;

static struct vioapic io;

static void
record(void *ctx, uint8_t vector, uint8_t dest, bool level, uint8_t delivery_mode)
{
	assert_ptr_equal(ctx, &got);
	assert_true(got.count < ARRAY_SIZE(got.d));
	got.d[got.count++] = (struct delivery){ vector, dest, delivery_mode, level };
}

static void
setup(void)
{
	memset(&got, 0, sizeof(got));
	vioapic_init(&io, 2);
}

static uint32_t
reg_rd(uint8_t reg)
{
	uint32_t v = reg, out = 0xDEADBEEF;

	vioapic_mmio(&io, VIOAPIC_IOREGSEL, true, &v);
	vioapic_mmio(&io, VIOAPIC_IOWIN, false, &out);
	return out;
}

/* A register write as the guest makes it, then the flush the wiring owes. */
static void
reg_wr(uint8_t reg, uint32_t value)
{
	uint32_t v = reg;

	vioapic_mmio(&io, VIOAPIC_IOREGSEL, true, &v);
	vioapic_mmio(&io, VIOAPIC_IOWIN, true, &value);
	vioapic_flush(&io, record, &got);
}

static void
set_rte(unsigned pin, uint64_t rte)
{
	/* high half first, as OSes do, so the entry is never live half-written */
	reg_wr(VIOAPIC_REG_REDTBL + 2 * pin + 1, (uint32_t)(rte >> 32));
	reg_wr(VIOAPIC_REG_REDTBL + 2 * pin, (uint32_t)rte);
}

static uint64_t
get_rte(unsigned pin)
{
	return (uint64_t)reg_rd(VIOAPIC_REG_REDTBL + 2 * pin + 1) << 32 | reg_rd(VIOAPIC_REG_REDTBL + 2 * pin);
}

static void
irq(unsigned pin, bool level)
{
	vioapic_set_irq(&io, pin, level, record, &got);
}

static void
eoi(uint8_t vector)
{
	vioapic_eoi(&io, vector, record, &got);
}

#define DEST(d)     ((uint64_t)(d) << VIOAPIC_RTE_DEST_SHIFT)
#define MODE(m)     ((uint64_t)(m) << VIOAPIC_RTE_MODE_SHIFT)

static void
test_registers(void **state)
{
	uint32_t v;

	setup();
	assert_int_equal(reg_rd(VIOAPIC_REG_ID), 2u << 24);
	assert_int_equal(reg_rd(VIOAPIC_REG_VER), 0x00170011);
	assert_int_equal(reg_rd(VIOAPIC_REG_ARB), 2u << 24);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		assert_int_equal(get_rte(pin), VIOAPIC_RTE_MASKED);
	reg_wr(VIOAPIC_REG_ID, 0xFFFFFFFF);
	assert_int_equal(reg_rd(VIOAPIC_REG_ID), 0x0F000000);
	reg_wr(VIOAPIC_REG_VER, 0);
	reg_wr(VIOAPIC_REG_ARB, 0);
	assert_int_equal(reg_rd(VIOAPIC_REG_VER), 0x00170011);
	assert_int_equal(reg_rd(VIOAPIC_REG_ARB), 0x0F000000);
	assert_int_equal(reg_rd(0x03), 0);
	assert_int_equal(reg_rd(0x40), 0);              /* pin 24 does not exist */
	reg_wr(0x40, 0x30);
	assert_int_equal(reg_rd(0xFF), 0);

	v = 0x1234;
	vioapic_mmio(&io, VIOAPIC_IOREGSEL, true, &v);
	vioapic_mmio(&io, VIOAPIC_IOREGSEL, false, &v);
	assert_int_equal(v, 0x34);                      /* 8 bits */
	vioapic_mmio(&io, 0x20, false, &v);             /* no EOI register in version 0x11 */
	assert_int_equal(v, 0);
	v = 0x55;
	vioapic_mmio(&io, 0x40, true, &v);

	/* writable bits of an entry; delivery status and Remote IRR are not */
	set_rte(5, 0xFFFFFFFFFFFFFFFFull);
	assert_int_equal(get_rte(5), VIOAPIC_RTE_WRITABLE);
	set_rte(5, DEST(0x0F) | VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | VIOAPIC_RTE_ACTIVE_LOW |
		   VIOAPIC_RTE_LOGICAL | MODE(VIOAPIC_MODE_LOWEST) | 0x35);
	assert_int_equal(get_rte(5), DEST(0x0F) | 0x1A935);
	assert_int_equal(got.count, 0);
}

static void
test_edge(void **state)
{
	setup();
	irq(4, true);                                   /* masked: lost */
	assert_int_equal(got.count, 0);
	set_rte(4, DEST(0) | 0x24);
	assert_int_equal(got.count, 0);                 /* an edge is not remembered */
	irq(4, true);                                   /* still high: no edge */
	assert_int_equal(got.count, 0);
	irq(4, false);
	irq(4, true);
	assert_int_equal(got.count, 1);
	assert_int_equal(got.d[0].vector, 0x24);
	assert_int_equal(got.d[0].dest, 0);
	assert_false(got.d[0].level);
	assert_int_equal(got.d[0].mode, VIOAPIC_MODE_FIXED);
	irq(4, true);
	irq(4, false);
	assert_int_equal(got.count, 1);
	irq(4, true);
	assert_int_equal(got.count, 2);
	assert_int_equal(get_rte(4) & VIOAPIC_RTE_REMOTE_IRR, 0);     /* edge: no Remote IRR */
	eoi(0x24);
	assert_int_equal(got.count, 2);

	irq(24, true);                                  /* past the last pin */
	irq(1000, true);
	assert_int_equal(got.count, 2);
}

static void
test_level_remote_irr(void **state)
{
	setup();
	set_rte(10, DEST(0) | VIOAPIC_RTE_LEVEL | 0x3A);
	irq(10, true);
	assert_int_equal(got.count, 1);
	assert_true(got.d[0].level);
	assert_true(get_rte(10) & VIOAPIC_RTE_REMOTE_IRR);
	irq(10, true);                                  /* waits for the EOI */
	assert_int_equal(got.count, 1);
	eoi(0x3B);                                      /* another vector */
	assert_int_equal(got.count, 1);
	assert_true(get_rte(10) & VIOAPIC_RTE_REMOTE_IRR);

	eoi(0x3A);                                      /* still asserted: again */
	assert_int_equal(got.count, 2);
	assert_true(get_rte(10) & VIOAPIC_RTE_REMOTE_IRR);

	irq(10, false);                                 /* the device is served */
	eoi(0x3A);
	assert_int_equal(got.count, 2);
	assert_false(get_rte(10) & VIOAPIC_RTE_REMOTE_IRR);
	irq(10, true);
	assert_int_equal(got.count, 3);
}

static void
test_level_shared_vector(void **state)
{
	setup();
	irq(16, true);                                  /* PCI INTx lines idle high */
	irq(17, true);
	set_rte(16, DEST(0) | VIOAPIC_RTE_LEVEL | VIOAPIC_RTE_ACTIVE_LOW | 0x50);
	set_rte(17, DEST(0) | VIOAPIC_RTE_LEVEL | VIOAPIC_RTE_ACTIVE_LOW | 0x50);
	assert_int_equal(got.count, 0);
	irq(16, false);
	irq(17, false);
	assert_int_equal(got.count, 2);
	irq(16, true);
	eoi(0x50);                                      /* both cleared, 17 still low */
	assert_int_equal(got.count, 3);
	assert_false(get_rte(16) & VIOAPIC_RTE_REMOTE_IRR);
	assert_true(get_rte(17) & VIOAPIC_RTE_REMOTE_IRR);
}

static void
test_mask_unmask(void **state)
{
	setup();
	set_rte(9, VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | 0x39);
	irq(9, true);
	assert_int_equal(got.count, 0);
	set_rte(9, VIOAPIC_RTE_LEVEL | 0x39);           /* unmasked while asserted */
	assert_int_equal(got.count, 1);
	assert_int_equal(got.d[0].vector, 0x39);
	vioapic_flush(&io, record, &got);
	assert_int_equal(got.count, 1);

	/* masked again and unmasked before the EOI: Remote IRR holds it */
	set_rte(9, VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | 0x39);
	set_rte(9, VIOAPIC_RTE_LEVEL | 0x39);
	assert_int_equal(got.count, 1);
	/* masked at EOI time: nothing until unmasked */
	set_rte(9, VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | 0x39);
	eoi(0x39);
	assert_int_equal(got.count, 1);
	set_rte(9, VIOAPIC_RTE_LEVEL | 0x39);
	assert_int_equal(got.count, 2);

	/* deasserted before the unmask: nothing */
	eoi(0x39);
	assert_int_equal(got.count, 3);
	set_rte(9, VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | 0x39);
	eoi(0x39);
	irq(9, false);
	set_rte(9, VIOAPIC_RTE_LEVEL | 0x39);
	assert_int_equal(got.count, 3);

	/* a due unmask not yet flushed is delivered by the next set_irq */
	irq(9, true);
	assert_int_equal(got.count, 4);
	eoi(0x39);
	assert_int_equal(got.count, 5);
	set_rte(9, VIOAPIC_RTE_MASKED | VIOAPIC_RTE_LEVEL | 0x39);
	eoi(0x39);
	uint32_t v = VIOAPIC_REG_REDTBL + 2 * 9, lo = VIOAPIC_RTE_LEVEL | 0x39;
	vioapic_mmio(&io, VIOAPIC_IOREGSEL, true, &v);
	vioapic_mmio(&io, VIOAPIC_IOWIN, true, &lo);
	assert_int_equal(got.count, 5);
	irq(3, false);
	assert_int_equal(got.count, 6);
	assert_int_equal(got.d[5].vector, 0x39);
}

static void
test_polarity(void **state)
{
	setup();
	set_rte(3, DEST(0) | VIOAPIC_RTE_ACTIVE_LOW | 0x33);   /* edge, active low */
	irq(3, true);                                   /* idle */
	assert_int_equal(got.count, 0);
	irq(3, false);                                  /* falling edge */
	assert_int_equal(got.count, 1);
	irq(3, true);
	assert_int_equal(got.count, 1);

	set_rte(11, DEST(0) | VIOAPIC_RTE_LEVEL | VIOAPIC_RTE_ACTIVE_LOW | 0x3B);
	/* line low at reset reads as asserted for an active-low pin */
	assert_int_equal(got.count, 2);
	assert_int_equal(got.d[1].vector, 0x3B);
	irq(11, true);
	eoi(0x3B);
	assert_int_equal(got.count, 2);
	irq(11, false);
	assert_int_equal(got.count, 3);
}

/* Linux clears a stuck Remote IRR on an IOAPIC without an EOI register by
 * switching the entry to edge and back (__eoi_ioapic_pin()). */
static void
test_edge_write_clears_remote_irr(void **state)
{
	setup();
	set_rte(12, DEST(0) | VIOAPIC_RTE_LEVEL | 0x3C);
	irq(12, true);
	assert_true(get_rte(12) & VIOAPIC_RTE_REMOTE_IRR);
	set_rte(12, DEST(0) | VIOAPIC_RTE_MASKED | 0x3C);
	assert_false(get_rte(12) & VIOAPIC_RTE_REMOTE_IRR);
	set_rte(12, DEST(0) | VIOAPIC_RTE_LEVEL | 0x3C);
	assert_int_equal(got.count, 2);                 /* still asserted */

	/* rewriting the destination half leaves Remote IRR alone */
	reg_wr(VIOAPIC_REG_REDTBL + 2 * 12 + 1, 0x01000000);
	assert_true(get_rte(12) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(got.count, 2);
}

static void
test_delivery_modes(void **state)
{
	setup();
	set_rte(0, DEST(0) | MODE(VIOAPIC_MODE_EXTINT));
	set_rte(1, DEST(0) | MODE(VIOAPIC_MODE_LOWEST) | VIOAPIC_RTE_LEVEL | 0x41);
	set_rte(2, DEST(0) | MODE(VIOAPIC_MODE_NMI) | VIOAPIC_RTE_LEVEL);
	set_rte(5, DEST(0) | MODE(VIOAPIC_MODE_SMI));
	set_rte(6, DEST(0) | MODE(3) | 0x46);
	set_rte(7, DEST(0) | MODE(VIOAPIC_MODE_INIT));
	irq(0, true);
	irq(1, true);
	irq(2, true);
	irq(5, true);
	irq(6, true);
	irq(7, true);
	assert_int_equal(got.count, 4);
	assert_int_equal(got.d[0].mode, VIOAPIC_MODE_EXTINT);
	assert_false(got.d[0].level);
	assert_int_equal(got.d[1].mode, VIOAPIC_MODE_FIXED);   /* lowest priority: the one CPU */
	assert_int_equal(got.d[1].vector, 0x41);
	assert_true(got.d[1].level);
	assert_int_equal(got.d[2].mode, VIOAPIC_MODE_NMI);
	assert_false(got.d[2].level);                   /* NMI has no Remote IRR */
	assert_false(get_rte(2) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(got.d[3].mode, VIOAPIC_MODE_INIT);
	irq(2, false);
	irq(2, true);
	assert_int_equal(got.count, 5);
}

static void
test_destinations(void **state)
{
	setup();
	set_rte(1, DEST(5) | 0x41);                     /* physical, another ID: still ours */
	set_rte(2, DEST(0xFF) | 0x42);                  /* physical broadcast */
	set_rte(3, DEST(0x01) | VIOAPIC_RTE_LOGICAL | 0x43);
	set_rte(4, DEST(0x00) | VIOAPIC_RTE_LOGICAL | VIOAPIC_RTE_LEVEL | 0x44);
	for (unsigned pin = 1; pin <= 4; pin++)
		irq(pin, true);
	assert_int_equal(got.count, 3);
	assert_int_equal(got.d[0].dest, 5);
	assert_int_equal(got.d[1].dest, 0xFF);
	assert_int_equal(got.d[2].dest, 0x01);
	assert_false(get_rte(4) & VIOAPIC_RTE_REMOTE_IRR);     /* nobody took it */
	set_rte(4, DEST(0x01) | VIOAPIC_RTE_LOGICAL | VIOAPIC_RTE_LEVEL | 0x44);
	assert_int_equal(got.count, 4);
	assert_int_equal(got.d[3].vector, 0x44);
	assert_int_equal(io.delivered, 4);
}

/* A callback that EOIs at once, as a guest handler would within the
 * injection: no recursion past one level, nothing lost. */
static unsigned reentries;

static void
eoi_at_once(void *ctx, uint8_t vector, uint8_t dest, bool level, uint8_t delivery_mode)
{
	record(&got, vector, dest, level, delivery_mode);
	if (level && reentries++ < 3)
		vioapic_eoi(&io, vector, eoi_at_once, ctx);
}

static void
test_eoi_from_callback(void **state)
{
	setup();
	reentries = 0;
	set_rte(8, DEST(0) | VIOAPIC_RTE_LEVEL | 0x48);
	vioapic_set_irq(&io, 8, true, eoi_at_once, &got);
	assert_int_equal(got.count, 4);                 /* once, then three re-deliveries */
	assert_true(get_rte(8) & VIOAPIC_RTE_REMOTE_IRR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_edge),
		cmocka_unit_test(test_level_remote_irr),
		cmocka_unit_test(test_level_shared_vector),
		cmocka_unit_test(test_mask_unmask),
		cmocka_unit_test(test_polarity),
		cmocka_unit_test(test_edge_write_clears_remote_irr),
		cmocka_unit_test(test_delivery_modes),
		cmocka_unit_test(test_destinations),
		cmocka_unit_test(test_eoi_from_callback),
	};
	return cmocka_run_group_tests_name("vioapic", tests, NULL, NULL);
}
