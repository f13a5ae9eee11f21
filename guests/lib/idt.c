/*
 * guests/lib/idt.c: the IDT, its handlers, and the TSS that holds the
 * interrupt stack table (SDM Vol. 3A, 6.14.1 64-bit IDT gates, 6.14.5 IST,
 * 7.2.3 the 64-bit TSS, 7.2.3 Figure 7-4 its descriptor).
 */
#include "guests/lib/guest.h"
#include "guests/lib/idt.h"
#include "kernel/compiler.h"
#include "kernel/x86.h"
#include "lib/string.h"

#define TRAP_STUB_SIZE  16              /* trap.S */
#define GATE_INTERRUPT  0x0E            /* 64-bit interrupt gate: IF cleared on entry */
#define GATE_P          0x80            /* present */
#define GATE_IST_MASK   0x07

#define TSS_TYPE_AVAIL  0x09            /* 64-bit TSS, available */
#define DESC_P          0x80
#define GDT_ENTRIES     16              /* the loader's entries, then the TSS (two slots) */
#define IST_STACKS      7
#define IST_STACK_SIZE  16384

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;                   /* P, DPL, type */
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;
STATIC_ASSERT(sizeof(struct idt_gate) == 16, "64-bit IDT gate is 16 bytes");

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[IST_STACKS];       /* IST1..IST7 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;
STATIC_ASSERT(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes");
STATIC_ASSERT(offsetof(struct tss64, ist) == 0x24, "IST1 at offset 0x24");

extern const char trap_stubs[], trap_stubs_end[];

static struct idt_gate idt[IDT_VECTORS] __aligned(16);
static idt_handler_t handlers[IDT_VECTORS];
static uint64_t gdt[GDT_ENTRIES] __aligned(16);
static struct tss64 tss __aligned(16);
static uint8_t ist_stacks[IST_STACKS][IST_STACK_SIZE] __aligned(16);
static bool tss_loaded;

static void
gate_point(uint8_t vector, uint64_t a)
{
	idt[vector].offset_low = (uint16_t)a;
	idt[vector].offset_mid = (uint16_t)(a >> 16);
	idt[vector].offset_high = (uint32_t)(a >> 32);
}

void
idt_init(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)idt };
	uint16_t cs;

	if (trap_stubs_end - trap_stubs != IDT_VECTORS * TRAP_STUB_SIZE)
		guest_fail("trap.S: stubs take %ld bytes, want %d", (long)(trap_stubs_end - trap_stubs),
			   IDT_VECTORS * TRAP_STUB_SIZE);
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	for (int i = 0; i < IDT_VECTORS; i++) {
		idt[i] = (struct idt_gate){ .selector = cs, .type = GATE_P | GATE_INTERRUPT };
		gate_point((uint8_t)i, (uint64_t)(trap_stubs + i * TRAP_STUB_SIZE));
	}
	lidt(&p);
}

void
idt_set_handler(uint8_t vector, idt_handler_t fn)
{
	handlers[vector] = fn;
}

void
idt_set_entry(uint8_t vector, void (*entry)(void))
{
	gate_point(vector, entry ? (uint64_t)entry : (uint64_t)(trap_stubs + vector * TRAP_STUB_SIZE));
}

void
idt_set_present(uint8_t vector, bool present)
{
	if (present)
		idt[vector].type |= GATE_P;
	else
		idt[vector].type &= (uint8_t)~GATE_P;
}

/*
 * A copy of the loader's GDT (so the selectors in CS, SS and every saved
 * frame stay valid) with a TSS descriptor after it, then LTR. A 64-bit
 * TSS descriptor is 16 bytes: base 63:32 in the second half.
 */
static void
tss_load(void)
{
	struct desc_ptr cur;
	uint64_t base = (uint64_t)&tss;
	size_t used;

	sgdt(&cur);
	used = ALIGN_UP((size_t)cur.limit + 1, 8);
	if (used / 8 + 2 > GDT_ENTRIES)
		guest_fail("idt: the loader's GDT has %lu entries, room for %d", (unsigned long)(used / 8), GDT_ENTRIES - 2);
	memcpy(gdt, (const void *)cur.base, (size_t)cur.limit + 1);
	for (int i = 0; i < IST_STACKS; i++)
		tss.ist[i] = (uint64_t)ist_stacks[i] + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss);   /* no I/O bitmap */
	gdt[used / 8] = (sizeof(tss) - 1) | (base & 0xFFFFFF) << 16 |
			(uint64_t)(DESC_P | TSS_TYPE_AVAIL) << 40 | (base >> 24 & 0xFF) << 56;
	gdt[used / 8 + 1] = base >> 32;

	struct desc_ptr p = { (uint16_t)(used + 16 - 1), (uint64_t)gdt };
	lgdt(&p);
	ltr((uint16_t)used);
	tss_loaded = true;
}

uint64_t
idt_set_ist(uint8_t vector, unsigned ist)
{
	if (ist > IST_STACKS)
		guest_fail("idt: IST %u does not exist (1-7)", ist);
	if (ist && !tss_loaded)
		tss_load();
	idt[vector].ist = (uint8_t)(ist & GATE_IST_MASK);
	return ist ? tss.ist[ist - 1] : 0;
}

void
idt_dispatch(struct trap_frame *tf)
{
	idt_handler_t fn = handlers[tf->vector & 0xFF];

	if (fn)
		fn(tf);
	else if (tf->vector < 32)
		trap_dispatch(tf);
	else
		guest_fail("unexpected interrupt, vector %#lx, at rip %#lx", tf->vector, tf->rip);
}
