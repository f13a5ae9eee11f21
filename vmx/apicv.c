/*
 * vmx/apicv.c: the CPU's help with a guest's local APIC (SDM Vol. 3C,
 * chapter 30), used where the capability MSRs offer it (vmx/vmcs.c decides,
 * apicv=off forbids it). The emulated APIC's register file
 * (devices/vlapic.h) is the virtual-APIC page, so whatever the CPU reads or
 * writes there is the model's own state.
 *
 *   use TPR shadow (30.1): MOV CR8 and TPR writes change the page's TPR with
 *     no exit; the TPR threshold makes the guest exit only when lowering TPR
 *     lets a held-back interrupt through (30.1.2).
 *   virtualize APIC accesses (30.4), in xAPIC mode: the guest's 0xFEE00000
 *     maps, in its EPT, to an APIC-access page of its own; the CPU turns an
 *     access there into one of the virtual-APIC page, or into an exit naming
 *     the register's offset.
 *   APIC-register virtualization (30.4.2, 30.4.3): most registers are read
 *     from the page with no exit; writes are stored there, then exit (APIC
 *     write, trap-like) for the model to carry out.
 *   virtualize x2APIC mode (30.5), in x2APIC mode: RDMSR of those registers
 *     and WRMSR of TPR use the page where the MSR bitmap lets them through.
 *   virtual-interrupt delivery (30.2): the CPU delivers the APIC's
 *     interrupts itself when the guest can take them, and does their EOIs
 *     (and self-IPIs) without an exit; before each entry the guest interrupt
 *     status (RVI, SVI) says what the model holds, and the EOI-exit bitmap
 *     makes the EOIs of level-triggered vectors exit, for the IOAPIC.
 *     Without it the hypervisor injects them and uses the TPR threshold.
 *
 * The two "virtualize" controls exclude each other (27.2.1.1), so they
 * follow the guest's APIC mode, looked at before each entry that follows a
 * change to the APIC. The exits are handled in vmx/exit_apic.c.
 */
#include "vmx/vmx_vcpu.h"
#include "kernel/apic.h"
#include "kernel/errno.h"
#include "kernel/msr.h"
#include "lib/string.h"
#include "mm/pgtable.h"
#include "mm/phys.h"
#include "mm/pmm.h"
#include "vm/irq.h"
#include "vmx/vmcs.h"

#define APIC_VIRT_MODES     (PROC2_VIRT_APIC_ACCESSES | PROC2_VIRT_X2APIC)

/*
 * x2APIC MSRs whose reads the CPU serves from the virtual-APIC page under
 * "virtualize x2APIC mode" with APIC-register virtualization (30.5); the
 * bitmap lets these through. Left out on purpose: PPR (0x80A), kept in the
 * page only with virtual-interrupt delivery (below); ICR (0x830), read as
 * 64 bits at offset 0x300 while the model keeps the destination at 0x310;
 * the timer's current count (0x839), which the CPU does not virtualize.
 */
static const struct { uint32_t first, last; } x2apic_reads[] = {
	{ 0x802, 0x803 },       /* ID, version */
	{ 0x808, 0x808 },       /* TPR */
	{ 0x80D, 0x80D },       /* LDR */
	{ 0x80F, 0x828 },       /* SVR, ISR, TMR, IRR, ESR */
	{ 0x832, 0x838 },       /* LVT timer ... LVT error, initial count */
	{ 0x83E, 0x83E },       /* divide configuration */
};

#define X2APIC_TPR_MSR      (MSR_IA32_X2APIC_BASE + (LAPIC_TPR >> 4))

/* x2APIC MSRs that virtual-interrupt delivery virtualizes besides (30.5):
 * PPR reads (the CPU keeps it), EOI and self-IPI writes. */
#define X2APIC_PPR_MSR      (MSR_IA32_X2APIC_BASE + (LAPIC_PPR >> 4))
#define X2APIC_EOI_MSR      (MSR_IA32_X2APIC_BASE + (LAPIC_EOI >> 4))
#define X2APIC_SELF_IPI_MSR (MSR_IA32_X2APIC_BASE + (LAPIC_SELF_IPI >> 4))

/* Set (exits) or clear one low-range MSR's read or write bit (25.6.9). */
static void
msr_exits(uint8_t *bitmap, uint32_t msr, bool write, bool exits)
{
	uint8_t *byte = bitmap + (write ? 2048 : 0) + msr / 8;

	if (exits)
		*byte |= (uint8_t)(1u << (msr % 8));
	else
		*byte &= (uint8_t)~(1u << (msr % 8));
}

/*
 * The controls and MSR bitmap for the APIC's mode: the xAPIC page is
 * virtualized in xAPIC mode (and while disabled), the MSRs in x2APIC mode.
 * Without "virtualize x2APIC mode" a RDMSR the bitmap lets through would
 * read the host's own x2APIC, so its bits are set again whenever it is off.
 */
static void
set_apic_mode(struct vcpu *v, bool x2)
{
	struct vmx_vcpu *x = to_vmx(v);
	uint8_t *bitmap = phys_to_virt(x->msr_bitmap_pa);
	uint32_t proc2 = x->proc2_controls & ~(uint32_t)APIC_VIRT_MODES;
	bool virt_x2 = x2 && vmcs_has_proc2(PROC2_VIRT_X2APIC);

	proc2 |= vmcs_ctls.proc2 & (x2 ? PROC2_VIRT_X2APIC : PROC2_VIRT_APIC_ACCESSES);
	x->apic_x2apic = x2;
	if (proc2 != x->proc2_controls) {
		x->proc2_controls = proc2;
		vmcs_write32(VMCS_PROC2_CONTROLS, proc2);
	}
	msr_exits(bitmap, X2APIC_TPR_MSR, false, !virt_x2);
	msr_exits(bitmap, X2APIC_TPR_MSR, true, !virt_x2);
	if (vmcs_has_proc2(PROC2_VIRT_INTR_DELIVERY)) {
		msr_exits(bitmap, X2APIC_EOI_MSR, true, !virt_x2);
		msr_exits(bitmap, X2APIC_SELF_IPI_MSR, true, !virt_x2);
		if (vmcs_has_proc2(PROC2_APIC_REGISTER_VIRT))
			msr_exits(bitmap, X2APIC_PPR_MSR, false, !virt_x2);
	}
	if (!vmcs_has_proc2(PROC2_APIC_REGISTER_VIRT))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(x2apic_reads); i++)
		for (uint32_t msr = x2apic_reads[i].first; msr <= x2apic_reads[i].last; msr++)
			msr_exits(bitmap, msr, false, !virt_x2);
}

int
vmx_apicv_setup(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);
	struct vm *vm = v->vm;
	int r;

	if (!vmcs_apicv())
		return 0;
	vmcs_write64(VMCS_VIRTUAL_APIC_ADDR, irq_lapic_regs(vm));
	vmcs_write32(VMCS_TPR_THRESHOLD, 0);
	x->tpr_threshold = 0;
	if (vmcs_has_proc2(PROC2_VIRT_APIC_ACCESSES)) {
		x->apic_access_pa = pmm_alloc(1, PAGE_SIZE, "vmx: APIC-access page");
		if (!x->apic_access_pa)
			return -ENOMEM;
		memset(phys_to_virt(x->apic_access_pa), 0, PAGE_SIZE);
		r = pgtable_map(&pt_format_ept, vm->ept_root & PT_ADDR_MASK, LAPIC_DEFAULT_BASE,
				x->apic_access_pa, PAGE_SIZE, PT_READ | PT_WRITE | PT_WB | PT_IGNORE_PAT);
		if (r < 0)
			return r;
		vmcs_write64(VMCS_APIC_ACCESS_ADDR, x->apic_access_pa);
	}
	if (vmcs_has_proc2(PROC2_VIRT_INTR_DELIVERY)) {
		irq_lapic_cpu_delivers(vm);
		for (uint32_t i = 0; i < 4; i++)        /* filled from TMR before the first entry */
			vmcs_write_raw(VMCS_EOI_EXIT_BITMAP0 + 2 * i, 0);
	}
	set_apic_mode(v, irq_lapic_x2apic(v));
	return 0;
}

/* The CPU changes RVI and SVI as the guest runs: they are written every
 * time, from the IRR and ISR the model (and the CPU) left in the page. */
static void
sync_virtual_delivery(struct vcpu *v)
{
	uint64_t eoi_exit[4];
	bool changed;

	vmcs_write16(VMCS_GUEST_INTR_STATUS, irq_lapic_intr_status(v, eoi_exit, &changed));
	if (changed)
		for (uint32_t i = 0; i < 4; i++)
			vmcs_write_raw(VMCS_EOI_EXIT_BITMAP0 + 2 * i, eoi_exit[i]);
}

void
vmx_apicv_sync(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);
	bool x2 = irq_lapic_x2apic(v);
	uint8_t threshold;

	if (x2 != x->apic_x2apic)
		set_apic_mode(v, x2);
	if (vmcs_has_proc2(PROC2_VIRT_INTR_DELIVERY)) {
		sync_virtual_delivery(v);
		return;                 /* the TPR threshold is not used (30.1.2) */
	}
	threshold = irq_tpr_threshold(v);
	if (threshold != x->tpr_threshold) {
		x->tpr_threshold = threshold;
		vmcs_write32(VMCS_TPR_THRESHOLD, threshold);
	}
}

void
vmx_apicv_destroy(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);

	if (x->apic_access_pa)
		pmm_free(x->apic_access_pa, 1);
	x->apic_access_pa = 0;
}
