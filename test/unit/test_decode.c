/*
 * test/unit/test_decode.c: the MMIO instruction decoder (the MOV family,
 * OR/AND/XOR/CMP/TEST, XCHG, STOS and MOVS) against the bytes GNU as
 * produces (each case names the AT&T source it came from; the few
 * encodings as will not emit, such as a REX before a legacy prefix, are
 * marked "by hand"), in 16-, 32- and 64-bit modes. Every case is also cut
 * short at each byte and must then fail as truncated. Then one test per
 * error, the 15-byte limit, and a fixed-seed fuzz loop over exact-size
 * buffers, so ASan sees any read past what the decoder was given.
 */
#include "test/unit/fake.h"

#include <stdio.h>
#include <stdlib.h>

#include "lib/format.c"
#include "lib/string.c"
#include "vm/decode.c"

#define ERR_MAX         160
#define FUZZ_ITERATIONS 200000
#define FUZZ_LEN_MAX    20

/* Register numbers in the SDM order */
#define RAX 0
#define RCX 1
#define RDX 2
#define RBX 3
#define RSP 4
#define RBP 5
#define RSI 6
#define RDI 7
#define R8  8
#define R9  9
#define R10 10
#define R11 11
#define R12 12
#define R13 13
#define R14 14
#define R15 15

/* Names for the high-byte flag in the table */
#define LOW  false
#define HIGH true

struct good {
	const char *src;        /* what as assembled, and in which mode */
	int mode;
	uint8_t bytes[DECODE_INSN_MAX];
	size_t n;
	enum decode_op op;
	uint8_t mem_size, reg;
	bool high;
	uint8_t reg_size;
	uint64_t imm;
	enum decode_alu alu;
	bool mem_first, rep;
	uint8_t imm_size;       /* checked only when set */
	uint8_t addr_size;      /* checked only when set */
};

#define BYTES(...)  .bytes = { __VA_ARGS__ }, .n = sizeof((uint8_t[]){ __VA_ARGS__ })
#define WANT(o, mem, r, hi, rs, im) \
	.op = DECODE_##o, .mem_size = mem, .reg = r, .high = hi, .reg_size = rs, .imm = im
/* OR/AND/XOR/CMP/TEST with a register; first: memory is the first operand */
#define ALU(o, first, mem, r, rs, hi) \
	WANT(ALU, mem, r, hi, rs, 0), .alu = DECODE_ALU_##o, .mem_first = first
/* ... with an immediate of isz bytes in the instruction */
#define ALUI(o, mem, im, isz) \
	WANT(ALU, mem, 0, LOW, 0, im), .alu = DECODE_ALU_##o, .mem_first = true, .imm_size = isz
#define XCHG(mem, r, hi)        WANT(XCHG, mem, r, hi, mem, 0)
#define STOS(mem, r, asz)       WANT(STOS, mem, RAX, LOW, mem, 0), .rep = r, .addr_size = asz
#define MOVS(mem, r, asz)       WANT(MOVS, mem, 0, LOW, 0, 0), .rep = r, .addr_size = asz

static const struct good goods[] = {
	/* --- 64-bit mode: MOV r/m, reg and MOV reg, r/m ------------------------------- */
	{ "mov %eax, 0x10(%rbx)", 64, BYTES(0x89, 0x43, 0x10), WANT(STORE, 4, RAX, LOW, 4, 0) },
	{ "mov %rax, (%rdi)", 64, BYTES(0x48, 0x89, 0x07), WANT(STORE, 8, RAX, LOW, 8, 0) },
	{ "mov %r9d, (%rax)", 64, BYTES(0x44, 0x89, 0x08), WANT(STORE, 4, R9, LOW, 4, 0) },
	{ "mov %ax, (%rcx)", 64, BYTES(0x66, 0x89, 0x01), WANT(STORE, 2, RAX, LOW, 2, 0) },
	{ "mov %al, (%rbx)", 64, BYTES(0x88, 0x03), WANT(STORE, 1, RAX, LOW, 1, 0) },
	{ "mov %ah, (%rbx)", 64, BYTES(0x88, 0x23), WANT(STORE, 1, RSP, HIGH, 1, 0) },
	{ "mov %spl, (%rbx)", 64, BYTES(0x40, 0x88, 0x23), WANT(STORE, 1, RSP, LOW, 1, 0) },
	{ "mov %dil, (%rdx)", 64, BYTES(0x40, 0x88, 0x3a), WANT(STORE, 1, RDI, LOW, 1, 0) },
	{ "mov %r8b, (%rdx)", 64, BYTES(0x44, 0x88, 0x02), WANT(STORE, 1, R8, LOW, 1, 0) },
	{ "mov %r15b, 0x7f(%r14)", 64, BYTES(0x45, 0x88, 0x7e, 0x7f), WANT(STORE, 1, R15, LOW, 1, 0) },
	{ "mov (%rbx), %ch", 64, BYTES(0x8a, 0x2b), WANT(LOAD, 1, RBP, HIGH, 1, 0) },
	{ "mov (%rbx), %bpl", 64, BYTES(0x40, 0x8a, 0x2b), WANT(LOAD, 1, RBP, LOW, 1, 0) },
	{ "mov %esp, (%rsp)", 64, BYTES(0x89, 0x24, 0x24), WANT(STORE, 4, RSP, LOW, 4, 0) },
	/* RIP-relative: mod 00 rm 101 */
	{ "mov 0x12345678(%rip), %eax", 64, BYTES(0x8b, 0x05, 0x78, 0x56, 0x34, 0x12),
	  WANT(LOAD, 4, RAX, LOW, 4, 0) },
	{ "mov -0x10(%rip), %r12", 64, BYTES(0x4c, 0x8b, 0x25, 0xf0, 0xff, 0xff, 0xff),
	  WANT(LOAD, 8, R12, LOW, 8, 0) },
	/* REX.B: r12 as base still needs a SIB, r13 as base still needs a disp */
	{ "mov (%r12), %eax", 64, BYTES(0x41, 0x8b, 0x04, 0x24), WANT(LOAD, 4, RAX, LOW, 4, 0) },
	{ "mov (%r13), %eax", 64, BYTES(0x41, 0x8b, 0x45, 0x00), WANT(LOAD, 4, RAX, LOW, 4, 0) },
	/* SIB forms: disp8, no base + disp32, mod 10 + disp32; REX.W/R/X/B */
	{ "mov 0x10(%rax,%r9,4), %r10", 64, BYTES(0x4e, 0x8b, 0x54, 0x88, 0x10),
	  WANT(LOAD, 8, R10, LOW, 8, 0) },
	{ "mov 0x12345678(,%rcx,8), %edx", 64, BYTES(0x8b, 0x14, 0xcd, 0x78, 0x56, 0x34, 0x12),
	  WANT(LOAD, 4, RDX, LOW, 4, 0) },
	{ "mov 0x12345678(%rbp,%rsi,2), %r15", 64, BYTES(0x4c, 0x8b, 0xbc, 0x75, 0x78, 0x56, 0x34, 0x12),
	  WANT(LOAD, 8, R15, LOW, 8, 0) },
	{ "mov -0x80(%r8,%r11,1), %bx", 64, BYTES(0x66, 0x43, 0x8b, 0x5c, 0x18, 0x80),
	  WANT(LOAD, 2, RBX, LOW, 2, 0) },
	/* 67 in 64-bit mode: 32-bit addressing, same ModRM form */
	{ "mov %eax, (%eax)", 64, BYTES(0x67, 0x89, 0x00), WANT(STORE, 4, RAX, LOW, 4, 0) },
	{ "mov 0x10(%r8d,%r9d,2), %r10", 64, BYTES(0x67, 0x4f, 0x8b, 0x54, 0x48, 0x10),
	  WANT(LOAD, 8, R10, LOW, 8, 0) },
	/* segment overrides */
	{ "mov %eax, %fs:0x10", 64, BYTES(0x64, 0x89, 0x04, 0x25, 0x10, 0x00, 0x00, 0x00),
	  WANT(STORE, 4, RAX, LOW, 4, 0) },
	{ "mov %gs:(%rax), %rax", 64, BYTES(0x65, 0x48, 0x8b, 0x00), WANT(LOAD, 8, RAX, LOW, 8, 0) },
	{ "mov %ecx, %es:(%rdi)", 64, BYTES(0x26, 0x89, 0x0f), WANT(STORE, 4, RCX, LOW, 4, 0) },
	/* prefix rules the assembler will not emit */
	{ "by hand: REX.W then 66: REX ignored, 16-bit", 64, BYTES(0x48, 0x66, 0x89, 0x00),
	  WANT(STORE, 2, RAX, LOW, 2, 0) },
	{ "by hand: REX then 66 with 88: REX ignored, so AH", 64, BYTES(0x40, 0x66, 0x88, 0x23),
	  WANT(STORE, 1, RSP, HIGH, 1, 0) },
	{ "by hand: REX.R then REX.W: only the last counts", 64, BYTES(0x44, 0x48, 0x89, 0x08),
	  WANT(STORE, 8, RCX, LOW, 8, 0) },
	{ "by hand: 66 then REX.W: REX.W wins", 64, BYTES(0x66, 0x48, 0x89, 0x00),
	  WANT(STORE, 8, RAX, LOW, 8, 0) },
	{ "by hand: lock, rep, repne, repeated 66 and segments", 64,
	  BYTES(0xf0, 0xf3, 0xf2, 0x66, 0x66, 0x2e, 0x3e, 0x36, 0x89, 0x00),
	  WANT(STORE, 2, RAX, LOW, 2, 0) },

	/* --- 64-bit mode: immediates ---------------------------------------------- */
	{ "movl $0x12345678, (%rax)", 64, BYTES(0xc7, 0x00, 0x78, 0x56, 0x34, 0x12),
	  WANT(STORE_IMM, 4, 0, LOW, 0, 0x12345678) },
	{ "movq $-1, 0x8(%rax)", 64, BYTES(0x48, 0xc7, 0x40, 0x08, 0xff, 0xff, 0xff, 0xff),
	  WANT(STORE_IMM, 8, 0, LOW, 0, 0xffffffffffffffffull) },
	{ "movq $0x7fffffff, (%rax)", 64, BYTES(0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0x7f),
	  WANT(STORE_IMM, 8, 0, LOW, 0, 0x7fffffff) },
	{ "movq $-0x80000000, (%r9)", 64, BYTES(0x49, 0xc7, 0x01, 0x00, 0x00, 0x00, 0x80),
	  WANT(STORE_IMM, 8, 0, LOW, 0, 0xffffffff80000000ull) },
	{ "movw $0xbeef, (%rax)", 64, BYTES(0x66, 0xc7, 0x00, 0xef, 0xbe), WANT(STORE_IMM, 2, 0, LOW, 0, 0xbeef) },
	{ "movb $0x80, (%rax)", 64, BYTES(0xc6, 0x00, 0x80), WANT(STORE_IMM, 1, 0, LOW, 0, 0x80) },
	{ "movb $0x5, 0x100(%rip)", 64, BYTES(0xc6, 0x05, 0x00, 0x01, 0x00, 0x00, 0x05),
	  WANT(STORE_IMM, 1, 0, LOW, 0, 5) },

	/* --- 64-bit mode: MOVZX, MOVSX, MOVSXD ---------------------------------- */
	{ "movzbl (%rax), %eax", 64, BYTES(0x0f, 0xb6, 0x00), WANT(LOAD_ZX, 1, RAX, LOW, 4, 0) },
	{ "movzwl (%rax), %r11d", 64, BYTES(0x44, 0x0f, 0xb7, 0x18), WANT(LOAD_ZX, 2, R11, LOW, 4, 0) },
	{ "movzbq (%rax), %rax", 64, BYTES(0x48, 0x0f, 0xb6, 0x00), WANT(LOAD_ZX, 1, RAX, LOW, 8, 0) },
	{ "movzbw (%rax), %ax", 64, BYTES(0x66, 0x0f, 0xb6, 0x00), WANT(LOAD_ZX, 1, RAX, LOW, 2, 0) },
	{ "movsbl 0x4(%rdx), %ecx", 64, BYTES(0x0f, 0xbe, 0x4a, 0x04), WANT(LOAD_SX, 1, RCX, LOW, 4, 0) },
	{ "movswq (%rax), %rdx", 64, BYTES(0x48, 0x0f, 0xbf, 0x10), WANT(LOAD_SX, 2, RDX, LOW, 8, 0) },
	{ "movsbq (%r10), %r14", 64, BYTES(0x4d, 0x0f, 0xbe, 0x32), WANT(LOAD_SX, 1, R14, LOW, 8, 0) },
	{ "movslq (%rax), %rdx", 64, BYTES(0x48, 0x63, 0x10), WANT(LOAD_SX, 4, RDX, LOW, 8, 0) },
	{ "movslq 0x20(%rsp), %r8", 64, BYTES(0x4c, 0x63, 0x44, 0x24, 0x20), WANT(LOAD_SX, 4, R8, LOW, 8, 0) },

	/* --- 64-bit mode: moffs (8 bytes, 4 with 67) ------------------------------ */
	{ "movabs 0x1122334455667788, %al", 64,
	  BYTES(0xa0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), WANT(LOAD_MOFFS, 1, RAX, LOW, 1, 0) },
	{ "movabs 0x1122334455667788, %rax", 64,
	  BYTES(0x48, 0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), WANT(LOAD_MOFFS, 8, RAX, LOW, 8, 0) },
	{ "movabs 0x1122334455667788, %ax", 64,
	  BYTES(0x66, 0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), WANT(LOAD_MOFFS, 2, RAX, LOW, 2, 0) },
	{ "movabs %eax, 0x1122334455667788", 64,
	  BYTES(0xa3, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), WANT(STORE_MOFFS, 4, RAX, LOW, 4, 0) },
	{ "movabs %al, 0x1122334455667788", 64,
	  BYTES(0xa2, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), WANT(STORE_MOFFS, 1, RAX, LOW, 1, 0) },
	{ "addr32 movabs 0x12345678, %eax", 64, BYTES(0x67, 0xa1, 0x78, 0x56, 0x34, 0x12),
	  WANT(LOAD_MOFFS, 4, RAX, LOW, 4, 0) },
	{ "by hand: REX.B on A1 changes nothing", 64,
	  BYTES(0x41, 0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), WANT(LOAD_MOFFS, 4, RAX, LOW, 4, 0) },

	/* --- 32-bit mode ------------------------------------------------------------ */
	{ "mov %eax, (%ebx)", 32, BYTES(0x89, 0x03), WANT(STORE, 4, RAX, LOW, 4, 0) },
	{ "mov %ax, 0x10(%ebx)", 32, BYTES(0x66, 0x89, 0x43, 0x10), WANT(STORE, 2, RAX, LOW, 2, 0) },
	{ "mov 0x1000(%ebp), %dh", 32, BYTES(0x8a, 0xb5, 0x00, 0x10, 0x00, 0x00), WANT(LOAD, 1, RSI, HIGH, 1, 0) },
	{ "mov %bh, -0x1(%ecx)", 32, BYTES(0x88, 0x79, 0xff), WANT(STORE, 1, RDI, HIGH, 1, 0) },
	{ "mov (%esp), %eax", 32, BYTES(0x8b, 0x04, 0x24), WANT(LOAD, 4, RAX, LOW, 4, 0) },
	{ "mov 0x12345678, %ecx (mod 00 rm 101: disp32, not RIP)", 32,
	  BYTES(0x8b, 0x0d, 0x78, 0x56, 0x34, 0x12), WANT(LOAD, 4, RCX, LOW, 4, 0) },
	{ "mov (%bx,%si), %ax (67: 16-bit addressing)", 32, BYTES(0x67, 0x66, 0x8b, 0x00),
	  WANT(LOAD, 2, RAX, LOW, 2, 0) },
	{ "mov 0x1234(%bp,%di), %edx", 32, BYTES(0x67, 0x8b, 0x93, 0x34, 0x12), WANT(LOAD, 4, RDX, LOW, 4, 0) },
	{ "mov %es:(%edi), %eax", 32, BYTES(0x26, 0x8b, 0x07), WANT(LOAD, 4, RAX, LOW, 4, 0) },
	{ "mov %eax, %ss:(%ebp)", 32, BYTES(0x89, 0x45, 0x00), WANT(STORE, 4, RAX, LOW, 4, 0) },
	{ "movl $1, 0x8(%esi,%edi,4)", 32, BYTES(0xc7, 0x44, 0xbe, 0x08, 0x01, 0x00, 0x00, 0x00),
	  WANT(STORE_IMM, 4, 0, LOW, 0, 1) },
	{ "movl $0xdeadbeef, 0x12345678(,%ebx,1)", 32,
	  BYTES(0xc7, 0x04, 0x1d, 0x78, 0x56, 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde),
	  WANT(STORE_IMM, 4, 0, LOW, 0, 0xdeadbeef) },
	{ "movw $0x1234, (%eax)", 32, BYTES(0x66, 0xc7, 0x00, 0x34, 0x12), WANT(STORE_IMM, 2, 0, LOW, 0, 0x1234) },
	{ "movb $0xff, (%ecx)", 32, BYTES(0xc6, 0x01, 0xff), WANT(STORE_IMM, 1, 0, LOW, 0, 0xff) },
	{ "movzwl (%eax), %eax", 32, BYTES(0x0f, 0xb7, 0x00), WANT(LOAD_ZX, 2, RAX, LOW, 4, 0) },
	{ "movzbl 0x20(%esp), %edi", 32, BYTES(0x0f, 0xb6, 0x7c, 0x24, 0x20), WANT(LOAD_ZX, 1, RDI, LOW, 4, 0) },
	{ "movsbw (%eax), %ax", 32, BYTES(0x66, 0x0f, 0xbe, 0x00), WANT(LOAD_SX, 1, RAX, LOW, 2, 0) },
	{ "movswl (%edx), %esi", 32, BYTES(0x0f, 0xbf, 0x32), WANT(LOAD_SX, 2, RSI, LOW, 4, 0) },
	{ "mov 0x12345678, %eax", 32, BYTES(0xa1, 0x78, 0x56, 0x34, 0x12), WANT(LOAD_MOFFS, 4, RAX, LOW, 4, 0) },
	{ "mov 0x12345678, %al", 32, BYTES(0xa0, 0x78, 0x56, 0x34, 0x12), WANT(LOAD_MOFFS, 1, RAX, LOW, 1, 0) },
	{ "mov %ax, 0x1234", 32, BYTES(0x66, 0xa3, 0x34, 0x12, 0x00, 0x00), WANT(STORE_MOFFS, 2, RAX, LOW, 2, 0) },
	{ "addr16 mov %al, 0x1234", 32, BYTES(0x67, 0xa2, 0x34, 0x12), WANT(STORE_MOFFS, 1, RAX, LOW, 1, 0) },

	/* --- 16-bit mode ------------------------------------------------------------ */
	{ "mov %ax, (%bx)", 16, BYTES(0x89, 0x07), WANT(STORE, 2, RAX, LOW, 2, 0) },
	{ "mov %al, (%si)", 16, BYTES(0x88, 0x04), WANT(STORE, 1, RAX, LOW, 1, 0) },
	{ "mov %ah, 0x10(%bx,%si)", 16, BYTES(0x88, 0x60, 0x10), WANT(STORE, 1, RSP, HIGH, 1, 0) },
	{ "mov 0x1234(%bp), %cx (mod 10: disp16)", 16, BYTES(0x8b, 0x8e, 0x34, 0x12), WANT(LOAD, 2, RCX, LOW, 2, 0) },
	{ "mov 0x1234, %dx (mod 00 rm 110: disp16)", 16, BYTES(0x8b, 0x16, 0x34, 0x12),
	  WANT(LOAD, 2, RDX, LOW, 2, 0) },
	{ "mov (%bp), %ax (mod 01: disp8)", 16, BYTES(0x8b, 0x46, 0x00), WANT(LOAD, 2, RAX, LOW, 2, 0) },
	{ "mov -0x2(%bp,%di), %bl", 16, BYTES(0x8a, 0x5b, 0xfe), WANT(LOAD, 1, RBX, LOW, 1, 0) },
	{ "mov %gs:(%bx,%di), %ch", 16, BYTES(0x65, 0x8a, 0x29), WANT(LOAD, 1, RBP, HIGH, 1, 0) },
	{ "mov %eax, (%bx) (66: 32-bit operand)", 16, BYTES(0x66, 0x89, 0x07), WANT(STORE, 4, RAX, LOW, 4, 0) },
	{ "mov %eax, (%eax) (67 66)", 16, BYTES(0x67, 0x66, 0x89, 0x00), WANT(STORE, 4, RAX, LOW, 4, 0) },
	{ "mov 0x12345678(,%eax,4), %ebx", 16, BYTES(0x67, 0x66, 0x8b, 0x1c, 0x85, 0x78, 0x56, 0x34, 0x12),
	  WANT(LOAD, 4, RBX, LOW, 4, 0) },
	{ "mov (%esp), %si", 16, BYTES(0x67, 0x8b, 0x34, 0x24), WANT(LOAD, 2, RSI, LOW, 2, 0) },
	{ "movw $0x1234, (%di)", 16, BYTES(0xc7, 0x05, 0x34, 0x12), WANT(STORE_IMM, 2, 0, LOW, 0, 0x1234) },
	{ "movl $0x12345678, (%di)", 16, BYTES(0x66, 0xc7, 0x05, 0x78, 0x56, 0x34, 0x12),
	  WANT(STORE_IMM, 4, 0, LOW, 0, 0x12345678) },
	{ "movb $0x5, %es:(%di)", 16, BYTES(0x26, 0xc6, 0x05, 0x05), WANT(STORE_IMM, 1, 0, LOW, 0, 5) },
	{ "movzbw (%bx), %ax", 16, BYTES(0x0f, 0xb6, 0x07), WANT(LOAD_ZX, 1, RAX, LOW, 2, 0) },
	{ "movzbl (%bx), %eax", 16, BYTES(0x66, 0x0f, 0xb6, 0x07), WANT(LOAD_ZX, 1, RAX, LOW, 4, 0) },
	{ "movswl (%bx), %eax", 16, BYTES(0x66, 0x0f, 0xbf, 0x07), WANT(LOAD_SX, 2, RAX, LOW, 4, 0) },
	{ "movsbw 0x7(%bx), %sp (no high byte: the register is 16-bit)", 16, BYTES(0x0f, 0xbe, 0x67, 0x07),
	  WANT(LOAD_SX, 1, RSP, LOW, 2, 0) },
	{ "mov 0x1234, %ax", 16, BYTES(0xa1, 0x34, 0x12), WANT(LOAD_MOFFS, 2, RAX, LOW, 2, 0) },
	{ "mov 0x1234, %al", 16, BYTES(0xa0, 0x34, 0x12), WANT(LOAD_MOFFS, 1, RAX, LOW, 1, 0) },
	{ "mov %al, 0x10", 16, BYTES(0xa2, 0x10, 0x00), WANT(STORE_MOFFS, 1, RAX, LOW, 1, 0) },
	{ "mov %ax, 0x1234", 16, BYTES(0xa3, 0x34, 0x12), WANT(STORE_MOFFS, 2, RAX, LOW, 2, 0) },
	{ "mov %fs:0x10, %ax", 16, BYTES(0x64, 0xa1, 0x10, 0x00), WANT(LOAD_MOFFS, 2, RAX, LOW, 2, 0) },
	{ "addr32 mov 0x12345678, %eax", 16, BYTES(0x67, 0x66, 0xa1, 0x78, 0x56, 0x34, 0x12),
	  WANT(LOAD_MOFFS, 4, RAX, LOW, 4, 0) },

	/* --- OR, AND, XOR, CMP, TEST on memory (rows 08-3B, groups 80/81/83 and F6/F7, 84/85) --- */
	/* --- XCHG (86, 87), STOS (AA, AB), MOVS (A4, A5), with REP and 66/67/REX.W ------------ */
	{ "orl %eax, (%rbx)", 64, BYTES(0x09, 0x03), ALU(OR, 1, 4, RAX, 4, LOW) },
	{ "or %cl, (%rbx)", 64, BYTES(0x08, 0x0b), ALU(OR, 1, 1, RCX, 1, LOW) },
	{ "or (%rbx), %ah", 64, BYTES(0x0a, 0x23), ALU(OR, 0, 1, RSP, 1, HIGH) },
	{ "or 0x10(%rsi), %r10", 64, BYTES(0x4c, 0x0b, 0x56, 0x10), ALU(OR, 0, 8, R10, 8, LOW) },
	{ "andl %edx, 0x8(%rdi)", 64, BYTES(0x21, 0x57, 0x08), ALU(AND, 1, 4, RDX, 4, LOW) },
	{ "and %r8b, (%rax)", 64, BYTES(0x44, 0x20, 0x00), ALU(AND, 1, 1, R8, 1, LOW) },
	{ "and (%rax), %si", 64, BYTES(0x66, 0x23, 0x30), ALU(AND, 0, 2, RSI, 2, LOW) },
	{ "and (%rax), %r9d", 64, BYTES(0x44, 0x23, 0x08), ALU(AND, 0, 4, R9, 4, LOW) },
	{ "xor %rax, (%rcx)", 64, BYTES(0x48, 0x31, 0x01), ALU(XOR, 1, 8, RAX, 8, LOW) },
	{ "xor %dl, (%rcx)", 64, BYTES(0x30, 0x11), ALU(XOR, 1, 1, RDX, 1, LOW) },
	{ "xor (%rcx), %bl", 64, BYTES(0x32, 0x19), ALU(XOR, 0, 1, RBX, 1, LOW) },
	{ "xor (%rcx), %ebp", 64, BYTES(0x33, 0x29), ALU(XOR, 0, 4, RBP, 4, LOW) },
	{ "cmp %eax, (%rdx)", 64, BYTES(0x39, 0x02), ALU(CMP, 1, 4, RAX, 4, LOW) },
	{ "cmp %bh, (%rdx)", 64, BYTES(0x38, 0x3a), ALU(CMP, 1, 1, RDI, 1, HIGH) },
	{ "cmp (%rdx), %al", 64, BYTES(0x3a, 0x02), ALU(CMP, 0, 1, RAX, 1, LOW) },
	{ "cmp (%rdx), %r15", 64, BYTES(0x4c, 0x3b, 0x3a), ALU(CMP, 0, 8, R15, 8, LOW) },
	{ "orb $0x81, (%rax)", 64, BYTES(0x80, 0x08, 0x81), ALUI(OR, 1, 0x81, 1) },
	{ "orl $0x12345678, 0x4(%rax)", 64, BYTES(0x81, 0x48, 0x04, 0x78, 0x56, 0x34, 0x12), ALUI(OR, 4, 0x12345678, 4) },
	{ "orl $0x1, (%rax)", 64, BYTES(0x83, 0x08, 0x01), ALUI(OR, 4, 1, 1) },
	{ "andl $0xfffffff0, (%rax)", 64, BYTES(0x83, 0x20, 0xf0), ALUI(AND, 4, 0xfffffff0, 1) },
	{ "andq $-0x10, (%rax)", 64, BYTES(0x48, 0x83, 0x20, 0xf0), ALUI(AND, 8, 0xfffffffffffffff0ull, 1) },
	{ "andq $0x7fff0000, (%r11)", 64, BYTES(0x49, 0x81, 0x23, 0x00, 0x00, 0xff, 0x7f), ALUI(AND, 8, 0x7fff0000, 4) },
	{ "andq $-0x80000000, (%rax)", 64, BYTES(0x48, 0x81, 0x20, 0x00, 0x00, 0x00, 0x80), ALUI(AND, 8, 0xffffffff80000000ull, 4) },
	{ "andw $0xff7f, (%rax)", 64, BYTES(0x66, 0x81, 0x20, 0x7f, 0xff), ALUI(AND, 2, 0xff7f, 2) },
	{ "andw $-2, (%rax)", 64, BYTES(0x66, 0x83, 0x20, 0xfe), ALUI(AND, 2, 0xfffe, 1) },
	{ "xorb $0x1, 0x12345678(%rip)", 64, BYTES(0x80, 0x35, 0x78, 0x56, 0x34, 0x12, 0x01), ALUI(XOR, 1, 1, 1) },
	{ "xorl $0x80000000, (%rax)", 64, BYTES(0x81, 0x30, 0x00, 0x00, 0x00, 0x80), ALUI(XOR, 4, 0x80000000, 4) },
	{ "cmpb $0x5, (%rax)", 64, BYTES(0x80, 0x38, 0x05), ALUI(CMP, 1, 5, 1) },
	{ "cmpl $-1, (%rax)", 64, BYTES(0x83, 0x38, 0xff), ALUI(CMP, 4, 0xffffffff, 1) },
	{ "cmpq $0x100, 0x8(%rax,%rbx,8)", 64, BYTES(0x48, 0x81, 0x7c, 0xd8, 0x08, 0x00, 0x01, 0x00, 0x00), ALUI(CMP, 8, 0x100, 4) },
	{ "test %eax, (%rbx)", 64, BYTES(0x85, 0x03), ALU(TEST, 1, 4, RAX, 4, LOW) },
	{ "test %r12b, (%rbx)", 64, BYTES(0x44, 0x84, 0x23), ALU(TEST, 1, 1, R12, 1, LOW) },
	{ "test %rcx, (%rbx)", 64, BYTES(0x48, 0x85, 0x0b), ALU(TEST, 1, 8, RCX, 8, LOW) },
	{ "testb $0x80, (%rax)", 64, BYTES(0xf6, 0x00, 0x80), ALUI(TEST, 1, 0x80, 1) },
	{ "testl $0x10000, 0x10(%rax)", 64, BYTES(0xf7, 0x40, 0x10, 0x00, 0x00, 0x01, 0x00), ALUI(TEST, 4, 0x10000, 4) },
	{ "testw $0x8000, (%rax)", 64, BYTES(0x66, 0xf7, 0x00, 0x00, 0x80), ALUI(TEST, 2, 0x8000, 2) },
	{ "testq $-1, (%rax)", 64, BYTES(0x48, 0xf7, 0x00, 0xff, 0xff, 0xff, 0xff), ALUI(TEST, 8, 0xffffffffffffffffull, 4) },
	{ "xchg %eax, (%rbx)", 64, BYTES(0x87, 0x03), XCHG(4, RAX, LOW) },
	{ "xchg %rdx, (%rbx)", 64, BYTES(0x48, 0x87, 0x13), XCHG(8, RDX, LOW) },
	{ "xchg %ch, (%rbx)", 64, BYTES(0x86, 0x2b), XCHG(1, RBP, HIGH) },
	{ "xchg %r13w, (%rbx)", 64, BYTES(0x66, 0x44, 0x87, 0x2b), XCHG(2, 13, LOW) },
	{ "lock xchg %eax, (%rbx)", 64, BYTES(0xf0, 0x87, 0x03), XCHG(4, RAX, LOW) },
	{ "stosb", 64, BYTES(0xaa), STOS(1, 0, 8) },
	{ "stosl", 64, BYTES(0xab), STOS(4, 0, 8) },
	{ "stosq", 64, BYTES(0x48, 0xab), STOS(8, 0, 8) },
	{ "stosw", 64, BYTES(0x66, 0xab), STOS(2, 0, 8) },
	{ "rep stosb", 64, BYTES(0xf3, 0xaa), STOS(1, 1, 8) },
	{ "rep stosq", 64, BYTES(0xf3, 0x48, 0xab), STOS(8, 1, 8) },
	{ "addr32 rep stosl", 64, BYTES(0x67, 0xf3, 0xab), STOS(4, 1, 4) },
	{ "movsb", 64, BYTES(0xa4), MOVS(1, 0, 8) },
	{ "movsl", 64, BYTES(0xa5), MOVS(4, 0, 8) },
	{ "movsq", 64, BYTES(0x48, 0xa5), MOVS(8, 0, 8) },
	{ "rep movsb", 64, BYTES(0xf3, 0xa4), MOVS(1, 1, 8) },
	{ "rep movsq", 64, BYTES(0xf3, 0x48, 0xa5), MOVS(8, 1, 8) },
	{ "rep movsw", 64, BYTES(0x66, 0xf3, 0xa5), MOVS(2, 1, 8) },
	{ "rep movsl %fs:(%rsi), %es:(%rdi)", 64, BYTES(0x64, 0xf3, 0xa5), MOVS(4, 1, 8) },
	{ "or %eax, (%ebx)", 32, BYTES(0x09, 0x03), ALU(OR, 1, 4, RAX, 4, LOW) },
	{ "and (%ebx), %cx", 32, BYTES(0x66, 0x23, 0x0b), ALU(AND, 0, 2, RCX, 2, LOW) },
	{ "xorb $0xff, 0x10(%esi)", 32, BYTES(0x80, 0x76, 0x10, 0xff), ALUI(XOR, 1, 0xff, 1) },
	{ "cmpw $-1, (%eax)", 32, BYTES(0x66, 0x83, 0x38, 0xff), ALUI(CMP, 2, 0xffff, 1) },
	{ "cmpl $0x12345678, 0x12345678", 32, BYTES(0x81, 0x3d, 0x78, 0x56, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12), ALUI(CMP, 4, 0x12345678, 4) },
	{ "test %dh, (%ecx)", 32, BYTES(0x84, 0x31), ALU(TEST, 1, 1, RSI, 1, HIGH) },
	{ "xchg %esi, (%edi)", 32, BYTES(0x87, 0x37), XCHG(4, RSI, LOW) },
	{ "rep stosl", 32, BYTES(0xf3, 0xab), STOS(4, 1, 4) },
	{ "rep movsb", 32, BYTES(0xf3, 0xa4), MOVS(1, 1, 4) },
	{ "movsw", 32, BYTES(0x66, 0xa5), MOVS(2, 0, 4) },
	{ "addr16 rep stosb", 32, BYTES(0x67, 0xf3, 0xaa), STOS(1, 1, 2) },
	{ "or %ax, (%bx)", 16, BYTES(0x09, 0x07), ALU(OR, 1, 2, RAX, 2, LOW) },
	{ "and (%si), %dl", 16, BYTES(0x22, 0x14), ALU(AND, 0, 1, RDX, 1, LOW) },
	{ "orw $0x1234, 0x10(%bp,%di)", 16, BYTES(0x81, 0x4b, 0x10, 0x34, 0x12), ALUI(OR, 2, 0x1234, 2) },
	{ "andl $0x7f, (%bx)", 16, BYTES(0x66, 0x83, 0x27, 0x7f), ALUI(AND, 4, 0x7f, 1) },
	{ "cmpb $0x1, 0x1234", 16, BYTES(0x80, 0x3e, 0x34, 0x12, 0x01), ALUI(CMP, 1, 1, 1) },
	{ "testw $0x1, (%di)", 16, BYTES(0xf7, 0x05, 0x01, 0x00), ALUI(TEST, 2, 1, 2) },
	{ "xchg %al, (%bx)", 16, BYTES(0x86, 0x07), XCHG(1, RAX, LOW) },
	{ "rep stosw", 16, BYTES(0xf3, 0xab), STOS(2, 1, 2) },
	{ "rep movsb", 16, BYTES(0xf3, 0xa4), MOVS(1, 1, 2) },
	{ "rep movsl", 16, BYTES(0x66, 0xf3, 0xa5), MOVS(4, 1, 2) },
	{ "addr32 rep movsb", 16, BYTES(0x67, 0xf3, 0xa4), MOVS(1, 1, 4) },
	{ "by hand: 11 prefixes, exactly 15 bytes", 32,
	  BYTES(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0xc7, 0x00, 0x34, 0x12),
	  WANT(STORE_IMM, 2, 0, LOW, 0, 0x1234) },
};

static char err[ERR_MAX];

/* Decode from a buffer of exactly avail bytes, so ASan catches any overread. */
static int
decode(const uint8_t *bytes, size_t avail, int mode, struct decoded_insn *out)
{
	uint8_t *copy = malloc(avail);
	int r;

	if (avail)
		assert_non_null(copy);
	if (avail)
		memcpy(copy, bytes, avail);
	memset(err, 'X', sizeof(err));
	r = decode_insn(copy, avail, mode, out, err, sizeof(err));
	free(copy);
	assert_non_null(memchr(err, '\0', sizeof(err)));
	return r;
}

static void
bad(int mode, const uint8_t *bytes, size_t avail, const char *want)
{
	struct decoded_insn d;

	assert_int_equal(decode(bytes, avail, mode, &d), -1);
	assert_string_equal(err, want);
}

#define BAD(mode, want, ...) \
	bad(mode, (const uint8_t[]){ __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), want)

static void
test_table(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(goods); i++) {
		const struct good *g = &goods[i];
		struct decoded_insn d;
		uint8_t longer[DECODE_INSN_MAX + 4];

		if (decode(g->bytes, g->n, g->mode, &d) != 0)
			fail_msg("%s (mode %d): %s", g->src, g->mode, err);
		if (d.length != g->n || d.op != g->op || d.mem_size != g->mem_size || d.reg != g->reg ||
		    d.reg_high_byte != g->high || d.reg_size != g->reg_size || d.imm != g->imm ||
		    d.alu != g->alu || d.mem_first != g->mem_first || d.rep != g->rep ||
		    (g->imm_size && d.imm_size != g->imm_size) || (g->addr_size && d.addr_size != g->addr_size))
			fail_msg("%s (mode %d): got length %u op %s mem %u reg %u%s size %u imm %#llx (%u bytes) "
				 "alu %s%s%s addr %u, "
				 "want length %zu op %s mem %u reg %u%s size %u imm %#llx (%u bytes) alu %s%s%s addr %u",
				 g->src, g->mode, d.length, decode_op_name(d.op), d.mem_size, d.reg,
				 d.reg_high_byte ? " (high)" : "", d.reg_size, (unsigned long long)d.imm, d.imm_size,
				 decode_alu_name(d.alu), d.mem_first ? " mem-first" : "", d.rep ? " rep" : "", d.addr_size,
				 g->n, decode_op_name(g->op), g->mem_size, g->reg, g->high ? " (high)" : "",
				 g->reg_size, (unsigned long long)g->imm, g->imm_size, decode_alu_name(g->alu),
				 g->mem_first ? " mem-first" : "", g->rep ? " rep" : "", g->addr_size);

		/* bytes after the instruction are not part of it */
		memset(longer, 0xcc, sizeof(longer));
		memcpy(longer, g->bytes, g->n);
		assert_int_equal(decode(longer, sizeof(longer), g->mode, &d), 0);
		assert_int_equal(d.length, g->n);

		/* cut short anywhere, it is truncated */
		for (size_t cut = 0; cut < g->n; cut++) {
			if (decode(g->bytes, cut, g->mode, &d) != -1 || strncmp(err, "truncated: ", 11) != 0)
				fail_msg("%s cut to %zu bytes: %s", g->src, cut, err);
		}
	}
}

static void
test_byte_registers(void **state)
{
	struct decoded_insn d;

	/* 88 /r for each reg field, with and without REX: 4-7 are AH..BH only without */
	for (unsigned reg = 0; reg < 8; reg++) {
		uint8_t plain[] = { 0x88, (uint8_t)(reg << 3) };
		uint8_t rex[] = { 0x40, 0x88, (uint8_t)(reg << 3) };
		uint8_t rexr[] = { 0x44, 0x8a, (uint8_t)(reg << 3) };

		assert_int_equal(decode(plain, sizeof(plain), 64, &d), 0);
		assert_int_equal(d.reg, reg);
		assert_int_equal(d.reg_high_byte, reg >= 4);
		assert_int_equal(decode(plain, sizeof(plain), 16, &d), 0);
		assert_int_equal(d.reg_high_byte, reg >= 4);
		assert_int_equal(decode(rex, sizeof(rex), 64, &d), 0);
		assert_int_equal(d.reg, reg);
		assert_false(d.reg_high_byte);
		assert_int_equal(decode(rexr, sizeof(rexr), 64, &d), 0);
		assert_int_equal(d.op, DECODE_LOAD);
		assert_int_equal(d.reg, reg + 8);
		assert_false(d.reg_high_byte);
	}
}

static void
test_register_operand(void **state)
{
	BAD(64, "ModRM 0xc0 names a register, not memory", 0x89, 0xc0);
	BAD(64, "ModRM 0xd8 names a register, not memory", 0x48, 0x8b, 0xd8);
	BAD(32, "ModRM 0xe0 names a register, not memory", 0x88, 0xe0);
	BAD(16, "ModRM 0xc1 names a register, not memory", 0x0f, 0xb6, 0xc1);
	BAD(64, "ModRM 0xc2 names a register, not memory", 0x48, 0x63, 0xc2);
	/* movl $1, %eax as C7 /0 with a register: the immediate is never needed */
	BAD(32, "ModRM 0xc0 names a register, not memory", 0xc7, 0xc0);
	BAD(64, "ModRM 0xc1 names a register, not memory", 0xc6, 0xc1, 0x05);
}

static void
test_unknown_opcode(void **state)
{
	BAD(64, "opcode 0x0f 0x05 is not a memory-operand instruction this decoder knows", 0x0f, 0x05);
	BAD(64, "opcode 0x90 is not a memory-operand instruction this decoder knows", 0x90);
	BAD(32, "opcode 0x01 is not a memory-operand instruction this decoder knows", 0x01, 0x03);
	/* 48 is DEC EAX outside 64-bit mode, not REX */
	BAD(32, "opcode 0x48 is not a memory-operand instruction this decoder knows", 0x48, 0x89, 0x07);
	BAD(16, "opcode 0x40 is not a memory-operand instruction this decoder knows", 0x40, 0x88, 0x23);
	/* C6/C7 other than /0: C7 /1 is undefined, C7 F8 is XBEGIN */
	BAD(64, "opcode 0xc7 /1 is not a memory-operand instruction this decoder knows", 0xc7, 0x08, 0, 0, 0, 0);
	BAD(64, "opcode 0xc7 /7 is not a memory-operand instruction this decoder knows", 0xc7, 0xf8, 0, 0, 0, 0);
	BAD(32, "opcode 0xc6 /2 is not a memory-operand instruction this decoder knows", 0xc6, 0x10, 0);
	/* 63 is ARPL outside 64-bit mode; MOVSXD without REX.W is not taken */
	BAD(32, "opcode 0x63 is ARPL outside 64-bit mode, not a memory-operand instruction this decoder knows",
	    0x63, 0x10);
	BAD(64, "opcode 0x63 without REX.W (MOVSXD r16/r32, r/m) is not decoded: only MOVSXD r64, r/m32 is",
	    0x63, 0x10);
	BAD(64, "opcode 0x63 without REX.W (MOVSXD r16/r32, r/m) is not decoded: only MOVSXD r64, r/m32 is",
	    0x48, 0x66, 0x63, 0x10);
	/* VEX is not known */
	BAD(64, "opcode 0xc5 is not a memory-operand instruction this decoder knows", 0xc5, 0xf9, 0x7e, 0x00);
	BAD(8, "mode 8 is not 16, 32 or 64", 0x89, 0x07);
}

/* Groups 1 and 3 beyond OR/AND/XOR/CMP/TEST, the ALU forms without memory, and registers */
static void
test_alu_rejects(void **state)
{
	const char *const g = "(of groups 1 and 3 only OR, AND, XOR, CMP and TEST are)";
	char want[ERR_MAX];

	/* addl $1, (%rax); adcb $1, (%rax); subq $1, (%rax); sbbw $1, (%rax) */
	snprintf(want, sizeof(want), "opcode 0x83 /0 is not a memory-operand instruction this decoder knows %s", g);
	BAD(64, want, 0x83, 0x00, 0x01);
	snprintf(want, sizeof(want), "opcode 0x80 /2 is not a memory-operand instruction this decoder knows %s", g);
	BAD(64, want, 0x80, 0x10, 0x01);
	snprintf(want, sizeof(want), "opcode 0x83 /5 is not a memory-operand instruction this decoder knows %s", g);
	BAD(64, want, 0x48, 0x83, 0x28, 0x01);
	snprintf(want, sizeof(want), "opcode 0x81 /3 is not a memory-operand instruction this decoder knows %s", g);
	BAD(16, want, 0x81, 0x1f, 0x01, 0x00);
	/* notl (%rax), negb (%rax), mull (%rax), divl (%rax); F7 /1 (an alias of TEST) is not taken */
	snprintf(want, sizeof(want), "opcode 0xf7 /2 is not a memory-operand instruction this decoder knows %s", g);
	BAD(64, want, 0xf7, 0x10);
	snprintf(want, sizeof(want), "opcode 0xf6 /3 is not a memory-operand instruction this decoder knows %s", g);
	BAD(64, want, 0xf6, 0x18);
	snprintf(want, sizeof(want), "opcode 0xf7 /4 is not a memory-operand instruction this decoder knows %s", g);
	BAD(32, want, 0xf7, 0x20);
	snprintf(want, sizeof(want), "opcode 0xf7 /1 is not a memory-operand instruction this decoder knows %s", g);
	BAD(32, want, 0xf7, 0x08, 1, 0, 0, 0);
	/* or $1, %al (0C), and $1, %eax (25), cmp $1, %al (3C), test $1, %al (A8): no memory operand */
	BAD(64, "opcode 0x0c is not a memory-operand instruction this decoder knows", 0x0c, 0x01);
	BAD(64, "opcode 0x25 is not a memory-operand instruction this decoder knows", 0x25, 1, 0, 0, 0);
	BAD(64, "opcode 0x3c is not a memory-operand instruction this decoder knows", 0x3c, 0x01);
	BAD(64, "opcode 0xa8 is not a memory-operand instruction this decoder knows", 0xa8, 0x01);
	/* 82 (group 1, byte, invalid in 64-bit mode) is not taken in any mode */
	BAD(32, "opcode 0x82 is not a memory-operand instruction this decoder knows", 0x82, 0x08, 0x01);
	/* or %eax, %ebx; xchg %eax, %ebx; testb $1, %al (F6 C0): registers */
	BAD(64, "ModRM 0xc3 names a register, not memory", 0x09, 0xc3);
	BAD(64, "ModRM 0xd8 names a register, not memory", 0x87, 0xd8);
	BAD(64, "ModRM 0xc0 names a register, not memory", 0xf6, 0xc0, 0x01);
	/* the group's operation is checked before the register: addl $1, %eax */
	snprintf(want, sizeof(want), "opcode 0x83 /0 is not a memory-operand instruction this decoder knows %s", g);
	BAD(64, want, 0x83, 0xc0, 0x01);
	/* cut in the immediate */
	BAD(64, "truncated: needs 7 bytes, 6 available", 0x81, 0x48, 0x04, 0x78, 0x56, 0x34);
}

/* STOS and MOVS: REP, REPNE, the segment override and the sizes */
static void
test_string_prefixes(void **state)
{
	struct decoded_insn d;

	/* rep movsl %fs:(%rsi), %es:(%rdi): the source segment is reported */
	assert_int_equal(decode((const uint8_t[]){ 0x64, 0xf3, 0xa5 }, 3, 64, &d), 0);
	assert_int_equal(d.seg, DECODE_SEG_FS);
	assert_true(d.rep);
	/* no override */
	assert_int_equal(decode((const uint8_t[]){ 0xa4 }, 1, 32, &d), 0);
	assert_int_equal(d.seg, DECODE_SEG_NONE);
	assert_false(d.rep);
	assert_int_equal(d.length, 1);
	/* by hand: of F2 and F3 the last counts */
	assert_int_equal(decode((const uint8_t[]){ 0xf2, 0xf3, 0xaa }, 3, 64, &d), 0);
	assert_true(d.rep);
	BAD(64, "REPNE (0xf2) with opcode 0xaa (STOS) is not decoded: only REP (0xf3) is", 0xf3, 0xf2, 0xaa);
	BAD(16, "REPNE (0xf2) with opcode 0xa5 (MOVS) is not decoded: only REP (0xf3) is", 0xf2, 0xa5);
	/* by hand: 66 and REX.W: REX.W wins (8 bytes); a REX before 66 is ignored (2 bytes) */
	assert_int_equal(decode((const uint8_t[]){ 0x66, 0x48, 0xab }, 3, 64, &d), 0);
	assert_int_equal(d.mem_size, 8);
	assert_int_equal(decode((const uint8_t[]){ 0x48, 0x66, 0xab }, 3, 64, &d), 0);
	assert_int_equal(d.mem_size, 2);
	/* 16-bit mode, 66 67: 32-bit elements and 32-bit rCX/rSI/rDI */
	assert_int_equal(decode((const uint8_t[]){ 0x66, 0x67, 0xf3, 0xa5 }, 4, 16, &d), 0);
	assert_int_equal(d.mem_size, 4);
	assert_int_equal(d.addr_size, 4);
	/* the last segment override counts, for every instruction */
	assert_int_equal(decode((const uint8_t[]){ 0x26, 0x65, 0x89, 0x00 }, 4, 64, &d), 0);
	assert_int_equal(d.seg, DECODE_SEG_GS);
	assert_int_equal(d.addr_size, 8);
}

/* movq $0xdeadbeef (sign-extended), %gs:0x12345678(%rax,%rcx,8): 13 bytes */
static const uint8_t long_insn[] = {
	0x65, 0x48, 0xc7, 0x84, 0xc8, 0x78, 0x56, 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde,
};

static void
test_truncated_at_every_byte(void **state)
{
	struct decoded_insn d;
	char want[ERR_MAX];

	assert_int_equal(decode(long_insn, sizeof(long_insn), 64, &d), 0);
	assert_int_equal(d.length, sizeof(long_insn));
	assert_int_equal(d.op, DECODE_STORE_IMM);
	assert_int_equal(d.mem_size, 8);
	assert_int_equal(d.imm, 0xffffffffdeadbeefull);

	/* prefixes, opcode, ModRM, SIB: only a lower bound is known until the SIB is read */
	for (size_t avail = 0; avail < sizeof(long_insn); avail++) {
		if (avail < 5)
			snprintf(want, sizeof(want), "truncated: needs at least %zu bytes, %zu available", avail + 1, avail);
		else
			snprintf(want, sizeof(want), "truncated: needs 13 bytes, %zu available", avail);
		bad(64, long_insn, avail, want);
	}

	BAD(64, "truncated: needs at least 3 bytes, 2 available", 0x0f, 0xb6);
	BAD(16, "truncated: needs 4 bytes, 3 available", 0x8b, 0x16, 0x34);
	BAD(64, "truncated: needs 10 bytes, 9 available", 0x48, 0xa1, 1, 2, 3, 4, 5, 6, 7);
	BAD(64, "truncated: needs 7 bytes, 4 available", 0xc7, 0x40, 0x08, 0x78);
}

static void
test_fifteen_byte_limit(void **state)
{
	uint8_t b[24];

	/* 14 prefixes + 89 00: 16 bytes */
	memset(b, 0x66, sizeof(b));
	b[14] = 0x89;
	b[15] = 0x00;
	bad(32, b, 16, "instruction longer than 15 bytes");

	/* 15 prefixes: the opcode would be byte 16, whatever follows */
	memset(b, 0x2e, sizeof(b));
	bad(64, b, sizeof(b), "instruction longer than 15 bytes");
	bad(64, b, 15, "instruction longer than 15 bytes");
	bad(64, b, 14, "truncated: needs at least 15 bytes, 14 available");

	/* 10 prefixes + C7 ModRM SIB disp32 imm32: 21 bytes, known too long at the SIB */
	memset(b, 0x3e, 10);
	memcpy(b + 10, long_insn + 2, sizeof(long_insn) - 2);
	bad(32, b, 21, "instruction longer than 15 bytes");
	bad(32, b, 13, "instruction longer than 15 bytes");

	/* REX.W C7 with 12 prefixes: 12 + 1 + 6 = 19 */
	memset(b, 0xf3, 12);
	memcpy(b + 12, (uint8_t[]){ 0x48, 0xc7, 0x00, 1, 2, 3, 4 }, 7);
	bad(64, b, 19, "instruction longer than 15 bytes");
}

static void
test_error_buffer(void **state)
{
	const uint8_t nop[] = { 0x90 };
	struct decoded_insn d;
	char small[8];

	memset(small, 'X', sizeof(small));
	assert_int_equal(decode_insn(nop, sizeof(nop), 64, &d, small, sizeof(small)), -1);
	assert_string_equal(small, "opcode ");
	assert_int_equal(decode_insn(nop, sizeof(nop), 64, &d, NULL, 0), -1);
	assert_int_equal(decode_insn(nop, 0, 64, &d, small, 0), -1);
	assert_string_equal(small, "opcode ");

	/* success leaves an empty message */
	memset(small, 'X', sizeof(small));
	assert_int_equal(decode_insn((const uint8_t[]){ 0x89, 0x07 }, 2, 16, &d, small, sizeof(small)), 0);
	assert_string_equal(small, "");
	assert_string_equal(decode_op_name(DECODE_STORE_MOFFS), "store-moffs");
	assert_string_equal(decode_op_name((enum decode_op)0), "?");
}

/* --- fuzz ------------------------------------------------------------------ */

static struct fake_random rng = { 0x243F6A8885A308D3ull };

/* Bytes that matter to the decoder, so random strings are often instructions. */
static const uint8_t interesting[] = {
	0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
	0x40, 0x41, 0x44, 0x48, 0x4c, 0x4f,
	0x88, 0x89, 0x8a, 0x8b, 0xc6, 0xc7, 0x63, 0xa0, 0xa1, 0xa2, 0xa3, 0x0f, 0xb6, 0xb7, 0xbe, 0xbf,
	0x08, 0x0b, 0x20, 0x23, 0x30, 0x33, 0x38, 0x3b, 0x80, 0x81, 0x83, 0x84, 0x85, 0xf6, 0xf7,
	0x86, 0x87, 0xa4, 0xa5, 0xaa, 0xab,
	0x04, 0x05, 0x06, 0x0c, 0x44, 0x84, 0x24, 0x25, 0x45, 0x85, 0xc0,
};

/*
 * Random strings of 0..20 bytes (fixed seed, so a failure repeats), each in
 * an exact-size buffer and decoded in all three modes. A success says
 * 1 <= length <= min(avail, 15) with sane fields, and decoding exactly
 * length bytes gives the same answer while one byte fewer is truncated.
 * A failure always says why.
 */
static void
test_fuzz(void **state)
{
	static const int modes[] = { 16, 32, 64 };
	unsigned ok = 0;

	for (unsigned it = 0; it < FUZZ_ITERATIONS; it++) {
		uint8_t b[FUZZ_LEN_MAX];
		size_t len = fake_random_next(&rng) % (FUZZ_LEN_MAX + 1);
		bool biased = fake_random_next(&rng) % 4 != 0;

		for (size_t i = 0; i < len; i++) {
			uint64_t r = fake_random_next(&rng);

			b[i] = biased && r % 2 ? interesting[(r >> 8) % ARRAY_SIZE(interesting)] : (uint8_t)(r >> 16);
		}
		for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
			struct decoded_insn d, again;

			if (decode(b, len, modes[m], &d) != 0) {
				assert_true(err[0] != '\0');
				continue;
			}
			ok++;
			assert_true(d.length >= 1 && d.length <= len && d.length <= DECODE_INSN_MAX);
			assert_true(d.op >= DECODE_STORE && d.op <= DECODE_MOVS);
			assert_true(d.mem_size == 1 || d.mem_size == 2 || d.mem_size == 4 || d.mem_size == 8);
			assert_true(d.addr_size == 2 || d.addr_size == 4 || d.addr_size == 8);
			assert_true(d.reg < 16);
			if (d.reg_high_byte)
				assert_true(d.reg >= 4 && d.reg <= 7 && d.reg_size == 1);
			assert_true((d.op == DECODE_ALU) == (d.alu != DECODE_ALU_NONE));
			assert_true(d.imm_size <= 4 && d.imm_size <= d.mem_size);
			if (d.op == DECODE_STORE_IMM || d.op == DECODE_MOVS || d.imm_size)
				assert_int_equal(d.reg_size, 0);
			else
				assert_true(d.reg_size >= d.mem_size || d.op == DECODE_LOAD_ZX || d.op == DECODE_LOAD_SX);
			if (d.mem_size < 8)
				assert_true(d.imm < (1ull << (8 * d.mem_size)));
			if (d.op != DECODE_STOS && d.op != DECODE_MOVS)
				assert_false(d.rep);

			assert_int_equal(decode(b, d.length, modes[m], &again), 0);
			assert_memory_equal(&d, &again, sizeof(d));
			assert_int_equal(decode(b, d.length - 1u, modes[m], &again), -1);
			assert_int_equal(strncmp(err, "truncated: ", 11), 0);
		}
	}
	/* the bias makes a fair share decode; if not, the loop tests little */
	assert_true(ok > FUZZ_ITERATIONS / 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_byte_registers),
		cmocka_unit_test(test_register_operand),
		cmocka_unit_test(test_unknown_opcode),
		cmocka_unit_test(test_alu_rejects),
		cmocka_unit_test(test_string_prefixes),
		cmocka_unit_test(test_truncated_at_every_byte),
		cmocka_unit_test(test_fifteen_byte_limit),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
