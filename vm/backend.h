/*
 * vm/backend.h: the one small interface between the vendor-neutral VM layer
 * and a CPU vendor's virtualization backend (vmx/ for Intel VT-x; an AMD
 * SVM backend will fill the same table).
 */
#ifndef VM_BACKEND_H
#define VM_BACKEND_H

#include "vm/vm.h"

struct guest_start;

struct vm_backend {
	const char *name;
	/* Map the VM's RAM in its second-level tables. */
	int (*vm_init)(struct vm *vm);
	/* Give a vCPU its hardware state for the given start. */
	int (*vcpu_init)(struct vcpu *v, const struct guest_start *start);
	/* Make v the vCPU this CPU runs next (switch hardware state to it). */
	void (*vcpu_load)(struct vcpu *v);
	/* Run the guest until its time slice ends or it stops: enter, handle
	 * the exit, enter again. Returns VCPU_RESCHEDULE or VCPU_STOP. */
	enum vcpu_action (*vcpu_run)(struct vcpu *v);
	/* Give back what vm_init and vcpu_init took (v no longer runs). */
	void (*vcpu_destroy)(struct vcpu *v);
	void (*vm_destroy)(struct vm *vm);
	/* Print the per-reason exit counts of a VM. */
	void (*report_exits)(const struct vm *vm);
	/* The guest's RFLAGS, for instructions the VM layer emulates (vm/mmio.c). */
	uint64_t (*get_rflags)(struct vcpu *v);
	void (*set_rflags)(struct vcpu *v, uint64_t rflags);
	/* Print a vCPU's hardware state (the VMCS) on the console, for the
	 * monitor; v is not running, and the CPU's current vCPU stays so. */
	void (*dump_vcpu)(struct vcpu *v);
};

extern const struct vm_backend vmx_backend;
extern const struct vm_backend *vm_backend;     /* the one this machine uses */

/* Vendor-neutral services the backends' exit handlers call. */
enum vcpu_action hypercall(struct vcpu *v, bool wide);          /* vm/hypercall.c */

#endif
