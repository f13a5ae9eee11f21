/*
 * test/unit/fake.c: the host-side stand-ins declared in fake.h, plus the
 * kernel functions every tested file may call (log, panic).
 */
#include "test/unit/fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/log.h"
#include "kernel/panic.h"
#include "mm/phys.h"

static uint8_t *phys_mem;
static char log_buf[64 * 1024];
static size_t log_len;

void
fake_phys_reset(void)
{
	if (!phys_mem) {
		phys_mem = aligned_alloc(4096, FAKE_PHYS_SIZE);
		assert_non_null(phys_mem);
	}
	memset(phys_mem, 0, FAKE_PHYS_SIZE);
}

uint8_t *
fake_phys_base(void)
{
	if (!phys_mem)
		fake_phys_reset();
	return phys_mem;
}

void *
phys_to_virt(uint64_t pa)
{
	if (pa >= FAKE_PHYS_SIZE)
		fail_msg("phys_to_virt(%#llx): past the %u MiB of fake physical memory",
			 (unsigned long long)pa, FAKE_PHYS_SIZE >> 20);
	return fake_phys_base() + pa;
}

uint64_t
virt_to_phys(const void *va)
{
	const uint8_t *p = va;

	if (p < fake_phys_base() || p >= fake_phys_base() + FAKE_PHYS_SIZE)
		fail_msg("virt_to_phys(%p): not in fake physical memory", va);
	return (uint64_t)(p - fake_phys_base());
}

void
fake_log_reset(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

const char *
fake_log_text(void)
{
	return log_buf;
}

int
fake_log_contains(const char *needle)
{
	return strstr(log_buf, needle) != NULL;
}

void
log_vprintf(int level, const char *fmt, va_list ap)
{
	int n;

	(void)level;
	n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len - 1, fmt, ap);
	if (n > 0)
		log_len = strlen(log_buf);
	if (log_len + 1 < sizeof(log_buf)) {
		log_buf[log_len++] = '\n';
		log_buf[log_len] = '\0';
	}
}

void
log_printf(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}

void
panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail_msg("panic: %s", msg);
	abort();
}
