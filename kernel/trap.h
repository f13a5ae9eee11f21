/*
 * kernel/trap.h: the hypervisor's own interrupts and exceptions (root mode).
 * Vectors: 0-31 exceptions (SDM Vol. 3A, 6.3.1), 32-47 the legacy PIC's
 * range (masked, but remapped here so a stray one is recognisable), 0xF0
 * upward the LAPIC's own vectors.
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include "kernel/compiler.h"

#define VEC_DE          0
#define VEC_DB          1
#define VEC_NMI         2
#define VEC_BP          3
#define VEC_OF          4
#define VEC_BR          5
#define VEC_UD          6
#define VEC_NM          7
#define VEC_DF          8
#define VEC_TS          10
#define VEC_NP          11
#define VEC_SS          12
#define VEC_GP          13
#define VEC_PF          14
#define VEC_MF          16
#define VEC_AC          17
#define VEC_MC          18
#define VEC_XM          19
#define VEC_VE          20
#define VEC_CP          21

#define VEC_PIC_BASE    0x20    /* 8259 master; slave at 0x28 */
#define VEC_LAPIC_TIMER 0xF0
#define VEC_LAPIC_ERROR 0xFE
#define VEC_SPURIOUS    0xFF

/* What kernel/isr.S saves; the layout is checked there with offsets. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;    /* 0 for vectors without one */
	uint64_t rip, cs, rflags, rsp, ss;      /* pushed by the CPU */
};
STATIC_ASSERT(sizeof(struct trap_frame) == 22 * 8, "trap_frame matches isr.S");

typedef void (*trap_handler_fn)(struct trap_frame *tf);

void idt_init(void);
void idt_load(void);
void trap_dispatch(struct trap_frame *tf);
void trap_dispatch_vector(uint8_t vector);
void trap_set_handler(uint8_t vector, trap_handler_fn fn);
const char *trap_name(uint64_t vector);

#endif
