/*
 * drivers/lapic.c: the local APIC (SDM Vol. 3A, chapter 11 "Advanced
 * Programmable Interrupt Controller"). The same registers are reached two
 * ways: as 32-bit MMIO at the APIC base in xAPIC mode, or as MSRs
 * 0x800 + (offset >> 4) in x2APIC mode (11.12.1.2, Table 11-6), where the
 * ICR becomes one 64-bit MSR and the ID is 32 bits wide.
 */
#include "drivers/lapic.h"
#include "drivers/acpi.h"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/msr.h"
#include "kernel/percpu.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "mm/phys.h"

/* The register map is kernel/apic.h; the version register's fields: */
#define   VERSION_MASK          0xFF            /* version */
#define   VERSION_MAX_LVT_SHIFT 16              /* highest LVT entry */
#define   VERSION_MAX_LVT_MASK  0xFF

/* Local vector table entries by index (SDM Vol. 3A, 11.5.1, Figure 11-8). */
#define LVT_INDEX_PMC           4
#define LVT_INDEX_THERMAL       5
#define LVT_INDEX_CMCI          6

/* Divide configuration: bits 3,1:0 (SDM Vol. 3A, 11.5.4, Figure 11-10). */
static const struct {
	uint32_t divide, dcr;
} dcr_codes[] = {
	{ 1, 0xB }, { 2, 0x0 }, { 4, 0x1 }, { 8, 0x2 },
	{ 16, 0x3 }, { 32, 0x8 }, { 64, 0x9 }, { 128, 0xA },
};

#define IPI_WAIT_SPINS          1000000

static bool force_xapic;
static bool x2apic;
static uint64_t mmio_base;
static uint32_t timer_divide = 16;
static uint64_t timer_ticks;

static uint32_t
lapic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(MSR_IA32_X2APIC_BASE + (reg >> 4));
	return *(volatile uint32_t *)phys_to_virt(mmio_base + reg);
}

static void
lapic_write(uint32_t reg, uint32_t v)
{
	if (x2apic)
		wrmsr(MSR_IA32_X2APIC_BASE + (reg >> 4), v);
	else
		*(volatile uint32_t *)phys_to_virt(mmio_base + reg) = v;
}

void
lapic_force_xapic(bool force)
{
	force_xapic = force;
}

bool
lapic_x2apic_mode(void)
{
	return x2apic;
}

uint32_t
lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);

	return x2apic ? id : id >> 24;
}

void
lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void
timer_interrupt(struct trap_frame *tf)
{
	__atomic_fetch_add(&timer_ticks, 1, __ATOMIC_RELAXED);
	lapic_eoi();
}

static void
error_interrupt(struct trap_frame *tf)
{
	uint32_t esr;

	lapic_write(LAPIC_ESR, 0);      /* latch the errors into the readable register (11.5.3) */
	esr = lapic_read(LAPIC_ESR);
	log_warn("lapic: error interrupt on APIC id %u, ESR %#x", lapic_id(), esr);
	lapic_eoi();
}

/*
 * Switch IA32_APIC_BASE to the wanted mode. x2APIC can only be entered
 * from xAPIC, and left only through the disabled state (SDM Vol. 3A,
 * 11.12.5, Figure 11-27), which also resets the APIC's registers.
 */
static void
set_mode(bool want_x2apic)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	if ((base & APIC_BASE_X2APIC) && !want_x2apic) {
		base &= ~(APIC_BASE_X2APIC | APIC_BASE_ENABLE);
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if (!(base & APIC_BASE_ENABLE)) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if (want_x2apic && !(base & APIC_BASE_X2APIC)) {
		base |= APIC_BASE_X2APIC;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	x2apic = want_x2apic;
	mmio_base = base & APIC_BASE_ADDR_MASK;
}

/* The ACPI processor UID of the CPU with this APIC id; ~0 if not listed. */
static uint32_t
acpi_uid_of(uint32_t id)
{
	const struct acpi_info *a = acpi_get();

	for (uint32_t i = 0; i < a->cpu_count; i++)
		if (a->cpus[i].apic_id == id)
			return a->cpus[i].uid;
	return ~0u;
}

/*
 * LINT0 carries the 8259's ExtINT on a PC and stays masked; LINT1 is
 * wired to NMI. The MADT's LAPIC NMI entries say which pin and polarity;
 * with none, the bootstrap CPU takes NMI on LINT1 as every PC wires it.
 * NMI delivery is always edge-triggered (SDM Vol. 3A, 11.5.1).
 */
static void
setup_lint(uint32_t id, bool bsp)
{
	const struct acpi_info *a = acpi_get();
	uint32_t uid = acpi_uid_of(id);
	uint32_t lint[2] = { LVT_MASKED, LVT_MASKED };
	bool described = false;

	for (uint32_t i = 0; i < a->lapic_nmi_count; i++) {
		const struct acpi_lapic_nmi *n = &a->lapic_nmis[i];

		if (n->lint > 1 || (n->uid != ACPI_NMI_ALL_CPUS && n->uid != uid))
			continue;
		lint[n->lint] = LVT_DELIVERY_NMI;
		if ((n->flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_POLARITY_LOW)
			lint[n->lint] |= LVT_ACTIVE_LOW;
		described = true;
	}
	if (!described && bsp)
		lint[1] = LVT_DELIVERY_NMI;
	lapic_write(LAPIC_LVT_LINT0, lint[0]);
	lapic_write(LAPIC_LVT_LINT1, lint[1]);
}

/*
 * Bring up this CPU's local APIC: x2APIC mode when the CPU has it and it is
 * not forced off, software-enabled with VEC_SPURIOUS, TPR 0 so every vector
 * is accepted, timer and performance/thermal LVTs masked, errors to
 * VEC_LAPIC_ERROR, LINT pins as setup_lint() says.
 */
void
lapic_init(void)
{
	uint64_t base_msr;
	uint32_t version, lvts, id;
	bool bsp;

	set_mode(cpu_features.x2apic && !force_xapic);
	base_msr = rdmsr(MSR_IA32_APIC_BASE);
	bsp = base_msr & APIC_BASE_BSP;
	if (!x2apic && acpi_get()->lapic_addr != mmio_base)
		log_warn("lapic: ACPI says the LAPIC is at %#lx, IA32_APIC_BASE says %#lx; using the MSR",
			 acpi_get()->lapic_addr, mmio_base);

	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VEC_SPURIOUS);
	version = lapic_read(LAPIC_VERSION);
	lvts = ((version >> VERSION_MAX_LVT_SHIFT) & VERSION_MAX_LVT_MASK) + 1;

	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, 0);
	if (lvts > LVT_INDEX_PMC)
		lapic_write(LAPIC_LVT_PMC, LVT_MASKED);
	if (lvts > LVT_INDEX_THERMAL)
		lapic_write(LAPIC_LVT_THERMAL, LVT_MASKED);
	if (lvts > LVT_INDEX_CMCI)
		lapic_write(LAPIC_LVT_CMCI, LVT_MASKED);
	id = lapic_id();
	setup_lint(id, bsp);

	trap_set_handler(VEC_LAPIC_TIMER, timer_interrupt);
	trap_set_handler(VEC_LAPIC_ERROR, error_interrupt);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_LVT_ERROR, VEC_LAPIC_ERROR);
	lapic_write(LAPIC_TPR, 0);
	lapic_timer_set_divide(timer_divide);
	lapic_eoi();                    /* in case firmware left one in service */

	this_cpu()->apic_id = id;
	if (x2apic)
		log_info("lapic: x2APIC mode, id %u%s, version %#x, %u LVT entries", id, bsp ? " (BSP)" : "",
			 version & VERSION_MASK, lvts);
	else
		log_info("lapic: xAPIC mode at %#lx, id %u%s, version %#x, %u LVT entries", mmio_base, id,
			 bsp ? " (BSP)" : "", version & VERSION_MASK, lvts);
}

/*
 * Send one IPI. icr carries the LAPIC_ICR_* bits; dest_apic_id is ignored
 * with a shorthand. Returns 0, -EINVAL for an id xAPIC cannot address, or
 * -ETIMEDOUT if an xAPIC never reports the IPI sent.
 */
int
lapic_send_ipi(uint32_t dest_apic_id, uint32_t icr)
{
	if (x2apic) {
		wrmsr(MSR_IA32_X2APIC_BASE + (LAPIC_ICR_LO >> 4), (uint64_t)dest_apic_id << 32 | icr);
		return 0;
	}
	if (dest_apic_id > 0xFF)
		return -EINVAL;
	lapic_write(LAPIC_ICR_HI, dest_apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr);
	for (int i = 0; i < IPI_WAIT_SPINS; i++) {
		if (!(lapic_read(LAPIC_ICR_LO) & LAPIC_ICR_PENDING))
			return 0;
		cpu_relax();
	}
	log_warn("lapic: IPI %#x to APIC id %u still pending", icr, dest_apic_id);
	return -ETIMEDOUT;
}

/* INIT, the first half of waking an application processor (SDM Vol. 3A, 9.4.4.1). */
int
lapic_send_init(uint32_t dest_apic_id)
{
	return lapic_send_ipi(dest_apic_id, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
}

/* Start-up IPI: the AP starts in real mode at start_pa (4 KiB aligned, below 1 MiB). */
int
lapic_send_startup(uint32_t dest_apic_id, uint64_t start_pa)
{
	if (!IS_ALIGNED(start_pa, 4096) || start_pa >= 0x100000)
		return -EINVAL;
	return lapic_send_ipi(dest_apic_id, LAPIC_ICR_STARTUP | (uint32_t)(start_pa >> 12));
}

/* Returns 0, or -EINVAL for a divisor that is not a power of two up to 128. */
int
lapic_timer_set_divide(uint32_t divide)
{
	for (size_t i = 0; i < ARRAY_SIZE(dcr_codes); i++) {
		if (dcr_codes[i].divide == divide) {
			lapic_write(LAPIC_TIMER_DCR, dcr_codes[i].dcr);
			timer_divide = divide;
			return 0;
		}
	}
	return -EINVAL;
}

uint32_t
lapic_timer_divide(void)
{
	return timer_divide;
}

void
lapic_timer_oneshot(uint32_t count)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONESHOT | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, count);
}

void
lapic_timer_periodic(uint32_t count)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, count);
}

/*
 * Interrupt when the TSC reaches tsc. The LVT write must be ordered before
 * the MSR write in xAPIC mode, where it is an ordinary store (SDM Vol. 3A,
 * 11.5.4.1). Returns -ENODEV when the CPU has no TSC-deadline mode.
 */
int
lapic_timer_deadline(uint64_t tsc)
{
	if (!cpu_features.tsc_deadline)
		return -ENODEV;
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | VEC_LAPIC_TIMER);
	__asm__ volatile("mfence" ::: "memory");
	wrmsr(MSR_IA32_TSC_DEADLINE, tsc);
	return 0;
}

void
lapic_timer_stop(void)
{
	if ((lapic_read(LAPIC_LVT_TIMER) & LVT_TIMER_MODE_MASK) == LVT_TIMER_TSC_DEADLINE)
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);        /* disarm while still in deadline mode */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, 0);
}

void
lapic_timer_free_run(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, 0xFFFFFFFF);
}

uint32_t
lapic_timer_current(void)
{
	return lapic_read(LAPIC_TIMER_CCR);
}

uint64_t
lapic_timer_ticks(void)
{
	return __atomic_load_n(&timer_ticks, __ATOMIC_RELAXED);
}
