/*
 * devices/pc.c: the rest of the small PC every guest sees (devices/pc.h),
 * one device per file, attached together and given back together.
 */
#include "devices/pc.h"
#include "devices/acpi_pm.h"
#include "devices/debugexit.h"
#include "devices/fw_cfg.h"
#include "devices/kbc.h"
#include "devices/pcihost.h"
#include "devices/vrtc.h"
#include "kernel/errno.h"
#include "mm/heap.h"
#include "vm/vm.h"

struct pc {
	struct vrtc rtc;
	struct acpi_pm pm;
	struct pcihost pci;
	struct kbc kbc;
	struct fw_cfg fw_cfg;
};

int
pc_attach(struct vm *vm)
{
	struct pc *pc = heap_zalloc(sizeof(*pc), "pc: a guest's platform devices");
	int r;

	if (!pc)
		return -ENOMEM;
	vm->pc = pc;
	if ((r = vrtc_attach(vm, &pc->rtc)) < 0 ||
	    (r = acpi_pm_attach(vm, &pc->pm)) < 0 ||
	    (r = pcihost_attach(vm, &pc->pci)) < 0 ||
	    (r = kbc_attach(vm, &pc->kbc)) < 0 ||
	    (r = fw_cfg_attach(vm, &pc->fw_cfg)) < 0 ||
	    (r = debugexit_attach(vm)) < 0)
		return r;
	return 0;
}

void
pc_detach(struct vm *vm)
{
	heap_free(vm->pc);
	vm->pc = NULL;
}

void
pc_power_button(struct vm *vm)
{
	if (vm->pc)
		acpi_pm_press_power_button(vm, &vm->pc->pm);
}
