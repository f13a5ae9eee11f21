/*
 * vmx/vmxcap.c: is VT-x there, is it switched on, and what does it offer.
 *
 * CPUID.1:ECX.VMX[5] says the CPU has VMX (SDM Vol. 3C, 24.6). Firmware can
 * still forbid it: IA32_FEATURE_CONTROL locked with "VMX outside SMX" clear
 * makes VMXON #GP (SDM Vol. 3C, 24.7). What VMX can do is read from the
 * capability MSRs (SDM Vol. 3D, Appendix A); every control is later derived
 * from them, never assumed.
 */
#include "vmx/vmxcap.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/msr.h"
#include "kernel/power.h"
#include "kernel/x86.h"

struct vmx_caps vmx_caps;

static struct vmx_ctl_cap
read_ctl(uint32_t msr)
{
	uint64_t v = rdmsr(msr);

	return (struct vmx_ctl_cap){ .must_be_1 = (uint32_t)v, .may_be_1 = (uint32_t)(v >> 32) };
}

static void
read_caps(struct vmx_caps *c)
{
	bool true_ctls;

	c->basic = rdmsr(MSR_IA32_VMX_BASIC);
	true_ctls = c->basic & VMX_BASIC_TRUE_CTLS;
	c->pin = read_ctl(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS);
	c->proc = read_ctl(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS);
	c->exit = read_ctl(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS);
	c->entry = read_ctl(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS);
	c->misc = rdmsr(MSR_IA32_VMX_MISC);
	c->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	/* the secondary controls MSR exists only if they can be activated (A.3.3) */
	if (c->proc.may_be_1 & PROC_SECONDARY_CONTROLS)
		c->proc2 = read_ctl(MSR_IA32_VMX_PROCBASED_CTLS2);
	/* EPT/VPID capabilities exist only if either can be enabled (A.10) */
	if (c->proc2.may_be_1 & (PROC2_EPT | PROC2_VPID))
		c->ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
}

static const char *
yes_no(bool b)
{
	return b ? "yes" : "NO";
}

static int
report_caps(const struct vmx_caps *c)
{
	bool ept = (c->proc2.may_be_1 & PROC2_EPT) && (c->ept_vpid & EPT_CAP_WALK_4) &&
		   (c->ept_vpid & EPT_CAP_MEMTYPE_WB);
	bool ug = c->proc2.may_be_1 & PROC2_UNRESTRICTED_GUEST;
	bool msr_bitmaps = c->proc.may_be_1 & PROC_MSR_BITMAPS;
	bool io_bitmaps = c->proc.may_be_1 & PROC_IO_BITMAPS;
	bool vpid = (c->proc2.may_be_1 & PROC2_VPID) && (c->ept_vpid & VPID_CAP_INVVPID);
	bool timer = c->pin.may_be_1 & PIN_PREEMPTION_TIMER;

	log_info("vmx: VMCS revision %#lx, region %lu bytes, %s controls", c->basic & VMX_BASIC_REVISION_MASK,
		 (c->basic >> VMX_BASIC_REGION_SIZE_SHIFT) & VMX_BASIC_REGION_SIZE_MASK,
		 (c->basic & VMX_BASIC_TRUE_CTLS) ? "TRUE" : "default");
	log_info("vmx: ept %s (2M pages %s, 1G pages %s, A/D %s), vpid %s, unrestricted guest %s",
		 yes_no(ept), yes_no(c->ept_vpid & EPT_CAP_2MB), yes_no(c->ept_vpid & EPT_CAP_1GB),
		 yes_no(c->ept_vpid & EPT_CAP_AD), yes_no(vpid), yes_no(ug));
	log_info("vmx: preemption timer %s (TSC/%u), msr bitmaps %s, io bitmaps %s, apic virtualization %s",
		 yes_no(timer), 1u << (c->misc & VMX_MISC_PREEMPT_RATE_MASK), yes_no(msr_bitmaps),
		 yes_no(io_bitmaps), yes_no(c->proc2.may_be_1 & PROC2_VIRT_APIC_ACCESSES));

	if (!ept || !ug || !msr_bitmaps || !io_bitmaps) {
		log_err("VMX: unusable: this CPU's VT-x lacks %s, which the hypervisor requires",
			!ept ? "EPT (4-level, write-back)" : !ug ? "unrestricted guest" :
			!msr_bitmaps ? "MSR bitmaps" : "I/O bitmaps");
		return -1;
	}
	return 0;
}

int
vmxcap_check(void)
{
	const struct cpu_features *f = &cpu_features;
	uint64_t fc;

	if (!f->vmx) {
		if (f->hypervisor || power_is_qemu())
			log_err("VMX: unavailable: running under %s without VMX for its guests; "
				"use Bochs, or QEMU with KVM and -cpu host on an Intel host with nested VMX",
				f->hypervisor ? f->hypervisor_id : "QEMU");
		else if (f->vendor == CPU_VENDOR_AMD)
			log_err("VMX: unavailable: this is an AMD CPU (SVM%s); the hypervisor needs Intel VT-x",
				f->svm ? " present" : " absent");
		else
			log_err("VMX: unavailable: this CPU has no VT-x");
		return -1;
	}

	fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if ((fc & FEATURE_CONTROL_LOCK) && !(fc & FEATURE_CONTROL_VMX)) {
		log_err("VMX: unavailable: VT-x is disabled in firmware setup; "
			"enable \"Intel Virtualization Technology\" there and boot again");
		return -1;
	}

	read_caps(&vmx_caps);
	if (report_caps(&vmx_caps) < 0)
		return -1;
	log_info("VMX: available%s", (fc & FEATURE_CONTROL_LOCK) ? "" : " (IA32_FEATURE_CONTROL unlocked; enabled at VMX start)");
	return 0;
}
