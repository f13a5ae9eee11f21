/*
 * guests/exits64/vmxinsn.c: VMX instructions in a guest (SDM Vol. 3C,
 * 26.1.2: each one exits unconditionally in VMX non-root operation). The
 * hypervisor offers no nested VMX, so each must raise #UD, as on a CPU
 * without VMX.
 */
#include "guests/exits64/checks.h"
#include "guests/lib/guest.h"

static uint64_t region __aligned(4096);
static uint64_t pointer = 0x200000;     /* a page inside guest RAM */
static uint64_t descriptor[2];

static void do_vmxon(void *a)   { __asm__ volatile("vmxon %0" : : "m"(pointer)); }
static void do_vmxoff(void *a)  { __asm__ volatile("vmxoff"); }
static void do_vmclear(void *a) { __asm__ volatile("vmclear %0" : : "m"(pointer)); }
static void do_vmptrld(void *a) { __asm__ volatile("vmptrld %0" : : "m"(pointer)); }
static void do_vmptrst(void *a) { __asm__ volatile("vmptrst %0" : "=m"(region)); }
static void do_vmread(void *a)  { uint64_t v; __asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(0x6800ul)); }
static void do_vmwrite(void *a) { __asm__ volatile("vmwrite %0, %1" : : "r"(0ul), "r"(0x6800ul)); }
static void do_vmlaunch(void *a) { __asm__ volatile("vmlaunch"); }
static void do_vmresume(void *a) { __asm__ volatile("vmresume"); }
static void do_invept(void *a)  { __asm__ volatile("invept %0, %1" : : "m"(descriptor), "r"(2ul)); }
static void do_invvpid(void *a) { __asm__ volatile("invvpid %0, %1" : : "m"(descriptor), "r"(2ul)); }

void
vmxinsn_checks(void)
{
	static const struct {
		void (*fn)(void *);
		const char *name;
	} insns[] = {
		{ do_vmxon, "vmxon" }, { do_vmxoff, "vmxoff" }, { do_vmclear, "vmclear" },
		{ do_vmptrld, "vmptrld" }, { do_vmptrst, "vmptrst" }, { do_vmread, "vmread" },
		{ do_vmwrite, "vmwrite" }, { do_vmlaunch, "vmlaunch" }, { do_vmresume, "vmresume" },
		{ do_invept, "invept" }, { do_invvpid, "invvpid" },
	};

	for (unsigned i = 0; i < sizeof(insns) / sizeof(insns[0]); i++)
		expect_trap(insns[i].fn, NULL, TRAP_UD, 0, insns[i].name);
}
