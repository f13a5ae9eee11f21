/*
 * drivers/vga.h: the VGA-compatible text screen (80x25 at 0xB8000) that
 * BIOS machines and GRUB's text mode leave us.
 */
#ifndef DRIVERS_VGA_H
#define DRIVERS_VGA_H

#include "kernel/compiler.h"

void vga_init(uint64_t phys, uint32_t cols, uint32_t rows);
void vga_write(const char *s, size_t n);

#endif
