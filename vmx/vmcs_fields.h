/*
 * vmx/vmcs_fields.h: VMCS field encodings (SDM Vol. 3D, Appendix B), in the
 * SDM's order. An encoding carries its width in bits 14:13 (B.1 / 25.11.2):
 * 0 = 16-bit, 1 = 64-bit, 2 = 32-bit, 3 = natural width; vmx/vmcs.h checks
 * every access against it at compile time.
 */
#ifndef VMX_VMCS_FIELDS_H
#define VMX_VMCS_FIELDS_H

/* 16-bit control fields (B.1.1) */
#define VMCS_VPID                       0x0000
#define VMCS_POSTED_INTR_NV             0x0002
#define VMCS_EPTP_INDEX                 0x0004

/* 16-bit guest-state fields (B.1.2) */
#define VMCS_GUEST_ES_SEL               0x0800
#define VMCS_GUEST_CS_SEL               0x0802
#define VMCS_GUEST_SS_SEL               0x0804
#define VMCS_GUEST_DS_SEL               0x0806
#define VMCS_GUEST_FS_SEL               0x0808
#define VMCS_GUEST_GS_SEL               0x080A
#define VMCS_GUEST_LDTR_SEL             0x080C
#define VMCS_GUEST_TR_SEL               0x080E
#define VMCS_GUEST_INTR_STATUS          0x0810

/* 16-bit host-state fields (B.1.3) */
#define VMCS_HOST_ES_SEL                0x0C00
#define VMCS_HOST_CS_SEL                0x0C02
#define VMCS_HOST_SS_SEL                0x0C04
#define VMCS_HOST_DS_SEL                0x0C06
#define VMCS_HOST_FS_SEL                0x0C08
#define VMCS_HOST_GS_SEL                0x0C0A
#define VMCS_HOST_TR_SEL                0x0C0C

/* 64-bit control fields (B.2.1) */
#define VMCS_IO_BITMAP_A                0x2000
#define VMCS_IO_BITMAP_B                0x2002
#define VMCS_MSR_BITMAP                 0x2004
#define VMCS_EXIT_MSR_STORE_ADDR        0x2006
#define VMCS_EXIT_MSR_LOAD_ADDR         0x2008
#define VMCS_ENTRY_MSR_LOAD_ADDR        0x200A
#define VMCS_TSC_OFFSET                 0x2010
#define VMCS_VIRTUAL_APIC_ADDR          0x2012
#define VMCS_APIC_ACCESS_ADDR           0x2014
#define VMCS_EPT_POINTER                0x201A
#define VMCS_EOI_EXIT_BITMAP0           0x201C  /* vectors 0-63; 1-3 follow, 2 apart */

/* 64-bit read-only data field (B.2.2) */
#define VMCS_GUEST_PHYSICAL_ADDR        0x2400

/* 64-bit guest-state fields (B.2.3) */
#define VMCS_LINK_POINTER               0x2800
#define VMCS_GUEST_DEBUGCTL             0x2802
#define VMCS_GUEST_PAT                  0x2804
#define VMCS_GUEST_EFER                 0x2806
#define VMCS_GUEST_PERF_GLOBAL_CTRL     0x2808
#define VMCS_GUEST_PDPTE0               0x280A
#define VMCS_GUEST_PDPTE1               0x280C
#define VMCS_GUEST_PDPTE2               0x280E
#define VMCS_GUEST_PDPTE3               0x2810

/* 64-bit host-state fields (B.2.4) */
#define VMCS_HOST_PAT                   0x2C00
#define VMCS_HOST_EFER                  0x2C02
#define VMCS_HOST_PERF_GLOBAL_CTRL      0x2C04

/* 32-bit control fields (B.3.1) */
#define VMCS_PIN_CONTROLS               0x4000
#define VMCS_PROC_CONTROLS              0x4002
#define VMCS_EXCEPTION_BITMAP           0x4004
#define VMCS_PF_ERROR_CODE_MASK         0x4006
#define VMCS_PF_ERROR_CODE_MATCH        0x4008
#define VMCS_CR3_TARGET_COUNT           0x400A
#define VMCS_EXIT_CONTROLS              0x400C
#define VMCS_EXIT_MSR_STORE_COUNT       0x400E
#define VMCS_EXIT_MSR_LOAD_COUNT        0x4010
#define VMCS_ENTRY_CONTROLS             0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT       0x4014
#define VMCS_ENTRY_INTR_INFO            0x4016
#define VMCS_ENTRY_EXCEPTION_ERROR_CODE 0x4018
#define VMCS_ENTRY_INSTRUCTION_LEN      0x401A
#define VMCS_TPR_THRESHOLD              0x401C
#define VMCS_PROC2_CONTROLS             0x401E

/* 32-bit read-only data fields (B.3.2) */
#define VMCS_VM_INSTRUCTION_ERROR       0x4400
#define VMCS_EXIT_REASON                0x4402
#define VMCS_EXIT_INTR_INFO             0x4404
#define VMCS_EXIT_INTR_ERROR_CODE       0x4406
#define VMCS_IDT_VECTORING_INFO         0x4408
#define VMCS_IDT_VECTORING_ERROR_CODE   0x440A
#define VMCS_EXIT_INSTRUCTION_LEN       0x440C
#define VMCS_EXIT_INSTRUCTION_INFO      0x440E

/* 32-bit guest-state fields (B.3.3) */
#define VMCS_GUEST_ES_LIMIT             0x4800
#define VMCS_GUEST_CS_LIMIT             0x4802
#define VMCS_GUEST_SS_LIMIT             0x4804
#define VMCS_GUEST_DS_LIMIT             0x4806
#define VMCS_GUEST_FS_LIMIT             0x4808
#define VMCS_GUEST_GS_LIMIT             0x480A
#define VMCS_GUEST_LDTR_LIMIT           0x480C
#define VMCS_GUEST_TR_LIMIT             0x480E
#define VMCS_GUEST_GDTR_LIMIT           0x4810
#define VMCS_GUEST_IDTR_LIMIT           0x4812
#define VMCS_GUEST_ES_AR                0x4814
#define VMCS_GUEST_CS_AR                0x4816
#define VMCS_GUEST_SS_AR                0x4818
#define VMCS_GUEST_DS_AR                0x481A
#define VMCS_GUEST_FS_AR                0x481C
#define VMCS_GUEST_GS_AR                0x481E
#define VMCS_GUEST_LDTR_AR              0x4820
#define VMCS_GUEST_TR_AR                0x4822
#define VMCS_GUEST_INTERRUPTIBILITY     0x4824
#define VMCS_GUEST_ACTIVITY_STATE       0x4826
#define VMCS_GUEST_SMBASE               0x4828
#define VMCS_GUEST_SYSENTER_CS          0x482A
#define VMCS_PREEMPTION_TIMER_VALUE     0x482E

/* 32-bit host-state field (B.3.4) */
#define VMCS_HOST_SYSENTER_CS           0x4C00

/* Natural-width control fields (B.4.1) */
#define VMCS_CR0_GUEST_HOST_MASK        0x6000
#define VMCS_CR4_GUEST_HOST_MASK        0x6002
#define VMCS_CR0_READ_SHADOW            0x6004
#define VMCS_CR4_READ_SHADOW            0x6006

/* Natural-width read-only data fields (B.4.2) */
#define VMCS_EXIT_QUALIFICATION         0x6400
#define VMCS_GUEST_LINEAR_ADDR          0x640A

/* Natural-width guest-state fields (B.4.3) */
#define VMCS_GUEST_CR0                  0x6800
#define VMCS_GUEST_CR3                  0x6802
#define VMCS_GUEST_CR4                  0x6804
#define VMCS_GUEST_ES_BASE              0x6806
#define VMCS_GUEST_CS_BASE              0x6808
#define VMCS_GUEST_SS_BASE              0x680A
#define VMCS_GUEST_DS_BASE              0x680C
#define VMCS_GUEST_FS_BASE              0x680E
#define VMCS_GUEST_GS_BASE              0x6810
#define VMCS_GUEST_LDTR_BASE            0x6812
#define VMCS_GUEST_TR_BASE              0x6814
#define VMCS_GUEST_GDTR_BASE            0x6816
#define VMCS_GUEST_IDTR_BASE            0x6818
#define VMCS_GUEST_DR7                  0x681A
#define VMCS_GUEST_RSP                  0x681C
#define VMCS_GUEST_RIP                  0x681E
#define VMCS_GUEST_RFLAGS               0x6820
#define VMCS_GUEST_PENDING_DBG          0x6822
#define VMCS_GUEST_SYSENTER_ESP         0x6824
#define VMCS_GUEST_SYSENTER_EIP         0x6826

/* Natural-width host-state fields (B.4.4) */
#define VMCS_HOST_CR0                   0x6C00
#define VMCS_HOST_CR3                   0x6C02
#define VMCS_HOST_CR4                   0x6C04
#define VMCS_HOST_FS_BASE               0x6C06
#define VMCS_HOST_GS_BASE               0x6C08
#define VMCS_HOST_TR_BASE               0x6C0A
#define VMCS_HOST_GDTR_BASE             0x6C0C
#define VMCS_HOST_IDTR_BASE             0x6C0E
#define VMCS_HOST_SYSENTER_ESP          0x6C10
#define VMCS_HOST_SYSENTER_EIP          0x6C12
#define VMCS_HOST_RSP                   0x6C14
#define VMCS_HOST_RIP                   0x6C16

/* VM-exit controls (SDM Vol. 3C, Table 25-13) */
#define EXIT_SAVE_DEBUG_CONTROLS        BIT(2)   /* save DR7 and IA32_DEBUGCTL */
#define EXIT_HOST_ADDR_SPACE_SIZE       BIT(9)   /* host is in 64-bit mode after exit */
#define EXIT_LOAD_PERF_GLOBAL_CTRL      BIT(12)  /* load IA32_PERF_GLOBAL_CTRL */
#define EXIT_ACK_INTR_ON_EXIT           BIT(15)  /* acknowledge interrupt on exit */
#define EXIT_SAVE_PAT                   BIT(18)  /* save IA32_PAT */
#define EXIT_LOAD_PAT                   BIT(19)  /* load IA32_PAT */
#define EXIT_SAVE_EFER                  BIT(20)  /* save IA32_EFER */
#define EXIT_LOAD_EFER                  BIT(21)  /* load IA32_EFER */
#define EXIT_SAVE_PREEMPTION_TIMER      BIT(22)  /* save VMX-preemption timer value */

/* VM-entry controls (SDM Vol. 3C, Table 25-15) */
#define ENTRY_LOAD_DEBUG_CONTROLS       BIT(2)   /* load DR7 and IA32_DEBUGCTL */
#define ENTRY_IA32E_MODE_GUEST          BIT(9)   /* guest is in IA-32e mode after entry */
#define ENTRY_LOAD_PERF_GLOBAL_CTRL     BIT(13)  /* load IA32_PERF_GLOBAL_CTRL */
#define ENTRY_LOAD_PAT                  BIT(14)  /* load IA32_PAT */
#define ENTRY_LOAD_EFER                 BIT(15)  /* load IA32_EFER */

/* Interruption-information format, VM entry and exit (SDM Vol. 3C, Tables 25-17, 25-19) */
#define INTR_INFO_VECTOR_MASK           0xFF
#define INTR_INFO_TYPE_SHIFT            8
#define INTR_INFO_TYPE_MASK             (7u << 8)
#define INTR_TYPE_EXT_INTR              0        /* external interrupt */
#define INTR_TYPE_NMI                   2        /* non-maskable interrupt */
#define INTR_TYPE_HW_EXCEPTION          3        /* hardware exception */
#define INTR_TYPE_SW_INTR               4        /* software interrupt (INT n) */
#define INTR_TYPE_PRIV_SW_EXCEPTION     5        /* privileged software exception (INT1) */
#define INTR_TYPE_SW_EXCEPTION          6        /* software exception (INT3, INTO) */
#define INTR_INFO_DELIVER_CODE          BIT(11)  /* deliver an error code */
#define INTR_INFO_NMI_UNBLOCKING        BIT(12)  /* exit info: NMI unblocking due to IRET */
#define INTR_INFO_VALID                 BIT(31)  /* valid */

/* Guest interruptibility state (SDM Vol. 3C, 25.4.2, Table 25-3) */
#define INTR_BLOCK_STI                  BIT(0)   /* blocking by STI */
#define INTR_BLOCK_MOV_SS               BIT(1)   /* blocking by MOV SS */
#define INTR_BLOCK_SMI                  BIT(2)   /* blocking by SMI */
#define INTR_BLOCK_NMI                  BIT(3)   /* blocking by NMI */

/* Exit reason (SDM Vol. 3C, 27.2.1, Table 27-1) */
#define EXIT_REASON_BASIC_MASK          0xFFFF
#define EXIT_REASON_ENTRY_FAILURE       BIT(31)  /* VM-entry failure */

/* Segment access rights in the VMCS (SDM Vol. 3C, Table 25-2) */
#define AR_TYPE_MASK                    0xF
#define AR_S                            BIT(4)   /* code or data (not system) */
#define AR_DPL_SHIFT                    5
#define AR_P                            BIT(7)   /* present */
#define AR_L                            BIT(13)  /* 64-bit code */
#define AR_DB                           BIT(14)  /* default operation size 32 */
#define AR_G                            BIT(15)  /* granularity 4 KiB */
#define AR_UNUSABLE                     BIT(16)  /* segment unusable */

#endif
