/*
 * lib/format.c: a small vsnprintf. Pure logic, unit-tested on the host
 * against the host's own printf (test/unit/test_format.c).
 */
#include "lib/format.h"
#include "lib/string.h"

struct out {
	char *buf;
	size_t size;
	size_t len;             /* what would have been written */
};

static void
put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

enum {
	F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16, F_UPPER = 32,
};

static void
put_number(struct out *o, uint64_t v, bool negative, unsigned base, int flags, int width, int prec)
{
	const char *digits = (flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len;
	char sign = 0;
	const char *prefix = "";

	if (negative)
		sign = '-';
	else if (flags & F_PLUS)
		sign = '+';
	else if (flags & F_SPACE)
		sign = ' ';

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if ((flags & F_ALT) && base == 16 && n > 0)
		prefix = (flags & F_UPPER) ? "0X" : "0x";
	if ((flags & F_ALT) && base == 8 && (prec <= n))
		prec = n + 1;
	if (prec < 0 && n == 0)
		tmp[n++] = '0';         /* plain zero; "%.0d" of 0 prints nothing */

	len = MAX(n, prec) + (sign != 0) + (int)strlen(prefix);
	if (prec >= 0)
		flags &= ~F_ZERO;
	if (!(flags & (F_LEFT | F_ZERO)))
		pad(o, ' ', width - len);
	if (sign)
		put(o, sign);
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	if (flags & F_ZERO)
		pad(o, '0', width - len);
	pad(o, '0', prec - n);
	while (n > 0)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		pad(o, ' ', width - len);
}

int
format_v(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int flags = 0, width = 0, prec = -1, lmod = 0;
		unsigned base = 10;
		bool is_signed = false;
		uint64_t u;
		int64_t s;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (;;) {
			char f = *++fmt;
			if (f == '-') flags |= F_LEFT;
			else if (f == '0') flags |= F_ZERO;
			else if (f == '+') flags |= F_PLUS;
			else if (f == ' ') flags |= F_SPACE;
			else if (f == '#') flags |= F_ALT;
			else break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		/* lmod: -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t / ptrdiff_t / intmax_t */
		for (;; fmt++) {
			if (*fmt == 'h') lmod--;
			else if (*fmt == 'l') lmod++;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') lmod = 2;
			else break;
		}
		if (flags & F_LEFT)
			flags &= ~F_ZERO;

		switch (*fmt) {
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'X':
			flags |= F_UPPER;
			/* fall through */
		case 'x':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		case 'p':
			put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, flags | F_ALT, width, prec);
			continue;
		case 'c':
			if (!(flags & F_LEFT))
				pad(&o, ' ', width - 1);
			put(&o, (char)va_arg(ap, int));
			if (flags & F_LEFT)
				pad(&o, ' ', width - 1);
			continue;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int n;
			if (!str)
				str = "(null)";
			n = (int)(prec >= 0 ? strnlen(str, (size_t)prec) : strlen(str));
			if (!(flags & F_LEFT))
				pad(&o, ' ', width - n);
			for (int i = 0; i < n; i++)
				put(&o, str[i]);
			if (flags & F_LEFT)
				pad(&o, ' ', width - n);
			continue;
		}
		case '%':
			put(&o, '%');
			continue;
		case '\0':
			fmt--;          /* a lone '%' at the end: stop cleanly */
			continue;
		default:
			put(&o, '%');
			put(&o, *fmt);
			continue;
		}

		if (is_signed) {
			if (lmod >= 2) s = va_arg(ap, long long);
			else if (lmod == 1) s = va_arg(ap, long);
			else s = va_arg(ap, int);
			if (lmod == -1) s = (short)s;
			if (lmod <= -2) s = (signed char)s;
			u = s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
			put_number(&o, u, s < 0, base, flags, width, prec);
		} else {
			if (lmod >= 2) u = va_arg(ap, unsigned long long);
			else if (lmod == 1) u = va_arg(ap, unsigned long);
			else u = va_arg(ap, unsigned int);
			if (lmod == -1) u = (unsigned short)u;
			if (lmod <= -2) u = (unsigned char)u;
			put_number(&o, u, false, base, flags & ~(F_PLUS | F_SPACE), width, prec);
		}
	}
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int
format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_v(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
