/*
 * test/fuzz/fuzz_decode.c: libFuzzer target for the MMIO instruction
 * decoder (vm/decode.c), built with clang -fsanitize=fuzzer,address,undefined
 * (the Makefile's fuzz section). Each input is decoded in 16-, 32- and
 * 64-bit mode from a buffer of exactly its size, so ASan sees any read
 * past it, and every answer is checked: a success has a sane length and
 * fields, decoding exactly length bytes gives the same answer and one
 * byte fewer is "truncated"; a failure says why in one terminated line,
 * and an error buffer of any size stays terminated and within bounds.
 * Seeds: test/fuzz/corpus_decode/ (one real instruction per file).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/format.c"
#include "lib/string.c"
#include "vm/decode.c"

#define ERR_MAX     160

static void
check(int cond, const char *what, const uint8_t *data, size_t size, int mode)
{
	if (cond)
		return;
	fprintf(stderr, "fuzz_decode: %s (mode %d, %zu bytes:", what, mode, size);
	for (size_t i = 0; i < size; i++)
		fprintf(stderr, " %02x", data[i]);
	fprintf(stderr, ")\n");
	abort();
}

#define CHECK(cond) check((cond), #cond, data, size, mode)

static void
check_answer(const struct decoded_insn *d, const uint8_t *data, size_t size, int mode)
{
	CHECK(d->length >= 1 && d->length <= size && d->length <= DECODE_INSN_MAX);
	CHECK(d->op >= DECODE_STORE && d->op <= DECODE_MOVS);
	CHECK(strcmp(decode_op_name(d->op), "?") != 0);
	CHECK(d->mem_size == 1 || d->mem_size == 2 || d->mem_size == 4 || d->mem_size == 8);
	CHECK(d->addr_size == 2 || d->addr_size == 4 || d->addr_size == 8);
	CHECK(d->reg < 16);
	CHECK(!d->reg_high_byte || (d->reg >= 4 && d->reg <= 7 && d->reg_size == 1));
	CHECK((d->op == DECODE_ALU) == (d->alu != DECODE_ALU_NONE));
	CHECK(d->imm_size == 0 || d->imm_size == 1 || d->imm_size == 2 || d->imm_size == 4);
	CHECK(d->imm_size <= d->mem_size);
	CHECK(d->mem_size == 8 || d->imm < (1ull << (8 * d->mem_size)));
	CHECK(d->imm_size || d->imm == 0);
	CHECK(d->rep == false || d->op == DECODE_STOS || d->op == DECODE_MOVS);
	CHECK(d->seg <= DECODE_SEG_GS || d->seg == DECODE_SEG_NONE);
	if (d->op == DECODE_STORE_IMM || d->op == DECODE_MOVS || d->imm_size)
		CHECK(d->reg_size == 0 && d->reg == 0);
	else
		CHECK(d->reg_size == 1 || d->reg_size == 2 || d->reg_size == 4 || d->reg_size == 8);
	if (mode != 64)
		CHECK(d->reg < 8 && d->mem_size <= 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int modes[] = { 16, 32, 64 };
	char err[ERR_MAX], small[7];

	if (size > 2 * DECODE_INSN_MAX)
		return -1;      /* longer inputs test nothing more: keep the corpus small */
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		int mode = modes[m];
		struct decoded_insn d, again;
		int r;

		memset(err, 'X', sizeof(err));
		r = decode_insn(data, size, mode, &d, err, sizeof(err));
		CHECK(r == 0 || r == -1);
		CHECK(memchr(err, '\0', sizeof(err)) != NULL);

		/* a small error buffer is cut, terminated, never overrun (ASan watches its end) */
		memset(small, 'X', sizeof(small));
		CHECK(decode_insn(data, size, mode, &again, small, sizeof(small)) == r);
		CHECK(memchr(small, '\0', sizeof(small)) != NULL);
		CHECK(decode_insn(data, size, mode, &again, NULL, 0) == r);

		if (r != 0) {
			CHECK(err[0] != '\0');
			continue;
		}
		CHECK(err[0] == '\0');
		check_answer(&d, data, size, mode);

		/* exactly length bytes, in a buffer of that size: the same answer */
		uint8_t *exact = malloc(d.length);

		CHECK(exact != NULL);
		memcpy(exact, data, d.length);
		CHECK(decode_insn(exact, d.length, mode, &again, err, sizeof(err)) == 0);
		CHECK(memcmp(&d, &again, sizeof(d)) == 0);
		/* one byte fewer is truncated */
		CHECK(decode_insn(exact, d.length - 1u, mode, &again, err, sizeof(err)) == -1);
		CHECK(strncmp(err, "truncated: ", 11) == 0);
		free(exact);
	}
	return 0;
}
