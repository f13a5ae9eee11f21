/*
 * kernel/apic.h: the local APIC's register map (SDM Vol. 3A, 11.4.1,
 * Table 11-1; x2APIC MSR = 0x800 + offset >> 4, 11.12.1.2) and the bits of
 * its LVT entries (Figure 11-8). One definition for the three that need it:
 * the host's driver (drivers/lapic.c), the local APIC guests see
 * (devices/vlapic.c), and the test guests (guests/lib/lapic.c).
 */
#ifndef KERNEL_APIC_H
#define KERNEL_APIC_H

#define LAPIC_DEFAULT_BASE      0xFEE00000u

/* Register offsets in the xAPIC page */
#define LAPIC_ID                0x020   /* xAPIC: id in bits 31:24 */
#define LAPIC_VERSION           0x030
#define LAPIC_TPR               0x080   /* task priority */
#define LAPIC_APR               0x090   /* arbitration priority (xAPIC only) */
#define LAPIC_PPR               0x0A0   /* processor priority */
#define LAPIC_EOI               0x0B0
#define LAPIC_RRD               0x0C0   /* remote read (xAPIC only) */
#define LAPIC_LDR               0x0D0   /* logical destination */
#define LAPIC_DFR               0x0E0   /* destination format (xAPIC only) */
#define LAPIC_SVR               0x0F0   /* spurious-interrupt vector */
#define LAPIC_ISR               0x100   /* in service, 8 x 32 bits, 16 bytes apart */
#define LAPIC_TMR               0x180   /* trigger mode, likewise */
#define LAPIC_IRR               0x200   /* interrupt request, likewise */
#define LAPIC_ESR               0x280   /* error status */
#define LAPIC_LVT_CMCI          0x2F0   /* corrected machine-check, LVT entry 6 */
#define LAPIC_ICR_LO            0x300   /* x2APIC: the whole 64-bit ICR */
#define LAPIC_ICR_HI            0x310   /* xAPIC: destination in bits 31:24 */
#define LAPIC_LVT_TIMER         0x320   /* LVT entry 0 */
#define LAPIC_LVT_THERMAL       0x330   /* LVT entry 5 */
#define LAPIC_LVT_PMC           0x340   /* LVT entry 4 */
#define LAPIC_LVT_LINT0         0x350   /* LVT entry 1 */
#define LAPIC_LVT_LINT1         0x360   /* LVT entry 2 */
#define LAPIC_LVT_ERROR         0x370   /* LVT entry 3 */
#define LAPIC_TIMER_ICR         0x380   /* timer initial count */
#define LAPIC_TIMER_CCR         0x390   /* timer current count */
#define LAPIC_TIMER_DCR         0x3E0   /* timer divide configuration */
#define LAPIC_SELF_IPI          0x3F0   /* x2APIC only, write-only */

/* Spurious-interrupt vector register */
#define LAPIC_SVR_ENABLE        (1u << 8)       /* APIC software enable */

/* LVT entries */
#define LVT_VECTOR_MASK         0xFFu
#define LVT_DELIVERY_FIXED      (0u << 8)       /* delivery mode: fixed */
#define LVT_DELIVERY_NMI        (4u << 8)       /* delivery mode: NMI */
#define LVT_DELIVERY_EXTINT     (7u << 8)       /* delivery mode: ExtINT */
#define LVT_PENDING             (1u << 12)      /* delivery status */
#define LVT_ACTIVE_LOW          (1u << 13)      /* LINT pin polarity */
#define LVT_LEVEL               (1u << 15)      /* LINT trigger mode */
#define LVT_MASKED              (1u << 16)      /* mask */
#define LVT_TIMER_MODE_MASK     (3u << 17)      /* timer mode */
#define LVT_TIMER_ONESHOT       (0u << 17)      /* timer mode: one-shot */
#define LVT_TIMER_PERIODIC      (1u << 17)      /* timer mode: periodic */
#define LVT_TIMER_TSC_DEADLINE  (2u << 17)      /* timer mode: TSC-deadline */

#endif
