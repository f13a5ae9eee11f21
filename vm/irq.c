/*
 * vm/irq.c: the wiring between a guest's interrupt sources and its vCPU,
 * laid out as on a PC: the PIT's output and the other ISA lines reach both
 * the 8259 pair and the IOAPIC (the PIT on IOAPIC pin 2, as the MADT
 * override on PCs and QEMU says); the 8259's output reaches the CPU through
 * the local APIC's LINT0 in ExtINT mode (virtual wire, MP spec 3.6.2.2); the
 * IOAPIC delivers into the local APIC. The devices themselves are pure
 * state machines (devices/vpic.c, vpit.c, vioapic.c, vlapic.c); this file
 * gives them time (the guest TSC), ports and device memory, and tells the
 * vCPU when to look for an interrupt (VCPU_REQ_IRQ) or re-arm its timer
 * exit (VCPU_REQ_TIMER).
 */
#include "vm/irq.h"
#include "devices/vioapic.h"
#include "devices/vlapic.h"
#include "devices/vpic.h"
#include "devices/vpit.h"
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/msr.h"
#include "mm/heap.h"
#include "mm/phys.h"
#include "mm/pmm.h"
#include "vm/vm.h"

#define IOAPIC_MMIO_BASE    0xFEC00000UL
#define APIC_MMIO_LEN       0x1000
#define PIT_IOAPIC_PIN      2           /* ISA IRQ0 */
#define IRQ_TIMERS_MAX      4           /* other devices' timers (irq_add_timer) */

struct vm_irqchip {
	struct vpic pic;
	struct vpit pit;
	struct vioapic ioapic;
	struct vlapic lapic;                /* vCPU 0's: one vCPU per guest for now */
	uint64_t lapic_regs_pa;             /* its register file, a page of its own */
	bool lapic_cpu_delivers;            /* the CPU delivers its interrupts (irq_lapic_cpu_delivers) */
	uint64_t tsc_hz;
	uint64_t ipis_refused;
	uint32_t timer_count;
	struct { irq_timer_fn fn; void *dev; uint64_t next; } timers[IRQ_TIMERS_MAX];
	bool timers_changed;                /* a device's timer settings changed (irq_timer_changed) */
};

static uint64_t
pit_now(struct vm *vm)
{
	return vpit_ticks_from_tsc(vcpu_tsc(&vm->vcpu), vm->irq->tsc_hz);
}

static void
want(struct vm *vm, uint32_t requests)
{
	vm->vcpu.requests |= requests;
}

/* The IOAPIC hands an interrupt to the local APIC (one vCPU takes every destination). */
static void
deliver(void *ctx, uint8_t vector, uint8_t dest, bool level, uint8_t mode)
{
	struct vm *vm = ctx;

	if (mode == VIOAPIC_MODE_FIXED)
		vlapic_accept(&vm->irq->lapic, vector, level);
	else if (mode == VIOAPIC_MODE_NMI)
		want(vm, VCPU_REQ_NMI);
	want(vm, VCPU_REQ_IRQ);
}

void
irq_set(struct vm *vm, uint32_t irq, bool level)
{
	struct vm_irqchip *c = vm->irq;

	vpic_set_irq(&c->pic, irq, level);
	vioapic_set_irq(&c->ioapic, irq == 0 ? PIT_IOAPIC_PIN : irq, level, deliver, vm);
	want(vm, VCPU_REQ_IRQ);
}

/* Channel 0's rising edges since the last look become one IRQ0 pulse. */
static void
pit_sync(struct vm *vm)
{
	if (vpit_irq0_edges(&vm->irq->pit, pit_now(vm))) {
		irq_set(vm, 0, true);
		irq_set(vm, 0, false);
	}
}

/* After the local APIC changed: level EOIs go to the IOAPIC; IPIs the
 * guest cannot have (INIT, SIPI, NMI, other CPUs) are refused and counted. */
static void
lapic_after_write(struct vm *vm)
{
	struct vm_irqchip *c = vm->irq;
	int vector;

	while ((vector = vlapic_take_eoi(&c->lapic)) >= 0)
		vioapic_eoi(&c->ioapic, (uint8_t)vector, deliver, vm);
	if (c->lapic.ipi.pending) {
		c->lapic.ipi.pending = false;
		if (!c->ipis_refused++)
			log_warn("guest %s: sent an IPI (ICR %#x) that no other CPU can receive; ignored",
				 vm->desc.name, c->lapic.ipi.icr);
	}
	want(vm, VCPU_REQ_IRQ | VCPU_REQ_TIMER);
}

static void
pic_io(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	uint8_t b = (uint8_t)*value;

	vpic_io(&vm->irq->pic, port, in, &b);
	if (in)
		*value = b;
	want(vm, VCPU_REQ_IRQ);
}

static void
pit_io(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	uint8_t b = (uint8_t)*value;

	vpit_io(&vm->irq->pit, port, in, &b, pit_now(vm));
	if (in)
		*value = b;
	if (!in) {
		pit_sync(vm);
		want(vm, VCPU_REQ_TIMER);
	}
}

static void
lapic_mmio(struct vm *vm, void *dev, uint64_t offset, uint8_t size, bool write, uint64_t *value)
{
	uint32_t v = (uint32_t)*value;

	if (size != 4 || (offset & 3)) {        /* the APIC takes aligned dwords only (SDM Vol. 3A, 11.4.1) */
		if (!write)
			*value = 0;
		return;
	}
	vlapic_mmio(&vm->irq->lapic, (uint32_t)offset, write, &v, vcpu_tsc(&vm->vcpu));
	if (write)
		lapic_after_write(vm);
	else
		*value = v;
}

static void
ioapic_mmio(struct vm *vm, void *dev, uint64_t offset, uint8_t size, bool write, uint64_t *value)
{
	uint32_t v = (uint32_t)*value;

	if (size != 4 || (offset & 3)) {
		if (!write)
			*value = 0;
		return;
	}
	vioapic_mmio(&vm->irq->ioapic, (uint32_t)offset, write, &v);
	if (write)
		vioapic_flush(&vm->irq->ioapic, deliver, vm);
	else
		*value = v;
}

int
irq_attach(struct vm *vm)
{
	struct vm_irqchip *c = heap_zalloc(sizeof(*c), "irq: a guest's interrupt controllers");
	int r;

	if (!c)
		return -ENOMEM;
	vm->irq = c;
	c->lapic_regs_pa = pmm_alloc(1, PAGE_SIZE, "irq: a local APIC's register page");
	if (!c->lapic_regs_pa)
		return -ENOMEM;
	c->tsc_hz = timer_tsc_hz();
	vpic_init(&c->pic);
	vpit_init(&c->pit, 0);
	vioapic_init(&c->ioapic, 0);
	vlapic_init(&c->lapic, phys_to_virt(c->lapic_regs_pa), 0, c->tsc_hz, timer_lapic_hz());
	vlapic_virtual_wire(&c->lapic);         /* the state firmware leaves an OS */

	if ((r = iobus_register(&vm->iobus, 0x20, 0x21, pic_io, c, "8259 master")) < 0 ||
	    (r = iobus_register(&vm->iobus, 0xA0, 0xA1, pic_io, c, "8259 slave")) < 0 ||
	    (r = iobus_register(&vm->iobus, 0x4D0, 0x4D1, pic_io, c, "8259 ELCR")) < 0 ||
	    (r = iobus_register(&vm->iobus, 0x40, 0x43, pit_io, c, "8254 PIT")) < 0 ||
	    (r = iobus_register(&vm->iobus, 0x61, 0x61, pit_io, c, "port 0x61")) < 0 ||
	    (r = mmio_register(&vm->mmio, LAPIC_DEFAULT_BASE, APIC_MMIO_LEN, lapic_mmio, c, "local APIC")) < 0 ||
	    (r = mmio_register(&vm->mmio, IOAPIC_MMIO_BASE, APIC_MMIO_LEN, ioapic_mmio, c, "IOAPIC")) < 0)
		return r;
	return 0;
}

int
irq_add_timer(struct vm *vm, irq_timer_fn fn, void *dev)
{
	struct vm_irqchip *c = vm->irq;

	if (c->timer_count == IRQ_TIMERS_MAX)
		return -ENOSPC;
	c->timers[c->timer_count].fn = fn;
	c->timers[c->timer_count].next = 0;     /* asked at the first entry */
	c->timers[c->timer_count++].dev = dev;
	return 0;
}

void
irq_timer_changed(struct vm *vm)
{
	vm->irq->timers_changed = true;
	vm->vcpu.requests |= VCPU_REQ_TIMER;
}

void
irq_detach(struct vm *vm)
{
	struct vm_irqchip *c = vm->irq;

	if (!c)
		return;
	if (c->lapic_regs_pa)
		pmm_free(c->lapic_regs_pa, 1);
	heap_free(c);
	vm->irq = NULL;
}

uint64_t
irq_update(struct vcpu *v)
{
	struct vm_irqchip *c = v->vm->irq;
	uint64_t now = vcpu_tsc(v);
	uint64_t next = vlapic_update_timer(&c->lapic, now);
	uint64_t pit_next;

	pit_sync(v->vm);
	pit_next = vpit_next_irq0(&c->pit, vpit_ticks_from_tsc(now, c->tsc_hz));
	if (pit_next != UINT64_MAX)
		next = MIN(next, vpit_tsc_for_ticks(pit_next, c->tsc_hz));
	/* Another device's timer is asked only when its event is due or its
	 * settings changed: between events it has nothing to raise, and what
	 * the guest reads from it is brought up to date by the read itself. */
	for (uint32_t i = 0; i < c->timer_count; i++) {
		if (c->timers_changed || now >= c->timers[i].next)
			c->timers[i].next = c->timers[i].fn(v->vm, c->timers[i].dev, now);
		next = MIN(next, c->timers[i].next);
	}
	c->timers_changed = false;
	v->requests |= VCPU_REQ_IRQ;
	return next;
}

bool
irq_pending(struct vcpu *v)
{
	struct vm_irqchip *c = v->vm->irq;

	return vlapic_pending(&c->lapic) >= 0 ||
	       (vlapic_lint0_extint(&c->lapic) && vpic_has_intr(&c->pic));
}

bool
irq_injectable(struct vcpu *v)
{
	struct vm_irqchip *c = v->vm->irq;

	return (!c->lapic_cpu_delivers && vlapic_pending(&c->lapic) >= 0) ||
	       (vlapic_lint0_extint(&c->lapic) && vpic_has_intr(&c->pic));
}

uint8_t
irq_ack(struct vcpu *v)
{
	struct vm_irqchip *c = v->vm->irq;
	int vector = c->lapic_cpu_delivers ? -1 : vlapic_pending(&c->lapic);

	if (vector >= 0) {
		vlapic_ack(&c->lapic, (uint8_t)vector);
		return (uint8_t)vector;
	}
	return vpic_ack(&c->pic);
}

bool
irq_msr(struct vcpu *v, uint32_t msr, bool write, uint64_t *value)
{
	struct vm_irqchip *c = v->vm->irq;
	bool ok = true;

	if (msr == MSR_IA32_APIC_BASE) {
		ok = vlapic_base_msr(&c->lapic, write, value);
	} else if (msr == MSR_IA32_TSC_DEADLINE) {
		vlapic_tsc_deadline(&c->lapic, write, value, vcpu_tsc(v));
	} else {
		ok = vlapic_msr(&c->lapic, msr, write, value, vcpu_tsc(v));
		if (!ok)
			return false;
	}
	if (write && ok)
		lapic_after_write(v->vm);
	return ok;
}

/* CR8 is the local APIC's task priority, bits 7:4 (SDM Vol. 3A, 11.8.6),
 * in either mode. */
void
irq_cr8(struct vcpu *v, bool write, uint64_t *value)
{
	struct vlapic *l = &v->vm->irq->lapic;

	if (write) {
		vlapic_set_tpr(l, (uint32_t)(*value & 0xF) << 4);
		v->requests |= VCPU_REQ_IRQ;
	} else {
		*value = vlapic_tpr(l) >> 4;
	}
}

uint64_t
irq_lapic_regs(struct vm *vm)
{
	return vm->irq->lapic_regs_pa;
}

bool
irq_lapic_x2apic(struct vcpu *v)
{
	return vlapic_x2apic_mode(&v->vm->irq->lapic);
}

void
irq_lapic_written(struct vcpu *v, uint32_t offset)
{
	vlapic_apic_write(&v->vm->irq->lapic, offset, vcpu_tsc(v));
	lapic_after_write(v->vm);
}

uint8_t
irq_tpr_threshold(struct vcpu *v)
{
	return vlapic_tpr_threshold(&v->vm->irq->lapic);
}

void
irq_lapic_cpu_delivers(struct vm *vm)
{
	vm->irq->lapic_cpu_delivers = true;
}

uint16_t
irq_lapic_intr_status(struct vcpu *v, uint64_t eoi_exit[4], bool *eoi_exit_changed)
{
	struct vlapic *l = &v->vm->irq->lapic;

	*eoi_exit_changed = l->tmr_changed;
	if (l->tmr_changed) {
		l->tmr_changed = false;
		for (uint32_t i = 0; i < 4; i++)        /* level-triggered vectors: their EOIs must exit */
			eoi_exit[i] = (uint64_t)*vlapic_reg(l, LAPIC_TMR + 0x20 * i + 0x10) << 32 |
				      *vlapic_reg(l, LAPIC_TMR + 0x20 * i);
	}
	return vlapic_intr_status(l);
}

void
irq_lapic_eoi_exit(struct vcpu *v, uint8_t vector)
{
	vlapic_eoi_exit(&v->vm->irq->lapic, vector);
	lapic_after_write(v->vm);
}
