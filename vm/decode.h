/*
 * vm/decode.h: decoding the x86 instruction a guest used to touch an
 * emulated device's memory (an EPT violation on MMIO): the MOV family,
 * STOS/MOVS (with REP), OR/AND/XOR/TEST/CMP with a memory operand, and
 * XCHG. The exit already gives the guest-physical address, so no effective
 * address is computed: the decoder finds the length, the operation, the
 * access size, the register operand and any immediate; for the string
 * instructions it reports what the caller needs to find both addresses
 * (address size, segment override). Pure: host unit tests run it as it is
 * (test/unit/test_decode.c). Reference: SDM Vol. 2A, chapter 2
 * (instruction format, prefixes, ModRM/SIB tables 2-1..2-3, REX).
 */
#ifndef VM_DECODE_H
#define VM_DECODE_H

#include "kernel/compiler.h"

#define DECODE_INSN_MAX     15      /* longest legal instruction, SDM Vol. 2A 2.3.11 */

enum decode_op {
	DECODE_STORE = 1,       /* MOV r/m, reg  (88, 89)            memory <- register */
	DECODE_STORE_IMM,       /* MOV r/m, imm  (C6 /0, C7 /0)      memory <- immediate */
	DECODE_LOAD,            /* MOV reg, r/m  (8A, 8B)            register <- memory */
	DECODE_LOAD_ZX,         /* MOVZX reg, r/m8 / r/m16 (0F B6, 0F B7) */
	DECODE_LOAD_SX,         /* MOVSX reg, r/m8 / r/m16 (0F BE, 0F BF), MOVSXD reg, r/m32 (63 with REX.W in 64-bit mode) */
	DECODE_LOAD_MOFFS,      /* MOV AL/AX/EAX/RAX, moffs (A0, A1) */
	DECODE_STORE_MOFFS,     /* MOV moffs, AL/AX/EAX/RAX (A2, A3) */
	DECODE_ALU,             /* OR/AND/XOR/CMP/TEST with a memory operand: alu says which */
	DECODE_XCHG,            /* XCHG r/m, reg (86, 87)            memory <-> register, always locked */
	DECODE_STOS,            /* STOS (AA, AB)                     ES:[rDI] <- AL/AX/EAX/RAX */
	DECODE_MOVS,            /* MOVS (A4, A5)                     ES:[rDI] <- seg:[rSI] */
};

/* The operation of a DECODE_ALU instruction (SDM Vol. 2A/2B: AND, OR, XOR, CMP, TEST). */
enum decode_alu {
	DECODE_ALU_NONE = 0,    /* not DECODE_ALU */
	DECODE_ALU_OR,          /* 08-0B, 80/81/83 /1 */
	DECODE_ALU_AND,         /* 20-23, 80/81/83 /4 */
	DECODE_ALU_XOR,         /* 30-33, 80/81/83 /6 */
	DECODE_ALU_CMP,         /* 38-3B, 80/81/83 /7: flags of first - second, nothing written */
	DECODE_ALU_TEST,        /* 84, 85, F6 /0, F7 /0: flags of first & second, nothing written */
};

/* Segment registers in the SDM's numbering (Vol. 3A, 3.4.2); seg is one of these or NONE. */
#define DECODE_SEG_ES       0
#define DECODE_SEG_CS       1
#define DECODE_SEG_SS       2
#define DECODE_SEG_DS       3
#define DECODE_SEG_FS       4
#define DECODE_SEG_GS       5
#define DECODE_SEG_NONE     0xFF

/*
 * For STORE_IMM, MOVS and ALU with an immediate there is no register
 * operand: reg and reg_size are 0. For the moffs forms and STOS reg is 0
 * (the accumulator) and reg_size = mem_size. For STOS and MOVS mem_size is
 * the element size; which of MOVS's two operands hit the device is the
 * caller's to find from the guest-physical address.
 * Only the low reg_size bytes of a load's result go to the register; what
 * happens to the rest (a 32-bit write zeroes bits 63:32, 8- and 16-bit
 * writes keep them) is the caller's to apply.
 */
struct decoded_insn {
	uint8_t length;         /* bytes, prefixes included (<= 15) */
	enum decode_op op;
	uint8_t mem_size;       /* bytes the memory access moves: 1, 2, 4 or 8 */
	uint8_t reg;            /* register operand, 0-15 in the SDM order RAX RCX RDX RBX RSP RBP RSI RDI R8..R15 */
	bool reg_high_byte;     /* the register is AH, CH, DH or BH (no REX prefix, reg 4-7, byte size) */
	uint8_t reg_size;       /* bytes of the register written by a load (1, 2, 4 or 8); for stores, bytes read from it */
	uint64_t imm;           /* STORE_IMM, ALU: the immediate, sign-extended to mem_size as the CPU does (C7 with REX.W:
				 * imm32 sign-extended to 64; 83: imm8 sign-extended), then cut to mem_size */
	uint8_t imm_size;       /* bytes of immediate in the instruction (1, 2 or 4), 0 if it has none */
	enum decode_alu alu;    /* ALU: the operation; DECODE_ALU_NONE otherwise */
	bool mem_first;         /* ALU: memory is the first operand (r/m, reg or r/m, imm): OR/AND/XOR write the
				 * result to memory and CMP computes mem - other. False for 0A/0B, 22/23, 32/33, 3A/3B:
				 * the register is first and receives the result (CMP: reg - mem). */
	bool rep;               /* STOS, MOVS: F3 (REP) given */
	uint8_t addr_size;      /* 2, 4 or 8: the address size; for STOS and MOVS the width of rCX, rSI and rDI */
	uint8_t seg;            /* the segment override prefix in effect (the last one), DECODE_SEG_NONE if none;
				 * MOVS reads from it (DS if none); STOS always writes through ES */
};

/* mode is 16, 32 or 64 (the guest's code-segment default size: real mode and 16-bit protected mode are 16).
 * Decodes the instruction at bytes[0..avail). Returns 0, or -1 with err holding one line saying what could not be
 * decoded (e.g. "opcode 0x0f 0x05 is not a memory-operand instruction this decoder knows",
 * "instruction longer than 15 bytes", "truncated: needs 7 bytes, 4 available",
 * "ModRM 0xc0 names a register, not memory"). Never reads outside bytes[0..avail). */
int decode_insn(const uint8_t *bytes, size_t avail, int mode, struct decoded_insn *out, char *err, size_t err_size);

/* "store", "store-imm", "load", "load-zx", "load-sx", "load-moffs",
 * "store-moffs", "alu", "xchg", "stos", "movs", or "?" for anything else: for logs. */
const char *decode_op_name(enum decode_op op);

/* "or", "and", "xor", "cmp", "test", or "?": for logs. */
const char *decode_alu_name(enum decode_alu alu);

#endif
