/*
 * kernel/msr.h: model-specific register numbers and the bits the hypervisor
 * uses, grouped as SDM Vol. 4 ("Model-Specific Registers") lists them.
 */
#ifndef KERNEL_MSR_H
#define KERNEL_MSR_H

#include "kernel/compiler.h"

#define MSR_IA32_TSC                0x010
#define MSR_IA32_APIC_BASE          0x01B
#define   APIC_BASE_BSP             BIT(8)   /* this is the bootstrap processor */
#define   APIC_BASE_X2APIC          BIT(10)  /* x2APIC mode enable */
#define   APIC_BASE_ENABLE          BIT(11)  /* xAPIC global enable */
#define   APIC_BASE_ADDR_MASK       0x000FFFFFFFFFF000UL

#define MSR_IA32_FEATURE_CONTROL    0x03A
#define   FEATURE_CONTROL_LOCK      BIT(0)   /* lock: further writes #GP */
#define   FEATURE_CONTROL_VMX_SMX   BIT(1)   /* VMXON inside SMX */
#define   FEATURE_CONTROL_VMX       BIT(2)   /* VMXON outside SMX */

#define MSR_IA32_TSC_ADJUST         0x03B    /* added to the TSC; TSC writes move it too (Vol. 3B, 18.17.3) */
#define MSR_IA32_BIOS_SIGN_ID       0x08B
#define MSR_IA32_MISC_ENABLE        0x1A0
#define   MISC_ENABLE_FAST_STRINGS  BIT(0)   /* fast-string enable */
#define   MISC_ENABLE_NO_BTS        BIT(11)  /* branch trace storage unavailable */
#define   MISC_ENABLE_NO_PEBS       BIT(12)  /* precise event sampling unavailable */
#define MSR_IA32_TSC_DEADLINE       0x6E0
#define MSR_IA32_SYSENTER_CS        0x174
#define MSR_IA32_SYSENTER_ESP       0x175
#define MSR_IA32_SYSENTER_EIP       0x176

/* Machine-check architecture (SDM Vol. 3B, 16.3). */
#define MSR_IA32_MCG_CAP            0x179
#define   MCG_CAP_COUNT_MASK        0xFFUL   /* number of error-reporting banks */
#define   MCG_CAP_CTL_P             BIT(8)   /* IA32_MCG_CTL present */
#define   MCG_CAP_CMCI_P            BIT(10)  /* CMCI: IA32_MCi_CTL2 present */
#define MSR_IA32_MCG_STATUS         0x17A
#define   MCG_STATUS_RIPV           BIT(0)   /* restart IP valid */
#define   MCG_STATUS_EIPV           BIT(1)   /* error IP valid */
#define   MCG_STATUS_MCIP           BIT(2)   /* machine check in progress */
#define   MCG_STATUS_LMCE_S         BIT(3)   /* local machine check signaled */
#define MSR_IA32_MCG_CTL            0x17B
#define MSR_IA32_MC0_CTL2           0x280    /* IA32_MCi_CTL2 = this + i (with CMCI) */
#define MSR_IA32_MC0_CTL            0x400    /* bank i: IA32_MCi_CTL = this + 4 * i, then: */
#define   MCI_CTL                   0        /*   + 0 IA32_MCi_CTL    error-reporting enables */
#define   MCI_STATUS                1        /*   + 1 IA32_MCi_STATUS */
#define   MCI_ADDR                  2        /*   + 2 IA32_MCi_ADDR */
#define   MCI_MISC                  3        /*   + 3 IA32_MCi_MISC */
#define MSR_IA32_PAT                0x277
#define   PAT_POWER_ON              0x0007040600070406UL    /* IA32_PAT at reset (SDM Vol. 3A, 13.12.4) */
#define MSR_IA32_MTRR_DEF_TYPE      0x2FF

/* VMX capability reporting MSRs (SDM Vol. 3D, Appendix A). */
#define MSR_IA32_VMX_BASIC          0x480
#define MSR_IA32_VMX_PINBASED_CTLS  0x481
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482
#define MSR_IA32_VMX_EXIT_CTLS      0x483
#define MSR_IA32_VMX_ENTRY_CTLS     0x484
#define MSR_IA32_VMX_MISC           0x485
#define MSR_IA32_VMX_CR0_FIXED0     0x486
#define MSR_IA32_VMX_CR0_FIXED1     0x487
#define MSR_IA32_VMX_CR4_FIXED0     0x488
#define MSR_IA32_VMX_CR4_FIXED1     0x489
#define MSR_IA32_VMX_VMCS_ENUM      0x48A
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48B
#define MSR_IA32_VMX_EPT_VPID_CAP   0x48C
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS  0x48D
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48E
#define MSR_IA32_VMX_TRUE_EXIT_CTLS      0x48F
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS     0x490
#define MSR_IA32_VMX_VMFUNC         0x491

#define MSR_IA32_X2APIC_BASE        0x800    /* x2APIC registers: 0x800 + (xAPIC offset >> 4) */
#define MSR_IA32_X2APIC_LAST        0x8FF

#define MSR_IA32_EFER               0xC0000080
#define   EFER_SCE                  BIT(0)   /* SYSCALL enable */
#define   EFER_LME                  BIT(8)   /* long mode enable */
#define   EFER_LMA                  BIT(10)  /* long mode active */
#define   EFER_NXE                  BIT(11)  /* no-execute enable */
#define   EFER_SVME                 BIT(12)  /* AMD SVM enable */
#define MSR_IA32_STAR               0xC0000081
#define MSR_IA32_LSTAR              0xC0000082
#define MSR_IA32_CSTAR              0xC0000083
#define MSR_IA32_FMASK              0xC0000084
#define MSR_IA32_FS_BASE            0xC0000100
#define MSR_IA32_GS_BASE            0xC0000101
#define MSR_IA32_KERNEL_GS_BASE     0xC0000102
#define MSR_IA32_TSC_AUX            0xC0000103

#endif
