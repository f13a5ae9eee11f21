/*
 * devices/vlapic.h: one vCPU's emulated local APIC (SDM Vol. 3A, chapter
 * 11), reached as the xAPIC page at 0xFEE00000 or as x2APIC MSRs
 * 0x800-0x8FF; both are views of the same state.
 *
 * The register file is one 4 KiB page laid out as the xAPIC page (struct
 * vlapic_regs): each register a 32-bit word at its architectural offset.
 * With APIC virtualization (SDM Vol. 3C, chapter 30) that page is also the
 * VMCS's virtual-APIC page: the CPU then serves the guest's reads of most
 * registers from it and writes TPR into it without a VM exit, and hands
 * other writes over after the fact (vlapic_apic_write()). The emulated path
 * uses the same words, so there is one state and nothing to keep in sync.
 *
 * A pure state machine: it never injects, never arms a host timer and never
 * reads a clock. Every call that can depend on time takes now, the guest's
 * TSC. The caller (the wiring) asks vlapic_pending() what to inject, tells
 * vlapic_ack() what it injected, arms a host timer for what
 * vlapic_update_timer() returns, passes vlapic_take_eoi()'s vectors to the
 * IOAPIC, and carries out the IPIs left in ipi.
 */
#ifndef DEVICES_VLAPIC_H
#define DEVICES_VLAPIC_H

#include "kernel/apic.h"
#include "kernel/compiler.h"
#include "kernel/msr.h"

#define VLAPIC_MMIO_LEN         0x1000u

/* The register map and LVT bits are kernel/apic.h's; the x2APIC MSR of a
 * register is 0x800 + (offset >> 4) (SDM Vol. 3A, 11.12.1.2, Table 11-6). */
#define VLAPIC_MSR(offset)      (MSR_IA32_X2APIC_BASE + ((offset) >> 4))

/* Version register (11.4.8, Figure 11-7): integrated APIC, six LVT entries
 * (max LVT 5: no CMCI), no EOI-broadcast suppression. */
#define VLAPIC_VERSION_VALUE    0x00050014u

/* Spurious-interrupt vector register (11.9, Figure 11-23). */
#define VLAPIC_SVR_VECTOR_MASK  0xFFu
#define VLAPIC_SVR_FOCUS_OFF    BIT(9)          /* focus processor checking (stored only) */

/* Error status register (11.5.3, Figure 11-9). */
#define VLAPIC_ESR_SEND_ILLEGAL BIT(5)          /* send illegal vector */
#define VLAPIC_ESR_RECV_ILLEGAL BIT(6)          /* receive illegal vector */

/* Local vector table entries (11.5.1, Figure 11-8). */
#define VLAPIC_LVT_MODE_SHIFT   8               /* delivery mode, bits 10:8 */
#define VLAPIC_LVT_MODE_MASK    (7u << 8)
#define VLAPIC_LVT_MODE_SMI     (2u << 8)
#define VLAPIC_LVT_MODE_INIT    (5u << 8)
#define VLAPIC_LVT_REMOTE_IRR   BIT(14)         /* LINT remote IRR (always 0 here) */

/* The LVT entries' offsets, first to last (Table 11-1); CMCI is absent. */
#define VLAPIC_LVT_FIRST        LAPIC_LVT_TIMER
#define VLAPIC_LVT_LAST         LAPIC_LVT_ERROR

/* Interrupt command register (11.6.1, Figure 11-12). */
#define VLAPIC_ICR_VECTOR_MASK  0xFFu
#define VLAPIC_ICR_MODE_MASK    (7u << 8)       /* delivery mode */
#define VLAPIC_ICR_FIXED        (0u << 8)
#define VLAPIC_ICR_LOWEST       (1u << 8)
#define VLAPIC_ICR_SMI          (2u << 8)
#define VLAPIC_ICR_NMI          (4u << 8)
#define VLAPIC_ICR_INIT         (5u << 8)
#define VLAPIC_ICR_STARTUP      (6u << 8)
#define VLAPIC_ICR_LOGICAL      BIT(11)         /* destination mode */
#define VLAPIC_ICR_PENDING      BIT(12)         /* delivery status (always 0 here) */
#define VLAPIC_ICR_ASSERT       BIT(14)
#define VLAPIC_ICR_LEVEL        BIT(15)         /* trigger mode */
#define VLAPIC_ICR_SHORT_MASK   (3u << 18)      /* destination shorthand */
#define VLAPIC_ICR_SHORT_NONE   (0u << 18)
#define VLAPIC_ICR_SHORT_SELF   (1u << 18)
#define VLAPIC_ICR_SHORT_ALL    (2u << 18)      /* all including self */
#define VLAPIC_ICR_SHORT_OTHERS (3u << 18)      /* all excluding self */
#define VLAPIC_ICR_LO_MASK      0x000CCFFFu     /* the writable bits of ICR low */

/*
 * An IPI this model did not carry out in full, left for the wiring: any
 * delivery mode other than fixed/lowest priority (NMI, INIT, SIPI, SMI,
 * also to self), and any destination that is not this APIC alone (another
 * ID, a logical destination, a broadcast, the all/all-but-self shorthands).
 * A fixed IPI whose destination includes this APIC is also delivered here.
 * A second IPI before the wiring drains the first overwrites it (dropped
 * counts those).
 */
struct vlapic_ipi {
	bool pending;
	uint32_t icr;           /* ICR low as written, delivery status clear */
	uint32_t dest;          /* x2APIC: bits 63:32; xAPIC: ICR high bits 31:24 */
	uint64_t dropped;
};

/*
 * The register file, the xAPIC page's layout (11.4.1, Table 11-1): the
 * register at offset o is word[o / 4]; the other three words of each
 * 16-byte slot, and registers the model computes on a read (PPR, the
 * timer's current count), stay 0. What the mode shows is stored: ID and
 * LDR hold their x2APIC values in x2APIC mode; ICR high holds the
 * destination as the mode shows it (xAPIC bits 31:24, x2APIC all 32).
 */
struct vlapic_regs {
	uint32_t word[VLAPIC_MMIO_LEN / 4];
};
STATIC_ASSERT(sizeof(struct vlapic_regs) == VLAPIC_MMIO_LEN, "the register file is one page");

struct vlapic {
	struct vlapic_regs *regs;       /* the caller's page (page-aligned for the CPU) */
	uint32_t id;            /* x2APIC ID; the xAPIC view shows bits 7:0 */
	uint64_t apic_base;     /* IA32_APIC_BASE */
	uint64_t tsc_hz;        /* guest TSC frequency */
	uint64_t bus_hz;        /* timer input frequency before the divider */

	uint32_t esr_pending;           /* errors since the last ESR write (ESR reads those before it) */
	uint32_t eoi_pending[8];        /* level-triggered vectors EOIed, for the IOAPIC */
	bool tmr_changed;               /* TMR changed since the wiring last cleared this */

	/*
	 * The timer, counting at bus_hz / divide, derived from the guest TSC.
	 * It runs on its own copies of LVT timer, initial count and divide:
	 * with APIC-register virtualization the CPU puts a new value in the
	 * page before the write reaches us (SDM Vol. 3C, 30.4.3), and the
	 * timer must first be brought up to then under the old settings.
	 */
	uint32_t timer_lvt, timer_icr;
	uint32_t timer_divide;          /* 1..128 from the divide configuration */
	bool timer_running;             /* one-shot or periodic counting down */
	uint64_t timer_start;           /* guest TSC at which timer_counted was reached */
	uint64_t timer_counted;         /* counts gone by at timer_start (non-zero after a divide change) */
	uint64_t timer_periods;         /* expiries already taken since timer_start */
	uint64_t tsc_deadline;          /* IA32_TSC_DEADLINE, 0 = disarmed */
	uint64_t timer_fired;           /* timer interrupts raised (statistics) */
	uint64_t timer_coalesced;       /* expiries merged into one (statistics) */

	struct vlapic_ipi ipi;
};

/* Power-on/INIT state (SDM 11.4.7.1): IA32_APIC_BASE = 0xFEE00000, enabled,
 * BSP for ID 0; LVTs masked; SVR 0xFF (software-disabled); DFR all ones.
 * regs is the register file, a page the caller owns and gives back. */
void vlapic_init(struct vlapic *l, struct vlapic_regs *regs, uint32_t apic_id, uint64_t tsc_hz,
		 uint64_t bus_hz);

/* The register at xAPIC offset (16-byte aligned, below 0x1000) as stored. */
static inline uint32_t *
vlapic_reg(const struct vlapic *l, uint32_t offset)
{
	return &l->regs->word[offset / 4];
}

/* What firmware leaves for an OS (MP spec 3.6.2.2, virtual wire): software
 * enabled, LINT0 ExtINT, LINT1 NMI. For guests booted without a BIOS that
 * expect the 8259 to reach them through the local APIC. Optional. */
void vlapic_virtual_wire(struct vlapic *l);

/* xAPIC register access at offset 0-0xFFF, 32 bits wide. Offsets between
 * registers, absent registers and x2APIC-only registers read 0 and ignore
 * writes; so does the whole page unless the APIC is in xAPIC mode. */
void vlapic_mmio(struct vlapic *l, uint32_t offset, bool write, uint32_t *value, uint64_t now);

/* x2APIC MSR access (0x800 + offset >> 4). Returns false when the guest must
 * get #GP: not in x2APIC mode, no such register, a write to a read-only one
 * or a read of a write-only one, reserved bits set in a write (11.12.1.3). */
bool vlapic_msr(struct vlapic *l, uint32_t msr, bool write, uint64_t *value, uint64_t now);

/*
 * An APIC-write VM exit (SDM Vol. 3C, 30.4.3.3): the guest wrote the
 * register holding offset (any byte in its first dword) and the CPU has
 * already stored what it wrote in the register file. Carries that write
 * out as vlapic_mmio() would have (masking, side effects, read-only
 * registers restored); an offset with no writable register is ignored.
 */
void vlapic_apic_write(struct vlapic *l, uint32_t offset, uint64_t now);

/* TPR, and a write of it (as MOV to CR8 does, bits 7:4 from CR8 3:0). */
uint32_t vlapic_tpr(const struct vlapic *l);
void vlapic_set_tpr(struct vlapic *l, uint32_t tpr);

/*
 * The TPR threshold for "use TPR shadow" (SDM Vol. 3C, 30.1.2): when TPR
 * alone holds back the highest requested vector, that vector's priority
 * class, so that the guest lowering TPR below it exits; else 0. Never above
 * TPR's class (VM entry checks that, 27.2.1.1).
 */
uint8_t vlapic_tpr_threshold(const struct vlapic *l);

/*
 * Virtual-interrupt delivery (SDM Vol. 3C, 30.2): the CPU itself takes the
 * highest requested vector when the guest can take it, and carries out its
 * EOI, updating IRR, ISR and PPR in the page. vlapic_intr_status() stores
 * PPR in the page (the CPU compares the request with it, 30.2.1) and
 * returns the guest interrupt status for the next entry: RVI, the highest
 * requested vector, in bits 7:0 and SVI, the highest in service, in 15:8
 * (25.4.2). vlapic_eoi_exit() is an EOI the CPU did, of a vector whose
 * EOI-exit bit was set (30.1.4): a level-triggered one is owed to the IOAPIC.
 */
uint16_t vlapic_intr_status(struct vlapic *l);
void vlapic_eoi_exit(struct vlapic *l, uint8_t vector);

/* IA32_APIC_BASE: disabled <-> xAPIC -> x2APIC -> disabled (11.12.5,
 * Figure 11-27). Returns false (#GP) for the invalid state (x2APIC without
 * enable), x2APIC -> xAPIC, disabled -> x2APIC, reserved bits. Disabling
 * puts the APIC back in its power-on state. The base address is stored;
 * the wiring maps the page at the default address only and may refuse
 * another. The BSP bit is read-only. */
bool vlapic_base_msr(struct vlapic *l, bool write, uint64_t *value);

/* IA32_TSC_DEADLINE: arms (non-zero) or disarms (0) the timer in
 * TSC-deadline mode; ignored in other modes, where it reads 0. */
void vlapic_tsc_deadline(struct vlapic *l, bool write, uint64_t *value, uint64_t now);

/* A fixed interrupt arrives: IRR set, TMR set for level-triggered, cleared
 * for edge. Ignored while the APIC is disabled; a vector below 16 sets the
 * ESR's receive-illegal-vector bit instead. */
void vlapic_accept(struct vlapic *l, uint8_t vector, bool level);

/* The highest vector in IRR whose priority class is above PPR's, or -1
 * (also -1 while the APIC is disabled). */
int vlapic_pending(const struct vlapic *l);

/* The vCPU takes vector v (as vlapic_pending() gave it): IRR -> ISR. */
void vlapic_ack(struct vlapic *l, uint8_t v);

/* Advance the timer to now: expiries since the last call raise the LVT
 * timer vector once (missed periods coalesce). Returns the guest TSC of the
 * next expiry that can raise an interrupt, or UINT64_MAX when none can
 * (stopped, or masked: a masked timer still counts, lazily). */
uint64_t vlapic_update_timer(struct vlapic *l, uint64_t now);

/* After an EOI, each level-triggered vector it completed (TMR set), once,
 * highest first; -1 when none is left. The IOAPIC wants these. */
int vlapic_take_eoi(struct vlapic *l);

/* IA32_APIC_BASE enabled and SVR software-enabled. */
bool vlapic_enabled(const struct vlapic *l);

/* In x2APIC mode (IA32_APIC_BASE EXTD and EN). */
bool vlapic_x2apic_mode(const struct vlapic *l);

/* Whether the 8259's INTR reaches the CPU: LINT0 unmasked in ExtINT mode,
 * or the APIC globally disabled (its LINT0 pin is then plain INTR, 11.4.3). */
bool vlapic_lint0_extint(const struct vlapic *l);

/* The processor priority (11.8.3.1), as PPR reads. */
uint32_t vlapic_ppr(const struct vlapic *l);

#endif
