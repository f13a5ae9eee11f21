/*
 * vmx/vmxcap.h: what VMX this CPU offers, read once from the VMX capability
 * MSRs (SDM Vol. 3D, Appendix A "VMX Capability Reporting Facility").
 */
#ifndef VMX_VMXCAP_H
#define VMX_VMXCAP_H

#include "kernel/compiler.h"

/* IA32_VMX_BASIC (SDM Vol. 3D, A.1) */
#define VMX_BASIC_REVISION_MASK     0x7FFFFFFFUL
#define VMX_BASIC_REGION_SIZE_SHIFT 32
#define VMX_BASIC_REGION_SIZE_MASK  0x1FFFUL
#define VMX_BASIC_MEMTYPE_SHIFT     50
#define VMX_BASIC_MEMTYPE_MASK      0xFUL
#define VMX_BASIC_INOUT             BIT(54)  /* VM-exit info for INS/OUTS */
#define VMX_BASIC_TRUE_CTLS         BIT(55)  /* IA32_VMX_TRUE_*_CTLS exist */

/* Pin-based VM-execution controls (SDM Vol. 3C, Table 25-5) */
#define PIN_EXTINT_EXITING          BIT(0)   /* external-interrupt exiting */
#define PIN_NMI_EXITING             BIT(3)   /* NMI exiting */
#define PIN_VIRTUAL_NMIS            BIT(5)   /* virtual NMIs */
#define PIN_PREEMPTION_TIMER        BIT(6)   /* activate VMX-preemption timer */
#define PIN_POSTED_INTR             BIT(7)   /* process posted interrupts */

/* Primary processor-based VM-execution controls (SDM Vol. 3C, Table 25-6) */
#define PROC_INTR_WINDOW_EXITING    BIT(2)   /* interrupt-window exiting */
#define PROC_TSC_OFFSETTING         BIT(3)   /* use TSC offsetting */
#define PROC_HLT_EXITING            BIT(7)   /* HLT exiting */
#define PROC_INVLPG_EXITING         BIT(9)   /* INVLPG exiting */
#define PROC_MWAIT_EXITING          BIT(10)  /* MWAIT exiting */
#define PROC_RDPMC_EXITING          BIT(11)  /* RDPMC exiting */
#define PROC_RDTSC_EXITING          BIT(12)  /* RDTSC exiting */
#define PROC_CR3_LOAD_EXITING       BIT(15)  /* CR3-load exiting */
#define PROC_CR3_STORE_EXITING      BIT(16)  /* CR3-store exiting */
#define PROC_CR8_LOAD_EXITING       BIT(19)  /* CR8-load exiting */
#define PROC_CR8_STORE_EXITING      BIT(20)  /* CR8-store exiting */
#define PROC_TPR_SHADOW             BIT(21)  /* use TPR shadow */
#define PROC_NMI_WINDOW_EXITING     BIT(22)  /* NMI-window exiting */
#define PROC_MOV_DR_EXITING         BIT(23)  /* MOV-DR exiting */
#define PROC_UNCOND_IO_EXITING      BIT(24)  /* unconditional I/O exiting */
#define PROC_IO_BITMAPS             BIT(25)  /* use I/O bitmaps */
#define PROC_MONITOR_TRAP_FLAG      BIT(27)  /* monitor trap flag */
#define PROC_MSR_BITMAPS            BIT(28)  /* use MSR bitmaps */
#define PROC_MONITOR_EXITING        BIT(29)  /* MONITOR exiting */
#define PROC_PAUSE_EXITING          BIT(30)  /* PAUSE exiting */
#define PROC_SECONDARY_CONTROLS     BIT(31)  /* activate secondary controls */

/* Secondary processor-based VM-execution controls (SDM Vol. 3C, Table 25-7) */
#define PROC2_VIRT_APIC_ACCESSES    BIT(0)   /* virtualize APIC accesses */
#define PROC2_EPT                   BIT(1)   /* enable EPT */
#define PROC2_DESC_TABLE_EXITING    BIT(2)   /* descriptor-table exiting */
#define PROC2_RDTSCP                BIT(3)   /* enable RDTSCP */
#define PROC2_VIRT_X2APIC           BIT(4)   /* virtualize x2APIC mode */
#define PROC2_VPID                  BIT(5)   /* enable VPID */
#define PROC2_WBINVD_EXITING        BIT(6)   /* WBINVD exiting */
#define PROC2_UNRESTRICTED_GUEST    BIT(7)   /* unrestricted guest */
#define PROC2_APIC_REGISTER_VIRT    BIT(8)   /* APIC-register virtualization */
#define PROC2_VIRT_INTR_DELIVERY    BIT(9)   /* virtual-interrupt delivery */
#define PROC2_PAUSE_LOOP_EXITING    BIT(10)  /* PAUSE-loop exiting */
#define PROC2_INVPCID               BIT(12)  /* enable INVPCID */
#define PROC2_XSAVES                BIT(20)  /* enable XSAVES/XRSTORS */

/* IA32_VMX_MISC (SDM Vol. 3D, A.6) */
#define VMX_MISC_PREEMPT_RATE_MASK  0x1FUL  /* timer ticks every 2^rate TSC ticks */

/* IA32_VMX_EPT_VPID_CAP (SDM Vol. 3D, A.10) */
#define EPT_CAP_EXEC_ONLY           BIT(0)   /* execute-only translations */
#define EPT_CAP_WALK_4              BIT(6)   /* page-walk length 4 */
#define EPT_CAP_MEMTYPE_UC          BIT(8)   /* EPT structures may be UC */
#define EPT_CAP_MEMTYPE_WB          BIT(14)  /* EPT structures may be WB */
#define EPT_CAP_2MB                 BIT(16)  /* 2 MiB pages */
#define EPT_CAP_1GB                 BIT(17)  /* 1 GiB pages */
#define EPT_CAP_INVEPT              BIT(20)  /* INVEPT supported */
#define EPT_CAP_AD                  BIT(21)  /* accessed and dirty flags */
#define EPT_CAP_INVEPT_SINGLE       BIT(25)  /* single-context INVEPT */
#define EPT_CAP_INVEPT_ALL          BIT(26)  /* all-context INVEPT */
#define VPID_CAP_INVVPID            BIT(32)  /* INVVPID supported */
#define VPID_CAP_INVVPID_ADDR       BIT(40)  /* individual-address INVVPID */
#define VPID_CAP_INVVPID_SINGLE     BIT(41)  /* single-context INVVPID */
#define VPID_CAP_INVVPID_ALL        BIT(42)  /* all-context INVVPID */

/* One VM-execution control MSR: bits that must be 1 and bits that may be 1. */
struct vmx_ctl_cap {
	uint32_t must_be_1;     /* allowed 0-settings, low half of the MSR */
	uint32_t may_be_1;      /* allowed 1-settings, high half */
};

struct vmx_caps {
	uint64_t basic;
	struct vmx_ctl_cap pin, proc, proc2, exit, entry;
	uint64_t misc;
	uint64_t ept_vpid;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

extern struct vmx_caps vmx_caps;

/* Bit names of each control set, for messages. */
extern const char *const vmx_pin_names[32];
extern const char *const vmx_proc_names[32];
extern const char *const vmx_proc2_names[32];

/*
 * Fit wanted controls to what the CPU allows (SDM Vol. 3D, A.3-A.5): bits it
 * forces to 1 are set, optional bits it cannot set are dropped. A required
 * bit it cannot set is named in one error line and makes this return -1.
 * what names the control set in that line; names (or names[bit]) may be NULL.
 */
int vmxcap_adjust(const struct vmx_ctl_cap *cap, uint32_t required, uint32_t optional,
		  const char *what, const char *const names[32], uint32_t *out);

/* Can this CPU run our VMX code? Reads the capability MSRs into vmx_caps
 * and reports. Returns 0 when it can, or -1 after one line saying why not
 * that a user can act on. */
int vmxcap_check(void);

#endif
