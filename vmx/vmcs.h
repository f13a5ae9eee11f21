/*
 * vmx/vmcs.h: typed access to the current VMCS.
 *
 * vmcs_read16/32/64/nat and vmcs_write16/32/64/nat refuse, at compile time,
 * a field whose encoding says another width (bits 14:13, SDM Vol. 3C,
 * 25.11.2). A failing VMREAD/VMWRITE is the hypervisor's own bug (a field
 * this CPU lacks, or no current VMCS): it panics with the decoded error.
 */
#ifndef VMX_VMCS_H
#define VMX_VMCS_H

#include "vmx/vmcs_fields.h"
#include "vmx/vmx_ops.h"

#define VMCS_WIDTH_16   0
#define VMCS_WIDTH_64   1
#define VMCS_WIDTH_32   2
#define VMCS_WIDTH_NAT  3
#define VMCS_FIELD_WIDTH(f)     (((f) >> 13) & 3)
#define VMCS_FIELD_IS_HIGH(f)   ((f) & 1)       /* the upper half of a 64-bit field */

void vmcs_fail(const char *op, uint64_t field) __noreturn;

/*
 * VMREAD/VMWRITE with the failure check folded into one conditional jump
 * (CF or ZF set, SDM Vol. 3C, 31.2): these run on every exit, where each
 * instruction counts. vmcs_fail() works out which failure it was.
 */
static inline uint64_t
vmcs_read_raw(uint64_t field)
{
	uint64_t v;

	__asm__ goto("vmread %1, %0\n\tjbe %l[fail]" : "=r"(v) : "r"(field) : "cc" : fail);
	return v;
fail:
	vmcs_fail("VMREAD", field);
}

static inline void
vmcs_write_raw(uint64_t field, uint64_t v)
{
	__asm__ goto("vmwrite %1, %0\n\tjbe %l[fail]" : : "r"(field), "rm"(v) : "cc", "memory" : fail);
	return;
fail:
	vmcs_fail("VMWRITE", field);
}

#define VMCS_CHECK(f, name, w) \
	_Static_assert(VMCS_FIELD_WIDTH(f) == (w) && !VMCS_FIELD_IS_HIGH(f), \
		       "VMCS field " name " is not " #w)

#define vmcs_read16(f)  ({ VMCS_CHECK(f, #f, VMCS_WIDTH_16); (uint16_t)vmcs_read_raw(f); })
#define vmcs_read32(f)  ({ VMCS_CHECK(f, #f, VMCS_WIDTH_32); (uint32_t)vmcs_read_raw(f); })
#define vmcs_read64(f)  ({ VMCS_CHECK(f, #f, VMCS_WIDTH_64); (uint64_t)vmcs_read_raw(f); })
#define vmcs_readnat(f) ({ VMCS_CHECK(f, #f, VMCS_WIDTH_NAT); (uint64_t)vmcs_read_raw(f); })

#define vmcs_write16(f, v)  do { VMCS_CHECK(f, #f, VMCS_WIDTH_16); vmcs_write_raw(f, (uint16_t)(v)); } while (0)
#define vmcs_write32(f, v)  do { VMCS_CHECK(f, #f, VMCS_WIDTH_32); vmcs_write_raw(f, (uint32_t)(v)); } while (0)
#define vmcs_write64(f, v)  do { VMCS_CHECK(f, #f, VMCS_WIDTH_64); vmcs_write_raw(f, (uint64_t)(v)); } while (0)
#define vmcs_writenat(f, v) do { VMCS_CHECK(f, #f, VMCS_WIDTH_NAT); vmcs_write_raw(f, (uint64_t)(v)); } while (0)

struct vcpu;
struct guest_start;

/* Build a vCPU's VMCS from scratch and make it current. Returns 0, or -1
 * after a line naming what failed. */
int vmcs_setup(struct vcpu *v, const struct guest_start *start);
/* Print the VMCS fields that explain an exit, for a stopped guest. */
void vmcs_dump(void);
/* The backend's dump_vcpu: v's VMCS made current for the dump, then the
 * one that was current before. */
void vmx_vcpu_dump(struct vcpu *v);
const char *vmcs_field_name(uint32_t field);
int vmcs_set_preemption_timer_option(const char *value);
int vmcs_set_apicv_option(const char *value);

#endif
