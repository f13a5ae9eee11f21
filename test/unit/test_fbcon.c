/*
 * test/unit/test_fbcon.c: the framebuffer console (drivers/fbcon.c) drawing
 * into fake physical memory with a made-up font whose glyph g has every
 * row equal to g, so a character's bits show in its pixels.
 */
#include "test/unit/fake.h"

#include <string.h>

#include "drivers/fbcon.c"
#include "drivers/psf.c"

#define FB_ADDR     0x100000u
#define FB_W        64          /* 8 columns of 8 pixels */
#define FB_H        48          /* 3 rows of 16 */

const uint8_t fbcon_font[1], fbcon_font_end[1];  /* the real one is not linked here */

uint64_t
paging_root(void)
{
	return 0;
}

static uint8_t font_file[4 + 256 * 16];

static void
make_font(void)
{
	font_file[0] = PSF1_MAGIC0;
	font_file[1] = PSF1_MAGIC1;
	font_file[2] = 0;
	font_file[3] = 16;
	for (int g = 0; g < 256; g++)
		memset(font_file + 4 + 16 * g, g, 16);
}

static struct boot_framebuffer
fb32(void)
{
	return (struct boot_framebuffer){
		.addr = FB_ADDR, .pitch = FB_W * 4 + 32, .width = FB_W, .height = FB_H, .bpp = 32,
		.type = BOOT_FB_RGB, .red_pos = 16, .red_size = 8, .green_pos = 8, .green_size = 8,
		.blue_pos = 0, .blue_size = 8,
	};
}

static uint32_t
pixel32(const struct boot_framebuffer *fb, uint32_t x, uint32_t y)
{
	uint32_t v;

	memcpy(&v, phys_to_virt(fb->addr + (uint64_t)y * fb->pitch + x * 4), 4);
	return v;
}

/* The character cell (cx, cy) shows glyph c, judged by its top pixel row. */
static void
expect_cell(const struct boot_framebuffer *fb, uint32_t cx, uint32_t cy, uint8_t c)
{
	for (uint32_t x = 0; x < 8; x++) {
		uint32_t want = c & (0x80 >> x) ? 0xAAAAAA : 0;

		assert_int_equal(pixel32(fb, cx * 8 + x, cy * 16), want);
		assert_int_equal(pixel32(fb, cx * 8 + x, cy * 16 + 15), want);
	}
}

static void
setup(void)
{
	fake_phys_reset();
	make_font();
}

static void
test_draws_and_wraps(void **state)
{
	struct boot_framebuffer fb = fb32();

	setup();
	memset(phys_to_virt(FB_ADDR), 0x55, fb.pitch * FB_H);   /* what the firmware left */
	assert_int_equal(fbcon_init(&fb, font_file, sizeof(font_file)), 0);
	assert_int_equal(pixel32(&fb, FB_W - 1, FB_H - 1), 0);  /* cleared */
	fbcon_write("AB\rC", 4);
	expect_cell(&fb, 0, 0, 'C');
	expect_cell(&fb, 1, 0, 'B');
	fbcon_write("\n0123456789", 11);                        /* wraps after 8 */
	expect_cell(&fb, 7, 1, '7');
	expect_cell(&fb, 0, 2, '8');
	expect_cell(&fb, 1, 2, '9');
	/* nothing is drawn in the margin right of the last column */
	assert_int_equal(pixel32(&fb, FB_W, 0), 0x55555555);
}

static void
test_scrolls(void **state)
{
	struct boot_framebuffer fb = fb32();

	setup();
	assert_int_equal(fbcon_init(&fb, font_file, sizeof(font_file)), 0);
	fbcon_write("a\nbb\nccc\nd", 10);
	expect_cell(&fb, 0, 0, 'b');
	expect_cell(&fb, 1, 0, 'b');
	expect_cell(&fb, 2, 0, ' ');
	expect_cell(&fb, 2, 1, 'c');
	expect_cell(&fb, 0, 2, 'd');
	expect_cell(&fb, 1, 2, ' ');
	fbcon_write("\n", 1);
	expect_cell(&fb, 0, 0, 'c');
	expect_cell(&fb, 0, 1, 'd');
	expect_cell(&fb, 0, 2, ' ');
}

static void
test_pixel_formats(void **state)
{
	struct boot_framebuffer fb = {
		.addr = FB_ADDR, .pitch = FB_W * 2, .width = FB_W, .height = FB_H, .bpp = 16,
		.type = BOOT_FB_RGB, .red_pos = 11, .red_size = 5, .green_pos = 5, .green_size = 6,
		.blue_pos = 0, .blue_size = 5,
	};
	uint16_t v16;
	uint8_t *p;

	setup();
	assert_int_equal(fbcon_init(&fb, font_file, sizeof(font_file)), 0);
	fbcon_write("\x80", 1);                                 /* leftmost pixel only */
	memcpy(&v16, phys_to_virt(FB_ADDR), 2);
	assert_int_equal(v16, (0xAA >> 3) << 11 | (0xAA >> 2) << 5 | (0xAA >> 3));
	memcpy(&v16, phys_to_virt(FB_ADDR + 2), 2);
	assert_int_equal(v16, 0);

	/* 24 bpp, blue in the low byte */
	fb = fb32();
	fb.bpp = 24;
	fb.pitch = FB_W * 3;
	fb.red_size = 8;
	setup();
	assert_int_equal(fbcon_init(&fb, font_file, sizeof(font_file)), 0);
	fbcon_write("\x01", 1);                                 /* rightmost pixel only */
	p = phys_to_virt(FB_ADDR);
	assert_int_equal(p[7 * 3], 0xAA);
	assert_int_equal(p[7 * 3 + 2], 0xAA);
	assert_int_equal(p[6 * 3], 0);
	assert_int_equal(p[8 * 3], 0);
}

static void
test_rejects(void **state)
{
	struct boot_framebuffer fb = fb32();

	setup();
	fb.bpp = 8;
	assert_int_equal(fbcon_init(&fb, font_file, sizeof(font_file)), -EINVAL);
	fb = fb32();
	fb.type = BOOT_FB_TEXT;
	assert_int_equal(fbcon_init(&fb, font_file, sizeof(font_file)), -EINVAL);
	fb = fb32();
	fb.pitch = FB_W;                                        /* a line shorter than its pixels */
	assert_int_equal(fbcon_init(&fb, font_file, sizeof(font_file)), -EINVAL);
	fb = fb32();
	fb.height = 8;                                          /* not one text row */
	assert_int_equal(fbcon_init(&fb, font_file, sizeof(font_file)), -EINVAL);
	fb = fb32();
	assert_int_equal(fbcon_init(&fb, font_file, 10), -EINVAL);
	fbcon_write("x", 1);                                    /* not in use: draws nothing */
	assert_int_equal(pixel32(&fb, 1, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draws_and_wraps),
		cmocka_unit_test(test_scrolls),
		cmocka_unit_test(test_pixel_formats),
		cmocka_unit_test(test_rejects),
	};
	return cmocka_run_group_tests_name("fbcon", tests, NULL, NULL);
}
