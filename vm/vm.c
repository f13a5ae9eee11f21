/*
 * vm/vm.c: making a virtual machine from a guest description, and ending it.
 * A guest's RAM is one contiguous, 2 MiB-aligned run of host memory that
 * belongs to it alone; its second-level tables map exactly that.
 */
#include "vm/vm.h"
#include "devices/testdev.h"
#include "devices/uart.h"
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

struct vm *
vm_create(const struct guest_desc *d, const struct boot_module *image, const struct boot_module *initrd,
	  bool test_bad_state)
{
	char who[GUEST_NAME_MAX + 24], err[GUEST_ERROR_MAX];
	struct guest_start start;
	struct vm *vm;
	int r;

	vm = heap_zalloc(sizeof(*vm), "vm: struct vm");
	if (!vm)
		return NULL;
	vm->id = next_vm_id++;
	vm->desc = *d;
	vm->test_bad_state = test_bad_state;
	vm->ram_size = d->mem;
	format(who, sizeof(who), "guest '%s' RAM", d->name);
	vm->ram_hpa = pmm_alloc(ALIGN_UP(d->mem, PAGE_SIZE) / PAGE_SIZE, LARGE_PAGE_SIZE, who);
	if (!vm->ram_hpa)
		return NULL;
	memset(phys_to_virt(vm->ram_hpa), 0, vm->ram_size);

	if (loader_load(d, phys_to_virt(image->start), image->end - image->start,
			initrd ? phys_to_virt(initrd->start) : NULL, initrd ? initrd->end - initrd->start : 0,
			phys_to_virt(vm->ram_hpa), vm->ram_size, &start, err, sizeof(err)) < 0) {
		log_err("%s", err);
		return NULL;
	}
	if ((r = uart_attach(vm, UART_COM1_BASE)) < 0 ||
	    (r = irq_attach(vm)) < 0 ||
	    (d->testdev && (r = testdev_attach(vm)) < 0) ||
	    (r = vm_backend->vm_init(vm)) < 0) {
		log_err("guest '%s': cannot set up its devices or second-level tables (error %d)", d->name, r);
		return NULL;
	}
	vm->vcpu.vm = vm;
	vm->vcpu.xcr0 = 1;              /* x87 only, as after reset */
	vm->vcpu.tsc_offset = 0 - rdtsc();
	if ((r = vm_backend->vcpu_init(&vm->vcpu, &start)) < 0) {
		log_err("guest '%s': cannot set up its vCPU (error %d)", d->name, r);
		return NULL;
	}
	vm->state = VM_RUNNABLE;
	log_info("guest %s: %lu MiB RAM at host %#lx, starts in %s at %#lx", d->name, vm->ram_size >> 20,
		 vm->ram_hpa, mode_names[start.mode], start.rip);
	return vm;
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
	heap_free(vm->irq);
	heap_free(vm->testdev);
	vm->uart = NULL;
	vm->irq = NULL;
	vm->testdev = NULL;
	if (vm->ram_hpa)
		pmm_free(vm->ram_hpa, ALIGN_UP(vm->ram_size, PAGE_SIZE) / PAGE_SIZE);
	vm->ram_hpa = 0;
	vm->destroyed = true;
}

static void
stopped(struct vm *vm)
{
	vm->state = VM_STOPPED;
	uart_flush(vm);
	console_lock();
	console_printf("guest %s: %s\n", vm->desc.name, vm->stop_reason);
	console_unlock();
	vm_backend->report_exits(vm);
}

void
vm_exit(struct vm *vm, int code)
{
	vm->exit_code = code;
	format(vm->stop_reason, sizeof(vm->stop_reason), "exited with code %d", code);
	stopped(vm);
}

void
vm_poweroff(struct vm *vm)
{
	vm->exit_code = 0;
	str_copy(vm->stop_reason, "powered off", sizeof(vm->stop_reason));
	stopped(vm);
}

void
vm_reset(struct vm *vm, const char *why)
{
	/* TODO(lifecycle): start it again from its image. */
	vm_stop(vm, "%s; restarting a guest is not implemented yet", why);
}

void
vm_stop(struct vm *vm, const char *fmt, ...)
{
	size_t n = str_copy(vm->stop_reason, "stopped: ", sizeof(vm->stop_reason));
	va_list ap;

	va_start(ap, fmt);
	format_v(vm->stop_reason + n, sizeof(vm->stop_reason) - n, fmt, ap);
	va_end(ap);
	vm->exit_code = -1;
	stopped(vm);
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
