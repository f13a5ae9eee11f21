/*
 * test/unit/test_pci.c: configuration mechanism #1 and the 440FX host
 * bridge, through ports 0xCF8-0xCFF as Linux's pci_check_type1 and
 * pci_conf1_read use them: CONFIG_ADDRESS decode and read-back, the
 * bridge's identity, byte and word reads inside the data dword, all-ones
 * for every other function and with the enable bit clear, and writes to
 * read-only fields ignored.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "devices/pcihost.c"

int iobus_register(struct iobus *bus, uint16_t first, uint16_t last, iobus_fn fn, void *dev, const char *name)
{ return 0; }

static struct pcihost h;

static void
out(uint16_t port, uint8_t size, uint32_t v)
{
	pcihost_io(&h, port, size, false, &v);
}

static uint32_t
in(uint16_t port, uint8_t size)
{
	uint32_t v = 0x12345678;

	pcihost_io(&h, port, size, true, &v);
	return v;
}

static uint32_t
addr(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
	return PCI_CONFIG_ENABLE | bus << 16 | dev << 11 | fn << 8 | reg;
}

static void
test_config_address(void **state)
{
	pcihost_init(&h);
	assert_int_equal(in(PC_PORT_PCI_ADDR, 4), 0);
	out(PC_PORT_PCI_ADDR, 4, 0xFFFFFFFF);
	assert_int_equal(in(PC_PORT_PCI_ADDR, 4), 0x80FFFFFC);  /* reserved bits and 1:0 read 0 */
	out(PC_PORT_PCI_ADDR, 4, 0x80000000);
	assert_int_equal(in(PC_PORT_PCI_ADDR, 4), 0x80000000);
	out(PC_PORT_PCI_ADDR, 1, 0x01);                         /* not CONFIG_ADDRESS: a byte */
	out(PC_PORT_PCI_ADDR, 2, 0x0000);
	assert_int_equal(in(PC_PORT_PCI_ADDR, 4), 0x80000000);
	assert_int_equal(in(PC_PORT_PCI_ADDR, 1), 0xFF);
	assert_true(pcihost_is_bridge(addr(0, 0, 0, 0x3C)));
	assert_false(pcihost_is_bridge(addr(0, 0, 1, 0)));
	assert_false(pcihost_is_bridge(addr(0, 1, 0, 0)));
	assert_false(pcihost_is_bridge(addr(1, 0, 0, 0)));
	assert_false(pcihost_is_bridge(0));
}

static void
test_host_bridge_header(void **state)
{
	pcihost_init(&h);
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0x00));
	assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0x12378086);
	assert_int_equal(in(PC_PORT_PCI_DATA, 2), 0x8086);
	assert_int_equal(in(PC_PORT_PCI_DATA + 2, 2), 0x1237);
	assert_int_equal(in(PC_PORT_PCI_DATA + 1, 1), 0x80);
	assert_int_equal(in(PC_PORT_PCI_DATA + 3, 1), 0x12);
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0x08));
	assert_int_equal(in(PC_PORT_PCI_DATA, 4) >> 8, 0x060000);  /* class, subclass, prog-if */
	assert_int_equal(in(PC_PORT_PCI_DATA, 1), 0x02);           /* revision */
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0x0A));             /* register bits 1:0 are dropped */
	assert_int_equal(in(PC_PORT_PCI_DATA + 2, 2), PCI_CLASS_BRIDGE_HOST);
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0x0C));
	assert_int_equal(in(PC_PORT_PCI_DATA + 2, 1), 0x00);       /* header type 0 */
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0x2C));
	assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0x11001AF4);
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0x10));             /* no BARs */
	assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0);
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0xFC));
	assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0);
	/* a word that would leave the dword: nothing answers */
	assert_int_equal(in(PC_PORT_PCI_DATA + 3, 2), 0xFFFF);
}

static void
test_everything_else_reads_all_ones(void **state)
{
	pcihost_init(&h);
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8; fn++) {
			if (dev == 0 && fn == 0)
				continue;
			out(PC_PORT_PCI_ADDR, 4, addr(0, dev, fn, 0));
			assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0xFFFFFFFF);
			assert_int_equal(in(PC_PORT_PCI_DATA + 2, 2), 0xFFFF);
			assert_int_equal(in(PC_PORT_PCI_DATA + 1, 1), 0xFF);
		}
	}
	out(PC_PORT_PCI_ADDR, 4, addr(255, 0, 0, 0));
	assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0xFFFFFFFF);
	out(PC_PORT_PCI_ADDR, 4, 0x00000000);                      /* enable bit clear */
	assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0xFFFFFFFF);
	out(PC_PORT_PCI_DATA, 4, 0);                               /* and writes go nowhere */
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0));
	assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0x12378086);
}

static void
test_writes(void **state)
{
	pcihost_init(&h);
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0x00));
	out(PC_PORT_PCI_DATA, 4, 0);                               /* ids are read-only */
	assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0x12378086);
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0x04));
	out(PC_PORT_PCI_DATA, 2, 0xFFFF);
	assert_int_equal(in(PC_PORT_PCI_DATA, 2), 0x0147);         /* only the enable bits */
	out(PC_PORT_PCI_DATA, 1, 0x00);
	assert_int_equal(in(PC_PORT_PCI_DATA, 2), 0x0100);
	assert_int_equal(in(PC_PORT_PCI_DATA + 2, 2), 0x0280);     /* status unchanged */
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0x0C));
	out(PC_PORT_PCI_DATA, 4, 0xFFFFFFFF);
	assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0x0000FFFF);     /* cache line, latency; type fixed */
	out(PC_PORT_PCI_ADDR, 4, addr(0, 1, 0, 0x0C));             /* another function: nothing */
	out(PC_PORT_PCI_DATA, 4, 0);
	out(PC_PORT_PCI_ADDR, 4, addr(0, 0, 0, 0x0C));
	assert_int_equal(in(PC_PORT_PCI_DATA, 4), 0x0000FFFF);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_address),
		cmocka_unit_test(test_host_bridge_header),
		cmocka_unit_test(test_everything_else_reads_all_ones),
		cmocka_unit_test(test_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
