/*
 * kernel/log.h: leveled, line-oriented logging. Each call prints one line
 * (the newline is added). The level is set by the command line (log=).
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include "kernel/compiler.h"

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

void log_printf(int level, const char *fmt, ...) __printf(2, 3);
void log_vprintf(int level, const char *fmt, va_list ap);
int log_set_option(const char *value);

#define log_err(...)    log_printf(LOG_ERR, __VA_ARGS__)
#define log_warn(...)   log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...)   log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...)  log_printf(LOG_DEBUG, __VA_ARGS__)

#endif
