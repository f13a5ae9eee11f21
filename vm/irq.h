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

/* ISA interrupt line irq (0-15) is now at level: it reaches the 8259 pair
 * and the IOAPIC (IRQ0 on pin 2, the rest on their own numbers). */
void irq_set(struct vm *vm, uint32_t irq, bool level);

/* Bring the timers up to now; returns the guest TSC of the next timer event, or UINT64_MAX. */
uint64_t irq_update(struct vcpu *v);

/* A device with a timer of its own (the RTC, the ACPI PM timer): before
 * each entry and when the vCPU sleeps, fn brings it up to guest TSC now,
 * raising its lines with irq_set(), and returns the guest TSC of its next
 * event, or UINT64_MAX. A device whose next event moved asks for
 * VCPU_REQ_TIMER. */
typedef uint64_t (*irq_timer_fn)(struct vm *vm, void *dev, uint64_t now);
int irq_add_timer(struct vm *vm, irq_timer_fn fn, void *dev);

/* Is an external interrupt waiting for v, and which vector is it (acknowledged in its controller)? */
bool irq_pending(struct vcpu *v);
uint8_t irq_ack(struct vcpu *v);

/* MSR and MMIO views of the local APIC, for the backend's MSR exits:
 * false means the guest gets #GP. */
bool irq_msr(struct vcpu *v, uint32_t msr, bool write, uint64_t *value);

/* MOV to and from CR8: the local APIC's task priority (the backend has
 * checked the value's reserved bits). */
void irq_cr8(struct vcpu *v, bool write, uint64_t *value);

#endif
