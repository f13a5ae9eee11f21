/*
 * kernel/cpu.c: identify the processor from CPUID (SDM Vol. 2A, "CPUID";
 * AMD APM Vol. 3, Appendix E for the extended leaves both vendors share).
 */
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/x86.h"
#include "lib/string.h"

struct cpu_features cpu_features;

static void
copy_regs(char *dst, uint32_t a, uint32_t b, uint32_t c)
{
	memcpy(dst, &a, 4);
	memcpy(dst + 4, &b, 4);
	memcpy(dst + 8, &c, 4);
	dst[12] = '\0';
}

void
cpu_detect(void)
{
	struct cpu_features *f = &cpu_features;
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t family;

	f->max_leaf = r.eax;
	copy_regs(f->vendor_id, r.ebx, r.edx, r.ecx);
	if (!strcmp(f->vendor_id, "GenuineIntel"))
		f->vendor = CPU_VENDOR_INTEL;
	else if (!strcmp(f->vendor_id, "AuthenticAMD") || !strcmp(f->vendor_id, "HygonGenuine"))
		f->vendor = CPU_VENDOR_AMD;

	r = cpuid(1, 0);
	family = (r.eax >> 8) & 0xF;
	f->model = (r.eax >> 4) & 0xF;
	if (family == 0x6 || family == 0xF)     /* SDM Vol. 2A, CPUID leaf 01H, Figure 3-6 */
		f->model |= ((r.eax >> 16) & 0xF) << 4;
	if (family == 0xF)
		family += (r.eax >> 20) & 0xFF;
	f->family = family;
	f->stepping = r.eax & 0xF;
	f->vmx = r.ecx & BIT(5);
	f->x2apic = r.ecx & BIT(21);
	f->tsc_deadline = r.ecx & BIT(24);
	f->xsave = r.ecx & BIT(26);
	f->hypervisor = r.ecx & BIT(31);
	if (f->hypervisor) {
		r = cpuid(0x40000000, 0);
		copy_regs(f->hypervisor_id, r.ebx, r.ecx, r.edx);
	}

	r = cpuid(0x80000000, 0);
	f->max_ext_leaf = r.eax;
	if (f->max_ext_leaf >= 0x80000001) {
		r = cpuid(0x80000001, 0);
		f->svm = r.ecx & BIT(2);
		f->nx = r.edx & BIT(20);
		f->page1g = r.edx & BIT(26);
	}
	if (f->max_ext_leaf >= 0x80000004) {
		for (uint32_t i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i, 0);
			memcpy(f->brand + 16 * i, &r, 16);
		}
		f->brand[48] = '\0';
	}
	if (f->max_ext_leaf >= 0x80000007)
		f->invariant_tsc = cpuid(0x80000007, 0).edx & BIT(8);
	f->phys_addr_bits = 36;
	if (f->max_ext_leaf >= 0x80000008)
		f->phys_addr_bits = cpuid(0x80000008, 0).eax & 0xFF;
}

void
cpu_report(void)
{
	const struct cpu_features *f = &cpu_features;
	const char *brand = f->brand;

	while (*brand == ' ')
		brand++;
	log_info("cpu: %s family %#x model %#x stepping %u: %s", f->vendor_id, f->family, f->model,
		 f->stepping, *brand ? brand : "(no brand string)");
	log_info("cpu: %u physical address bits;%s%s%s%s%s%s", f->phys_addr_bits,
		 f->nx ? " nx" : "", f->page1g ? " 1g-pages" : "", f->x2apic ? " x2apic" : "",
		 f->tsc_deadline ? " tsc-deadline" : "", f->invariant_tsc ? " invariant-tsc" : "",
		 f->xsave ? " xsave" : "");
	if (f->hypervisor)
		log_info("cpu: running as a guest of \"%s\"", f->hypervisor_id);
}
