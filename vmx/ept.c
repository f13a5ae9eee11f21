/*
 * vmx/ept.c: a guest's extended page tables (SDM Vol. 3C, 29.3): its RAM,
 * write-back, readable, writable and executable; nothing else. Any other
 * guest-physical address is an EPT violation (vmx/exit_ept.c). The tables
 * are built by the same walker as the hypervisor's own (mm/pgtable.c).
 */
#include "vmx/vmx_vcpu.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "mm/pgtable.h"
#include "vmx/vmx_ops.h"
#include "vmx/vmxcap.h"

/* EPTP format (SDM Vol. 3C, 25.6.11, Table 25-9) */
#define EPTP_MEMTYPE_WB         6               /* bits 2:0: paging-structure memory type */
#define EPTP_WALK_LENGTH_4      (3 << 3)        /* bits 5:3: walk length minus one */

/* Largest EPT leaf this CPU takes, decided once. */
static void
ept_format_init(void)
{
	if (vmx_caps.ept_vpid & EPT_CAP_1GB)
		pt_format_ept.max_leaf = PT_LEVEL_1G;
	else if (vmx_caps.ept_vpid & EPT_CAP_2MB)
		pt_format_ept.max_leaf = PT_LEVEL_2M;
}

int
vmx_ept_init(struct vm *vm)
{
	static bool format_ready;
	uint64_t root;
	int err;

	if (!format_ready) {
		ept_format_init();
		format_ready = true;
	}
	root = pgtable_create(&pt_format_ept);
	if (!root)
		return -ENOMEM;
	err = pgtable_map(&pt_format_ept, root, 0, vm->ram_hpa, vm->ram_size,
			  PT_READ | PT_WRITE | PT_EXEC | PT_WB | PT_IGNORE_PAT);
	if (err < 0) {
		pgtable_destroy(&pt_format_ept, root);
		return err;
	}
	vm->ept_root = root | EPTP_WALK_LENGTH_4 | EPTP_MEMTYPE_WB;
	/* these tables are new: no CPU can hold translations for them yet, but
	 * the root may reuse a page an earlier, destroyed guest had (29.4.3.1) */
	if ((vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE) &&
	    invept(INVEPT_SINGLE_CONTEXT, vm->ept_root) != VMX_OK)
		log_warn("vmx: INVEPT for guest '%s' failed", vm->desc.name);
	return 0;
}

/* Free the tables; no CPU may keep translations made from them (29.4.3.1). */
void
vmx_ept_destroy(struct vm *vm)
{
	if ((vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE) &&
	    invept(INVEPT_SINGLE_CONTEXT, vm->ept_root) != VMX_OK)
		log_warn("vmx: INVEPT for guest '%s' failed", vm->desc.name);
	pgtable_destroy(&pt_format_ept, vm->ept_root & PT_ADDR_MASK);
	vm->ept_root = 0;
}
