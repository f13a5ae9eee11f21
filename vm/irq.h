/*
 * vm/irq.h: a guest's interrupt controllers and timers, as one piece the
 * vCPU's run loop talks to: the 8259 pair and the 8254 (devices/vpic.c,
 * devices/vpit.c), the IOAPIC and the vCPU's local APIC (devices/vioapic.c,
 * devices/vlapic.c). Devices raise lines with irq_set(); before each entry
 * the backend asks irq_pending() and, when the guest can take it,
 * irq_ack() for the vector to inject. Time is the guest's TSC.
 */
#ifndef VM_IRQ_H
#define VM_IRQ_H

#include "kernel/compiler.h"

struct vm;
struct vcpu;

/* Give vm its interrupt controllers and timers (ports and device memory). */
int irq_attach(struct vm *vm);

/* Give back what irq_attach() took. */
void irq_detach(struct vm *vm);

/* ISA interrupt line irq (0-15) is now at level: it reaches the 8259 pair
 * and the IOAPIC (IRQ0 on pin 2, the rest on their own numbers). */
void irq_set(struct vm *vm, uint32_t irq, bool level);

/* Bring the timers up to now; returns the guest TSC of the next timer event, or UINT64_MAX. */
uint64_t irq_update(struct vcpu *v);

/* A device with a timer of its own (the RTC, the ACPI PM timer): when its
 * last answer is due (before an entry, or when the vCPU sleeps), fn brings
 * it up to guest TSC now, raising its lines with irq_set(), and returns the
 * guest TSC of its next event, or UINT64_MAX. A device whose next event may
 * have moved (the guest accessed it) calls irq_timer_changed(). */
typedef uint64_t (*irq_timer_fn)(struct vm *vm, void *dev, uint64_t now);
int irq_add_timer(struct vm *vm, irq_timer_fn fn, void *dev);
/* A device's timer settings changed (the guest wrote them): every fn is
 * asked again before the next entry. */
void irq_timer_changed(struct vm *vm);

/* Is an external interrupt waiting for v? Is one waiting that the backend
 * must inject (not one the CPU delivers itself, irq_lapic_cpu_delivers()),
 * and which vector is it (acknowledged in its controller)? */
bool irq_pending(struct vcpu *v);
bool irq_injectable(struct vcpu *v);
uint8_t irq_ack(struct vcpu *v);

/* MSR and MMIO views of the local APIC, for the backend's MSR exits:
 * false means the guest gets #GP. */
bool irq_msr(struct vcpu *v, uint32_t msr, bool write, uint64_t *value);

/* MOV to and from CR8: the local APIC's task priority (the backend has
 * checked the value's reserved bits). */
void irq_cr8(struct vcpu *v, bool write, uint64_t *value);

/*
 * The local APIC for a backend that virtualizes it (SDM Vol. 3C, chapter
 * 30). Its register file is a page in the xAPIC layout (devices/vlapic.h),
 * which the backend makes the virtual-APIC page: irq_lapic_regs() is its
 * host-physical address. The guest wrote the register at offset and the
 * CPU put the value there already: irq_lapic_written() carries the write
 * out. irq_tpr_threshold() is the TPR threshold to use before the next
 * entry, irq_lapic_x2apic() whether the APIC is in x2APIC mode.
 */
uint64_t irq_lapic_regs(struct vm *vm);
bool irq_lapic_x2apic(struct vcpu *v);
void irq_lapic_written(struct vcpu *v, uint32_t offset);
uint8_t irq_tpr_threshold(struct vcpu *v);

/*
 * With virtual-interrupt delivery (SDM Vol. 3C, 30.2) the CPU delivers the
 * local APIC's interrupts: after irq_lapic_cpu_delivers(), irq_injectable()
 * and irq_ack() leave them out. Before each entry irq_lapic_intr_status()
 * gives the guest interrupt status (RVI, SVI) and, when it changed, fills
 * the EOI-exit bitmap (the level-triggered vectors) and sets
 * *eoi_exit_changed; irq_lapic_eoi_exit() is the exit after the
 * CPU did the EOI of one of those.
 */
void irq_lapic_cpu_delivers(struct vm *vm);
uint16_t irq_lapic_intr_status(struct vcpu *v, uint64_t eoi_exit[4], bool *eoi_exit_changed);
void irq_lapic_eoi_exit(struct vcpu *v, uint8_t vector);

#endif
