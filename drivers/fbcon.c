/*
 * drivers/fbcon.c: a write-only text console on a linear framebuffer.
 *
 * Glyphs come from a PSF font (drivers/psf.c). The text is also kept in a
 * grid of characters, so scrolling redraws the cells that change instead of
 * reading the framebuffer back (video memory is mapped uncacheable, and
 * reads from it are slow on real hardware).
 *
 * A framebuffer above 4 GiB is out of reach of the boot page tables
 * (boot/entry.S maps the first 4 GiB); mm/paging.c maps it. Until then the
 * text only goes into the grid, and the first write after paging_init()
 * draws it all.
 */
#include "drivers/fbcon.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "mm/paging.h"
#include "mm/phys.h"

#define FBCON_MAX_COLS  512
#define FBCON_MAX_ROWS  192
#define FBCON_FG        0xAAAAAA        /* VGA light grey, as drivers/vga.c's attribute 0x07 */
#define FBCON_BG        0x000000

static struct psf_font font;
static struct boot_framebuffer fbcon_fb;
static uint8_t *fbcon_base;             /* NULL: not in use */
static uint32_t fbcon_fg, fbcon_bg, fbcon_bytes;   /* pixel values, bytes per pixel */
static uint32_t cols, rows, cur_x, cur_y;
static bool redraw_pending;             /* the grid holds text not drawn yet */
static bool space_blank;                /* the font's ' ' has no ink: cleared cells need no drawing */
static char grid[FBCON_MAX_ROWS][FBCON_MAX_COLS];

/* 0xRRGGBB as the framebuffer's pixel format has it. */
static uint32_t
pixel_value(const struct boot_framebuffer *fb, uint32_t rgb)
{
	uint32_t r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;

	return (r >> (8 - fb->red_size)) << fb->red_pos |
	       (g >> (8 - fb->green_size)) << fb->green_pos |
	       (b >> (8 - fb->blue_size)) << fb->blue_pos;
}

static void
put_pixel(uint8_t *p, uint32_t v)
{
	switch (fbcon_bytes) {
	case 4:
		*(volatile uint32_t *)p = v;
		break;
	case 3:
		((volatile uint8_t *)p)[0] = v;
		((volatile uint8_t *)p)[1] = v >> 8;
		((volatile uint8_t *)p)[2] = v >> 16;
		break;
	default:
		*(volatile uint16_t *)p = v;
		break;
	}
}

static void
draw_cell(uint32_t x, uint32_t y)
{
	const uint8_t *g = psf_glyph(&font, (uint8_t)grid[y][x]);
	uint8_t *line = fbcon_base + (uint64_t)y * font.height * fbcon_fb.pitch +
			(uint64_t)x * font.width * fbcon_bytes;

	for (uint32_t row = 0; row < font.height; row++, g += font.row_bytes, line += fbcon_fb.pitch) {
		uint8_t *p = line;

		for (uint32_t col = 0; col < font.width; col++, p += fbcon_bytes)
			put_pixel(p, g[col / 8] & (0x80 >> (col % 8)) ? fbcon_fg : fbcon_bg);
	}
}

/* Can the framebuffer be written now? */
static bool
reachable(void)
{
	return fbcon_fb.addr + (uint64_t)fbcon_fb.pitch * fbcon_fb.height <= GiB(4) || paging_root() != 0;
}

static void
redraw_all(void)
{
	for (uint32_t y = 0; y < fbcon_fb.height; y++)
		for (uint32_t x = 0; x < fbcon_fb.width; x++)
			put_pixel(fbcon_base + (uint64_t)y * fbcon_fb.pitch + x * fbcon_bytes, fbcon_bg);
	for (uint32_t y = 0; y < rows; y++)
		for (uint32_t x = 0; x < cols; x++)
			if (grid[y][x] != ' ' || !space_blank)
				draw_cell(x, y);
	redraw_pending = false;
}

/* Set one cell; draw it when it changed and the screen can be written. */
static void
set_cell(uint32_t x, uint32_t y, char c)
{
	if (grid[y][x] == c)
		return;
	grid[y][x] = c;
	if (!redraw_pending)
		draw_cell(x, y);
}

static void
scroll(void)
{
	for (uint32_t y = 0; y + 1 < rows; y++)
		for (uint32_t x = 0; x < cols; x++)
			set_cell(x, y, grid[y + 1][x]);
	for (uint32_t x = 0; x < cols; x++)
		set_cell(x, rows - 1, ' ');
	cur_y = rows - 1;
}

int
fbcon_init(const struct boot_framebuffer *fb, const void *font_data, size_t font_size)
{
	uint32_t bytes = (fb->bpp + 7) / 8;

	fbcon_base = NULL;
	if (fb->type != BOOT_FB_RGB || (bytes != 2 && bytes != 3 && bytes != 4) ||
	    fb->red_size > 8 || fb->green_size > 8 || fb->blue_size > 8 ||
	    fb->width == 0 || fb->height == 0 || fb->pitch < (uint64_t)fb->width * bytes)
		return -EINVAL;
	if (psf_parse(&font, font_data, font_size) < 0)
		return -EINVAL;
	fbcon_fb = *fb;
	fbcon_bytes = bytes;
	fbcon_fg = pixel_value(fb, FBCON_FG);
	fbcon_bg = pixel_value(fb, FBCON_BG);
	space_blank = true;
	for (uint32_t i = 0; i < font.glyph_bytes; i++)
		space_blank &= psf_glyph(&font, ' ')[i] == 0;
	cols = MIN(fb->width / font.width, FBCON_MAX_COLS);
	rows = MIN(fb->height / font.height, FBCON_MAX_ROWS);
	if (cols == 0 || rows == 0)
		return -EINVAL;
	memset(grid, ' ', sizeof(grid));
	cur_x = cur_y = 0;
	fbcon_base = phys_to_virt(fb->addr);
	redraw_pending = true;
	if (reachable())
		redraw_all();
	return 0;
}

void
fbcon_write(const char *s, size_t n)
{
	if (!fbcon_base)
		return;
	if (redraw_pending && reachable())
		redraw_all();
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\n') {
			cur_x = 0;
			cur_y++;
		} else if (c == '\r') {
			cur_x = 0;
		} else {
			set_cell(cur_x, cur_y, c);
			if (++cur_x == cols) {
				cur_x = 0;
				cur_y++;
			}
		}
		if (cur_y == rows)
			scroll();
	}
}
