/*
 * lib/format.h: printf-style formatting into a buffer, shared by the
 * console log, panic() and anything that builds a string.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, with flags '-' '0' '+' ' ' '#',
 * a width and precision (numbers or '*'), and the length modifiers
 * hh h l ll z t j. No floating point: the hypervisor uses no FPU state.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include "kernel/compiler.h"

/* Like C's vsnprintf: writes at most size bytes including the terminator
 * and returns the length the whole output would have had. */
int format_v(char *buf, size_t size, const char *fmt, va_list ap);
int format(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
