/*
 * vm/guest_desc.c: a guest description, read from its boot module's
 * command line (the format is in vm/guest_desc.h). Pure logic, unit-tested
 * on the host (test/unit/test_guest_desc.c).
 */
#include "vm/guest_desc.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/format.h"
#include "lib/string.h"

#define GUEST_MEM_DEFAULT   MiB(16)
#define GUEST_MEM_MIN       MiB(1)
#define GUEST_MEM_ALIGN     KiB(4)          /* EPT maps whole 4 KiB pages */
#define GUEST_LOAD_DEFAULT  0x7c00          /* where a PC BIOS puts a boot sector */
#define VALUE_SHOWN         40              /* characters of a bad value quoted in an error */

#define NAME_EXPECTED       "expected 1-15 of a-z, 0-9, _ and -"
#define KIND_EXPECTED       "expected elf, multiboot, flat or linux"
#define LINUX_CMDLINE_DEFAULT "console=ttyS0"  /* its console on the guest's COM1 */

enum desc_key {
	KEY_NAME,
	KEY_KIND,
	KEY_MEM,
	KEY_CMDLINE,
	KEY_CONSOLE,
	KEY_TESTDEV,
	KEY_DEBUG,
	KEY_ON_CRASH,
	KEY_WEIGHT,
	KEY_LOAD,
	KEY_ENTRY,
	KEY_MODE,
	KEY_INITRD,
	KEY_COUNT,
};

static const char *const key_names[KEY_COUNT] = {
	[KEY_NAME] = "name",
	[KEY_KIND] = "kind",
	[KEY_MEM] = "mem",
	[KEY_CMDLINE] = "cmdline",
	[KEY_CONSOLE] = "console",
	[KEY_TESTDEV] = "testdev",
	[KEY_DEBUG] = "debug",
	[KEY_ON_CRASH] = "on_crash",
	[KEY_WEIGHT] = "weight",
	[KEY_LOAD] = "load",
	[KEY_ENTRY] = "entry",
	[KEY_MODE] = "mode",
	[KEY_INITRD] = "initrd",
};

struct word {
	char key[CMDLINE_KEY_MAX];
	char value[CMDLINE_VALUE_MAX];
	bool has_equals;        /* "key=value" or "key=", not a bare word */
};

/* The next word of *cursor, split at its first '=' (kernel/cmdline.c). */
static bool
next_word(const char **cursor, struct word *w)
{
	const char *start = *cursor;

	if (!cmdline_next(cursor, w->key, sizeof(w->key), w->value, sizeof(w->value)))
		return false;
	w->has_equals = false;
	for (const char *p = start; p < *cursor; p++)
		if (*p == '=')
			w->has_equals = true;
	return true;
}

/* Write "WHO: message" into err; always returns -1 for the caller to pass on. */
static int __printf(4, 5)
reject(char *err, size_t err_size, const char *who, const char *fmt, ...)
{
	size_t n = (size_t)format(err, err_size, "%s: ", who);
	va_list ap;

	if (n < err_size) {
		va_start(ap, fmt);
		format_v(err + n, err_size - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool
name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n >= GUEST_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

/*
 * Read a decimal or 0x-hex number at *s and advance past it. Returns 0,
 * -EINVAL when there are no digits, or -ERANGE when it does not fit in 64
 * bits.
 */
static int
parse_number(const char **s, uint64_t *out)
{
	const char *p = *s;
	unsigned base = 10;
	uint64_t v = 0;
	int digits = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (;; p++, digits++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (digits == 0)
		return -EINVAL;
	*s = p;
	*out = v;
	return 0;
}

/* A whole value that is one number: 0, -EINVAL or -ERANGE. */
static int
parse_address(const char *s, uint64_t *out)
{
	int r = parse_number(&s, out);

	if (r < 0)
		return r;
	return *s ? -EINVAL : 0;
}

/* A number of bytes with an optional K, M or G (either case): 0, -EINVAL or -ERANGE. */
static int
parse_size(const char *s, uint64_t *out)
{
	unsigned shift = 0;
	int r = parse_number(&s, out);

	if (r < 0)
		return r;
	switch (*s) {
	case 'k': case 'K': shift = 10; s++; break;
	case 'm': case 'M': shift = 20; s++; break;
	case 'g': case 'G': shift = 30; s++; break;
	}
	if (*s)
		return -EINVAL;
	if (*out > (UINT64_MAX >> shift))
		return -ERANGE;
	*out <<= shift;
	return 0;
}

static int
key_lookup(const char *key)
{
	for (int k = 0; k < KEY_COUNT; k++)
		if (!strcmp(key_names[k], key))
			return k;
	return -1;
}

/*
 * The first name= of line, if any (in name, cut to fit). Also says whether
 * the line holds any key=value word at all, so that a description that
 * forgot its name is told apart from a module that is not a guest.
 */
static bool
find_name(const char *line, char *name, size_t name_size, bool *any_key)
{
	struct word w;
	bool first = true;

	*any_key = false;
	while (next_word(&line, &w)) {
		bool skip = first && !w.has_equals;

		first = false;
		if (skip)
			continue;
		*any_key = true;
		if (!strcmp(w.key, "name")) {
			str_copy(name, w.value, name_size);
			return true;
		}
	}
	return false;
}

/* Apply one key's value to d; 0, or -1 with err filled. */
static int
apply(struct guest_desc *d, int key, const char *value, const char *who, char *err, size_t err_size)
{
	uint64_t n;
	int r;

	switch (key) {
	case KEY_NAME:
		break;                  /* read and checked by find_name */
	case KEY_KIND:
		if (!strcmp(value, "elf"))
			d->kind = GUEST_KIND_ELF;
		else if (!strcmp(value, "multiboot"))
			d->kind = GUEST_KIND_MULTIBOOT;
		else if (!strcmp(value, "flat"))
			d->kind = GUEST_KIND_FLAT;
		else if (!strcmp(value, "linux"))
			d->kind = GUEST_KIND_LINUX;
		else
			return reject(err, err_size, who, "kind=%.*s: " KIND_EXPECTED, VALUE_SHOWN, value);
		break;
	case KEY_MEM:
		r = parse_size(value, &d->mem);
		if (r == -ERANGE)
			return reject(err, err_size, who, "mem=%.*s: too large", VALUE_SHOWN, value);
		if (r < 0)
			return reject(err, err_size, who, "mem=%.*s: expected a size such as 16M (K, M or G)",
				    VALUE_SHOWN, value);
		if (d->mem < GUEST_MEM_MIN)
			return reject(err, err_size, who, "mem=%.*s: expected at least 1M", VALUE_SHOWN, value);
		if (!IS_ALIGNED(d->mem, GUEST_MEM_ALIGN))
			return reject(err, err_size, who, "mem=%.*s: expected a multiple of 4K", VALUE_SHOWN, value);
		break;
	case KEY_CMDLINE:
		str_copy(d->cmdline, value, sizeof(d->cmdline));
		break;
	case KEY_CONSOLE:
		if (!strcmp(value, "on"))
			d->console = true;
		else if (!strcmp(value, "off"))
			d->console = false;
		else
			return reject(err, err_size, who, "console=%.*s: expected on or off", VALUE_SHOWN, value);
		break;
	case KEY_DEBUG:
		if (!strcmp(value, "on"))
			d->debug = true;
		else if (!strcmp(value, "off"))
			d->debug = false;
		else
			return reject(err, err_size, who, "debug=%.*s: expected on or off", VALUE_SHOWN, value);
		break;
	case KEY_TESTDEV:
		if (!strcmp(value, "on"))
			d->testdev = true;
		else if (!strcmp(value, "off"))
			d->testdev = false;
		else
			return reject(err, err_size, who, "testdev=%.*s: expected on or off", VALUE_SHOWN, value);
		break;
	case KEY_ON_CRASH:
		if (!strcmp(value, "stop"))
			d->on_crash = GUEST_ON_CRASH_STOP;
		else if (!strcmp(value, "restart"))
			d->on_crash = GUEST_ON_CRASH_RESTART;
		else
			return reject(err, err_size, who, "on_crash=%.*s: expected stop or restart", VALUE_SHOWN, value);
		break;
	case KEY_WEIGHT:
		r = parse_address(value, &n);
		if (r < 0 || n < 1 || n > GUEST_WEIGHT_MAX)
			return reject(err, err_size, who, "weight=%.*s: expected a whole number from 1 to %d",
				    VALUE_SHOWN, value, GUEST_WEIGHT_MAX);
		d->weight = (uint32_t)n;
		break;
	case KEY_LOAD:
	case KEY_ENTRY:
		r = parse_address(value, key == KEY_LOAD ? &d->load : &d->entry);
		if (r == -ERANGE)
			return reject(err, err_size, who, "%s=%.*s: too large", key_names[key], VALUE_SHOWN, value);
		if (r < 0)
			return reject(err, err_size, who, "%s=%.*s: expected an address such as 0x7c00 (decimal or 0x hex)",
				    key_names[key], VALUE_SHOWN, value);
		break;
	case KEY_MODE:
		if (!strcmp(value, "real"))
			d->mode = GUEST_MODE_REAL;
		else if (!strcmp(value, "protected"))
			d->mode = GUEST_MODE_PROTECTED;
		else if (!strcmp(value, "long"))
			d->mode = GUEST_MODE_LONG;
		else
			return reject(err, err_size, who, "mode=%.*s: expected real, protected or long",
				    VALUE_SHOWN, value);
		break;
	case KEY_INITRD:
		if (!*value || strlen(value) >= sizeof(d->initrd))
			return reject(err, err_size, who, "initrd=%.*s: expected a module's file name (1-%zu characters)",
				    VALUE_SHOWN, value, sizeof(d->initrd) - 1);
		str_copy(d->initrd, value, sizeof(d->initrd));
		break;
	}
	return 0;
}

int
guest_desc_parse(const char *line, uint32_t module, struct guest_desc *d, char *err, size_t err_size)
{
	char who[GUEST_NAME_MAX + 16], name[CMDLINE_VALUE_MAX];
	bool seen[KEY_COUNT] = { false }, any_key, first = true;
	struct word w;

	format(who, sizeof(who), "module %u", module);
	if (!find_name(line, name, sizeof(name), &any_key)) {
		if (any_key)
			return reject(err, err_size, who, "no name=: every guest needs one (1-15 of a-z, 0-9, _ and -)");
		return 0;
	}
	if (!name_valid(name))
		return reject(err, err_size, who, "name=%.*s: " NAME_EXPECTED, VALUE_SHOWN, name);
	format(who, sizeof(who), "guest '%s'", name);

	memset(d, 0, sizeof(*d));
	str_copy(d->name, name, sizeof(d->name));
	d->mem = GUEST_MEM_DEFAULT;
	d->console = true;
	d->weight = 1;
	d->load = GUEST_LOAD_DEFAULT;
	d->mode = GUEST_MODE_REAL;
	d->module = module;

	while (next_word(&line, &w)) {
		int key;
		bool skip = first && !w.has_equals;

		first = false;
		if (skip)
			continue;
		if (!w.has_equals)
			return reject(err, err_size, who, "'%.*s': expected key=value", VALUE_SHOWN, w.key);
		key = key_lookup(w.key);
		if (key < 0)
			return reject(err, err_size, who, "unknown key '%.*s'", VALUE_SHOWN, w.key);
		if (seen[key])
			return reject(err, err_size, who, "%s= given twice", key_names[key]);
		seen[key] = true;
		if (apply(d, key, w.value, who, err, err_size) < 0)
			return -1;
	}

	if (!seen[KEY_KIND])
		return reject(err, err_size, who, "no kind=: " KIND_EXPECTED);
	if (d->kind != GUEST_KIND_FLAT) {
		for (int k = KEY_LOAD; k <= KEY_MODE; k++)
			if (seen[k])
				return reject(err, err_size, who, "%s= is only for kind=flat", key_names[k]);
	}
	if (d->kind != GUEST_KIND_LINUX && seen[KEY_INITRD])
		return reject(err, err_size, who, "initrd= is only for kind=linux");
	if (d->kind == GUEST_KIND_LINUX && !seen[KEY_CMDLINE])
		str_copy(d->cmdline, LINUX_CMDLINE_DEFAULT, sizeof(d->cmdline));
	return 1;
}

/*
 * Whether module line's first word names the file name: the whole word, or
 * its part after the last '/' (a loader that puts the file's path first).
 */
static bool
module_named(const char *line, const char *name)
{
	const char *start, *end, *base;

	while (*line == ' ' || *line == '\t')
		line++;
	start = base = line;
	for (end = start; *end && *end != ' ' && *end != '\t'; end++)
		if (*end == '/')
			base = end + 1;
	return (strlen(name) == (size_t)(end - start) && !memcmp(start, name, (size_t)(end - start))) ||
	       (strlen(name) == (size_t)(end - base) && !memcmp(base, name, (size_t)(end - base)));
}

/*
 * Find the module d->initrd names. Returns 0 with d->initrd_module set, or
 * -1 after logging why: no module or two modules have that name, or it is
 * a guest (or a bad description) rather than a file.
 */
static int
find_initrd(const struct boot_info *bi, struct guest_desc *d)
{
	char err[GUEST_ERROR_MAX];
	struct guest_desc other;
	int found = -1;

	for (uint32_t i = 0; i < bi->module_count; i++) {
		if (!module_named(bi->modules[i].cmdline, d->initrd))
			continue;
		if (found >= 0) {
			log_err("guest '%s': initrd=%s: modules %d and %u both have that name", d->name, d->initrd,
				found, i);
			return -1;
		}
		found = (int)i;
	}
	if (found < 0) {
		log_err("guest '%s': initrd=%s: no boot module has that name (the first word of its command line)",
			d->name, d->initrd);
		return -1;
	}
	if (guest_desc_parse(bi->modules[found].cmdline, (uint32_t)found, &other, err, sizeof(err)) != 0) {
		log_err("guest '%s': initrd=%s: module %d is a guest description, not an initrd", d->name,
			d->initrd, found);
		return -1;
	}
	d->initrd_module = (uint32_t)found;
	return 0;
}

int
guest_desc_parse_all(const struct boot_info *bi, struct guest_desc *out, int max)
{
	char err[GUEST_ERROR_MAX];
	struct guest_desc d;
	bool bad = false;
	int n = 0;

	for (uint32_t i = 0; i < bi->module_count; i++) {
		int r = guest_desc_parse(bi->modules[i].cmdline, i, &d, err, sizeof(err)), other = -1;

		if (r < 0) {
			log_err("%s", err);
			bad = true;
			continue;
		}
		if (r == 0)
			continue;
		if (d.initrd[0] && find_initrd(bi, &d) < 0) {
			bad = true;
			continue;
		}
		for (int j = 0; j < n; j++)
			if (!strcmp(out[j].name, d.name))
				other = j;
		if (other >= 0) {
			log_err("module %u: name=%s: expected a name no other guest has (module %u has it too)",
				i, d.name, out[other].module);
			bad = true;
		} else if (n == max) {
			log_err("guest '%s': too many guests: at most %d", d.name, max);
			bad = true;
		} else {
			out[n++] = d;
		}
	}
	return bad ? -1 : n;
}
