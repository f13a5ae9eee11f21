/*
 * drivers/psf.h: PC Screen Font files, the Linux console's bitmap fonts
 * (PSF1 and PSF2, as kbd's psfxtable(1) and console-setup write them).
 */
#ifndef DRIVERS_PSF_H
#define DRIVERS_PSF_H

#include "kernel/compiler.h"

#define PSF1_MAGIC0         0x36
#define PSF1_MAGIC1         0x04
#define PSF1_MODE512        0x01    /* 512 glyphs, not 256 */
#define PSF1_MODEHASTAB     0x02    /* a Unicode table follows the glyphs */
#define PSF1_MODESEQ        0x04    /* the table may hold sequences */
#define PSF1_HEADER_SIZE    4
#define PSF1_SEPARATOR      0xFFFF  /* ends one glyph's table entry */
#define PSF1_STARTSEQ       0xFFFE  /* starts a sequence of code points */

#define PSF2_MAGIC          0x864AB572u
#define PSF2_HAS_UNICODE_TABLE 0x01 /* flags */
#define PSF2_HEADER_SIZE    32
#define PSF2_SEPARATOR      0xFF
#define PSF2_STARTSEQ       0xFE

#define PSF_MAX_WIDTH       32
#define PSF_MAX_HEIGHT      64
#define PSF_NO_GLYPH        0xFFFF

struct psf_font {
	const uint8_t *glyphs;          /* glyph 0; each glyph is height rows */
	uint32_t count;                 /* glyphs */
	uint32_t width, height;         /* pixels */
	uint32_t row_bytes;             /* bytes per row: (width + 7) / 8, MSB leftmost */
	uint32_t glyph_bytes;
	uint16_t latin1[256];           /* code point 0-255 -> glyph index */
};

/*
 * Parse a PSF1 or PSF2 font of size bytes at data (which must outlive f).
 * Returns 0, or -1 when it is neither, is truncated or has a glyph size
 * outside 1..PSF_MAX_WIDTH x 1..PSF_MAX_HEIGHT. Code points the Unicode
 * table does not name fall back to the glyph for '?' (to the glyph of the
 * same number when the font has no table).
 */
int psf_parse(struct psf_font *f, const void *data, size_t size);

/* The bitmap of the glyph that shows Latin-1 character c. */
const uint8_t *psf_glyph(const struct psf_font *f, uint8_t c);

#endif
