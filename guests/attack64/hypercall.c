/*
 * guests/attack64/hypercall.c: the hypercall ABI (vm/hypercall.h) with
 * arguments meant to hurt: buffers outside RAM, straddling its end, at
 * non-canonical and wrapping addresses, lengths of zero and of 2^64 - 1,
 * and numbers nobody defined, including ones whose low 32 bits are a
 * defined call. Each gets its error (-EFAULT, -EINVAL, -ENOSYS) and
 * nothing else happens. And VMCALL from ring 3 (hypercall-user): the
 * hypercalls are the guest kernel's, so a user program gets #UD, as it
 * would without a hypervisor, and can neither print nor end the guest.
 */
#include "guests/attack64/attack.h"
#include "guests/lib/guest.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/idt.h"
#include "kernel/errno.h"

#ifndef EFAULT
#define EFAULT          14
#endif

static const char text[] = "x";

static void
expect_puts(uint64_t gpa, uint64_t len, long want, const char *what)
{
	long r = hypercall(HC_PUTS, gpa, len, 0, 0);

	guest_check(r == want, "HC_PUTS of %s (%#lx, %lu bytes) returns %ld (want %ld)", what, gpa, len, r, want);
}

static void
expect_nr(uint64_t nr, const char *what)
{
	long r = hypercall(nr, 0, 0, 0, 0);

	guest_check(r == -ENOSYS, "hypercall %#lx (%s) returns %ld (want -ENOSYS, %d)", nr, what, r, -ENOSYS);
}

void
attack_hypercall(void)
{
	uint64_t ram = attack_ram_size();

	expect_puts(ram, 1, -EFAULT, "the first byte above RAM");
	expect_puts(ram - 4, 8, -EFAULT, "8 bytes straddling the end of RAM");
	expect_puts(ram - 1, 2, -EFAULT, "2 bytes straddling the end of RAM");
	expect_puts(0x100000000ul, 16, -EFAULT, "4 GiB");
	expect_puts(0xC0000000ul, 4096, -EFAULT, "a page at 3 GiB");
	expect_puts(0x8000000000000000ul, 8, -EFAULT, "a non-canonical address");
	expect_puts(~0ul, 2, -EFAULT, "the last byte of the address space, wrapping");
	expect_puts(~0ul - 7, 16, -EFAULT, "a buffer that wraps to 0");
	expect_puts((uint64_t)text, ~0ul, -EINVAL, "a length of 2^64 - 1");
	expect_puts((uint64_t)text, 1ul << 32, -EINVAL, "a length of 4 GiB");
	expect_puts((uint64_t)text, 4097, -EINVAL, "a length of 4097");
	expect_puts((uint64_t)text, 0, 0, "a length of zero");
	expect_puts(ram, 0, -EFAULT, "a length of zero above RAM");
	*(volatile char *)(ram - 1) = '\n';
	guest_printf("attack64: HC_PUTS of the last byte of RAM, a newline:");
	expect_puts(ram - 1, 1, 1, "the last byte of RAM");

	expect_nr(HC_COUNT, "the first number after the defined ones");
	expect_nr(0x7FFF, "unknown");
	expect_nr(~0ul, "all ones");
	expect_nr(1ul << 63, "bit 63");
	expect_nr(1ul << 32 | HC_EXIT, "HC_EXIT in the low 32 bits");
	expect_nr(1ul << 32 | HC_PUTS, "HC_PUTS in the low 32 bits");
	guest_check(hypercall_version() == HYPERCALL_ABI_VERSION, "HC_VERSION still answers %d",
		    HYPERCALL_ABI_VERSION);
}

#define USER_CS         0x23            /* multiboot.S's GDT: ring-3 code, RPL 3 */
#define USER_SS         0x1B            /* ring-3 data, RPL 3 */
#define KERNEL_CS       0x08
#define KERNEL_SS       0x10
#define RFLAGS_RESERVED 0x2             /* bit 1; IF stays off */

static uint64_t user_stack[512] __aligned(16);
static volatile uint64_t user_rax;
extern char user_vmcall[], user_after[];

/* Whatever ends ring 3 (#UD at VMCALL or at the UD2 after it): note RAX and
 * land in trap_try's caller, back in ring 0. The handler runs on an IST
 * stack: the guest library's TSS has no ring-0 stack pointer. */
static void
from_user(struct trap_frame *tf)
{
	user_rax = tf->rax;
	tf->cs = KERNEL_CS;
	tf->ss = KERNEL_SS;
	if (!trap_land(tf))
		guest_fail("%s at rip %#lx outside the ring-3 attack", trap_name(tf->vector), tf->rip);
}

/* IRETQ to ring 3 with RAX, RBX, RCX = the hypercall; there VMCALL, then UD2. */
static __attribute__((noinline)) void
enter_user(void *arg)
{
	const uint64_t *hc = arg;

	__asm__ volatile("pushq %[ss]\n\t"
			 "pushq %[sp]\n\t"
			 "pushq %[fl]\n\t"
			 "pushq %[cs]\n\t"
			 "lea user_vmcall(%%rip), %%rdx\n\t"
			 "pushq %%rdx\n\t"
			 "iretq\n"
			 "user_vmcall:\n\t"
			 "vmcall\n"
			 "user_after:\n\t"
			 "ud2"
			 : : [ss] "i"(USER_SS), [sp] "r"((uint64_t)(user_stack + 512)), [fl] "i"(RFLAGS_RESERVED),
			     [cs] "i"(USER_CS), "a"(hc[0]), "b"(hc[1]), "c"(hc[2])
			 : "rdx", "memory");
}

static void
user_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, const char *what)
{
	uint64_t hc[3] = { nr, a0, a1 };
	struct trap_fault f = { TRAP_NONE, 0, 0 };

	user_rax = 0;
	trap_try(enter_user, hc, &f);
	if (f.vector == TRAP_UD && f.rip == (uint64_t)user_after)
		guest_check(false, "VMCALL %s from ring 3: the hypercall ran and returned %ld", what, (long)user_rax);
	else
		guest_check(f.vector == TRAP_UD && f.rip == (uint64_t)user_vmcall,
			    "VMCALL %s from ring 3: #UD at the VMCALL (got %s at %#lx)", what, trap_name(f.vector), f.rip);
}

void
attack_hypercall_user(void)
{
	static const char user_text[] = "attack64: printed from ring 3 (not contained)\n";
	static const uint8_t vectors[] = { TRAP_UD, TRAP_GP, TRAP_PF };

	for (unsigned i = 0; i < sizeof(vectors); i++) {
		idt_set_ist(vectors[i], i + 1);
		idt_set_handler(vectors[i], from_user);
	}
	user_hypercall(HC_VERSION, 0, 0, "HC_VERSION");
	user_hypercall(HC_PUTS, (uint64_t)user_text, sizeof(user_text) - 1, "HC_PUTS");
	user_hypercall(HC_EXIT, 0x77, 0, "HC_EXIT");
	for (unsigned i = 0; i < sizeof(vectors); i++) {
		idt_set_handler(vectors[i], NULL);
		idt_set_ist(vectors[i], 0);
	}
}
