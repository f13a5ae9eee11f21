/*
 * vm/decode.h: decoding the x86 instruction a guest used to touch an
 * emulated device's memory (an EPT violation on MMIO). Only the MOV
 * family guests use on device registers is known. The exit already gives
 * the guest-physical address, so no effective address is computed: the
 * decoder finds the length, the direction, the access size, the register
 * operand and any immediate. Pure: host unit tests run it as it is
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
};

/*
 * For STORE_IMM there is no register operand: reg and reg_size are 0.
 * For the moffs forms reg is 0 (the accumulator) and reg_size = mem_size.
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
	uint64_t imm;           /* STORE_IMM: the immediate, sign-extended to mem_size as the CPU does (C7 with REX.W: imm32 sign-extended to 64) */
};

/* mode is 16, 32 or 64 (the guest's code-segment default size: real mode and 16-bit protected mode are 16).
 * Decodes the instruction at bytes[0..avail). Returns 0, or -1 with err holding one line saying what could not be
 * decoded (e.g. "opcode 0x0f 0x05 is not a memory-operand instruction this decoder knows",
 * "instruction longer than 15 bytes", "truncated: needs 7 bytes, 4 available",
 * "ModRM 0xc0 names a register, not memory"). Never reads outside bytes[0..avail). */
int decode_insn(const uint8_t *bytes, size_t avail, int mode, struct decoded_insn *out, char *err, size_t err_size);

/* "store", "store-imm", "load", "load-zx", "load-sx", "load-moffs",
 * "store-moffs", or "?" for anything else: for logs. */
const char *decode_op_name(enum decode_op op);

#endif
