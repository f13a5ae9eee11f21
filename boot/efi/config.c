/*
 * boot/efi/config.c: parsing the UEFI loader's configuration file (the
 * format: boot/efi/config.h). Self-contained: the loader links no C
 * library beyond GNU-EFI's memcpy and memset.
 */
#include "boot/efi/config.h"
#include "lib/string.h"

/* err = "line N: " what [quoted] */
static int
config_error(char *err, size_t size, uint32_t line, const char *what, const char *quoted, size_t qlen)
{
	char num[12];
	size_t n = 0, k = 0;

	do {
		num[k++] = '0' + line % 10;
		line /= 10;
	} while (line && k < sizeof(num));
#define PUT(ch) do { char c_ = (ch); if (n + 1 < size) err[n++] = c_; } while (0)
	for (const char *s = "line "; *s; s++)
		PUT(*s);
	while (k)
		PUT(num[--k]);
	PUT(':');
	PUT(' ');
	for (const char *s = what; *s; s++)
		PUT(*s);
	if (quoted) {
		PUT(' ');
		PUT('\'');
		for (size_t i = 0; i < qlen && i < 40; i++)
			PUT(quoted[i]);
		PUT('\'');
	}
#undef PUT
	if (size)
		err[n] = '\0';
	return -1;
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Copy a path, '/' turned into '\', with a leading '\'. False if too long. */
static bool
copy_path(char *dst, const char *s, size_t n)
{
	size_t o = 0;

	if (n == 0 || (s[0] != '/' && s[0] != '\\'))
		dst[o++] = '\\';
	for (size_t i = 0; i < n; i++) {
		if (o + 1 >= CONFIG_PATH_MAX)
			return false;
		dst[o++] = s[i] == '/' ? '\\' : s[i];
	}
	dst[o] = '\0';
	return true;
}

static bool
copy_text(char *dst, size_t size, const char *s, size_t n)
{
	if (n + 1 > size)
		return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

static bool
word_is(const char *w, size_t n, const char *kw)
{
	size_t i = 0;

	for (; i < n && kw[i]; i++)
		if (w[i] != kw[i])
			return false;
	return i == n && kw[i] == '\0';
}

int
config_parse(struct config *c, const char *text, size_t len, char *err, size_t err_size)
{
	size_t pos = 0;
	uint32_t line = 0;
	bool have_cmdline = false;

	memset(c, 0, sizeof(*c));
	while (pos < len) {
		size_t start = pos, end, w, wend, rest;

		while (pos < len && text[pos] != '\n')
			pos++;
		end = pos++;
		line++;
		if (end > start && text[end - 1] == '\r')
			end--;
		w = start;
		while (w < end && is_space(text[w]))
			w++;
		if (w == end || text[w] == '#')
			continue;
		wend = w;
		while (wend < end && !is_space(text[wend]))
			wend++;
		rest = wend;
		while (rest < end && is_space(text[rest]))
			rest++;
		while (end > rest && is_space(text[end - 1]))
			end--;

		if (word_is(text + w, wend - w, "kernel")) {
			size_t pend = rest;

			while (pend < end && !is_space(text[pend]))
				pend++;
			if (c->kernel[0])
				return config_error(err, err_size, line, "a second kernel line", NULL, 0);
			if (pend == rest || pend != end)
				return config_error(err, err_size, line, "kernel takes one path", NULL, 0);
			if (!copy_path(c->kernel, text + rest, pend - rest))
				return config_error(err, err_size, line, "path too long", text + rest, pend - rest);
		} else if (word_is(text + w, wend - w, "cmdline")) {
			if (have_cmdline)
				return config_error(err, err_size, line, "a second cmdline line", NULL, 0);
			if (!copy_text(c->cmdline, sizeof(c->cmdline), text + rest, end - rest))
				return config_error(err, err_size, line, "command line too long", NULL, 0);
			have_cmdline = true;
		} else if (word_is(text + w, wend - w, "module")) {
			struct config_module *m;
			size_t pend = rest, d;

			while (pend < end && !is_space(text[pend]))
				pend++;
			if (pend == rest)
				return config_error(err, err_size, line, "module needs a path", NULL, 0);
			if (c->module_count == BOOT_MAX_MODULES)
				return config_error(err, err_size, line, "too many modules", NULL, 0);
			m = &c->modules[c->module_count++];
			if (!copy_path(m->path, text + rest, pend - rest))
				return config_error(err, err_size, line, "path too long", text + rest, pend - rest);
			d = pend;
			while (d < end && is_space(text[d]))
				d++;
			if (!copy_text(m->desc, sizeof(m->desc), text + d, end - d))
				return config_error(err, err_size, line, "module description too long", NULL, 0);
		} else {
			return config_error(err, err_size, line, "unknown keyword", text + w, wend - w);
		}
	}
	if (!c->kernel[0])
		return config_error(err, err_size, line, "no kernel line in the file", NULL, 0);
	return 0;
}
