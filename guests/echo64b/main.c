/*
 * guests/echo64b/main.c: a second copy of guests/echo64, to run beside it
 * (a boot image holds each guest file once).
 */
#include "guests/echo64/main.c"
