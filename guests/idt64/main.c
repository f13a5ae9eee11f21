/*
 * guests/idt64/main.c: a guest that takes its own exceptions through its
 * own IDT (SDM Vol. 3A, chapter 6): #DE, #BP, #UD, #GP and #PF, each with
 * a handler of its own that checks the vector, the error code (Table 6-1;
 * #PF's in Figure 4-12), CR2 for #PF, and the saved RIP: a fault's points
 * at the faulting instruction, a trap's (#BP) after it (6.5). None of this
 * needs the hypervisor: the system test checks that the hypervisor saw no
 * "exception or NMI" exit from this guest.
 */
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "guests/lib/paging.h"
#include "kernel/x86.h"

GUEST_NAME("idt64");

#define PF_ERR_P        (1u << 0)       /* the page was present (protection) */
#define PF_ERR_W        (1u << 1)       /* a write */

#define VA_ABSENT       0x20000000ul    /* 512 MiB: left not present */
#define VA_READONLY     0x20200000ul    /* mapped read-only to guest RAM at 0 */
#define NON_CANONICAL   0x8000000000000000ul

/* What the last handler saw, and where the code under test said it would be. */
static volatile struct {
	uint64_t vector, error_code, cr2, rip;
	int count;
} seen;
static volatile uint64_t at_insn, after_insn;

static void
handler(struct trap_frame *tf)
{
	seen.vector = tf->vector;
	seen.error_code = tf->error_code;
	seen.cr2 = tf->vector == TRAP_PF ? read_cr2() : 0;
	seen.rip = tf->rip;
	seen.count++;
	tf->rip = after_insn;           /* a fault would repeat: go on after it */
}

/*
 * Run the one instruction insn, noting its address and the one after it
 * for the handler. On entry RAX = addr, RDX = 0 and RSI = 0.
 */
#define PROVOKE(insn, addr)                                                     \
	do {                                                                    \
		uint64_t a_ = (addr), d_ = 0, s_ = 0;                           \
		__asm__ volatile("lea 1f(%%rip), %%rcx; mov %%rcx, %2\n\t"       \
				 "lea 2f(%%rip), %%rcx; mov %%rcx, %3\n\t"       \
				 "1: " insn "\n2:"                                \
				 : "+a"(a_), "+d"(d_), "=m"(at_insn), "=m"(after_insn), \
				   "+S"(s_)                                        \
				 : : "rcx", "memory");                             \
	} while (0)

static void
expect(uint64_t vector, uint64_t error_code, uint64_t cr2, bool trap, const char *what)
{
	uint64_t want_rip = trap ? after_insn : at_insn;

	guest_check(seen.count == 1 && seen.vector == vector && seen.error_code == error_code &&
			    seen.cr2 == cr2 && seen.rip == want_rip,
		    "%s: %s error code %#lx cr2 %#lx, rip %s (saw %d: vector %lu error code %#lx cr2 %#lx rip %#lx, want %#lx)",
		    what, trap_name(vector), error_code, cr2, trap ? "after it" : "at it", seen.count,
		    seen.vector, seen.error_code, seen.cr2, seen.rip, want_rip);
	seen.count = 0;
}

void
guest_main(void)
{
	static const uint8_t vectors[] = { TRAP_DE, TRAP_BP, TRAP_UD, TRAP_GP, TRAP_PF };

	guest_printf("idt64: own handlers for #DE #BP #UD #GP #PF\n");
	for (unsigned i = 0; i < sizeof(vectors); i++)
		idt_set_handler(vectors[i], handler);
	write_cr0(read_cr0() | CR0_WP);         /* supervisor writes obey read-only pages */
	paging_map_2m(VA_ABSENT, 0, 0);
	paging_map_2m(VA_READONLY, 0, X86_PTE_P);

	PROVOKE("divl %%esi", 1ul);
	expect(TRAP_DE, 0, 0, false, "divl by zero");
	PROVOKE("int3", 0ul);
	expect(TRAP_BP, 0, 0, true, "int3");
	PROVOKE("ud2", 0ul);
	expect(TRAP_UD, 0, 0, false, "ud2");
	PROVOKE("mov (%%rax), %%rdx", NON_CANONICAL);
	expect(TRAP_GP, 0, 0, false, "load from non-canonical 0x8000000000000000");
	PROVOKE("mov (%%rax), %%rdx", VA_ABSENT + 0x123);
	expect(TRAP_PF, 0, VA_ABSENT + 0x123, false, "read of a not-present page");
	PROVOKE("movb $1, (%%rax)", VA_ABSENT + 0x456);
	expect(TRAP_PF, PF_ERR_W, VA_ABSENT + 0x456, false, "write to a not-present page");
	PROVOKE("movb $1, (%%rax)", VA_READONLY + 0x789);
	expect(TRAP_PF, PF_ERR_P | PF_ERR_W, VA_READONLY + 0x789, false, "write to a read-only page");
	guest_pass();
}
