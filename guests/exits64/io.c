/*
 * guests/exits64/io.c: I/O instruction exits (SDM Vol. 3C, 27.1.2 and
 * Table 28-5). A port no emulated device claims behaves like an empty ISA
 * bus: reads return all-ones at every width, writes vanish.
 */
#include "guests/exits64/checks.h"
#include "guests/lib/guest.h"
#include "kernel/x86.h"

#define PORT_UNCLAIMED  0x1234

void
io_checks(void)
{
	uint8_t b = inb(PORT_UNCLAIMED);
	uint16_t w = inw(PORT_UNCLAIMED);
	uint32_t l = inl(PORT_UNCLAIMED);

	guest_check(b == 0xFF, "inb from unclaimed port %#x reads %#x", PORT_UNCLAIMED, b);
	guest_check(w == 0xFFFF, "inw from unclaimed port %#x reads %#x", PORT_UNCLAIMED, w);
	guest_check(l == 0xFFFFFFFF, "inl from unclaimed port %#x reads %#x", PORT_UNCLAIMED, l);
	outb(PORT_UNCLAIMED, 0x5A);
	outw(PORT_UNCLAIMED, 0x5A5A);
	outl(PORT_UNCLAIMED, 0x5A5A5A5A);
	b = inb(PORT_UNCLAIMED);
	guest_check(b == 0xFF, "writes to unclaimed port %#x are ignored (reads %#x after)",
		    PORT_UNCLAIMED, b);
}
