/*
 * kernel/cmdline.h: the hypervisor's command line, "key=value key2=value2".
 * A value may be quoted ("a b") to hold spaces. An unknown key or a bad
 * value is reported by name and ignored; it never stops the boot.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/compiler.h"

#define CMDLINE_KEY_MAX     32
#define CMDLINE_VALUE_MAX   256

struct cmdline_option {
	const char *key;
	int (*set)(const char *value);  /* 0 on success, negative when the value is bad */
	const char *expected;           /* what a good value looks like, for the message */
};

/*
 * Take the next word from *cursor and split it at the first '='; a word
 * with no '=' has an empty value. Over-long keys and values are cut to fit.
 * Returns false when the line is used up.
 */
bool cmdline_next(const char **cursor, char *key, size_t key_size, char *value, size_t value_size);

/* Apply every word of line to the matching option. Returns how many words
 * were reported (unknown keys and bad values). */
int cmdline_apply(const char *line, const struct cmdline_option *opts, size_t count);

/* The hypervisor's own options (kernel/options.c). */
extern const struct cmdline_option kernel_options[];
extern const size_t kernel_options_count;

#endif
