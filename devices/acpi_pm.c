/*
 * devices/acpi_pm.c: PM1a event and control blocks, the PM timer and the
 * reset control register (ACPI 6.5, 4.8.3 "PM1 Event Grouping", 4.8.3.2
 * "PM1 Control Grouping", 4.8.3.3 "Power Management Timer"; status bits
 * are cleared by writing 1, SLP_EN and GBL_RLS read as 0).
 */
#include "devices/acpi_pm.h"
#include "devices/pc.h"
#include "drivers/timer.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "vm/irq.h"
#include "vm/vm.h"

#define TMR_MSB_SHIFT       (ACPI_PM_TMR_BITS - 1)     /* TMR_STS: this bit of the count changed */

uint64_t
acpi_pm_ticks(const struct acpi_pm *pm, uint64_t now)
{
	return now / pm->tsc_hz * PC_PM_TMR_HZ + now % pm->tsc_hz * PC_PM_TMR_HZ / pm->tsc_hz;
}

void
acpi_pm_init(struct acpi_pm *pm, uint64_t tsc_hz, uint64_t now)
{
	memset(pm, 0, sizeof(*pm));
	pm->tsc_hz = tsc_hz;
	pm->cnt = PC_PM1_CNT_SCI_EN;
	pm->tmr_seen = acpi_pm_ticks(pm, now);
}

bool
acpi_pm_update(struct acpi_pm *pm, uint64_t now)
{
	uint64_t t = acpi_pm_ticks(pm, now);

	if (t >> TMR_MSB_SHIFT != pm->tmr_seen >> TMR_MSB_SHIFT)
		pm->sts |= ACPI_PM1_TMR_STS;
	pm->tmr_seen = t;
	return (pm->cnt & PC_PM1_CNT_SCI_EN) && (pm->sts & pm->en);
}

uint64_t
acpi_pm_next_event(const struct acpi_pm *pm)
{
	uint64_t t, hz = pm->tsc_hz;

	if (!(pm->en & ACPI_PM1_TMR_STS) || (pm->sts & ACPI_PM1_TMR_STS) || !(pm->cnt & PC_PM1_CNT_SCI_EN))
		return UINT64_MAX;
	t = ((pm->tmr_seen >> TMR_MSB_SHIFT) + 1) << TMR_MSB_SHIFT;
	return t / PC_PM_TMR_HZ * hz + (t % PC_PM_TMR_HZ * hz + PC_PM_TMR_HZ - 1) / PC_PM_TMR_HZ;
}

void
acpi_pm_power_button(struct acpi_pm *pm)
{
	pm->sts |= ACPI_PM1_PWRBTN_STS;
}

/* The 16-bit register at offset (even) with byte `hi` replaced by v. */
static uint16_t
with_byte(uint16_t reg, bool hi, uint8_t v)
{
	return hi ? (uint16_t)((reg & 0x00FF) | v << 8) : (uint16_t)((reg & 0xFF00) | v);
}

enum acpi_pm_action
acpi_pm_io(struct acpi_pm *pm, uint16_t offset, bool in, uint8_t *value, uint64_t now)
{
	bool hi = offset & 1;
	uint16_t w;

	acpi_pm_update(pm, now);
	if (in) {
		switch (offset & ~1) {
		case ACPI_PM_STS:   w = pm->sts; break;
		case ACPI_PM_EN:    w = pm->en; break;
		case ACPI_PM_CNT:   w = pm->cnt; break;
		default:            w = 0; break;
		}
		*value = (uint8_t)(hi ? w >> 8 : w);
		if (offset >= ACPI_PM_TMR && offset < ACPI_PM_LEN)
			*value = (uint8_t)((acpi_pm_ticks(pm, now) & ACPI_PM_TMR_MASK) >> (8 * (offset - ACPI_PM_TMR)));
		return ACPI_PM_NONE;
	}
	switch (offset & ~1) {
	case ACPI_PM_STS:
		pm->sts &= (uint16_t)~with_byte(0, hi, *value);         /* write 1 to clear */
		break;
	case ACPI_PM_EN:
		pm->en = with_byte(pm->en, hi, *value) & ACPI_PM1_EN_MASK;
		break;
	case ACPI_PM_CNT:
		w = with_byte(pm->cnt, hi, *value);
		pm->cnt = w & ACPI_PM1_CNT_MASK & ~ACPI_PM1_GBL_RLS;
		if (hi && (w & PC_PM1_CNT_SLP_EN)) {
			pm->slp_typ = (uint8_t)((w & ACPI_PM1_SLP_TYP_MASK) >> ACPI_PM1_SLP_TYP_SHIFT);
			return pm->slp_typ == PC_SLP_TYP_S5 ? ACPI_PM_POWEROFF : ACPI_PM_SLEEP_UNKNOWN;
		}
		break;
	default:                    /* the timer is read-only */
		break;
	}
	return ACPI_PM_NONE;
}

enum acpi_pm_action
acpi_pm_rcr_io(struct acpi_pm *pm, bool in, uint8_t *value)
{
	if (in) {
		*value = pm->rcr;
		return ACPI_PM_NONE;
	}
	pm->rcr = *value & (ACPI_RCR_SYS_RST | ACPI_RCR_FULL_RST);
	return *value & ACPI_RCR_RST_CPU ? ACPI_PM_RESET : ACPI_PM_NONE;
}

/* --- on a guest's ports and IRQ 9 ------------------------------------------ */

static void
sync_sci(struct vm *vm, struct acpi_pm *pm)
{
	bool sci = acpi_pm_update(pm, vcpu_tsc(&vm->vcpu));

	if (sci != pm->sci) {
		pm->sci = sci;
		irq_set(vm, PC_IRQ_SCI, sci);
	}
}

static void
act(struct vm *vm, struct acpi_pm *pm, enum acpi_pm_action a, const char *why)
{
	switch (a) {
	case ACPI_PM_POWEROFF:
		vm_poweroff(vm);
		break;
	case ACPI_PM_RESET:
		vm_reset(vm, why);
		break;
	case ACPI_PM_SLEEP_UNKNOWN:
		log_warn("guest %s: asked for sleep type %u, which its machine does not have (only S5, %u); ignored",
			 vm->desc.name, pm->slp_typ, PC_SLP_TYP_S5);
		break;
	default:
		break;
	}
}

static void
pm_port(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	struct acpi_pm *pm = dev;
	uint64_t now = vcpu_tsc(&vm->vcpu);
	enum acpi_pm_action a = ACPI_PM_NONE;
	uint32_t out = 0;

	for (uint8_t i = 0; i < size; i++) {
		uint16_t offset = (uint16_t)(port - PC_PORT_PM_BASE + i);
		uint8_t b = (uint8_t)(*value >> (8 * i));

		if (offset >= ACPI_PM_LEN)
			b = 0xFF;
		else if (a == ACPI_PM_NONE)
			a = acpi_pm_io(pm, offset, in, &b, now);
		out |= (uint32_t)b << (8 * i);
	}
	if (in)
		*value = out;
	sync_sci(vm, pm);
	irq_timer_changed(vm);          /* an enable or status bit, or the timer read */
	act(vm, pm, a, NULL);
}

static void
rcr_port(struct vm *vm, void *dev, uint16_t port, uint8_t size, bool in, uint32_t *value)
{
	struct acpi_pm *pm = dev;
	uint8_t b = (uint8_t)*value;
	enum acpi_pm_action a = acpi_pm_rcr_io(pm, in, &b);

	if (in)
		*value = size == 1 ? b : b | 0xFFFFFF00u;
	act(vm, pm, a, "reset control register 0xCF9");
}

static uint64_t
pm_timer(struct vm *vm, void *dev, uint64_t now)
{
	struct acpi_pm *pm = dev;

	sync_sci(vm, pm);
	return acpi_pm_next_event(pm);
}

void
acpi_pm_press_power_button(struct vm *vm, struct acpi_pm *pm)
{
	acpi_pm_power_button(pm);
	sync_sci(vm, pm);
}

int
acpi_pm_attach(struct vm *vm, struct acpi_pm *pm)
{
	int r;

	acpi_pm_init(pm, timer_tsc_hz(), 0);
	if ((r = iobus_register(&vm->iobus, PC_PORT_PM_BASE, PC_PORT_PM_BASE + ACPI_PM_LEN - 1, pm_port, pm,
				"ACPI PM")) < 0 ||
	    (r = iobus_register(&vm->iobus, PC_PORT_RESET, PC_PORT_RESET, rcr_port, pm, "reset control")) < 0)
		return r;
	return irq_add_timer(vm, pm_timer, pm);
}
