/*
 * drivers/fbcon_font.S: the console font, built in.
 *
 * extern const uint8_t fbcon_font[], fbcon_font_end[];
 *   The bytes of the PSF file FONT_PSF (the Makefile gunzips it from
 *   Debian's console-setup-linux, /usr/share/consolefonts/) as they are.
 */
	.section .rodata
	.globl fbcon_font, fbcon_font_end
	.balign 16
fbcon_font:
	.incbin FONT_PSF
fbcon_font_end:
