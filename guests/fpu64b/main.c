/*
 * guests/fpu64b/main.c: a second copy of guests/fpu64, to run beside it
 * (a boot image holds each guest file once).
 */
#define FPU_GUEST_NAME "fpu64b"
#include "guests/fpu64/main.c"
