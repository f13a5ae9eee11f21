/*
 * guests/attack64/main.c: a guest that attacks the hypervisor and the
 * guests beside it, one attack per run, named by its command line
 * (attack64 is started as kind=multiboot for that, multiboot.S). The
 * system tests test/system/guest-attack-*.test run it beside bystander64
 * and check that every attempt is contained: this guest gets the answer a
 * CPU or PC would give (an exception, all-ones, nothing) or is stopped,
 * and the bystander runs on, unharmed.
 */
#include "boot/multiboot1_format.h"
#include "guests/attack64/attack.h"
#include "guests/lib/guest.h"
#include "lib/string.h"

GUEST_NAME("attack64");

extern uint32_t mb_info;        /* multiboot.S */

static const struct {
	const char *name;
	void (*run)(void);
} attacks[] = {
	{ "gpa-read-above", attack_gpa_read_above },
	{ "gpa-write-above", attack_gpa_write_above },
	{ "gpa-read-4g", attack_gpa_read_4g },
	{ "gpa-write-4g", attack_gpa_write_4g },
	{ "gpa-read-maxphys", attack_gpa_read_maxphys },
	{ "gpa-write-maxphys", attack_gpa_write_maxphys },
	{ "gpa-reserved", attack_gpa_reserved },
	{ "hostphys", attack_hostphys },
	{ "pt-leaf", attack_pt_leaf },
	{ "pt-table", attack_pt_table },
	{ "pt-cr3", attack_pt_cr3 },
	{ "vmx", attack_vmx },
	{ "cr4", attack_cr4 },
	{ "msr", attack_msr },
	{ "pic-pit", attack_pic_pit },
	{ "pci", attack_pci },
	{ "reset-kbc", attack_reset_kbc },
	{ "reset-kbc-output", attack_reset_kbc_output },
	{ "reset-cf9", attack_reset_cf9 },
	{ "reset-port92", attack_reset_port92 },
	{ "ipi", attack_ipi },
	{ "hypercall", attack_hypercall },
	{ "hypercall-user", attack_hypercall_user },
	{ "flood", attack_flood },
};

static const struct mb1_info *
info(void)
{
	if (!mb_info)
		guest_fail("attack64: started without Multiboot information: describe it with kind=multiboot");
	return (const struct mb1_info *)(uintptr_t)mb_info;
}

uint64_t
attack_ram_size(void)
{
	return ((uint64_t)info()->mem_upper << 10) + 0x100000;
}

bool
attack_expect(void (*fn)(void *), void *arg, uint64_t vector, const char *what)
{
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	trap_try(fn, arg, &f);
	if (vector == TRAP_NONE)
		return guest_check(f.vector == TRAP_NONE, "%s: no exception%s%s", what,
				   f.vector == TRAP_NONE ? "" : ", but got ", f.vector == TRAP_NONE ? "" : trap_name(f.vector));
	return guest_check(f.vector == vector, "%s: %s (got %s, error code %#lx)", what, trap_name(vector),
			   trap_name(f.vector), f.error_code);
}

bool
attack_expect_gp_or_none(void (*fn)(void *), void *arg, const char *what)
{
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	trap_try(fn, arg, &f);
	return guest_check(f.vector == TRAP_NONE || f.vector == TRAP_GP, "%s: %s", what,
			   f.vector == TRAP_NONE ? "accepted, no exception" : trap_name(f.vector));
}

void
guest_main(void)
{
	const struct mb1_info *mb = info();
	const char *name = (mb->flags & MB1_INFO_CMDLINE) ? (const char *)(uintptr_t)mb->cmdline : "";

	for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
		if (strcmp(name, attacks[i].name))
			continue;
		guest_printf("attack64: %s, with %lu MiB of RAM\n", name, attack_ram_size() >> 20);
		attacks[i].run();
		guest_printf("attack64: %s: contained\n", name);
		guest_pass();
	}
	guest_fail("attack64: no attack named \"%s\" (cmdline= names one; see guests/attack64/main.c)", name);
}
