/*
 * kernel/log.c: format a line, then hand it whole to the console under its
 * lock so lines from different CPUs never interleave.
 */
#include "kernel/log.h"
#include "kernel/console.h"
#include "lib/format.h"
#include "lib/string.h"

#define LOG_LINE_MAX    512

static int log_level = LOG_INFO;

static const char *const level_names[] = {
	[LOG_ERR] = "error",
	[LOG_WARN] = "warn",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

static const char *const level_prefix[] = {
	[LOG_ERR] = "error: ",
	[LOG_WARN] = "warning: ",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ",
};

/* log=error|warn|info|debug */
int
log_set_option(const char *value)
{
	for (int i = 0; i < (int)ARRAY_SIZE(level_names); i++) {
		if (!strcmp(value, level_names[i])) {
			log_level = i;
			return 0;
		}
	}
	return -1;
}

void
log_vprintf(int level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	size_t n;

	if (level > log_level)
		return;
	n = str_copy(line, level_prefix[level], sizeof(line));
	n += (size_t)format_v(line + n, sizeof(line) - n - 1, fmt, ap);
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	console_lock();
	console_write(line, n);
	console_unlock();
}

void
log_printf(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}
