/*
 * guests/pc64/main.c: the small PC every guest sees (devices/pc.h), probed
 * the way an OS finds it, each finding printed:
 *   - CPUID: the hypervisor bit and the TSC frequency leaf;
 *   - the CMOS clock: a sane date, UIP, seconds that advance once per
 *     second of TSC, the update-ended and periodic interrupts on IRQ 8
 *     through the IOAPIC, and the memory size in CMOS RAM;
 *   - the ACPI PM timer: 24 bits, counting at 3.579545 MHz of TSC; SCI_EN;
 *   - PCI configuration mechanism #1: the 440FX at 00:00.0, all-ones elsewhere;
 *   - fw_cfg: the "QEMU" signature, RAM size, CPU count, the command line;
 *   - the 8042: status, self-test, command byte.
 * It ends through isa-debug-exit (port 0xF4) with the number of failed
 * checks as its exit code, so a run that passes says "exited with code 0".
 *
 * The guest description's cmdline= (read through fw_cfg) picks another
 * ending instead of the probes: "reset=kbc" (0xFE to port 0x64),
 * "reset=cf9" (0x06 to port 0xCF9) or "poweroff" (S5 through PM1a_CNT).
 */
#include "devices/pc.h"
#include "guests/lib/cpu.h"
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/ioapic.h"
#include "guests/lib/lapic.h"
#include "guests/lib/pic.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"
#include "lib/string.h"

GUEST_NAME("pc64");

#define VEC_RTC         0x38
#define VEC_SPURIOUS    0xFF
#define CMDLINE_MAX     128

/* CMOS clock registers (MC146818A) */
#define RTC_SECONDS     0x00
#define RTC_MINUTES     0x02
#define RTC_HOURS       0x04
#define RTC_DAY         0x07
#define RTC_MONTH       0x08
#define RTC_YEAR        0x09
#define RTC_CENTURY     0x32
#define RTC_REG_A       0x0A
#define   RTC_UIP       0x80
#define RTC_REG_B       0x0B
#define   RTC_PIE       0x40
#define   RTC_UIE       0x10
#define   RTC_BINARY    0x04
#define   RTC_24H       0x02
#define RTC_REG_C       0x0C
#define   RTC_PF        0x40
#define   RTC_UF        0x10
#define RTC_REG_D       0x0D
#define CMOS_EXT_KB     0x17

static int failed;
static volatile unsigned rtc_irqs, rtc_uf, rtc_pf;

#define check(...) (guest_check(__VA_ARGS__) ? true : (failed++, false))

static uint8_t
cmos(uint8_t index)
{
	outb(PC_PORT_CMOS_INDEX, index);
	return inb(PC_PORT_CMOS_DATA);
}

static void
cmos_write(uint8_t index, uint8_t v)
{
	outb(PC_PORT_CMOS_INDEX, index);
	outb(PC_PORT_CMOS_DATA, v);
}

static unsigned
field(uint8_t v, uint8_t reg_b)
{
	return reg_b & RTC_BINARY ? v : (v >> 4) * 10u + (v & 0xF);
}

struct rtc_time { unsigned year, month, day, hour, minute, second; };

/* The way Linux's mc146818_get_time reads: no UIP, the registers, and again
 * if a second ended meanwhile. */
static struct rtc_time
rtc_read(void)
{
	struct rtc_time t;
	uint8_t b = cmos(RTC_REG_B), sec;

	do {
		while (cmos(RTC_REG_A) & RTC_UIP)
			cpu_relax();
		sec = cmos(RTC_SECONDS);
		t.second = field(sec, b);
		t.minute = field(cmos(RTC_MINUTES), b);
		t.hour = field(cmos(RTC_HOURS) & 0x7F, b);
		if (!(b & RTC_24H))
			t.hour = t.hour % 12 + (cmos(RTC_HOURS) & 0x80 ? 12 : 0);
		t.day = field(cmos(RTC_DAY), b);
		t.month = field(cmos(RTC_MONTH), b);
		t.year = field(cmos(RTC_CENTURY), b) * 100 + field(cmos(RTC_YEAR), b);
	} while (cmos(RTC_SECONDS) != sec);
	return t;
}

/* Spin until the seconds register changes; returns the TSC then, 0 after 2 s. */
static uint64_t
next_second(void)
{
	uint8_t s = cmos(RTC_SECONDS);
	uint64_t t0 = rdtsc();

	while (cmos(RTC_SECONDS) == s)
		if (rdtsc() - t0 > tsc_from_us(2000000))
			return 0;
	return rdtsc();
}

static void
rtc_irq(struct trap_frame *tf)
{
	uint8_t c = cmos(RTC_REG_C);

	rtc_irqs++;
	rtc_uf += !!(c & RTC_UF);
	rtc_pf += !!(c & RTC_PF);
	lapic_eoi();
}

static void spurious_irq(struct trap_frame *tf) { }

static bool
near(uint64_t got, uint64_t want, unsigned percent)
{
	uint64_t d = got > want ? got - want : want - got;

	return d * 100 <= want * percent;
}

static void
probe_cpuid(void)
{
	struct cpuid_regs r = cpuid(1, 0);

	check(r.ecx & CPUID1_ECX_HYPERVISOR, "CPUID.1:ECX[31]: the hypervisor bit (/proc/cpuinfo \"hypervisor\")");
	r = cpuid(0x15, 0);
	check(cpuid(0, 0).eax >= 0x15 && r.eax && r.ebx && r.ecx,
	      "CPUID.15H: TSC %u Hz x %u / %u", r.ecx, r.ebx, r.eax);
}

static void
probe_rtc(void)
{
	struct rtc_time t = rtc_read();
	uint8_t b = cmos(RTC_REG_B), s;
	uint64_t t1, t2, t0;
	bool uip;
	unsigned ext_kb = cmos(CMOS_EXT_KB) | cmos(CMOS_EXT_KB + 1) << 8;

	guest_printf("pc64: RTC %04u-%02u-%02u %02u:%02u:%02u (%s, %s), register A %#x, D %#x\n", t.year,
		     t.month, t.day, t.hour, t.minute, t.second, b & RTC_BINARY ? "binary" : "BCD",
		     b & RTC_24H ? "24-hour" : "12-hour", cmos(RTC_REG_A), cmos(RTC_REG_D));
	check(t.year >= 2020 && t.year <= 2099 && t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 &&
	      t.hour < 24 && t.minute < 60 && t.second < 60, "RTC: a date between 2020 and 2099");
	check(cmos(RTC_REG_D) & 0x80, "RTC: register D says valid RAM and time");

	/* one second of the clock against the TSC, from one update to the next */
	t1 = next_second();
	t2 = t1 ? next_second() : 0;
	check(t1 && t2 && near(t2 - t1, tsc_hz(), 2), "RTC: the seconds advance every %lu ms of TSC, want 1000 +- 2%%",
	      t1 && t2 ? tsc_to_us(t2 - t1) / 1000 : 0);
	/* UIP shows within the last 244 us of a second */
	t0 = rdtsc();
	do
		s = cmos(RTC_SECONDS);          /* the second UIP is seen in, or the one before */
	while (!(uip = cmos(RTC_REG_A) & RTC_UIP) && rdtsc() - t0 < tsc_from_us(1100000));
	while (cmos(RTC_REG_A) & RTC_UIP)
		cpu_relax();
	check(uip && cmos(RTC_SECONDS) != s, "RTC: UIP seen, and the seconds changed when it fell");

	/* interrupts on IRQ 8, IOAPIC pin 8, edge, active high */
	lapic_init(VEC_SPURIOUS);
	ioapic_init();
	pic_mask_all();
	idt_set_handler(VEC_RTC, rtc_irq);
	idt_set_handler(VEC_SPURIOUS, spurious_irq);
	ioapic_route(PC_IRQ_RTC, VEC_RTC, lapic_id(), 0);
	cmos(RTC_REG_C);
	cmos_write(RTC_REG_B, b | RTC_UIE);
	t0 = rdtsc();
	sti();
	while (!rtc_uf && rdtsc() - t0 < tsc_from_us(1100000))
		__asm__ volatile("hlt");        /* the hypervisor wakes us for the update */
	cli();
	check(rtc_uf == 1, "RTC: an update-ended interrupt on IRQ 8 within a second (after %lu ms, while halted)",
	      tsc_to_us(rdtsc() - t0) / 1000);
	cmos_write(RTC_REG_B, b | RTC_PIE);     /* register A's rate: 1024 Hz */
	rtc_irqs = rtc_pf = 0;
	t0 = rdtsc();
	sti();
	while (rdtsc() - t0 < tsc_from_us(200000))
		__asm__ volatile("hlt");
	cli();
	cmos_write(RTC_REG_B, b);
	cmos(RTC_REG_C);
	ioapic_mask(PC_IRQ_RTC);
	check(near(rtc_pf, 205, 10), "RTC: %u periodic interrupts in 200 ms at 1024 Hz, want 205 +- 10%%", rtc_pf);
	check(ext_kb == 3072, "CMOS 0x17-0x18: %u KiB above 1 MiB (mem=4M)", ext_kb);
}

static uint32_t
pm_timer(void)
{
	return inl(PC_PORT_PM_TMR);
}

static void
probe_acpi_pm(void)
{
	uint32_t p0, p1, max = 0;
	uint64_t t0, t1;

	check(inw(PC_PORT_PM1A_CNT) & PC_PM1_CNT_SCI_EN, "ACPI: SCI_EN set in PM1a_CNT (%#x): ACPI mode",
	      inw(PC_PORT_PM1A_CNT));
	p0 = pm_timer();
	t0 = rdtsc();
	while (rdtsc() - t0 < tsc_from_us(20000))
		max = MAX(max, pm_timer());
	p1 = pm_timer();
	t1 = rdtsc();
	check(max < (1u << 24), "ACPI PM timer: 24 bits (highest value seen %#x)", max);
	uint64_t ticks = (p1 - p0) & 0xFFFFFF, want = (t1 - t0) * PC_PM_TMR_HZ / tsc_hz();
	check(ticks && near(ticks, want, 1), "ACPI PM timer: %lu ticks in %lu us of TSC, want %lu (3.579545 MHz) +- 1%%",
	      ticks, tsc_to_us(t1 - t0), want);
}

static uint32_t
pci_read(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
	outl(PC_PORT_PCI_ADDR, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg & 0xFC));
	return inl(PC_PORT_PCI_DATA);
}

static void
probe_pci(void)
{
	uint32_t id = pci_read(0, 0, 0, 0), class = pci_read(0, 0, 0, 8);
	unsigned others = 0;

	outl(PC_PORT_PCI_ADDR, 0x80000000u);
	check(inl(PC_PORT_PCI_ADDR) == 0x80000000u, "PCI: CONFIG_ADDRESS reads back");
	check(id == 0x12378086, "PCI 00:00.0: %04x:%04x, want 8086:1237 (i440FX)", id & 0xFFFF, id >> 16);
	check(class >> 8 == 0x060000, "PCI 00:00.0: class %06x, want 060000 (host bridge)", class >> 8);
	outl(PC_PORT_PCI_ADDR, 0x80000000u | 0x0C);
	check(inb(PC_PORT_PCI_DATA + 2) == 0, "PCI 00:00.0: header type 0 (byte read at 0xCFE)");
	check(inw(PC_PORT_PCI_DATA + 2) == 0, "PCI 00:00.0: word read at 0xCFE");
	for (unsigned dev = 1; dev < 32; dev++)
		others += pci_read(0, dev, 0, 0) != 0xFFFFFFFFu;
	others += pci_read(0, 0, 1, 0) != 0xFFFFFFFFu;
	others += pci_read(1, 0, 0, 0) != 0xFFFFFFFFu;
	check(others == 0, "PCI: every other function reads all-ones (%u do not)", others);
	outl(PC_PORT_PCI_ADDR, 0);
	check(inl(PC_PORT_PCI_DATA) == 0xFFFFFFFFu, "PCI: CONFIG_DATA reads all-ones with the enable bit clear");
}

static void
fw_cfg_select(uint16_t key)
{
	outw(PC_PORT_FW_CFG_SEL, key);
}

static uint64_t
fw_cfg_number(uint16_t key, unsigned len)
{
	uint64_t v = 0;

	fw_cfg_select(key);
	for (unsigned i = 0; i < len; i++)
		v |= (uint64_t)inb(PC_PORT_FW_CFG_DATA) << (8 * i);
	return v;
}

static void
fw_cfg_cmdline(char *buf, size_t size)
{
	uint32_t n = (uint32_t)fw_cfg_number(0x14, 4);  /* FW_CFG_CMDLINE_SIZE */

	fw_cfg_select(0x15);                            /* FW_CFG_CMDLINE_DATA */
	for (uint32_t i = 0; i < size; i++)
		buf[i] = i < n ? (char)inb(PC_PORT_FW_CFG_DATA) : 0;
	buf[size - 1] = 0;
}

static void
probe_fw_cfg(void)
{
	char sig[5] = { 0 };
	uint64_t ram = fw_cfg_number(0x03, 8);
	unsigned ext_kb = cmos(CMOS_EXT_KB) | cmos(CMOS_EXT_KB + 1) << 8;

	fw_cfg_select(0x0000);
	for (int i = 0; i < 4; i++)
		sig[i] = (char)inb(PC_PORT_FW_CFG_DATA);
	check(!memcmp(sig, "QEMU", 4), "fw_cfg: signature \"%s\"", sig);
	check(fw_cfg_number(0x01, 4) == 1, "fw_cfg: FW_CFG_ID 1 (the traditional interface, no DMA)");
	check(ram == 4u << 20 && (ram - (1u << 20)) / 1024 == ext_kb,
	      "fw_cfg: RAM size %lu bytes, as mem=4M and CMOS say", ram);
	check(fw_cfg_number(0x05, 2) == 1 && fw_cfg_number(0x0F, 2) == 1, "fw_cfg: 1 CPU, at most 1");
	check(fw_cfg_number(0x1234, 8) == 0, "fw_cfg: an unknown item reads 0");
}

static void
probe_kbc(void)
{
	uint8_t status = inb(PC_PORT_KBC_CMD), v;

	check((status & 0x07) == 0x04, "8042: status %#x: nothing to read, input buffer empty, system flag", status);
	outb(PC_PORT_KBC_CMD, 0xAA);
	status = inb(PC_PORT_KBC_CMD);
	v = inb(PC_PORT_KBC_DATA);
	check((status & 1) && v == 0x55, "8042: self-test answers %#x", v);
	outb(PC_PORT_KBC_CMD, 0x20);
	v = inb(PC_PORT_KBC_DATA);
	check(v & 0x04, "8042: command byte %#x, system flag set", v);
	check(!(inb(PC_PORT_KBC_CMD) & 1), "8042: empty again");
}

static __noreturn void
wait_for_the_end(void)
{
	/* The guest has ended: the hypervisor takes it off the CPU. If it
	 * did not, nothing will wake this HLT and the hypervisor says so. */
	for (;;)
		__asm__ volatile("sti; hlt");
}

void
guest_main(void)
{
	char cmdline[CMDLINE_MAX];

	fw_cfg_cmdline(cmdline, sizeof(cmdline));
	guest_printf("pc64: command line \"%s\"\n", cmdline);
	if (!strcmp(cmdline, "reset=kbc")) {
		guest_printf("pc64: resetting through the keyboard controller (0xFE to port 0x64)\n");
		outb(PC_PORT_KBC_CMD, PC_KBC_CMD_RESET);
		wait_for_the_end();
	}
	if (!strcmp(cmdline, "reset=cf9")) {
		guest_printf("pc64: resetting through the reset control register (0x06 to port 0xCF9)\n");
		outb(PC_PORT_RESET, PC_RESET_VALUE);
		wait_for_the_end();
	}
	if (!strcmp(cmdline, "poweroff")) {
		guest_printf("pc64: entering S5 (SLP_TYP %u, SLP_EN to PM1a_CNT)\n", PC_SLP_TYP_S5);
		outw(PC_PORT_PM1A_CNT, PC_PM1_CNT_SCI_EN | PC_PM1_CNT_SLP_TYP(PC_SLP_TYP_S5) | PC_PM1_CNT_SLP_EN);
		wait_for_the_end();
	}
	probe_cpuid();
	probe_fw_cfg();
	probe_pci();
	probe_kbc();
	probe_acpi_pm();
	probe_rtc();
	if (failed)
		guest_printf("FAIL: pc64: %d check%s failed\n", failed, failed == 1 ? "" : "s");
	else
		guest_printf("PASS pc64\n");
	guest_printf("pc64: isa-debug-exit with code %d\n", failed);
	outl(PC_PORT_DEBUG_EXIT, (uint32_t)failed);
	wait_for_the_end();
}
