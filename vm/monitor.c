/*
 * vm/monitor.c: keyboard focus and the hypervisor monitor. Typed bytes
 * come from the console (the host's serial port, polled by the scheduler)
 * and go to the focused guest's UART (devices/uart.c), which may interrupt
 * it, or to the monitor's command line. Commands are one table: a name, an
 * argument (a guest, by name or number) and a handler.
 */
#include "vm/monitor.h"
#include "devices/uart.h"
#include "drivers/timer.h"
#include "kernel/console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "vm/backend.h"
#include "vm/vm.h"

#define LINE_MAX        80
#define PROMPT          "monitor> "
#define POLL_BYTES_MAX  256     /* per call: typing never holds up the guests */

static struct vm *const *guests;
static uint32_t guest_count;
static int focus;               /* index of the guest with the keyboard; -1: the monitor */
static bool escaped;            /* Ctrl-A seen, its second key not yet */
static bool after_cr;           /* the last byte was CR: a LF right after it is the same Enter */
static char line[LINE_MAX];
static uint32_t line_len;

static void __printf(1, 2)
say(const char *fmt, ...)
{
	char text[200];
	va_list ap;

	va_start(ap, fmt);
	format_v(text, sizeof(text), fmt, ap);
	va_end(ap);
	console_lock();
	console_printf("%s\n", text);
	console_unlock();
}

static void
prompt(void)
{
	console_lock();
	console_write_open(line, PROMPT, line, line_len);
	console_unlock();
}

/* --- commands ---------------------------------------------------------------- */

static uint64_t
tsc_to_ms(uint64_t ticks)
{
	uint64_t per_ms = timer_tsc_hz() / 1000;

	return per_ms ? ticks / per_ms : 0;
}

static void
cmd_list(struct vm *unused)
{
	(void)unused;
	say("monitor: %2s %-15s %-8s %10s %10s %10s %8s", "#", "guest", "state", "time (ms)", "switches",
	    "exits", "restarts");
	for (uint32_t i = 0; i < guest_count; i++) {
		const struct vm *vm = guests[i];

		say("monitor: %2u %-15s %-8s %10lu %10lu %10lu %8u%s%s", i + 1, vm->desc.name, vm_state_name(vm),
		    tsc_to_ms(vm->run_tsc), vm->switches, vm->exits, vm->restarts,
		    vm->state == VM_STOPPED ? "  " : "", vm->state == VM_STOPPED ? vm->stop_reason : "");
	}
}

static void
cmd_exits(struct vm *vm)
{
	vm_backend->report_exits(vm);
}

static void
cmd_pause(struct vm *vm)
{
	if (vm->state != VM_RUNNABLE)
		say("monitor: guest %s is %s, not running", vm->desc.name, vm_state_name(vm));
	vm_pause(vm);
}

static void
cmd_resume(struct vm *vm)
{
	if (vm->state != VM_PAUSED)
		say("monitor: guest %s is %s, not paused", vm->desc.name, vm_state_name(vm));
	vm_resume(vm);
}

static void
cmd_stop(struct vm *vm)
{
	if (vm->state == VM_STOPPED)
		say("monitor: guest %s has already stopped", vm->desc.name);
	vm_end(vm, "by the monitor");
}

static void
cmd_start(struct vm *vm)
{
	if (vm->state != VM_STOPPED)
		say("monitor: guest %s is %s already", vm->desc.name, vm_state_name(vm));
	else
		vm_restart(vm, "started by the monitor");
}

static void
cmd_restart(struct vm *vm)
{
	vm_restart(vm, "by the monitor");
}

static void
cmd_regs(struct vm *vm)
{
	const struct vcpu_regs *r = &vm->vcpu.regs;

	if (vm->destroyed || !vm->vcpu.arch) {
		say("monitor: guest %s has stopped: it has no vCPU left", vm->desc.name);
		return;
	}
	say("monitor: guest %s vCPU %u (%s)", vm->desc.name, vm->vcpu.index, vm_state_name(vm));
	say("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx", r->rax, r->rbx, r->rcx, r->rdx);
	say("  rsi %016lx  rdi %016lx  rbp %016lx  cr2 %016lx", r->rsi, r->rdi, r->rbp, r->cr2);
	say("  r8  %016lx  r9  %016lx  r10 %016lx  r11 %016lx", r->r8, r->r9, r->r10, r->r11);
	say("  r12 %016lx  r13 %016lx  r14 %016lx  r15 %016lx", r->r12, r->r13, r->r14, r->r15);
	vm_backend->dump_vcpu(&vm->vcpu);
}

static void cmd_help(struct vm *unused);

static const struct monitor_cmd {
	const char *name;
	bool takes_guest;
	void (*fn)(struct vm *vm);
	const char *help;
} cmds[] = {
	{ "help",    false, cmd_help,    "this list" },
	{ "list",    false, cmd_list,    "the guests: state, CPU time used, switches to them, exits, restarts" },
	{ "exits",   true,  cmd_exits,   "a guest's VM exits by reason" },
	{ "pause",   true,  cmd_pause,   "stop scheduling a guest, keeping its state" },
	{ "resume",  true,  cmd_resume,  "schedule a paused guest again" },
	{ "stop",    true,  cmd_stop,    "end a guest (it gives everything back)" },
	{ "start",   true,  cmd_start,   "start a stopped guest again from its image" },
	{ "restart", true,  cmd_restart, "start a guest again from its image, as after power-on" },
	{ "regs",    true,  cmd_regs,    "a guest's vCPU registers and VMCS" },
};

static void
cmd_help(struct vm *unused)
{
	(void)unused;
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		say("monitor: %-7s %-5s %s", cmds[i].name, cmds[i].takes_guest ? "GUEST" : "", cmds[i].help);
	say("monitor: GUEST is a name or a number from list; Ctrl-A N types to guest N, Ctrl-A m here");
}

/* A guest by name, or by its number in list. */
static struct vm *
find_guest(const char *arg)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < guest_count; i++)
		if (!strcmp(guests[i]->desc.name, arg))
			return guests[i];
	for (const char *p = arg; *p; p++) {
		if (*p < '0' || *p > '9' || n > GUEST_MAX)
			return NULL;
		n = n * 10 + (uint32_t)(*p - '0');
	}
	return n >= 1 && n <= guest_count ? guests[n - 1] : NULL;
}

/* Split "cmd arg" in place (extra spaces allowed) and run it. */
static void
execute(char *text)
{
	char *cmd = text, *arg, *end;
	struct vm *vm = NULL;

	while (*cmd == ' ')
		cmd++;
	if (!*cmd)
		return;
	for (arg = cmd; *arg && *arg != ' '; arg++)
		;
	if (*arg)
		*arg++ = '\0';
	while (*arg == ' ')
		arg++;
	for (end = arg + strlen(arg); end > arg && end[-1] == ' '; end--)
		end[-1] = '\0';

	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (strcmp(cmds[i].name, cmd))
			continue;
		if (cmds[i].takes_guest && !(vm = find_guest(arg))) {
			say("monitor: %s: expected a guest's name or number, not '%s' (list shows them)", cmd, arg);
			return;
		}
		if (!cmds[i].takes_guest && *arg) {
			say("monitor: %s takes no argument", cmd);
			return;
		}
		cmds[i].fn(vm);
		return;
	}
	say("monitor: unknown command '%s' (help lists them)", cmd);
}

/* --- input ------------------------------------------------------------------- */

static void
monitor_key(char c)
{
	bool enter = c == '\r' || (c == '\n' && !after_cr);

	after_cr = c == '\r';
	if (c == '\n' && !enter)
		return;
	console_lock();
	if (enter) {
		console_write_open(line, PROMPT, "\n", 1);
		console_unlock();
		line[line_len] = '\0';
		line_len = 0;
		execute(line);
		prompt();
		return;
	}
	if ((c == 0x7F || c == '\b') && line_len) {
		line_len--;
		if (console_line_is_open(line))
			console_write_open(line, PROMPT, "\b \b", 3);
	} else if (c >= 0x20 && c < 0x7F && line_len < LINE_MAX - 1) {
		line[line_len++] = c;
		if (console_line_is_open(line))
			console_write_open(line, PROMPT, &c, 1);
		else
			console_write_open(line, PROMPT, line, line_len);
	}
	console_unlock();
}

static void
set_focus(int index)
{
	focus = index;
	if (index < 0) {
		say("console: input goes to the monitor (help lists its commands)");
		prompt();
	} else {
		say("console: input goes to guest %s", guests[index]->desc.name);
	}
}

static void
escape_key(char c)
{
	escaped = false;
	if (c >= '1' && c <= '9' && (uint32_t)(c - '1') < guest_count)
		set_focus(c - '1');
	else if (c == 'm' || c == 'M')
		set_focus(-1);
	else if (c == MONITOR_ESCAPE && focus >= 0)
		uart_receive(guests[focus], (uint8_t)c);
	else
		say("console: Ctrl-A then 1-%u picks a guest, m the monitor, Ctrl-A types Ctrl-A",
		    MIN(guest_count, 9u));
}

void
monitor_poll(void)
{
	struct vm *f = monitor_focus();
	int c;

	/* a guest waiting for input shows its prompt, though no newline ended it */
	if (f && f->state == VM_RUNNABLE && f->vcpu.halted)
		uart_show_unfinished(f);

	for (int n = 0; n < POLL_BYTES_MAX && (c = console_getc()) >= 0; n++) {
		if (escaped)
			escape_key((char)c);
		else if (c == MONITOR_ESCAPE)
			escaped = true;
		else if (focus < 0)
			monitor_key((char)c);
		else
			uart_receive(guests[focus], (uint8_t)c);       /* dropped when the guest has stopped */
	}
}

struct vm *
monitor_focus(void)
{
	return focus >= 0 && (uint32_t)focus < guest_count ? guests[focus] : NULL;
}

void
monitor_init(struct vm *const *vms, uint32_t count)
{
	guests = vms;
	guest_count = count;
	focus = count ? 0 : -1;
	if (count)
		say("console: input goes to guest %s; Ctrl-A 1-%u picks a guest, Ctrl-A m the monitor",
		    vms[0]->desc.name, MIN(count, 9u));
}
