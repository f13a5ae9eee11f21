/*
 * kernel/main.c: the boot story. Whatever loaded us has filled a struct
 * boot_info (boot/); from here on every step is one call, in order.
 */
#include "boot/boot_info.h"
#include "boot/memmap.h"
#include "drivers/acpi.h"
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "drivers/rtc.h"
#include "drivers/timer.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/gdt.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/power.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/pmm.h"
#include "vm/backend.h"
#include "vm/guests.h"
#include "vmx/vmx.h"
#include "vmx/vmxcap.h"

static void
report_boot(const struct boot_info *bi)
{
	log_info("boot: loaded by %s, command line \"%s\"", bi->loader, bi->cmdline);
	log_info("boot: memory map: %u ranges, %lu MiB usable", bi->mem_count, memmap_usable_bytes(bi) >> 20);
	for (uint32_t i = 0; i < bi->mem_count; i++)
		log_debug("  %016lx-%016lx %s", bi->mem[i].base, bi->mem[i].base + bi->mem[i].length - 1,
			  memmap_type_name(bi->mem[i].type));
	for (uint32_t i = 0; i < bi->module_count; i++)
		log_info("boot: module %u at %#lx, %lu bytes: %s", i, bi->modules[i].start,
			 bi->modules[i].end - bi->modules[i].start, bi->modules[i].cmdline);
	if (bi->dropped)
		log_warn("boot: %u memory ranges or modules did not fit and were dropped", bi->dropped);
}

void
kernel_main(struct boot_info *bi)
{
	int err;

	percpu_init(percpu_bsp(), 0);           /* %gs points at the bootstrap CPU's block */
	gdt_init(this_cpu());                   /* flat segments and the TSS VMX needs for host TR */
	idt_init();                             /* all 256 vectors; a fault here panics with a report */
	cpu_detect();                           /* CPUID: vendor, model, the features we rely on */
	cmdline_apply(bi->cmdline, kernel_options, kernel_options_count); /* log=, console= */
	console_init(bi);                       /* the screen joins the serial port */
	power_detect();                         /* QEMU? then isa-debug-exit ends the run */

	log_info("hypervisor: starting");
	report_boot(bi);                        /* loader, command line, memory map, modules */
	pmm_init(bi);                           /* free frames: usable RAM minus low memory, image, modules */
	paging_init(bi);                        /* our own tables: RAM and 4 GiB identity, W^X image, NX */
	heap_init();                            /* small objects in size classes, on top of pmm */
	acpi_init(bi);                          /* CPUs, IOAPICs, PM timer, reset register */
	pic_init();                             /* 8259 remapped to 0x20-0x2F and masked */
	lapic_init();                           /* this CPU's local APIC, x2APIC when it can */
	ioapic_init();                          /* every redirection entry masked */
	timer_init();                           /* TSC and LAPIC timer frequencies */
	rtc_init();                             /* the date and time, read once from the CMOS clock */
	cpu_report();                           /* vendor, model, features */

	if (vmxcap_check() < 0)                 /* says why VMX is unusable, in one line */
		power_stop(POWER_EXIT_NO_VMX);
	if (vmx_cpu_on() < 0)                   /* VMXON: this CPU enters VMX root operation */
		power_stop(POWER_EXIT_NO_VMX);
	vm_backend = &vmx_backend;              /* guests run under Intel VT-x */

	err = guests_run(bi);                   /* build every guest, then run them until all end */
	vmx_cpu_off();                          /* VMXOFF before the machine stops */
	power_stop(err < 0 ? POWER_EXIT_GUESTS : POWER_EXIT_DONE);
}
