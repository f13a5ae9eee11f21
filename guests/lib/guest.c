/*
 * guests/lib/guest.c: printing, the pass/fail report and the way out, for
 * 32- and 64-bit guests alike. The formatting is the hypervisor's own
 * lib/format.c, compiled again for the guest.
 */
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/serial.h"
#include "kernel/x86.h"
#include "lib/string.h"

#define LINE_MAX        256
#define QEMU_DEBUG_EXIT 0xF4    /* isa-debug-exit: QEMU exits with (code << 1) | 1 */

static int checks_failed;

static void
vprint(const char *prefix, const char *fmt, va_list ap)
{
	char buf[LINE_MAX];
	int n;

	serial_write(prefix, strlen(prefix));
	n = format_v(buf, sizeof(buf), fmt, ap);
	serial_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void
guest_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("", fmt, ap);
	va_end(ap);
}

bool
guest_hypervisor_present(void)
{
	static int present = -1;

	if (present < 0) {
		struct cpuid_regs r = cpuid(CPUID_HV_LEAF_BASE, 0);
		char sig[12];

		memcpy(sig, &r.ebx, 4);
		memcpy(sig + 4, &r.ecx, 4);
		memcpy(sig + 8, &r.edx, 4);
		present = (cpuid(1, 0).ecx & CPUID1_ECX_HYPERVISOR) &&
			  memcmp(sig, HYPERCALL_SIGNATURE, sizeof(sig)) == 0;
	}
	return present;
}

bool
guest_check(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(cond ? "ok: " : "FAIL: ", fmt, ap);
	va_end(ap);
	serial_putc('\r');
	serial_putc('\n');
	if (!cond)
		checks_failed++;
	return cond;
}

void
guest_pass(void)
{
	if (checks_failed) {
		guest_printf("FAIL: %s: %d check%s failed\n", guest_name, checks_failed,
			     checks_failed == 1 ? "" : "s");
		guest_exit(1);
	}
	guest_printf("PASS %s\n", guest_name);
	guest_exit(0);
}

void
guest_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("FAIL: ", fmt, ap);
	va_end(ap);
	serial_putc('\r');
	serial_putc('\n');
	guest_exit(1);
}

void
guest_exit(int code)
{
	if (guest_hypervisor_present())
		hypercall_exit(code);
	outl(QEMU_DEBUG_EXIT, (uint32_t)code);
	for (;;)
		__asm__ volatile("cli; hlt");
}
