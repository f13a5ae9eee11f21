/*
 * kernel/console.h: where the hypervisor's text goes: the serial port, the
 * VGA text screen, or both (command-line option console=).
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "boot/boot_info.h"

#define CONSOLE_SERIAL  BIT(0)
#define CONSOLE_SCREEN  BIT(1)

void console_early_init(void);
void console_init(const struct boot_info *bi);
int console_set_option(const char *value);
void console_write(const char *s, size_t n);
/* Text that may leave its line open (a guest's prompt, the echo of what
 * is typed), under the console lock: owner's line starts with prefix;
 * anything else printed meanwhile first ends the open line. */
void console_write_open(const void *owner, const char *prefix, const char *s, size_t n);
bool console_line_is_open(const void *owner);
/* A byte typed on the console (the serial port), or -1 when none waits. */
int console_getc(void);
/* Print without level, prefix or added newline, and without the lock:
 * for multi-line reports the caller brackets with console_lock(). */
void console_printf(const char *fmt, ...) __printf(1, 2);
void console_lock(void);
void console_unlock(void);
bool console_lock_for_panic(void);

#endif
