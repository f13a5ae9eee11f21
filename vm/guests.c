/*
 * vm/guests.c: from the boot modules to running guests. Every description
 * is checked and every guest built before the first one runs: a bad
 * description or image stops the boot of all of them, with a line naming
 * it, rather than leaving a half-started set.
 */
#include "vm/guests.h"
#include "kernel/log.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/pgtable.h"
#include "mm/phys.h"
#include "mm/pmm.h"
#include "vm/backend.h"
#include "vm/monitor.h"

static struct guest_desc descs[GUEST_MAX];
static struct vm *vms[GUEST_MAX];
static char test_bad_state[GUEST_NAME_MAX];

int
guests_set_test_bad_state(const char *value)
{
	if (!*value || str_copy(test_bad_state, value, sizeof(test_bad_state)) >= sizeof(test_bad_state))
		return -1;
	return 0;
}

/*
 * What n new guests took from the frame allocator: their RAM, their EPT
 * tables, and the rest (VMCS, bitmaps, XSAVE areas, struct vm, devices, the
 * heap pages those share), which is the hypervisor's overhead per guest.
 */
static void
report_memory(int n, uint64_t free_before, uint64_t tables_before)
{
	uint64_t used = free_before - pmm_free_pages(), ram = 0, ept = pgtable_table_pages() - tables_before;
	uint64_t rest;

	for (int i = 0; i < n; i++)
		ram += ALIGN_UP(vms[i]->ram_size, PAGE_SIZE) / PAGE_SIZE;
	rest = used - ram - ept;
	log_info("hypervisor: %d guest%s hold %lu KiB of RAM, %lu KiB of EPT tables and %lu KiB more: "
		 "%lu KiB a guest", n, n == 1 ? "" : "s", ram * 4, ept * 4, rest * 4, rest * 4 / (uint64_t)n);
}

int
guests_run(const struct boot_info *bi)
{
	int n = guest_desc_parse_all(bi, descs, GUEST_MAX);
	uint64_t free_before = (heap_trim(), pmm_free_pages()), tables_before = pgtable_table_pages();

	if (n < 0) {
		log_err("hypervisor: no guest started: fix the guest descriptions above");
		return -1;
	}
	if (n == 0) {
		log_info("hypervisor: no guests to run");
		return 0;
	}
	for (int i = 0; i < n; i++) {
		vms[i] = vm_create(&descs[i], &bi->modules[descs[i].module],
				   descs[i].initrd[0] ? &bi->modules[descs[i].initrd_module] : NULL,
				   !strcmp(descs[i].name, test_bad_state));
		if (!vms[i]) {
			log_err("hypervisor: no guest started: guest '%s' could not be set up", descs[i].name);
			return -1;
		}
	}
	report_memory(n, free_before, tables_before);
	for (int i = 0; i < n; i++)
		sched_add(vms[i]);
	log_info("hypervisor: running %d guest%s under %s", n, n == 1 ? "" : "s", vm_backend->name);
	monitor_init(vms, (uint32_t)n);         /* typed input goes to the first guest */
	sched_run();
	monitor_init(NULL, 0);
	for (int i = 0; i < n; i++)
		heap_free(vms[i]);
	heap_trim();
	log_info("hypervisor: all guests have ended");
	if (pmm_free_pages() == free_before)
		log_info("hypervisor: every page the guests had is free again");
	else
		log_warn("hypervisor: %lu pages the guests had are not free again", free_before - pmm_free_pages());
	return 0;
}
