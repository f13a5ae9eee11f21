/*
 * drivers/vga.c: write-only text console on the VGA text buffer.
 * Each cell is a character byte and an attribute byte (IBM VGA Technical
 * Reference, "Alphanumeric Modes"). The hardware cursor is left alone.
 */
#include "drivers/vga.h"
#include "lib/string.h"
#include "mm/phys.h"

#define VGA_ATTR        0x07    /* light grey on black */

static volatile uint16_t *vga_buf;
static uint32_t vga_cols, vga_rows, vga_x, vga_y;

void
vga_init(uint64_t phys, uint32_t cols, uint32_t rows)
{
	vga_buf = phys_to_virt(phys);
	vga_cols = cols;
	vga_rows = rows;
	vga_x = vga_y = 0;
	for (uint32_t i = 0; i < cols * rows; i++)
		vga_buf[i] = (VGA_ATTR << 8) | ' ';
}

static void
scroll(void)
{
	for (uint32_t i = 0; i < vga_cols * (vga_rows - 1); i++)
		vga_buf[i] = vga_buf[i + vga_cols];
	for (uint32_t i = 0; i < vga_cols; i++)
		vga_buf[vga_cols * (vga_rows - 1) + i] = (VGA_ATTR << 8) | ' ';
	vga_y = vga_rows - 1;
}

void
vga_write(const char *s, size_t n)
{
	if (!vga_buf)
		return;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\n') {
			vga_x = 0;
			vga_y++;
		} else if (c == '\r') {
			vga_x = 0;
		} else {
			vga_buf[vga_y * vga_cols + vga_x] = (VGA_ATTR << 8) | (uint8_t)c;
			if (++vga_x == vga_cols) {
				vga_x = 0;
				vga_y++;
			}
		}
		if (vga_y == vga_rows)
			scroll();
	}
}
