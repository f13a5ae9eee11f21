/*
 * drivers/fbcon.h: a text console drawn on a linear framebuffer (the GOP
 * framebuffer UEFI leaves, or the one GRUB sets up), for machines with no
 * VGA text mode.
 */
#ifndef DRIVERS_FBCON_H
#define DRIVERS_FBCON_H

#include "boot/boot_info.h"
#include "drivers/psf.h"

/*
 * Start drawing on fb (BOOT_FB_RGB, 16, 24 or 32 bits per pixel) with the
 * PSF font of font_size bytes at font. Clears the screen. Returns 0, or
 * -EINVAL for a framebuffer or font it cannot use (nothing is drawn then).
 */
int fbcon_init(const struct boot_framebuffer *fb, const void *font, size_t font_size);

/* Draw text; '\n' starts a new line, '\r' returns to column 0. */
void fbcon_write(const char *s, size_t n);

/* The font built into the hypervisor (Makefile: FONT_PSF). */
extern const uint8_t fbcon_font[], fbcon_font_end[];

#endif
