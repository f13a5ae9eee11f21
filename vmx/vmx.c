/*
 * vmx/vmx.c: entering and leaving VMX root operation on one CPU.
 *
 * VMXON needs (SDM Vol. 3C, 24.7 and 24.8): IA32_FEATURE_CONTROL locked with
 * "VMX outside SMX" set (firmware usually does it; nested KVM and Bochs
 * leave it to us), CR0 and CR4 inside the fixed bits of IA32_VMX_CR0/CR4_
 * FIXED0/1 (which include CR4.VMXE and, without unrestricted guest in root
 * mode, CR0.PE/PG/NE), and a 4 KiB-aligned VMXON region in write-back memory
 * whose first dword is the VMCS revision identifier.
 */
#include "vmx/vmx.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/msr.h"
#include "kernel/percpu.h"
#include "kernel/x86.h"
#include "mm/phys.h"
#include "mm/pmm.h"
#include "vmx/vmx_ops.h"
#include "vmx/vmxcap.h"

struct vmx_cpu {
	uint64_t vmxon_pa;      /* this CPU's VMXON region; 0 until first use */
	bool on;
};

static struct vmx_cpu vmx_cpus[MAX_CPUS];

/* Lock IA32_FEATURE_CONTROL with VMX allowed if nobody has locked it yet. */
static int
enable_feature_control(void)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (!(fc & FEATURE_CONTROL_LOCK)) {
		fc |= FEATURE_CONTROL_VMX | FEATURE_CONTROL_LOCK;
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
		fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	}
	if (!(fc & FEATURE_CONTROL_VMX)) {
		log_err("vmx: IA32_FEATURE_CONTROL is locked with VMX off (%#lx); enable VT-x in firmware setup", fc);
		return -1;
	}
	return 0;
}

int
vmx_cpu_on(void)
{
	struct vmx_cpu *v = &vmx_cpus[this_cpu()->index];
	const struct vmx_caps *c = &vmx_caps;
	int r;

	if (v->on)
		return 0;
	if (enable_feature_control() < 0)
		return -1;

	write_cr0((read_cr0() | c->cr0_fixed0) & c->cr0_fixed1);
	write_cr4((read_cr4() | CR4_VMXE | c->cr4_fixed0) & c->cr4_fixed1);
	/* guests' XSETBV is carried out by the host, which needs XSAVE enabled;
	 * every VMCS's host CR4 then has it too */
	if (cpu_features.xsave)
		write_cr4(read_cr4() | CR4_OSXSAVE);

	if (!v->vmxon_pa) {
		v->vmxon_pa = pmm_alloc(1, PAGE_SIZE, "vmx: VMXON region");
		if (!v->vmxon_pa)
			return -1;
	}
	*(uint32_t *)phys_to_virt(v->vmxon_pa) = (uint32_t)(c->basic & VMX_BASIC_REVISION_MASK);

	r = vmxon(v->vmxon_pa);
	if (r != VMX_OK) {
		/* VMXON has no current VMCS to hold an error number: its failures are VMfailInvalid */
		log_err("vmx: VMXON failed on cpu %u: %s", this_cpu()->index, vmx_result_name(r));
		write_cr4(read_cr4() & ~CR4_VMXE);
		return -1;
	}
	v->on = true;

	/* Nothing may be cached from an earlier user of VMX on this CPU (SDM Vol. 3C, 29.4.3.1). */
	if ((c->ept_vpid & EPT_CAP_INVEPT) && (c->ept_vpid & EPT_CAP_INVEPT_ALL) &&
	    (r = invept(INVEPT_ALL_CONTEXT, 0)) != VMX_OK)
		log_warn("vmx: INVEPT (all contexts) failed on cpu %u: %s", this_cpu()->index, vmx_result_name(r));
	log_info("vmx: cpu %u in VMX root operation", this_cpu()->index);
	return 0;
}

void
vmx_cpu_off(void)
{
	struct vmx_cpu *v = &vmx_cpus[this_cpu()->index];
	int r;

	if (!v->on)
		return;
	r = vmxoff();
	if (r != VMX_OK)
		log_err("vmx: VMXOFF failed on cpu %u: %s", this_cpu()->index, vmx_result_name(r));
	write_cr4(read_cr4() & ~CR4_VMXE);
	v->on = false;
	log_info("vmx: cpu %u left VMX operation", this_cpu()->index);
}
