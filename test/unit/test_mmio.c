/*
 * test/unit/test_mmio.c: mmio_emulate() against a fake device, a fake vCPU
 * and a fake backend that keeps RFLAGS: what each decoded instruction does
 * to the device, the registers and the flags. The flags of OR, AND, XOR,
 * TEST and CMP are checked against what this host's CPU computes for the
 * same operation (LAHF and SETO, no stack, so the red zone is safe). The
 * instruction bytes come from GNU as (the AT&T source is beside each).
 */
#include "test/unit/fake.h"

#include <stdio.h>
#include <stdlib.h>

#include "lib/format.c"
#include "lib/string.c"
#include "mm/phys.h"
#include "vm/decode.c"
#include "vm/gva.c"
#include "vm/mmio.c"

#define DEV_BASE        0xFEB00000ULL   /* above the fake RAM: only the device is there */
#define DEV_LEN         0x2000ULL       /* two pages */
#define RAM_SIZE        (16ULL << 20)
#define INITIAL_RFLAGS  (RFLAGS_FIXED | RFLAGS_IF)
#define RANDOM_PAIRS    3000

static struct vm vm;
static struct vcpu *v = &vm.vcpu;
static uint64_t rflags;
static uint8_t devmem[DEV_LEN];
static unsigned dev_reads, dev_writes;
static char stopped[VM_STOP_REASON_MAX];

static uint64_t
fake_get_rflags(struct vcpu *vc)
{
	return rflags;
}

static void
fake_set_rflags(struct vcpu *vc, uint64_t f)
{
	rflags = f;
}

static const struct vm_backend fake_backend = {
	.name = "fake",
	.get_rflags = fake_get_rflags,
	.set_rflags = fake_set_rflags,
};
const struct vm_backend *vm_backend = &fake_backend;

void
vm_stop(struct vm *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(stopped, sizeof(stopped), fmt, ap);
	va_end(ap);
	m->state = VM_STOPPED;
}

void *
vm_gpa_to_hva(struct vm *m, uint64_t gpa, uint64_t len)
{
	if (gpa >= m->ram_size || len > m->ram_size - gpa)
		return NULL;
	return phys_to_virt(m->ram_hpa + gpa);
}

static void
dev_fn(struct vm *m, void *dev, uint64_t offset, uint8_t size, bool write, uint64_t *value)
{
	assert_true(size == 1 || size == 2 || size == 4 || size == 8);
	assert_true(offset + size <= DEV_LEN);
	if (write) {
		memcpy(devmem + offset, value, size);
		dev_writes++;
	} else {
		memcpy(value, devmem + offset, size);
		dev_reads++;
	}
}

static const struct mmio_region *dev;

/* 32-bit protected mode without paging: linear = guest-physical */
static struct mmio_ctx ctx32 = { .mode = 32, .paging = { .cr0 = CR0_PE } };
/* 64-bit mode: 4-level paging set up by setup() (identity, 2 MiB pages, 4 GiB) */
static struct mmio_ctx ctx64 = { .mode = 64 };

#define PML4    0x1000
#define PDPT    0x2000
#define PD      0x3000          /* four PDs, 0x3000-0x6fff */

static void
setup(void)
{
	fake_phys_reset();
	memset(&vm, 0, sizeof(vm));
	vm.ram_size = RAM_SIZE;
	vm.vcpu.vm = &vm;
	mmio_register(&vm.mmio, DEV_BASE, DEV_LEN, dev_fn, NULL, "fakedev");
	dev = &vm.mmio.regions[0];
	memset(devmem, 0, sizeof(devmem));
	dev_reads = dev_writes = 0;
	stopped[0] = '\0';
	rflags = INITIAL_RFLAGS;

	uint64_t *pml4 = phys_to_virt(PML4), *pdpt = phys_to_virt(PDPT), *pd = phys_to_virt(PD);

	pml4[0] = PDPT | 3;
	for (uint64_t i = 0; i < 4; i++)
		pdpt[i] = (PD + i * 0x1000) | 3;
	for (uint64_t i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | 0x83;       /* present, writable, 2 MiB */
	ctx64.paging = (struct gva_ctx){ .cr0 = CR0_PE | CR0_PG, .cr3 = PML4, .cr4 = CR4_PAE,
					 .efer = EFER_LME | EFER_LMA };
}

static uint64_t
dev64(uint64_t off)
{
	uint64_t x;

	memcpy(&x, devmem + off, 8);
	return x;
}

static int
emulate(const struct mmio_ctx *c, uint64_t gpa, const uint8_t *insn, size_t n)
{
	return mmio_emulate(v, dev, gpa, insn, n, c);
}

#define RUN(c, gpa, ...) \
	emulate(c, gpa, (const uint8_t[]){ __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }))

/* --- the host CPU as the reference ----------------------------------------- */

#define HOST_FLAGS (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF)

/* "INSN b, a" in AT&T order on type T; returns a's new value, *flags the status flags. */
#define HOST_OP(INSN, T)                                                                        \
	do {                                                                                    \
		T x = (T)a, y = (T)b;                                                           \
		uint64_t ax, o;                                                                 \
		__asm__(INSN " %3, %0\n\tlahf\n\tseto %b1"                                      \
			: "+r"(x), "=&c"(o), "=&a"(ax) : "r"(y) : "cc");                        \
		*flags = ((ax >> 8) & HOST_FLAGS) | ((o & 1) ? RFLAGS_OF : 0);                  \
		return (uint64_t)x;                                                             \
	} while (0)

#define HOST_SIZES(INSN)                                                                        \
	switch (size) {                                                                         \
	case 1: HOST_OP(INSN, uint8_t);                                                         \
	case 2: HOST_OP(INSN, uint16_t);                                                        \
	case 4: HOST_OP(INSN, uint32_t);                                                        \
	default: HOST_OP(INSN, uint64_t);                                                       \
	}

/* a OP b on the host: the result (a for CMP and TEST, which write nothing) and the flags */
static uint64_t
host_alu(enum decode_alu op, uint8_t size, uint64_t a, uint64_t b, uint64_t *flags)
{
	switch (op) {
	case DECODE_ALU_OR:  HOST_SIZES("or");
	case DECODE_ALU_AND: HOST_SIZES("and");
	case DECODE_ALU_XOR: HOST_SIZES("xor");
	case DECODE_ALU_CMP: HOST_SIZES("cmp");
	case DECODE_ALU_TEST: HOST_SIZES("test");
	case DECODE_ALU_NONE: break;
	}
	fail_msg("no such operation");
	return 0;
}

static struct fake_random rng = { 0x9E3779B97F4A7C15ULL };

/* Operands that find the edges: zero, one, the sign bit, all ones, nibble carries. */
static const uint64_t edges[] = {
	0, 1, 2, 0x7F, 0x80, 0xFF, 0x0F, 0x10, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000,
	0xFFFFFFFF, 0x7FFFFFFFFFFFFFFFULL, 0x8000000000000000ULL, 0xFFFFFFFFFFFFFFFFULL, 0x5555555555555555ULL,
};

/*
 * One ALU instruction with a register operand (RAX) and the memory operand
 * at DEV_BASE + 8, in both operand orders, against the host.
 */
static void
check_alu(enum decode_alu op, uint8_t size, bool mem_first, uint64_t m, uint64_t r)
{
	/* the rows: 08 OR, 20 AND, 30 XOR, 38 CMP (+1 not byte, +2 reg-first); 84/85 TEST */
	uint8_t row = op == DECODE_ALU_OR ? 0x08 : op == DECODE_ALU_AND ? 0x20 : op == DECODE_ALU_XOR ? 0x30 : 0x38;
	uint8_t insn[4], n = 0, opcode;
	uint64_t mask = size_mask(size), want_flags, want, start_rax = 0xA5A5A5A5A5A5A5A5ULL;
	uint64_t a = mem_first ? m : r, b = mem_first ? r : m;
	bool writes = op != DECODE_ALU_CMP && op != DECODE_ALU_TEST;

	if (op == DECODE_ALU_TEST)
		opcode = size == 1 ? 0x84 : 0x85;
	else
		opcode = (uint8_t)(row + (size == 1 ? 0 : 1) + (mem_first ? 0 : 2));
	if (size == 2)
		insn[n++] = 0x66;
	if (size == 8)
		insn[n++] = 0x48;
	insn[n++] = opcode;
	insn[n++] = 0x43;       /* ModRM: reg RAX, [rbx + disp8] */
	insn[n++] = 0x08;       /* disp8 */

	want = host_alu(op, size, a, b, &want_flags);
	memset(devmem, 0xEE, 32);
	memcpy(devmem + 8, &m, size);
	v->regs.rax = (start_rax & ~mask) | (r & mask);
	rflags = INITIAL_RFLAGS | RFLAGS_DF | HOST_FLAGS | RFLAGS_OF;   /* every status flag set before */
	dev_writes = 0;

	assert_int_equal(emulate(&ctx64, DEV_BASE + 8, insn, n), n);
	if (op != DECODE_ALU_CMP) {
		/* AF is undefined after a logic operation: this CPU may set it, we clear it */
		assert_false(rflags & RFLAGS_AF);
		want_flags &= ~(uint64_t)RFLAGS_AF;
	}
	if ((rflags & RFLAGS_STATUS) != want_flags)
		fail_msg("%s size %u %s: a %#llx b %#llx: flags %#llx, the host says %#llx", decode_alu_name(op), size,
			 mem_first ? "mem-first" : "reg-first", (unsigned long long)a, (unsigned long long)b,
			 (unsigned long long)(rflags & RFLAGS_STATUS), (unsigned long long)want_flags);
	assert_int_equal(rflags & ~RFLAGS_STATUS, INITIAL_RFLAGS | RFLAGS_DF);
	if (writes && mem_first) {
		uint64_t got = 0;

		memcpy(&got, devmem + 8, size);
		assert_int_equal(got, want & mask);
		assert_int_equal(dev_writes, 1);
		assert_int_equal(v->regs.rax, (start_rax & ~mask) | (r & mask));
	} else {
		uint64_t got = 0;

		memcpy(&got, devmem + 8, size);
		assert_int_equal(got, m & mask);
		assert_int_equal(dev_writes, 0);
		if (writes)     /* a 32-bit register result zero-extends, 8 and 16 bits keep the rest */
			assert_int_equal(v->regs.rax, size == 4 ? (want & mask) : (start_rax & ~mask) | (want & mask));
		else
			assert_int_equal(v->regs.rax, (start_rax & ~mask) | (r & mask));
	}
	/* the bytes around are untouched */
	assert_int_equal(dev64(0), 0xEEEEEEEEEEEEEEEEULL);
	if (size < 8)
		assert_int_equal(devmem[8 + size], 0xEE);
}

static void
test_alu_flags_match_host(void **state)
{
	static const enum decode_alu ops[] = {
		DECODE_ALU_OR, DECODE_ALU_AND, DECODE_ALU_XOR, DECODE_ALU_CMP, DECODE_ALU_TEST,
	};
	static const uint8_t sizes[] = { 1, 2, 4, 8 };

	setup();
	v->regs.rbx = DEV_BASE;
	for (size_t o = 0; o < ARRAY_SIZE(ops); o++) {
		for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
			for (int first = 0; first < 2; first++) {
				if (ops[o] == DECODE_ALU_TEST && !first)
					continue;       /* TEST has only r/m, reg */
				for (size_t i = 0; i < ARRAY_SIZE(edges); i++)
					for (size_t j = 0; j < ARRAY_SIZE(edges); j++)
						check_alu(ops[o], sizes[s], first, edges[i], edges[j]);
				for (unsigned k = 0; k < RANDOM_PAIRS; k++) {
					uint64_t x = fake_random_next(&rng), y = fake_random_next(&rng);

					if (k % 3 == 0)
						y = x;          /* equal: ZF for CMP and XOR */
					if (k % 5 == 0)
						y = x + 1;      /* off by one: borrows */
					check_alu(ops[o], sizes[s], first, x, y);
				}
			}
		}
	}
	assert_int_equal(vm.state, VM_RUNNABLE);
}

/* The immediate forms: 80/81/83 and F6/F7, with the sign extension they use */
static void
test_alu_immediates(void **state)
{
	setup();
	v->regs.rax = DEV_BASE;

	memset(devmem, 0xFF, 8);
	/* andq $-0x10, (%rax): imm8 sign-extended to 64 bits */
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x48, 0x83, 0x20, 0xf0), 4);
	assert_int_equal(dev64(0), 0xFFFFFFFFFFFFFFF0ULL);
	assert_int_equal(rflags & RFLAGS_STATUS, RFLAGS_SF | RFLAGS_PF);
	/* orl $0x12345678, (%rax): the upper half untouched */
	memset(devmem, 0, 8);
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x81, 0x08, 0x78, 0x56, 0x34, 0x12), 6);
	assert_int_equal(dev64(0), 0x12345678);
	assert_int_equal(rflags & RFLAGS_STATUS, RFLAGS_PF);    /* 0x78: four ones */
	/* xorb $0x78, (%rax): zero */
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x80, 0x30, 0x78), 3);
	assert_int_equal(dev64(0), 0x12345600);
	assert_int_equal(rflags & RFLAGS_STATUS, RFLAGS_ZF | RFLAGS_PF);
	/* cmpb $0x1, (%rax): 0 - 1 borrows */
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x80, 0x38, 0x01), 3);
	assert_int_equal(dev64(0), 0x12345600);
	assert_int_equal(rflags & RFLAGS_STATUS, RFLAGS_CF | RFLAGS_SF | RFLAGS_AF | RFLAGS_PF);
	/* testl $0x10000000, (%rax) */
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0xf7, 0x00, 0x00, 0x00, 0x00, 0x10), 6);
	assert_int_equal(rflags & RFLAGS_STATUS, RFLAGS_PF);
	/* testb $0x80, (%rax) on 0x00: ZF */
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0xf6, 0x00, 0x80), 3);
	assert_int_equal(rflags & RFLAGS_STATUS, RFLAGS_ZF | RFLAGS_PF);
	assert_int_equal(dev64(0), 0x12345600);
	/* 16-bit mode: orw $0x8000, (%bx) with BX = 0: the device at offset 0 */
	{
		struct mmio_ctx c16 = { .mode = 16, .paging = { .cr0 = 0 } };

		assert_int_equal(RUN(&c16, DEV_BASE, 0x81, 0x0f, 0x00, 0x80), 4);
		assert_int_equal(dev64(0), 0x1234D600);
		assert_int_equal(rflags & RFLAGS_STATUS, RFLAGS_SF | RFLAGS_PF);
	}
	assert_int_equal(vm.state, VM_RUNNABLE);
}

/* Registers: a 32-bit result zero-extends, AH-BH, and the flags of the rest of RFLAGS are kept */
static void
test_alu_registers(void **state)
{
	setup();
	memcpy(devmem, (uint8_t[]){ 0x0F, 0xF0, 0, 0 }, 4);
	/* or (%rbx), %ah */
	v->regs.rax = 0x1111111111112211ULL;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x0a, 0x23), 2);
	assert_int_equal(v->regs.rax, 0x1111111111112F11ULL);
	/* and (%rbx), %r9d: zero-extends */
	v->regs.r9 = 0xFFFFFFFF0000FFFFULL;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x44, 0x23, 0x0b), 3);
	assert_int_equal(v->regs.r9, 0xF00FULL);
	/* xor (%rbx), %r10w */
	v->regs.r10 = 0xAAAAAAAAAAAAAAAAULL;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x66, 0x44, 0x33, 0x13), 4);
	assert_int_equal(v->regs.r10, 0xAAAAAAAAAAAA5AA5ULL);
	/* cmp (%rbx), %esp and or %esp, (%rbx): RSP is not offered */
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x09, 0x23), -EINVAL);
	assert_non_null(strstr(stopped, "RSP"));
}

static void
test_xchg(void **state)
{
	setup();
	memcpy(devmem, (uint8_t[]){ 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }, 8);
	/* xchg %eax, (%rbx): the register zero-extends, the device gets the old EAX */
	v->regs.rax = 0xFFFFFFFFAABBCCDDULL;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x87, 0x03), 2);
	assert_int_equal(v->regs.rax, 0x44332211ULL);
	assert_int_equal(dev64(0), 0x88776655AABBCCDDULL);
	/* xchg %ch, (%rbx) */
	v->regs.rcx = 0x1234;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x86, 0x2b), 2);
	assert_int_equal(v->regs.rcx, 0xDD34);
	assert_int_equal(devmem[0], 0x12);
	/* lock xchg %rdx, (%rbx) */
	v->regs.rdx = 0x0102030405060708ULL;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0xf0, 0x48, 0x87, 0x13), 4);
	assert_int_equal(v->regs.rdx, 0x88776655AABBCC12ULL);
	assert_int_equal(dev64(0), 0x0102030405060708ULL);
	assert_int_equal(rflags, INITIAL_RFLAGS);       /* XCHG leaves the flags */
}

static void
test_stos(void **state)
{
	setup();
	/* stosl: one element, rDI steps, rCX untouched */
	v->regs.rax = 0x1122334455667788ULL;
	v->regs.rdi = DEV_BASE;
	v->regs.rcx = 7;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0xab), 1);
	assert_int_equal(dev64(0), 0x55667788);
	assert_int_equal(v->regs.rdi, DEV_BASE + 4);
	assert_int_equal(v->regs.rcx, 7);

	/* rep stosq over 3 elements, all in one page: done at once */
	v->regs.rdi = DEV_BASE + 0x100;
	v->regs.rcx = 3;
	assert_int_equal(RUN(&ctx64, DEV_BASE + 0x100, 0xf3, 0x48, 0xab), 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(dev64(0x100 + 8 * i), 0x1122334455667788ULL);
	assert_int_equal(dev64(0x118), 0);
	assert_int_equal(v->regs.rcx, 0);
	assert_int_equal(v->regs.rdi, DEV_BASE + 0x118);

	/* rep stosb across the page boundary: the first exit stops at it and keeps RIP (returns 0) */
	v->regs.rdi = DEV_BASE + 0xFF0;
	v->regs.rcx = 0x40;
	dev_writes = 0;
	assert_int_equal(RUN(&ctx64, DEV_BASE + 0xFF0, 0xf3, 0xaa), 0);
	assert_int_equal(dev_writes, 0x10);
	assert_int_equal(v->regs.rcx, 0x30);
	assert_int_equal(v->regs.rdi, DEV_BASE + 0x1000);
	/* the guest runs it again: the next exit is on the next page, and finishes */
	assert_int_equal(RUN(&ctx64, DEV_BASE + 0x1000, 0xf3, 0xaa), 2);
	assert_int_equal(v->regs.rcx, 0);
	assert_int_equal(v->regs.rdi, DEV_BASE + 0x1030);
	for (int i = 0xFF0; i < 0x1030; i++)
		assert_int_equal(devmem[i], 0x88);
	assert_int_equal(devmem[0x1030], 0);

	/* DF set: downwards, and stops at the region's start */
	rflags |= RFLAGS_DF;
	v->regs.rdi = DEV_BASE + 6;
	v->regs.rcx = 100;
	assert_int_equal(RUN(&ctx64, DEV_BASE + 6, 0xf3, 0x66, 0xab), 0);
	assert_int_equal(v->regs.rcx, 96);
	assert_int_equal(v->regs.rdi, DEV_BASE - 2);
	rflags &= ~(uint64_t)RFLAGS_DF;

	/* 16-bit addressing: DI and CX wrap in 16 bits and keep the rest of RDI/RCX */
	{
		struct mmio_ctx c16 = { .mode = 16 };

		memset(devmem, 0, sizeof(devmem));
		v->regs.rdi = 0xABCD0FFE;
		v->regs.rcx = 0x77770002;
		assert_int_equal(RUN(&c16, DEV_BASE + 0xFFE, 0xf3, 0xaa), 2);
		assert_int_equal(v->regs.rdi, 0xABCD1000);
		assert_int_equal(v->regs.rcx, 0x77770000);
		/* 67 in 64-bit mode: ECX and EDI are written as 32-bit registers (zero-extended) */
		v->regs.rdi = 0xFFFFFFFF00000010ULL;
		v->regs.rcx = 0xFFFFFFFF00000001ULL;
		assert_int_equal(RUN(&ctx64, DEV_BASE + 0x10, 0x67, 0xf3, 0xaa), 3);
		assert_int_equal(v->regs.rdi, 0x11);
		assert_int_equal(v->regs.rcx, 0);
	}

	/* rep with rCX = 0 does nothing */
	v->regs.rcx = 0;
	dev_writes = 0;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0xf3, 0xab), 2);
	assert_int_equal(dev_writes, 0);
	assert_int_equal(vm.state, VM_RUNNABLE);
}

static void
test_movs(void **state)
{
	uint8_t *ram;

	setup();
	ram = phys_to_virt(0x100000);
	for (int i = 0; i < 64; i++)
		ram[i] = (uint8_t)(i + 1);

	/* rep movsl from RAM (DS base 0x1000 + ESI) to the device (ES base 0 + EDI), 32-bit mode */
	ctx32.seg_base[DECODE_SEG_DS] = 0x1000;
	v->regs.rsi = 0x100000 - 0x1000;
	v->regs.rdi = DEV_BASE + 0x20;
	v->regs.rcx = 4;
	assert_int_equal(RUN(&ctx32, DEV_BASE + 0x20, 0xf3, 0xa5), 2);
	assert_memory_equal(devmem + 0x20, ram, 16);
	assert_int_equal(v->regs.rsi, 0x100000 - 0x1000 + 16);
	assert_int_equal(v->regs.rdi, DEV_BASE + 0x30);
	assert_int_equal(v->regs.rcx, 0);

	/* movsw from the device to RAM, with an FS override naming the source's segment */
	ctx32.seg_base[DECODE_SEG_FS] = DEV_BASE - 0x100;
	v->regs.rsi = 0x120;
	v->regs.rdi = 0x200000;
	assert_int_equal(RUN(&ctx32, DEV_BASE + 0x20, 0x64, 0x66, 0xa5), 3);
	assert_int_equal(*(uint16_t *)phys_to_virt(0x200000), 0x0201);
	assert_int_equal(v->regs.rsi, 0x122);
	assert_int_equal(v->regs.rdi, 0x200002);

	/* 64-bit mode, paged: rep movsq from the device to RAM across the device's page end */
	for (int i = 0; i < 0x20; i++)
		devmem[0xFF8 + i] = (uint8_t)(0x80 + i);
	v->regs.rsi = DEV_BASE + 0xFF8;
	v->regs.rdi = 0x300000;
	v->regs.rcx = 4;
	assert_int_equal(RUN(&ctx64, DEV_BASE + 0xFF8, 0xf3, 0x48, 0xa5), 0);
	assert_int_equal(v->regs.rcx, 3);
	assert_int_equal(RUN(&ctx64, DEV_BASE + 0x1000, 0xf3, 0x48, 0xa5), 3);
	assert_int_equal(v->regs.rcx, 0);
	assert_memory_equal(phys_to_virt(0x300000), devmem + 0xFF8, 0x20);
	assert_int_equal(v->regs.rsi, DEV_BASE + 0x1018);
	assert_int_equal(v->regs.rdi, 0x300020);

	/* an element of the RAM side that straddles a page is split there */
	devmem[0x40] = 0xAB;
	devmem[0x41] = 0xCD;
	v->regs.rsi = DEV_BASE + 0x40;
	v->regs.rdi = 0x300FFF;
	assert_int_equal(RUN(&ctx64, DEV_BASE + 0x40, 0x66, 0xa5), 2);
	assert_int_equal(*(uint8_t *)phys_to_virt(0x300FFF), 0xAB);
	assert_int_equal(*(uint8_t *)phys_to_virt(0x301000), 0xCD);
	assert_int_equal(vm.state, VM_RUNNABLE);

	/* the RAM side is outside the guest's RAM: the guest stops, saying so */
	v->regs.rsi = DEV_BASE + 0x40;
	v->regs.rdi = RAM_SIZE + 0x1000;
	assert_int_equal(RUN(&ctx64, DEV_BASE + 0x40, 0xa4), -EINVAL);
	assert_non_null(strstr(stopped, "its destination at linear 0x1001000 is neither guest RAM"));

	/* neither operand is at the address that exited */
	setup();
	v->regs.rsi = 0x1000;
	v->regs.rdi = 0x2000;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0xa4), -EINVAL);
	assert_non_null(strstr(stopped, "neither its source (linear 0x1000) nor its destination (linear 0x2000)"));
}

/* MOV still does what it did, through the new paths */
static void
test_mov_and_errors(void **state)
{
	setup();
	v->regs.rax = 0x1122334455667788ULL;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x48, 0x89, 0x07), 3);        /* mov %rax, (%rdi) */
	assert_int_equal(dev64(0), 0x1122334455667788ULL);
	v->regs.rcx = ~0ULL;
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x8b, 0x0f), 2);              /* mov (%rdi), %ecx */
	assert_int_equal(v->regs.rcx, 0x55667788);
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x48, 0x0f, 0xbe, 0x0f), 4);  /* movsbq (%rdi), %rcx */
	assert_int_equal(v->regs.rcx, 0xFFFFFFFFFFFFFF88ULL);
	assert_int_equal(rflags, INITIAL_RFLAGS);

	/* addl $1, (%rax) is not emulated: the guest stops with the decoder's reason */
	assert_int_equal(RUN(&ctx64, DEV_BASE, 0x83, 0x00, 0x01), -EINVAL);
	assert_non_null(strstr(stopped, "fakedev access at GPA 0xfeb00000: cannot emulate the instruction: "
				"opcode 0x83 /0 is not"));
	assert_int_equal(vm.state, VM_STOPPED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alu_flags_match_host),
		cmocka_unit_test(test_alu_immediates),
		cmocka_unit_test(test_alu_registers),
		cmocka_unit_test(test_xchg),
		cmocka_unit_test(test_stos),
		cmocka_unit_test(test_movs),
		cmocka_unit_test(test_mov_and_errors),
	};
	return cmocka_run_group_tests_name("mmio", tests, NULL, NULL);
}
