/*
 * vm/vm.c: making a virtual machine from a guest description, and ending it.
 * A guest's RAM is one contiguous, 2 MiB-aligned run of host memory that
 * belongs to it alone; its second-level tables map exactly that.
 */
#include "vm/vm.h"
#include "devices/pc.h"
#include "devices/testdev.h"
#include "devices/uart.h"
#include "drivers/timer.h"
#include "kernel/console.h"
#include "kernel/log.h"
#include "kernel/x86.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/phys.h"
#include "mm/pmm.h"
#include "vm/backend.h"
#include "vm/irq.h"
#include "vm/loader.h"

const struct vm_backend *vm_backend;
static uint32_t next_vm_id;

static const char *const mode_names[] = {
	[GUEST_MODE_REAL] = "real mode",
	[GUEST_MODE_PROTECTED] = "32-bit protected mode",
	[GUEST_MODE_LONG] = "64-bit long mode",
};

/* Everything a VM is made of, from its description and image: RAM, the
 * image loaded, devices, second-level tables, the vCPU. 0, or -1 after one
 * line naming the guest and why (what was taken so far vm_destroy gives back). */
static int
vm_build(struct vm *vm)
{
	const struct guest_desc *d = &vm->desc;
	char who[GUEST_NAME_MAX + 24], err[GUEST_ERROR_MAX];
	struct guest_start start;
	int r;

	vm->ram_size = d->mem;
	format(who, sizeof(who), "guest '%s' RAM", d->name);
	vm->ram_hpa = pmm_alloc(ALIGN_UP(d->mem, PAGE_SIZE) / PAGE_SIZE, LARGE_PAGE_SIZE, who);
	if (!vm->ram_hpa)
		return -1;
	memset(phys_to_virt(vm->ram_hpa), 0, vm->ram_size);

	if (loader_load(d, phys_to_virt(vm->image->start), vm->image->end - vm->image->start,
			vm->initrd ? phys_to_virt(vm->initrd->start) : NULL,
			vm->initrd ? vm->initrd->end - vm->initrd->start : 0,
			phys_to_virt(vm->ram_hpa), vm->ram_size, &start, err, sizeof(err)) < 0) {
		log_err("%s", err);
		return -1;
	}
	if ((r = uart_attach(vm, UART_COM1_BASE)) < 0 ||
	    (r = irq_attach(vm)) < 0 ||
	    (r = pc_attach(vm)) < 0 ||
	    (d->testdev && (r = testdev_attach(vm)) < 0) ||
	    (r = vm_backend->vm_init(vm)) < 0) {
		log_err("guest '%s': cannot set up its devices or second-level tables (error %d)", d->name, r);
		return -1;
	}
	vm->vcpu.vm = vm;
	vm->vcpu.xcr0 = 1;              /* x87 only, as after reset */
	vm->vcpu.tsc_offset = 0 - rdtsc();
	if ((r = vm_backend->vcpu_init(&vm->vcpu, &start)) < 0) {
		log_err("guest '%s': cannot set up its vCPU (error %d)", d->name, r);
		return -1;
	}
	vm->state = VM_RUNNABLE;
	vm->started_tsc = rdtsc();
	log_info("guest %s: %lu MiB RAM at host %#lx, starts in %s at %#lx", d->name, vm->ram_size >> 20,
		 vm->ram_hpa, mode_names[start.mode], start.rip);
	return 0;
}

struct vm *
vm_create(const struct guest_desc *d, const struct boot_module *image, const struct boot_module *initrd,
	  bool test_bad_state)
{
	struct vm *vm;

	vm = heap_zalloc(sizeof(*vm), "vm: struct vm");
	if (!vm)
		return NULL;
	vm->id = next_vm_id++;
	vm->desc = *d;
	vm->image = image;
	vm->initrd = initrd;
	vm->test_bad_state = test_bad_state;
	if (vm_build(vm) < 0)
		return NULL;
	return vm;
}

/* "guest NAME: what", one console line. */
static void
say(const struct vm *vm, const char *what)
{
	console_lock();
	console_printf("guest %s: %s\n", vm->desc.name, what);
	console_unlock();
}

/*
 * Power-on again: give everything back and build it anew, as vm_create
 * did. Only who it is survives (name, description, image, weight) and the
 * restart counts; a failure leaves it stopped, with a line saying so.
 */
static void
vm_rebuild(struct vm *vm)
{
	struct guest_desc desc = vm->desc;
	const struct boot_module *image = vm->image, *initrd = vm->initrd;
	uint32_t id = vm->id, weight = vm->weight, restarts = vm->restarts, crash_restarts = vm->crash_restarts;
	bool test_bad_state = vm->test_bad_state;

	vm_destroy(vm);
	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	vm->desc = desc;
	vm->image = image;
	vm->initrd = initrd;
	vm->test_bad_state = test_bad_state;
	vm->weight = weight;
	vm->restarts = restarts + 1;
	vm->crash_restarts = crash_restarts;
	if (vm_build(vm) == 0)
		return;
	vm_destroy(vm);
	vm->state = VM_STOPPED;
	str_copy(vm->stop_reason, "stopped: could not be built again", sizeof(vm->stop_reason));
	say(vm, vm->stop_reason);
}

void
vm_destroy(struct vm *vm)
{
	if (vm->destroyed)
		return;
	if (vm->vcpu.arch)
		vm_backend->vcpu_destroy(&vm->vcpu);
	if (vm->ept_root)
		vm_backend->vm_destroy(vm);
	heap_free(vm->uart);
	irq_detach(vm);
	heap_free(vm->testdev);
	pc_detach(vm);
	vm->uart = NULL;
	vm->irq = NULL;
	vm->testdev = NULL;
	if (vm->ram_hpa)
		pmm_free(vm->ram_hpa, ALIGN_UP(vm->ram_size, PAGE_SIZE) / PAGE_SIZE);
	vm->ram_hpa = 0;
	vm->destroyed = true;
}

/* Its run has ended: leave the CPU before entering again. */
static void
leave(struct vm *vm, enum vm_state state)
{
	vm->state = state;
	vm->vcpu.requests |= VCPU_REQ_LEAVE;
	if (state == VM_STOPPED)
		uart_flush(vm);
}

static void
stopped(struct vm *vm)
{
	leave(vm, VM_STOPPED);
	say(vm, vm->stop_reason);
	vm_backend->report_exits(vm);
}

void
vm_exit(struct vm *vm, int code)
{
	if (vm->state == VM_STOPPED)
		return;
	vm->exit_code = code;
	format(vm->stop_reason, sizeof(vm->stop_reason), "exited with code %d", code);
	stopped(vm);
}

void
vm_poweroff(struct vm *vm)
{
	if (vm->state == VM_STOPPED)
		return;
	vm->exit_code = 0;
	str_copy(vm->stop_reason, "powered off", sizeof(vm->stop_reason));
	stopped(vm);
}

void
vm_reset(struct vm *vm, const char *why)
{
	vm_restart(vm, why);
}

void
vm_end(struct vm *vm, const char *why)
{
	if (vm->state == VM_STOPPED)
		return;
	vm->exit_code = -1;
	format(vm->stop_reason, sizeof(vm->stop_reason), "stopped: %s", why);
	stopped(vm);
}

/* on_crash=restart: again, unless it keeps crashing as soon as it starts. */
static void
restart_after_crash(struct vm *vm)
{
	char why[120];

	if (rdtsc() - vm->started_tsc >= VM_CRASH_WINDOW_S * timer_tsc_hz())
		vm->crash_restarts = 0;         /* it ran a while: a new series */
	if (vm->crash_restarts == VM_CRASH_RESTARTS_MAX) {
		format(why, sizeof(why), "not restarted: it crashed %u times in a row, each within %u s of starting",
		       VM_CRASH_RESTARTS_MAX + 1, VM_CRASH_WINDOW_S);
		say(vm, why);
		return;
	}
	vm->crash_restarts++;
	format(why, sizeof(why), "on_crash=restart, %u of %u in a row", vm->crash_restarts, VM_CRASH_RESTARTS_MAX);
	vm_restart(vm, why);
}

void
vm_stop(struct vm *vm, const char *fmt, ...)
{
	size_t n = str_copy(vm->stop_reason, "stopped: ", sizeof(vm->stop_reason));
	va_list ap;

	if (vm->state == VM_STOPPED)
		return;
	va_start(ap, fmt);
	format_v(vm->stop_reason + n, sizeof(vm->stop_reason) - n, fmt, ap);
	va_end(ap);
	vm->exit_code = -1;
	stopped(vm);
	if (vm->desc.on_crash == GUEST_ON_CRASH_RESTART)
		restart_after_crash(vm);
}

void
vm_pause(struct vm *vm)
{
	if (vm->state != VM_RUNNABLE)
		return;
	leave(vm, VM_PAUSED);
	say(vm, "paused");
}

void
vm_resume(struct vm *vm)
{
	if (vm->state != VM_PAUSED)
		return;
	vm->state = VM_RUNNABLE;
	vm->vcpu.requests &= ~VCPU_REQ_LEAVE;
	vm->vcpu.requests |= VCPU_REQ_IRQ | VCPU_REQ_TIMER;     /* its devices' time went on */
	say(vm, "resumed");
}

void
vm_restart(struct vm *vm, const char *why)
{
	char line[VM_STOP_REASON_MAX];

	format(line, sizeof(line), "restarting (%s)", why);
	say(vm, line);
	if (vm->state != VM_STOPPED)
		leave(vm, VM_STOPPED);
	vm->restart = true;
}

bool
vm_settle(struct vm *vm)
{
	if (vm->state == VM_STOPPED && vm->restart)
		vm_rebuild(vm);
	if (vm->state == VM_STOPPED)
		vm_destroy(vm);         /* a no-op once done */
	return vm->state != VM_STOPPED;
}

const char *
vm_state_name(const struct vm *vm)
{
	switch (vm->state) {
	case VM_RUNNABLE: return vm->vcpu.halted ? "halted" : "running";
	case VM_PAUSED: return "paused";
	default: return "stopped";
	}
}

uint64_t
vcpu_tsc(const struct vcpu *v)
{
	return rdtsc() + v->tsc_offset;
}

void *
vm_gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa >= vm->ram_size || len > vm->ram_size - gpa)
		return NULL;
	return phys_to_virt(vm->ram_hpa + gpa);
}

enum vcpu_action
vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error_code, uint32_t error_code)
{
	uint8_t first = v->event.vector;

	if (!event_queue_exception(&v->event, vector, has_error_code, error_code)) {
		vm_stop(v->vm, "triple fault: exception %u while delivering a double fault (after %u)", vector, first);
		return VCPU_STOP;
	}
	v->requests |= VCPU_REQ_INJECT;
	return VCPU_RESUME;
}
