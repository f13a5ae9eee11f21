/*
 * vm/decode.c: length and meaning of the instructions guests use on
 * memory-mapped I/O. SDM Vol. 2A: 2.1 (instruction format), 2.1.1
 * (legacy prefixes), 2.1.5 and tables 2-1..2-3 (ModRM and SIB), 2.2.1
 * (REX), 2.2.1.6 (RIP-relative), 3.3.5 (operand- and address-size
 * attributes); the opcodes are MOV, MOVZX, MOVSX/MOVSXD, MOVS, STOS, AND,
 * OR, XOR, CMP, TEST and XCHG in chapters 3 and 4, the one-byte map and
 * the immediate groups 1 and 3 in appendix A (tables ).
 * The bytes come from the guest, so every read is bounds-checked first.
 */
#include "vm/decode.h"
#include "lib/format.h"
#include "lib/string.h"

/* Legacy prefixes (SDM Vol. 2A 2.1.1) */
#define PREFIX_OPSIZE       0x66            /* operand-size override */
#define PREFIX_ADDRSIZE     0x67            /* address-size override */
#define PREFIX_LOCK         0xF0            /* LOCK */
#define PREFIX_REPNE        0xF2            /* REPNE/REPNZ */
#define PREFIX_REP          0xF3            /* REP/REPE/REPZ */
#define PREFIX_ES           0x26            /* ES segment override */
#define PREFIX_CS           0x2E            /* CS segment override */
#define PREFIX_SS           0x36            /* SS segment override */
#define PREFIX_DS           0x3E            /* DS segment override */
#define PREFIX_FS           0x64            /* FS segment override */
#define PREFIX_GS           0x65            /* GS segment override */

/* REX prefix 0100WRXB (SDM Vol. 2A 2.2.1, table 2-4) */
#define REX_MASK            0xF0            /* high nibble identifies REX */
#define REX_BASE            0x40            /* ...and is 0100 */
#define REX_W               BIT(3)          /* 64-bit operand size */
#define REX_R               BIT(2)          /* extends ModRM.reg */
#define REX_X               BIT(1)          /* extends SIB.index */
#define REX_B               BIT(0)          /* extends ModRM.rm / SIB.base */

/* ModRM and SIB (SDM Vol. 2A 2.1.5, tables 2-1..2-3) */
#define MODRM_MOD_SHIFT     6               /* bits 7:6: mod */
#define MODRM_REG_SHIFT     3               /* bits 5:3: reg or opcode extension */
#define MODRM_FIELD_MASK    0x7             /* each of reg, rm and SIB base is 3 bits */
#define MODRM_MOD_MEM       0               /* mod 00: no displacement (but see below) */
#define MODRM_MOD_DISP8     1               /* mod 01: disp8 */
#define MODRM_MOD_DISP      2               /* mod 10: disp16 or disp32 */
#define MODRM_MOD_REG       3               /* mod 11: rm names a register */
#define MODRM16_RM_DISP16   6               /* 16-bit, mod 00: rm 110 is [disp16] */
#define MODRM32_RM_SIB      4               /* 32/64-bit: rm 100 means a SIB byte follows */
#define MODRM32_RM_DISP32   5               /* 32/64-bit, mod 00: [disp32], RIP-relative in 64-bit mode */
#define SIB_BASE_DISP32     5               /* SIB, mod 00: base 101 means no base, disp32 */

/* Opcodes (SDM Vol. 2B chapter 4: MOV, MOVZX, MOVSX/MOVSXD) */
#define OP_TWO_BYTE         0x0F            /* escape to the two-byte opcode map */
#define OP_MOV_RM8_R8       0x88            /* MOV r/m8, r8 */
#define OP_MOV_RM_R         0x89            /* MOV r/m16/32/64, r16/32/64 */
#define OP_MOV_R8_RM8       0x8A            /* MOV r8, r/m8 */
#define OP_MOV_R_RM         0x8B            /* MOV r16/32/64, r/m16/32/64 */
#define OP_MOVSXD           0x63            /* MOVSXD r64, r/m32 (ARPL outside 64-bit mode) */
#define OP_MOV_AL_MOFFS     0xA0            /* MOV AL, moffs8 */
#define OP_MOV_AX_MOFFS     0xA1            /* MOV AX/EAX/RAX, moffs */
#define OP_MOV_MOFFS_AL     0xA2            /* MOV moffs8, AL */
#define OP_MOV_MOFFS_AX     0xA3            /* MOV moffs, AX/EAX/RAX */
#define OP_MOV_RM8_IMM8     0xC6            /* MOV r/m8, imm8 (/0) */
#define OP_MOV_RM_IMM       0xC7            /* MOV r/m16/32/64, imm16/32 (/0) */
#define OP2_MOVZX_8         0xB6            /* 0F B6: MOVZX r, r/m8 */
#define OP2_MOVZX_16        0xB7            /* 0F B7: MOVZX r, r/m16 */
#define OP2_MOVSX_8         0xBE            /* 0F BE: MOVSX r, r/m8 */
#define OP2_MOVSX_16        0xBF            /* 0F BF: MOVSX r, r/m16 */
#define OP_MOVSB            0xA4            /* MOVS m8, m8 */
#define OP_MOVS             0xA5            /* MOVS m16/32/64, m16/32/64 */
#define OP_STOSB            0xAA            /* STOS m8 (from AL) */
#define OP_STOS             0xAB            /* STOS m16/32/64 (from AX/EAX/RAX) */
#define OP_XCHG_RM8_R8      0x86            /* XCHG r/m8, r8 */
#define OP_XCHG_RM_R        0x87            /* XCHG r/m16/32/64, r16/32/64 */
#define OP_TEST_RM8_R8      0x84            /* TEST r/m8, r8 */
#define OP_TEST_RM_R        0x85            /* TEST r/m16/32/64, r16/32/64 */
#define OP_GRP1_RM8_IMM8    0x80            /* group 1: op r/m8, imm8 */
#define OP_GRP1_RM_IMM      0x81            /* group 1: op r/m16/32/64, imm16/32 */
#define OP_GRP1_RM_IMM8     0x83            /* group 1: op r/m16/32/64, imm8 sign-extended */
#define OP_GRP3_RM8         0xF6            /* group 3 (/0: TEST r/m8, imm8) */
#define OP_GRP3_RM          0xF7            /* group 3 (/0: TEST r/m16/32/64, imm16/32) */

/* The ALU rows of the one-byte map (table A-2): 8 opcodes each, the low 3 bits the form */
#define OP_ROW_MASK         0xF8
#define OP_ROW_OR           0x08            /* 08-0B: OR */
#define OP_ROW_AND          0x20            /* 20-23: AND */
#define OP_ROW_XOR          0x30            /* 30-33: XOR */
#define OP_ROW_CMP          0x38            /* 38-3B: CMP */
#define OP_FORM_MASK        0x7
#define OP_FORM_RM8_R8      0               /* op r/m8, r8 */
#define OP_FORM_RM_R        1               /* op r/m, r */
#define OP_FORM_R8_RM8      2               /* op r8, r/m8 */
#define OP_FORM_R_RM        3               /* op r, r/m (4, 5: AL/eAX, imm, no memory) */

/* ModRM.reg of group 1 (table A-6) */
#define GRP1_OR             1
#define GRP1_AND            4
#define GRP1_XOR            6
#define GRP1_CMP            7
#define GRP3_TEST           0               /* ModRM.reg of group 3 */

#define REG_HIGH_BYTE_FIRST 4               /* without REX, byte regs 4-7 are AH CH DH BH */

struct decode {
	const uint8_t *bytes;
	size_t avail;
	char *err;
	size_t err_size;
};

static int __printf(2, 3)
decode_fail(struct decode *d, const char *fmt, ...)
{
	va_list ap;

	if (d->err && d->err_size) {
		va_start(ap, fmt);
		format_v(d->err, d->err_size, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Check that the first n bytes of the instruction may be read: n may not
 * pass the architectural limit, nor what the caller has. exact says
 * whether n is the whole instruction or only as far as decoding has got.
 * Returns 0 or fails.
 */
static int
decode_need(struct decode *d, size_t n, bool exact)
{
	if (n > DECODE_INSN_MAX)
		return decode_fail(d, "instruction longer than %u bytes", DECODE_INSN_MAX);
	if (n > d->avail)
		return decode_fail(d, "truncated: needs %s%zu bytes, %zu available",
				   exact ? "" : "at least ", n, d->avail);
	return 0;
}

/* The n-byte (n <= 8) little-endian value at bytes[at]; the caller has checked the bounds. */
static uint64_t
decode_le(const uint8_t *bytes, size_t at, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | bytes[at + n];
	return v;
}

static bool
decode_is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case PREFIX_OPSIZE: case PREFIX_ADDRSIZE: case PREFIX_LOCK:
	case PREFIX_REPNE: case PREFIX_REP:
	case PREFIX_ES: case PREFIX_CS: case PREFIX_SS: case PREFIX_DS:
	case PREFIX_FS: case PREFIX_GS:
		return true;
	default:
		return false;
	}
}

/*
 * Bytes of SIB and displacement after ModRM, reading the SIB byte at
 * bytes[*pos] if there is one (and moving *pos past it). addr_size is 2
 * for the 16-bit form (table 2-1), 4 or 8 for the 32/64-bit form (tables
 * 2-2, 2-3); REX.B does not change which forms take a SIB or a disp32.
 * Returns the displacement size, or -1 on failure.
 */
static int
decode_modrm_disp(struct decode *d, size_t *pos, uint8_t modrm, unsigned addr_size)
{
	unsigned mod = modrm >> MODRM_MOD_SHIFT;
	unsigned rm = modrm & MODRM_FIELD_MASK;
	unsigned base = 0;

	if (addr_size == 2) {
		if (mod == MODRM_MOD_DISP8)
			return 1;
		if (mod == MODRM_MOD_DISP || rm == MODRM16_RM_DISP16)
			return 2;
		return 0;
	}
	if (rm == MODRM32_RM_SIB) {
		if (decode_need(d, *pos + 1, false))
			return -1;
		base = d->bytes[(*pos)++] & MODRM_FIELD_MASK;
	}
	if (mod == MODRM_MOD_DISP8)
		return 1;
	if (mod == MODRM_MOD_DISP)
		return 4;
	if (rm == MODRM32_RM_DISP32 || (rm == MODRM32_RM_SIB && base == SIB_BASE_DISP32))
		return 4;
	return 0;
}

const char *
decode_op_name(enum decode_op op)
{
	switch (op) {
	case DECODE_STORE:       return "store";
	case DECODE_STORE_IMM:   return "store-imm";
	case DECODE_LOAD:        return "load";
	case DECODE_LOAD_ZX:     return "load-zx";
	case DECODE_LOAD_SX:     return "load-sx";
	case DECODE_LOAD_MOFFS:  return "load-moffs";
	case DECODE_STORE_MOFFS: return "store-moffs";
	case DECODE_ALU:         return "alu";
	case DECODE_XCHG:        return "xchg";
	case DECODE_STOS:        return "stos";
	case DECODE_MOVS:        return "movs";
	}
	return "?";
}

const char *
decode_alu_name(enum decode_alu alu)
{
	switch (alu) {
	case DECODE_ALU_NONE: break;
	case DECODE_ALU_OR:   return "or";
	case DECODE_ALU_AND:  return "and";
	case DECODE_ALU_XOR:  return "xor";
	case DECODE_ALU_CMP:  return "cmp";
	case DECODE_ALU_TEST: return "test";
	}
	return "?";
}

/* The segment register a segment-override prefix names, or DECODE_SEG_NONE. */
static uint8_t
decode_seg_prefix(uint8_t b)
{
	switch (b) {
	case PREFIX_ES: return DECODE_SEG_ES;
	case PREFIX_CS: return DECODE_SEG_CS;
	case PREFIX_SS: return DECODE_SEG_SS;
	case PREFIX_DS: return DECODE_SEG_DS;
	case PREFIX_FS: return DECODE_SEG_FS;
	case PREFIX_GS: return DECODE_SEG_GS;
	default:        return DECODE_SEG_NONE;
	}
}

/* The operation of an ALU row opcode (08-0B, 20-23, 30-33, 38-3B), or NONE. */
static enum decode_alu
decode_alu_row(uint8_t opcode)
{
	if ((opcode & OP_FORM_MASK) > OP_FORM_R_RM)
		return DECODE_ALU_NONE;
	switch (opcode & OP_ROW_MASK) {
	case OP_ROW_OR:  return DECODE_ALU_OR;
	case OP_ROW_AND: return DECODE_ALU_AND;
	case OP_ROW_XOR: return DECODE_ALU_XOR;
	case OP_ROW_CMP: return DECODE_ALU_CMP;
	default:         return DECODE_ALU_NONE;
	}
}

/* The operation of group 1 (80/81/83) with ModRM.reg n, or NONE for ADD/ADC/SBB/SUB. */
static enum decode_alu
decode_alu_grp1(unsigned n)
{
	switch (n) {
	case GRP1_OR:  return DECODE_ALU_OR;
	case GRP1_AND: return DECODE_ALU_AND;
	case GRP1_XOR: return DECODE_ALU_XOR;
	case GRP1_CMP: return DECODE_ALU_CMP;
	default:       return DECODE_ALU_NONE;
	}
}

/*
 * Prefixes, then the opcode, then (ModRM [SIB] [disp] [imm]) or moffs, or
 * nothing more for the string instructions. A REX counts only when it is
 * the last prefix (SDM Vol. 2A 2.2.1: one followed by a legacy prefix is
 * ignored) and only in 64-bit mode, where 40-4F are not INC/DEC. Of F2 and
 * F3, and of the segment overrides, the last one given counts.
 */
int
decode_insn(const uint8_t *bytes, size_t avail, int mode, struct decoded_insn *out, char *err, size_t err_size)
{
	struct decode d = { bytes, avail, err, err_size };
	bool opsize_prefix = false, addrsize_prefix = false, has_rex = false;
	unsigned op_size, addr_size, reg_field;
	uint8_t rex = 0, rep_prefix = 0, seg = DECODE_SEG_NONE, opcode, first, modrm;
	size_t pos = 0;
	int disp;

	memset(out, 0, sizeof(*out));
	if (err && err_size)
		err[0] = '\0';
	if (mode != 16 && mode != 32 && mode != 64)
		return decode_fail(&d, "mode %d is not 16, 32 or 64", mode);

	for (;; pos++) {
		if (decode_need(&d, pos + 1, false))
			return -1;
		opcode = bytes[pos];
		if (decode_is_legacy_prefix(opcode)) {
			if (opcode == PREFIX_OPSIZE)
				opsize_prefix = true;
			if (opcode == PREFIX_ADDRSIZE)
				addrsize_prefix = true;
			if (opcode == PREFIX_REP || opcode == PREFIX_REPNE)
				rep_prefix = opcode;
			if (decode_seg_prefix(opcode) != DECODE_SEG_NONE)
				seg = decode_seg_prefix(opcode);
			has_rex = false;
			rex = 0;
		} else if (mode == 64 && (opcode & REX_MASK) == REX_BASE) {
			has_rex = true;
			rex = opcode;
		} else {
			break;
		}
	}
	pos++;
	first = opcode;

	/* SDM Vol. 1 3.6.1, table 3-4: REX.W wins over 66. */
	if (rex & REX_W)
		op_size = 8;
	else if (mode == 16)
		op_size = opsize_prefix ? 4 : 2;
	else
		op_size = opsize_prefix ? 2 : 4;
	if (mode == 64)
		addr_size = addrsize_prefix ? 4 : 8;
	else if (mode == 32)
		addr_size = addrsize_prefix ? 2 : 4;
	else
		addr_size = addrsize_prefix ? 4 : 2;
	out->addr_size = (uint8_t)addr_size;
	out->seg = seg;

	switch (opcode) {
	case OP_MOV_RM8_R8:
	case OP_MOV_R8_RM8:
		out->op = opcode == OP_MOV_RM8_R8 ? DECODE_STORE : DECODE_LOAD;
		out->mem_size = out->reg_size = 1;
		break;
	case OP_MOV_RM_R:
	case OP_MOV_R_RM:
		out->op = opcode == OP_MOV_RM_R ? DECODE_STORE : DECODE_LOAD;
		out->mem_size = out->reg_size = (uint8_t)op_size;
		break;
	case OP_MOV_RM8_IMM8:
		out->op = DECODE_STORE_IMM;
		out->mem_size = 1;
		out->imm_size = 1;
		break;
	case OP_MOV_RM_IMM:
		out->op = DECODE_STORE_IMM;
		out->mem_size = (uint8_t)op_size;
		out->imm_size = (uint8_t)MIN(op_size, 4u);
		break;
	case OP_MOVSXD:
		if (mode != 64)
			return decode_fail(&d, "opcode 0x63 is ARPL outside 64-bit mode, "
					   "not a memory-operand instruction this decoder knows");
		if (!(rex & REX_W))
			return decode_fail(&d, "opcode 0x63 without REX.W (MOVSXD r16/r32, r/m) is not decoded: "
					   "only MOVSXD r64, r/m32 is");
		out->op = DECODE_LOAD_SX;
		out->mem_size = 4;
		out->reg_size = 8;
		break;
	case OP_MOV_AL_MOFFS:
	case OP_MOV_AX_MOFFS:
	case OP_MOV_MOFFS_AL:
	case OP_MOV_MOFFS_AX:
		out->op = opcode <= OP_MOV_AX_MOFFS ? DECODE_LOAD_MOFFS : DECODE_STORE_MOFFS;
		out->mem_size = out->reg_size = (opcode & 1) ? (uint8_t)op_size : 1;
		if (decode_need(&d, pos + addr_size, true))
			return -1;
		out->length = (uint8_t)(pos + addr_size);
		return 0;
	case OP_MOVSB:
	case OP_MOVS:
	case OP_STOSB:
	case OP_STOS:
		/* SDM Vol. 2B, REP: F2 is defined only for CMPS and SCAS */
		if (rep_prefix == PREFIX_REPNE)
			return decode_fail(&d, "REPNE (0xf2) with opcode 0x%02x (%s) is not decoded: only REP (0xf3) is",
					   opcode, opcode <= OP_MOVS ? "MOVS" : "STOS");
		out->op = opcode <= OP_MOVS ? DECODE_MOVS : DECODE_STOS;
		out->mem_size = (opcode & 1) ? (uint8_t)op_size : 1;
		if (out->op == DECODE_STOS)
			out->reg_size = out->mem_size;
		out->rep = rep_prefix == PREFIX_REP;
		out->length = (uint8_t)pos;
		return 0;
	case OP_XCHG_RM8_R8:
	case OP_XCHG_RM_R:
		out->op = DECODE_XCHG;
		out->mem_size = out->reg_size = (opcode & 1) ? (uint8_t)op_size : 1;
		break;
	case OP_TEST_RM8_R8:
	case OP_TEST_RM_R:
		out->op = DECODE_ALU;
		out->alu = DECODE_ALU_TEST;
		out->mem_first = true;
		out->mem_size = out->reg_size = (opcode & 1) ? (uint8_t)op_size : 1;
		break;
	case OP_GRP1_RM8_IMM8:
	case OP_GRP1_RM_IMM:
	case OP_GRP1_RM_IMM8:
	case OP_GRP3_RM8:
	case OP_GRP3_RM:
		/* the operation is in ModRM.reg, read below */
		out->op = DECODE_ALU;
		out->mem_first = true;
		out->mem_size = (opcode & 1) ? (uint8_t)op_size : 1;
		out->imm_size = (opcode == OP_GRP1_RM_IMM || opcode == OP_GRP3_RM) ? (uint8_t)MIN(op_size, 4u) : 1;
		break;
	case OP_TWO_BYTE:
		if (decode_need(&d, pos + 1, false))
			return -1;
		opcode = bytes[pos++];
		switch (opcode) {
		case OP2_MOVZX_8:
		case OP2_MOVZX_16:
			out->op = DECODE_LOAD_ZX;
			break;
		case OP2_MOVSX_8:
		case OP2_MOVSX_16:
			out->op = DECODE_LOAD_SX;
			break;
		default:
			return decode_fail(&d, "opcode 0x0f 0x%02x is not a memory-operand instruction this decoder knows",
					   opcode);
		}
		out->mem_size = (opcode == OP2_MOVZX_8 || opcode == OP2_MOVSX_8) ? 1 : 2;
		out->reg_size = (uint8_t)op_size;
		break;
	default:
		out->alu = decode_alu_row(opcode);
		if (out->alu == DECODE_ALU_NONE)
			return decode_fail(&d, "opcode 0x%02x is not a memory-operand instruction this decoder knows",
					   opcode);
		out->op = DECODE_ALU;
		out->mem_first = (opcode & OP_FORM_MASK) <= OP_FORM_RM_R;
		out->mem_size = out->reg_size = (opcode & 1) ? (uint8_t)op_size : 1;
		break;
	}

	if (decode_need(&d, pos + 1, false))
		return -1;
	modrm = bytes[pos++];
	reg_field = (modrm >> MODRM_REG_SHIFT) & MODRM_FIELD_MASK;
	if (out->op == DECODE_STORE_IMM && reg_field != 0)
		return decode_fail(&d, "opcode 0x%02x /%u is not a memory-operand instruction this decoder knows",
				   opcode, reg_field);
	if (first == OP_GRP1_RM8_IMM8 || first == OP_GRP1_RM_IMM || first == OP_GRP1_RM_IMM8)
		out->alu = decode_alu_grp1(reg_field);
	else if (first == OP_GRP3_RM8 || first == OP_GRP3_RM)
		out->alu = reg_field == GRP3_TEST ? DECODE_ALU_TEST : DECODE_ALU_NONE;
	if (out->op == DECODE_ALU && out->alu == DECODE_ALU_NONE)
		return decode_fail(&d, "opcode 0x%02x /%u is not a memory-operand instruction this decoder knows "
				   "(of groups 1 and 3 only OR, AND, XOR, CMP and TEST are)", opcode, reg_field);
	if (modrm >> MODRM_MOD_SHIFT == MODRM_MOD_REG)
		return decode_fail(&d, "ModRM 0x%02x names a register, not memory", modrm);

	disp = decode_modrm_disp(&d, &pos, modrm, addr_size);
	if (disp < 0)
		return -1;
	pos += (size_t)disp;
	if (decode_need(&d, pos + out->imm_size, true))
		return -1;

	if (out->imm_size) {
		/* sign-extend from imm_size bytes (a no-op when imm_size == mem_size), then cut to mem_size */
		unsigned shift = 64 - 8 * out->imm_size;

		out->imm = (uint64_t)((int64_t)(decode_le(bytes, pos, out->imm_size) << shift) >> shift);
		if (out->mem_size < 8)
			out->imm &= ((uint64_t)1 << (8 * out->mem_size)) - 1;
	}
	if (out->reg_size) {
		out->reg = (uint8_t)(reg_field | ((rex & REX_R) ? 8 : 0));
		out->reg_high_byte = out->reg_size == 1 && !has_rex && out->reg >= REG_HIGH_BYTE_FIRST;
	}
	out->length = (uint8_t)(pos + out->imm_size);
	return 0;
}
