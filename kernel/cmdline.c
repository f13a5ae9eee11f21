/*
 * kernel/cmdline.c: split and apply the hypervisor command line.
 * Pure logic, unit-tested on the host (test/unit/test_cmdline.c).
 */
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "lib/string.h"

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool
cmdline_next(const char **cursor, char *key, size_t key_size, char *value, size_t value_size)
{
	const char *p = *cursor;
	size_t k = 0, v = 0;
	bool in_value = false, quoted = false;

	while (is_space(*p))
		p++;
	if (*p == '\0') {
		*cursor = p;
		return false;
	}
	for (; *p; p++) {
		char c = *p;

		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && is_space(c))
			break;
		if (!in_value && c == '=') {
			in_value = true;
			continue;
		}
		if (!in_value) {
			if (k + 1 < key_size)
				key[k++] = c;
		} else if (v + 1 < value_size) {
			value[v++] = c;
		}
	}
	key[k] = '\0';
	value[v] = '\0';
	*cursor = p;
	return true;
}

int
cmdline_apply(const char *line, const struct cmdline_option *opts, size_t count)
{
	char key[CMDLINE_KEY_MAX], value[CMDLINE_VALUE_MAX];
	int reported = 0;

	while (cmdline_next(&line, key, sizeof(key), value, sizeof(value))) {
		const struct cmdline_option *o = NULL;

		for (size_t i = 0; i < count; i++) {
			if (!strcmp(opts[i].key, key)) {
				o = &opts[i];
				break;
			}
		}
		if (!o) {
			log_warn("cmdline: unknown option '%s' ignored", key);
			reported++;
		} else if (o->set(value) < 0) {
			log_warn("cmdline: %s=%s: expected %s; option ignored", key, value, o->expected);
			reported++;
		}
	}
	return reported;
}
