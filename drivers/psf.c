/*
 * drivers/psf.c: reading PC Screen Font files (PSF1 and PSF2). The formats
 * are those of the Linux console (kbd, "psffontop.h"): a header, the glyph
 * bitmaps one after another, and an optional table that lists, per glyph,
 * the Unicode code points it shows. Only code points 0-255 are kept, which
 * is all the hypervisor prints.
 */
#include "drivers/psf.h"
#include "lib/string.h"

static uint32_t
get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
note(struct psf_font *f, uint32_t cp, uint32_t glyph)
{
	if (cp < ARRAY_SIZE(f->latin1) && f->latin1[cp] == PSF_NO_GLYPH)
		f->latin1[cp] = glyph;
}

/* PSF1 table: per glyph, little-endian UCS-2 values up to PSF1_SEPARATOR;
 * after PSF1_STARTSEQ come sequences, which are not single characters. */
static void
table_psf1(struct psf_font *f, const uint8_t *p, const uint8_t *end)
{
	uint32_t glyph = 0;
	bool in_seq = false;

	for (; p + 2 <= end && glyph < f->count; p += 2) {
		uint32_t v = p[0] | (uint32_t)p[1] << 8;

		if (v == PSF1_SEPARATOR) {
			glyph++;
			in_seq = false;
		} else if (v == PSF1_STARTSEQ) {
			in_seq = true;
		} else if (!in_seq) {
			note(f, v, glyph);
		}
	}
}

/* Decode one UTF-8 character at *pp (advancing it); 0xFFFFFFFF if malformed. */
static uint32_t
utf8_next(const uint8_t **pp, const uint8_t *end)
{
	const uint8_t *p = *pp;
	uint32_t cp, more;

	if (p[0] < 0x80) {
		cp = p[0], more = 0;
	} else if ((p[0] & 0xE0) == 0xC0) {
		cp = p[0] & 0x1F, more = 1;
	} else if ((p[0] & 0xF0) == 0xE0) {
		cp = p[0] & 0x0F, more = 2;
	} else if ((p[0] & 0xF8) == 0xF0) {
		cp = p[0] & 0x07, more = 3;
	} else {
		*pp = p + 1;
		return 0xFFFFFFFF;
	}
	p++;
	while (more--) {
		if (p >= end || (*p & 0xC0) != 0x80) {
			*pp = p;
			return 0xFFFFFFFF;
		}
		cp = cp << 6 | (*p++ & 0x3F);
	}
	*pp = p;
	return cp;
}

/* PSF2 table: per glyph, UTF-8 characters up to PSF2_SEPARATOR; sequences
 * after PSF2_STARTSEQ. */
static void
table_psf2(struct psf_font *f, const uint8_t *p, const uint8_t *end)
{
	uint32_t glyph = 0;
	bool in_seq = false;

	while (p < end && glyph < f->count) {
		if (*p == PSF2_SEPARATOR) {
			glyph++;
			in_seq = false;
			p++;
		} else if (*p == PSF2_STARTSEQ) {
			in_seq = true;
			p++;
		} else {
			uint32_t cp = utf8_next(&p, end);

			if (!in_seq && cp != 0xFFFFFFFF)
				note(f, cp, glyph);
		}
	}
}

int
psf_parse(struct psf_font *f, const void *data, size_t size)
{
	const uint8_t *d = data, *table = NULL, *end = d + size;
	uint32_t header, flags = 0;

	memset(f, 0, sizeof(*f));
	if (size >= PSF1_HEADER_SIZE && d[0] == PSF1_MAGIC0 && d[1] == PSF1_MAGIC1) {
		header = PSF1_HEADER_SIZE;
		f->count = d[2] & PSF1_MODE512 ? 512 : 256;
		f->width = 8;
		f->height = d[3];
		flags = d[2] & PSF1_MODEHASTAB;
	} else if (size >= PSF2_HEADER_SIZE && get32(d) == PSF2_MAGIC) {
		header = get32(d + 8);
		flags = get32(d + 12) & PSF2_HAS_UNICODE_TABLE;
		f->count = get32(d + 16);
		f->glyph_bytes = get32(d + 20);
		f->height = get32(d + 24);
		f->width = get32(d + 28);
		if (header < PSF2_HEADER_SIZE || header > size)
			return -1;
	} else {
		return -1;
	}
	if (f->width == 0 || f->width > PSF_MAX_WIDTH || f->height == 0 || f->height > PSF_MAX_HEIGHT ||
	    f->count == 0 || f->count > 0x10000)
		return -1;
	f->row_bytes = (f->width + 7) / 8;
	if (f->glyph_bytes == 0)
		f->glyph_bytes = f->row_bytes * f->height;
	if (f->glyph_bytes != f->row_bytes * f->height)
		return -1;
	if ((uint64_t)f->count * f->glyph_bytes > size - header)
		return -1;
	f->glyphs = d + header;
	if (flags)
		table = f->glyphs + (size_t)f->count * f->glyph_bytes;

	for (uint32_t c = 0; c < ARRAY_SIZE(f->latin1); c++)
		f->latin1[c] = PSF_NO_GLYPH;
	if (table && d[0] == PSF1_MAGIC0)
		table_psf1(f, table, end);
	else if (table)
		table_psf2(f, table, end);
	for (uint32_t c = 0; c < ARRAY_SIZE(f->latin1); c++) {
		if (f->latin1[c] != PSF_NO_GLYPH)
			continue;
		if (!table && c < f->count)
			f->latin1[c] = c;
		else
			f->latin1[c] = f->latin1['?'] != PSF_NO_GLYPH ? f->latin1['?'] : 0;
	}
	return 0;
}

const uint8_t *
psf_glyph(const struct psf_font *f, uint8_t c)
{
	return f->glyphs + (size_t)f->latin1[c] * f->glyph_bytes;
}
