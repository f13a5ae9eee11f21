/*
 * test/unit/test_psf.c: PC Screen Font parsing (drivers/psf.c): PSF1 and
 * PSF2 headers, their Unicode tables, and fonts that are cut short.
 */
#include "test/unit/fake.h"

#include <stdio.h>
#include <string.h>

#include "drivers/psf.c"

static uint8_t buf[65536];

/* A PSF1 font of 256 8xH glyphs; glyph g is filled with the byte g. */
static size_t
psf1(uint8_t mode, uint8_t height)
{
	size_t n = PSF1_HEADER_SIZE;

	buf[0] = PSF1_MAGIC0;
	buf[1] = PSF1_MAGIC1;
	buf[2] = mode;
	buf[3] = height;
	for (uint32_t g = 0; g < (mode & PSF1_MODE512 ? 512u : 256u); g++)
		for (uint32_t r = 0; r < height; r++)
			buf[n++] = g;
	return n;
}

static size_t
put16(size_t n, uint16_t v)
{
	buf[n] = v;
	buf[n + 1] = v >> 8;
	return n + 2;
}

static size_t
put32le(size_t n, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		buf[n + i] = v >> (8 * i);
	return n + 4;
}

static void
test_psf1_no_table_is_identity(void **state)
{
	struct psf_font f;
	size_t n = psf1(0, 16);

	assert_int_equal(psf_parse(&f, buf, n), 0);
	assert_int_equal(f.count, 256);
	assert_int_equal(f.width, 8);
	assert_int_equal(f.height, 16);
	assert_int_equal(f.glyph_bytes, 16);
	assert_int_equal(f.latin1['A'], 'A');
	assert_ptr_equal(psf_glyph(&f, 'A'), buf + 4 + 16 * 'A');
	assert_int_equal(psf_glyph(&f, 0xE9)[0], 0xE9);
}

static void
test_psf1_table(void **state)
{
	struct psf_font f;
	size_t n = psf1(PSF1_MODEHASTAB | PSF1_MODESEQ, 8);

	/* glyph 0 shows 'A' and U+0391 (Greek Alpha); glyph 1 shows '?';
	 * glyph 2 a sequence only ('B' + combining mark); glyph 3 'B' */
	n = put16(n, 'A');
	n = put16(n, 0x391);
	n = put16(n, PSF1_SEPARATOR);
	n = put16(n, '?');
	n = put16(n, PSF1_SEPARATOR);
	n = put16(n, PSF1_STARTSEQ);
	n = put16(n, 'B');
	n = put16(n, 0x301);
	n = put16(n, PSF1_SEPARATOR);
	n = put16(n, 'B');
	n = put16(n, PSF1_SEPARATOR);
	for (int g = 4; g < 256; g++)
		n = put16(n, PSF1_SEPARATOR);
	assert_int_equal(psf_parse(&f, buf, n), 0);
	assert_int_equal(f.latin1['A'], 0);
	assert_int_equal(f.latin1['?'], 1);
	assert_int_equal(f.latin1['B'], 3);
	assert_int_equal(f.latin1['C'], 1);     /* not in the table: '?' */
	assert_int_equal(psf_glyph(&f, 'B')[0], 3);
}

static void
test_psf1_512(void **state)
{
	struct psf_font f;
	size_t n = psf1(PSF1_MODE512, 14);

	assert_int_equal(psf_parse(&f, buf, n), 0);
	assert_int_equal(f.count, 512);
	assert_int_equal(psf_parse(&f, buf, n - 1), -1);        /* the last glyph cut short */
}

static size_t
psf2_header(uint32_t flags, uint32_t count, uint32_t width, uint32_t height)
{
	uint32_t row = (width + 7) / 8;
	size_t n = 0;

	n = put32le(n, PSF2_MAGIC);
	n = put32le(n, 0);                      /* version */
	n = put32le(n, PSF2_HEADER_SIZE);
	n = put32le(n, flags);
	n = put32le(n, count);
	n = put32le(n, row * height);
	n = put32le(n, height);
	n = put32le(n, width);
	for (uint32_t g = 0; g < count; g++)
		for (uint32_t b = 0; b < row * height; b++)
			buf[n++] = g;
	return n;
}

static void
test_psf2_utf8_table(void **state)
{
	struct psf_font f;
	size_t n = psf2_header(PSF2_HAS_UNICODE_TABLE, 4, 12, 24);

	/* glyph 0: '?'; glyph 1: U+00E9 (C3 A9) and U+20AC (E2 82 AC);
	 * glyph 2: a sequence holding 'x'; glyph 3: 'x' */
	buf[n++] = '?';
	buf[n++] = PSF2_SEPARATOR;
	buf[n++] = 0xC3;
	buf[n++] = 0xA9;
	buf[n++] = 0xE2;
	buf[n++] = 0x82;
	buf[n++] = 0xAC;
	buf[n++] = PSF2_SEPARATOR;
	buf[n++] = PSF2_STARTSEQ;
	buf[n++] = 'x';
	buf[n++] = PSF2_SEPARATOR;
	buf[n++] = 'x';
	buf[n++] = PSF2_SEPARATOR;
	assert_int_equal(psf_parse(&f, buf, n), 0);
	assert_int_equal(f.width, 12);
	assert_int_equal(f.row_bytes, 2);
	assert_int_equal(f.glyph_bytes, 48);
	assert_int_equal(f.latin1[0xE9], 1);
	assert_int_equal(f.latin1['x'], 3);
	assert_int_equal(f.latin1['y'], 0);
	assert_int_equal(psf_glyph(&f, 'x')[47], 3);
}

static void
test_psf2_malformed_utf8_is_skipped(void **state)
{
	struct psf_font f;
	size_t n = psf2_header(PSF2_HAS_UNICODE_TABLE, 2, 8, 8);

	buf[n++] = 0xC3;                        /* lead byte, then no continuation */
	buf[n++] = 'a';
	buf[n++] = PSF2_SEPARATOR;
	buf[n++] = 0xE2;                        /* cut short by the end of the file */
	assert_int_equal(psf_parse(&f, buf, n), 0);
	assert_int_equal(f.latin1['a'], 0);
}

static void
test_rejects(void **state)
{
	struct psf_font f;
	size_t n;

	memset(buf, 0, 64);
	assert_int_equal(psf_parse(&f, buf, 64), -1);           /* no magic */
	assert_int_equal(psf_parse(&f, buf, 0), -1);
	n = psf1(0, 0);
	assert_int_equal(psf_parse(&f, buf, n), -1);            /* zero height */
	n = psf2_header(0, 2, 40, 8);
	assert_int_equal(psf_parse(&f, buf, n), -1);            /* wider than PSF_MAX_WIDTH */
	n = psf2_header(0, 2, 8, 8);
	put32le(8, 4096);                                       /* header size past the end */
	assert_int_equal(psf_parse(&f, buf, n), -1);
	n = psf2_header(0, 2, 8, 8);
	put32le(20, 9);                                         /* glyph size that is not rows * height */
	assert_int_equal(psf_parse(&f, buf, n), -1);
	n = psf2_header(0, 2, 8, 8);
	put32le(16, 0x7FFFFFFF);                                /* more glyphs than bytes */
	assert_int_equal(psf_parse(&f, buf, n), -1);
}

/* The font the hypervisor builds in: the Makefile passes its path. */
static void
test_real_font(void **state)
{
	struct psf_font f;
	FILE *fp = fopen(FONT_PSF, "rb");
	size_t n;
	const uint8_t *a;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_int_equal(psf_parse(&f, buf, n), 0);
	assert_int_equal(f.width, 8);
	assert_int_equal(f.height, 16);
	/* 'A' has ink; ' ' has none; 'A' and 'B' differ */
	a = psf_glyph(&f, 'A');
	assert_true(a[5] != 0);
	for (uint32_t r = 0; r < f.height; r++)
		assert_int_equal(psf_glyph(&f, ' ')[r], 0);
	assert_true(memcmp(a, psf_glyph(&f, 'B'), f.glyph_bytes) != 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psf1_no_table_is_identity),
		cmocka_unit_test(test_psf1_table),
		cmocka_unit_test(test_psf1_512),
		cmocka_unit_test(test_psf2_utf8_table),
		cmocka_unit_test(test_psf2_malformed_utf8_is_skipped),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_real_font),
	};
	return cmocka_run_group_tests_name("psf", tests, NULL, NULL);
}
