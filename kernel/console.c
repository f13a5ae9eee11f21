/*
 * kernel/console.c: fans the hypervisor's text out to its sinks. The serial
 * port is up from the first line of C (console_early_init); the screen joins
 * once the boot information says what kind of screen there is.
 */
#include "kernel/console.h"
#include "drivers/fbcon.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/spinlock.h"
#include "lib/format.h"
#include "lib/string.h"

static struct spinlock console_spinlock = SPINLOCK_INIT;
static uint32_t console_wanted = CONSOLE_SERIAL | CONSOLE_SCREEN;
static uint32_t console_active;
static bool console_fb;                 /* the screen is a framebuffer (drivers/fbcon.c) */
static const void *open_owner;          /* whose partial line ends the console's output */

void
console_early_init(void)
{
	if (serial_init(SERIAL_COM1))
		console_active |= CONSOLE_SERIAL;
}

/*
 * Bring up the screen the loader left us: VGA text mode when it says so,
 * or says nothing (a BIOS machine), else a linear framebuffer drawn on with
 * the built-in font.
 */
void
console_init(const struct boot_info *bi)
{
	const struct boot_framebuffer *fb = &bi->fb;

	if (fb->type == BOOT_FB_TEXT)
		vga_init(fb->addr, fb->width, fb->height);
	else if (fb->type == BOOT_FB_NONE)
		vga_init(0xB8000, 80, 25);
	else if (fbcon_init(fb, fbcon_font, fbcon_font_end - fbcon_font) == 0)
		console_fb = true;
	else
		return;
	console_active |= CONSOLE_SCREEN;
}

/* console=serial | screen | serial,screen ("vga" is taken for "screen") */
int
console_set_option(const char *value)
{
	uint32_t mask = 0;
	const char *p = value;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == 6 && !strncmp(p, "serial", n))
			mask |= CONSOLE_SERIAL;
		else if ((n == 6 && !strncmp(p, "screen", n)) || (n == 3 && !strncmp(p, "vga", n)))
			mask |= CONSOLE_SCREEN;
		else
			return -1;
		p += n + (end != NULL);
	}
	if (!mask)
		return -1;
	console_wanted = mask;
	return 0;
}

static void
sinks_write(const char *s, size_t n)
{
	uint32_t on = console_active & console_wanted;

	if (on & CONSOLE_SERIAL)
		serial_write(s, n);
	if ((on & CONSOLE_SCREEN) && console_fb)
		fbcon_write(s, n);
	else if (on & CONSOLE_SCREEN)
		vga_write(s, n);
}

void
console_write(const char *s, size_t n)
{
	if (open_owner) {
		sinks_write("\n", 1);  /* an open line ends before anything else */
		open_owner = NULL;
	}
	sinks_write(s, n);
}

void
console_write_open(const void *owner, const char *prefix, const char *s, size_t n)
{
	if (open_owner != owner) {
		if (open_owner)
			sinks_write("\n", 1);
		sinks_write(prefix, strlen(prefix));
		open_owner = owner;
	}
	if (!n)
		return;
	sinks_write(s, n);
	if (s[n - 1] == '\n')
		open_owner = NULL;
}

bool
console_line_is_open(const void *owner)
{
	return open_owner == owner;
}

int
console_getc(void)
{
	return serial_getc();
}

void
console_lock(void)
{
	spin_lock(&console_spinlock);
}

void
console_unlock(void)
{
	spin_unlock(&console_spinlock);
}

/* The panic path takes the lock if it can and prints regardless. */
bool
console_lock_for_panic(void)
{
	return spin_lock_timeout(&console_spinlock, 10000000);
}

void
console_printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_v(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_write(line, MIN((size_t)n, sizeof(line) - 1));
}
