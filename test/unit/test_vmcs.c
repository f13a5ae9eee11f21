/*
 * test/unit/test_vmcs.c: VMCS field encodings carry the width the SDM
 * gives them (Vol. 3D, Appendix B), the typed accessors refuse the wrong
 * width at compile time, and VM-instruction errors decode (Table 31-1).
 */
#include "test/unit/fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmx/vmcs.h"
#include "vmx/vmx_error.c"

struct field {
	uint32_t encoding;
	const char *name;
};

#define F(x) { x, #x }

static const struct field fields16[] = {
	F(VMCS_VPID), F(VMCS_POSTED_INTR_NV), F(VMCS_EPTP_INDEX), F(VMCS_GUEST_ES_SEL),
	F(VMCS_GUEST_CS_SEL), F(VMCS_GUEST_SS_SEL), F(VMCS_GUEST_DS_SEL), F(VMCS_GUEST_FS_SEL),
	F(VMCS_GUEST_GS_SEL), F(VMCS_GUEST_LDTR_SEL), F(VMCS_GUEST_TR_SEL), F(VMCS_GUEST_INTR_STATUS),
	F(VMCS_HOST_ES_SEL), F(VMCS_HOST_CS_SEL), F(VMCS_HOST_SS_SEL), F(VMCS_HOST_DS_SEL),
	F(VMCS_HOST_FS_SEL), F(VMCS_HOST_GS_SEL), F(VMCS_HOST_TR_SEL),
};

static const struct field fields64[] = {
	F(VMCS_IO_BITMAP_A), F(VMCS_IO_BITMAP_B), F(VMCS_MSR_BITMAP), F(VMCS_EXIT_MSR_STORE_ADDR),
	F(VMCS_EXIT_MSR_LOAD_ADDR), F(VMCS_ENTRY_MSR_LOAD_ADDR), F(VMCS_TSC_OFFSET),
	F(VMCS_VIRTUAL_APIC_ADDR), F(VMCS_APIC_ACCESS_ADDR), F(VMCS_EPT_POINTER),
	F(VMCS_GUEST_PHYSICAL_ADDR), F(VMCS_LINK_POINTER), F(VMCS_GUEST_DEBUGCTL), F(VMCS_GUEST_PAT),
	F(VMCS_GUEST_EFER), F(VMCS_GUEST_PERF_GLOBAL_CTRL), F(VMCS_GUEST_PDPTE0), F(VMCS_GUEST_PDPTE1),
	F(VMCS_GUEST_PDPTE2), F(VMCS_GUEST_PDPTE3), F(VMCS_HOST_PAT), F(VMCS_HOST_EFER),
	F(VMCS_HOST_PERF_GLOBAL_CTRL),
};

static const struct field fields32[] = {
	F(VMCS_PIN_CONTROLS), F(VMCS_PROC_CONTROLS), F(VMCS_EXCEPTION_BITMAP), F(VMCS_PF_ERROR_CODE_MASK),
	F(VMCS_PF_ERROR_CODE_MATCH), F(VMCS_CR3_TARGET_COUNT), F(VMCS_EXIT_CONTROLS),
	F(VMCS_EXIT_MSR_STORE_COUNT), F(VMCS_EXIT_MSR_LOAD_COUNT), F(VMCS_ENTRY_CONTROLS),
	F(VMCS_ENTRY_MSR_LOAD_COUNT), F(VMCS_ENTRY_INTR_INFO), F(VMCS_ENTRY_EXCEPTION_ERROR_CODE),
	F(VMCS_ENTRY_INSTRUCTION_LEN), F(VMCS_TPR_THRESHOLD), F(VMCS_PROC2_CONTROLS),
	F(VMCS_VM_INSTRUCTION_ERROR), F(VMCS_EXIT_REASON), F(VMCS_EXIT_INTR_INFO),
	F(VMCS_EXIT_INTR_ERROR_CODE), F(VMCS_IDT_VECTORING_INFO), F(VMCS_IDT_VECTORING_ERROR_CODE),
	F(VMCS_EXIT_INSTRUCTION_LEN), F(VMCS_EXIT_INSTRUCTION_INFO), F(VMCS_GUEST_ES_LIMIT),
	F(VMCS_GUEST_CS_LIMIT), F(VMCS_GUEST_SS_LIMIT), F(VMCS_GUEST_DS_LIMIT), F(VMCS_GUEST_FS_LIMIT),
	F(VMCS_GUEST_GS_LIMIT), F(VMCS_GUEST_LDTR_LIMIT), F(VMCS_GUEST_TR_LIMIT), F(VMCS_GUEST_GDTR_LIMIT),
	F(VMCS_GUEST_IDTR_LIMIT), F(VMCS_GUEST_ES_AR), F(VMCS_GUEST_CS_AR), F(VMCS_GUEST_SS_AR),
	F(VMCS_GUEST_DS_AR), F(VMCS_GUEST_FS_AR), F(VMCS_GUEST_GS_AR), F(VMCS_GUEST_LDTR_AR),
	F(VMCS_GUEST_TR_AR), F(VMCS_GUEST_INTERRUPTIBILITY), F(VMCS_GUEST_ACTIVITY_STATE),
	F(VMCS_GUEST_SMBASE), F(VMCS_GUEST_SYSENTER_CS), F(VMCS_PREEMPTION_TIMER_VALUE),
	F(VMCS_HOST_SYSENTER_CS),
};

static const struct field fields_nat[] = {
	F(VMCS_CR0_GUEST_HOST_MASK), F(VMCS_CR4_GUEST_HOST_MASK), F(VMCS_CR0_READ_SHADOW),
	F(VMCS_CR4_READ_SHADOW), F(VMCS_EXIT_QUALIFICATION), F(VMCS_GUEST_LINEAR_ADDR), F(VMCS_GUEST_CR0),
	F(VMCS_GUEST_CR3), F(VMCS_GUEST_CR4), F(VMCS_GUEST_ES_BASE), F(VMCS_GUEST_CS_BASE),
	F(VMCS_GUEST_SS_BASE), F(VMCS_GUEST_DS_BASE), F(VMCS_GUEST_FS_BASE), F(VMCS_GUEST_GS_BASE),
	F(VMCS_GUEST_LDTR_BASE), F(VMCS_GUEST_TR_BASE), F(VMCS_GUEST_GDTR_BASE), F(VMCS_GUEST_IDTR_BASE),
	F(VMCS_GUEST_DR7), F(VMCS_GUEST_RSP), F(VMCS_GUEST_RIP), F(VMCS_GUEST_RFLAGS),
	F(VMCS_GUEST_PENDING_DBG), F(VMCS_GUEST_SYSENTER_ESP), F(VMCS_GUEST_SYSENTER_EIP),
	F(VMCS_HOST_CR0), F(VMCS_HOST_CR3), F(VMCS_HOST_CR4), F(VMCS_HOST_FS_BASE), F(VMCS_HOST_GS_BASE),
	F(VMCS_HOST_TR_BASE), F(VMCS_HOST_GDTR_BASE), F(VMCS_HOST_IDTR_BASE), F(VMCS_HOST_SYSENTER_ESP),
	F(VMCS_HOST_SYSENTER_EIP), F(VMCS_HOST_RSP), F(VMCS_HOST_RIP),
};

static void
check_group(const struct field *f, size_t n, unsigned width)
{
	for (size_t i = 0; i < n; i++) {
		if (VMCS_FIELD_WIDTH(f[i].encoding) != width)
			fail_msg("%s (%#x) has width %u, expected %u", f[i].name, f[i].encoding,
				 VMCS_FIELD_WIDTH(f[i].encoding), width);
		if (VMCS_FIELD_IS_HIGH(f[i].encoding))
			fail_msg("%s (%#x) is a high-half encoding", f[i].name, f[i].encoding);
	}
}

static void
test_field_widths(void **state)
{
	check_group(fields16, sizeof(fields16) / sizeof(fields16[0]), VMCS_WIDTH_16);
	check_group(fields64, sizeof(fields64) / sizeof(fields64[0]), VMCS_WIDTH_64);
	check_group(fields32, sizeof(fields32) / sizeof(fields32[0]), VMCS_WIDTH_32);
	check_group(fields_nat, sizeof(fields_nat) / sizeof(fields_nat[0]), VMCS_WIDTH_NAT);
}

/* Compile a one-line use of an accessor the way the kernel is compiled. */
static int
compile(const char *body, char *diag, size_t diag_size)
{
	char cmd[512];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd),
		 "printf '#include \"vmx/vmcs.h\"\\nvoid f(void);\\nvoid f(void) { %s; }\\n' | "
		 "${CC:-cc} -std=gnu11 -I. -fsyntax-only -x c - 2>&1", body);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(diag, 1, diag_size - 1, p);
	diag[n] = '\0';
	return pclose(p);
}

static void
test_accessors_reject_wrong_width(void **state)
{
	char diag[4096];

	assert_int_equal(compile("(void)vmcs_readnat(VMCS_GUEST_RIP)", diag, sizeof(diag)), 0);
	assert_int_not_equal(compile("(void)vmcs_read32(VMCS_GUEST_RIP)", diag, sizeof(diag)), 0);
	assert_non_null(strstr(diag, "VMCS field VMCS_GUEST_RIP is not VMCS_WIDTH_32"));
	assert_int_not_equal(compile("vmcs_write16(VMCS_EXIT_REASON, 1)", diag, sizeof(diag)), 0);
	assert_int_not_equal(compile("vmcs_write64(VMCS_GUEST_EFER + 1, 1)", diag, sizeof(diag)), 0);
	assert_int_equal(compile("vmcs_write64(VMCS_GUEST_EFER, 1)", diag, sizeof(diag)), 0);
}

static void
test_error_names(void **state)
{
	assert_string_equal(vmx_error_name(7), "VM entry with invalid control field(s)");
	assert_string_equal(vmx_error_name(8), "VM entry with invalid host-state field(s)");
	assert_string_equal(vmx_error_name(12), "VMREAD/VMWRITE from/to unsupported VMCS component");
	assert_string_equal(vmx_error_name(14), "unknown VM-instruction error");
	assert_string_equal(vmx_error_name(1000), "unknown VM-instruction error");
	assert_string_equal(vmx_result_name(VMX_FAIL_INVALID), "VMfailInvalid (no current VMCS)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_widths),
		cmocka_unit_test(test_accessors_reject_wrong_width),
		cmocka_unit_test(test_error_names),
	};
	return cmocka_run_group_tests_name("vmcs", tests, NULL, NULL);
}
