/*
 * kernel/panic.c: the last words of a CPU whose hypervisor state is broken.
 * Everything goes to the console (serial first), taking the console lock
 * only if it comes free, since the CPU that holds it may be this one.
 * The backtrace follows the frame-pointer chain (we build with
 * -fno-omit-frame-pointer); decode it with
 *     addr2line -f -e build/hypervisor.elf ADDRESS...
 */
#include "kernel/panic.h"
#include "kernel/console.h"
#include "kernel/percpu.h"
#include "kernel/power.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "lib/format.h"

#define BACKTRACE_MAX   24

static volatile int panicking;

static void
print_regs(const struct trap_frame *tf)
{
	console_printf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
	console_printf("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", tf->rsi, tf->rdi, tf->rbp, tf->rsp);
	console_printf("  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", tf->r8, tf->r9, tf->r10, tf->r11);
	console_printf("  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", tf->r12, tf->r13, tf->r14, tf->r15);
	console_printf("  rip %016lx rflags %08lx cs %04lx ss %04lx\n", tf->rip, tf->rflags, tf->cs, tf->ss);
	console_printf("  cr0 %016lx cr2 %016lx cr3 %016lx cr4 %016lx\n", read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

static void
print_backtrace(uint64_t rip, uint64_t rbp)
{
	console_printf("backtrace (addr2line -f -e build/hypervisor.elf):\n  #0  %016lx\n", rip);
	for (int i = 1; i < BACKTRACE_MAX && rbp; i++) {
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
		uint64_t next = frame[0];

		if (!IS_ALIGNED(rbp, 8) || rbp < 0x1000 || frame[1] == 0)
			break;
		console_printf("  #%-2d %016lx\n", i, frame[1]);
		if (next <= rbp)        /* stacks grow down: callers are above */
			break;
		rbp = next;
	}
}

static void __noreturn
panic_report(const struct trap_frame *tf, const char *fmt, va_list ap)
{
	char msg[256];

	cli();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL)) {
		for (;;)                /* a panic inside panic: stay quiet */
			hlt();
	}
	console_lock_for_panic();
	format_v(msg, sizeof(msg), fmt, ap);
	console_printf("\nPANIC on cpu %u: %s\n", this_cpu()->index, msg);
	print_regs(tf);
	print_backtrace(tf->rip, tf->rbp);
	console_printf("cpu %u halted\n", this_cpu()->index);
	power_stop(POWER_EXIT_PANIC);
}

void
panic_trap(const struct trap_frame *tf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_report(tf, fmt, ap);
}

/*
 * Called from C: the caller-saved registers are already the call's
 * arguments, so they say little; the callee-saved ones, RSP, RBP and the
 * return address describe the caller.
 */
void
panic(const char *fmt, ...)
{
	struct trap_frame tf = { 0 };
	va_list ap;

	__asm__ volatile("mov %%rbx, %0\n\tmov %%r12, %1\n\tmov %%r13, %2\n\tmov %%r14, %3\n\tmov %%r15, %4"
			 : "=m"(tf.rbx), "=m"(tf.r12), "=m"(tf.r13), "=m"(tf.r14), "=m"(tf.r15));
	tf.rbp = (uint64_t)(uintptr_t)__builtin_frame_address(0);
	tf.rip = (uint64_t)(uintptr_t)__builtin_return_address(0);
	tf.rsp = tf.rbp + 16;
	tf.rflags = read_rflags();
	__asm__ volatile("mov %%cs, %0\n\tmov %%ss, %1" : "=r"(tf.cs), "=r"(tf.ss));
	/* start the walk at the caller's frame */
	tf.rbp = *(const uint64_t *)__builtin_frame_address(0);
	va_start(ap, fmt);
	panic_report(&tf, fmt, ap);
}
