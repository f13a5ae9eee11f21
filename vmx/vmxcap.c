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
#include "lib/string.h"

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

/* The controls every guest's VMCS will need; named in one line when absent. */
static int
check_required(const struct vmx_caps *c)
{
	uint32_t out;

	if (vmxcap_adjust(&c->proc, PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY_CONTROLS, 0,
			  "processor-based controls", vmx_proc_names, &out) < 0 ||
	    vmxcap_adjust(&c->proc2, PROC2_EPT | PROC2_UNRESTRICTED_GUEST, 0,
			  "secondary controls", vmx_proc2_names, &out) < 0)
		return -1;
	if (!(c->ept_vpid & EPT_CAP_WALK_4) || !(c->ept_vpid & EPT_CAP_MEMTYPE_WB)) {
		log_err("vmx: EPT: this CPU lacks 4-level write-back EPT tables, which the hypervisor requires");
		return -1;
	}
	return 0;
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

	return check_required(c);
}

/* A readable name for the hypervisor we run under, from its CPUID signature. */
static const char *
hypervisor_name(const struct cpu_features *f)
{
	static const struct { const char *sig, *name; } known[] = {
		{ "TCGTCGTCGTCG", "QEMU (TCG)" },
		{ "KVMKVMKVM", "KVM" },
		{ "Microsoft Hv", "Hyper-V" },
		{ "VMwareVMware", "VMware" },
		{ "VBoxVBoxVBox", "VirtualBox" },
		{ "XenVMMXenVMM", "Xen" },
	};

	if (!f->hypervisor)
		return "QEMU";
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(f->hypervisor_id, known[i].sig))
			return known[i].name;
	return f->hypervisor_id;
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
				hypervisor_name(f));
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
	if (report_caps(&vmx_caps) < 0) {
		log_err("VMX: unusable: this CPU's VT-x lacks a feature the hypervisor requires (named above)");
		return -1;
	}
	log_info("VMX: available%s", (fc & FEATURE_CONTROL_LOCK) ? "" : " (IA32_FEATURE_CONTROL unlocked; enabled at VMX start)");
	return 0;
}

const char *const vmx_pin_names[32] = {
	[0] = "external-interrupt exiting",
	[3] = "NMI exiting",
	[5] = "virtual NMIs",
	[6] = "VMX-preemption timer",
	[7] = "posted interrupts",
};

const char *const vmx_proc_names[32] = {
	[2] = "interrupt-window exiting",
	[3] = "TSC offsetting",
	[7] = "HLT exiting",
	[9] = "INVLPG exiting",
	[10] = "MWAIT exiting",
	[11] = "RDPMC exiting",
	[12] = "RDTSC exiting",
	[15] = "CR3-load exiting",
	[16] = "CR3-store exiting",
	[19] = "CR8-load exiting",
	[20] = "CR8-store exiting",
	[21] = "TPR shadow",
	[22] = "NMI-window exiting",
	[23] = "MOV-DR exiting",
	[24] = "unconditional I/O exiting",
	[25] = "I/O bitmaps",
	[27] = "monitor trap flag",
	[28] = "MSR bitmaps",
	[29] = "MONITOR exiting",
	[30] = "PAUSE exiting",
	[31] = "secondary controls",
};

const char *const vmx_proc2_names[32] = {
	[0] = "virtualize APIC accesses",
	[1] = "EPT",
	[2] = "descriptor-table exiting",
	[3] = "RDTSCP",
	[4] = "virtualize x2APIC mode",
	[5] = "VPID",
	[6] = "WBINVD exiting",
	[7] = "unrestricted guest",
	[8] = "APIC-register virtualization",
	[9] = "virtual-interrupt delivery",
	[10] = "PAUSE-loop exiting",
	[12] = "INVPCID",
	[20] = "XSAVES/XRSTORS",
};

int
vmxcap_adjust(const struct vmx_ctl_cap *cap, uint32_t required, uint32_t optional,
	      const char *what, const char *const names[32], uint32_t *out)
{
	uint32_t missing = required & ~cap->may_be_1;

	if (missing) {
		int bit = __builtin_ctz(missing);
		const char *name = names ? names[bit] : NULL;

		log_err("vmx: %s: this CPU cannot set %s%s%s(bit %d), which the hypervisor requires",
			what, name ? "'" : "", name ? name : "", name ? "' " : "", bit);
		return -1;
	}
	*out = ((required | optional) & cap->may_be_1) | cap->must_be_1;
	return 0;
}
