/*
 * guests/mmio64/main.c: accesses to emulated device memory (the test
 * device's scratch register, devices/testdev.h) with the instruction forms
 * the hypervisor's MMIO path decodes, each checked against what the same
 * instruction does on RAM (SDM Vol. 1, 3.4.1.1: a 32-bit result
 * zero-extends, 8- and 16-bit results leave the rest of the register).
 */
#include "guests/lib/guest.h"
#include "kernel/x86.h"
#include "guests/lib/testdev.h"

GUEST_NAME("mmio64");

void
guest_main(void)
{
	volatile uint64_t *scratch = testdev_map();
	uint64_t r;

	*scratch = 0x1122334455667788ul;
	guest_check(*scratch == 0x1122334455667788ul, "64-bit store and load (mov)");

	*(volatile uint32_t *)scratch = 0xAABBCCDD;
	guest_check(*scratch == 0x11223344AABBCCDDul, "32-bit store leaves the other bytes");

	r = 0xFFFFFFFFFFFFFFFFul;
	__asm__ volatile("movl (%1), %k0" : "+r"(r) : "r"(scratch) : "memory");
	guest_check(r == 0xAABBCCDD, "32-bit load zero-extends (got %#lx)", r);

	r = 0xFFFFFFFFFFFFFFFFul;
	__asm__ volatile("movw (%1), %w0" : "+r"(r) : "r"(scratch) : "memory");
	guest_check(r == 0xFFFFFFFFFFFFCCDDul, "16-bit load keeps bits 63:16 (got %#lx)", r);

	__asm__ volatile("movb $0x5A, (%0)" : : "r"(scratch) : "memory");
	guest_check((*scratch & 0xFF) == 0x5A, "byte store of an immediate (movb $imm)");

	r = 0x1111111111111111ul;
	__asm__ volatile("movb (%1), %%ah" : "+a"(r) : "b"(scratch) : "memory");
	guest_check(r == 0x1111111111115A11ul, "load into AH (got %#lx)", r);

	*scratch = 0x80;
	__asm__ volatile("movsbq (%1), %0" : "=r"(r) : "r"(scratch) : "memory");
	guest_check(r == 0xFFFFFFFFFFFFFF80ul, "movsx sign-extends a byte (got %#lx)", r);
	__asm__ volatile("movzbl (%1), %k0" : "=r"(r) : "r"(scratch) : "memory");
	guest_check(r == 0x80, "movzx zero-extends a byte (got %#lx)", r);

	__asm__ volatile("movq $0x123, %%r9\n\tmovq %%r9, (%0)" : : "r"(scratch) : "r9", "memory");
	guest_check(*scratch == 0x123, "store from r9 (REX.R)");

	guest_check(*(volatile uint64_t *)(TESTDEV_MMIO_BASE + 0x800) == 0,
		    "an offset with no register reads zero");

	/* read-modify-write and the flags they leave (SDM Vol. 2: OR, AND, CMP, XCHG, STOS) */
	*scratch = 0xF0;
	__asm__ volatile("orq $0x0F, (%0)" : : "r"(scratch) : "memory", "cc");
	guest_check(*scratch == 0xFF, "or to device memory (got %#lx)", *scratch);
	__asm__ volatile("andq $0x3C, (%0)" : : "r"(scratch) : "memory", "cc");
	guest_check(*scratch == 0x3C, "and to device memory (got %#lx)", *scratch);
	{
		uint8_t zf;

		__asm__ volatile("cmpq $0x3C, (%1)\n\tsete %0" : "=r"(zf) : "r"(scratch) : "memory", "cc");
		guest_check(zf == 1, "cmp with device memory sets ZF when equal");
		__asm__ volatile("cmpq $0x3D, (%1)\n\tsete %0" : "=r"(zf) : "r"(scratch) : "memory", "cc");
		guest_check(zf == 0, "cmp with device memory clears ZF when not equal");
	}
	r = 0x77;
	__asm__ volatile("xchgq %0, (%1)" : "+r"(r) : "r"(scratch) : "memory");
	guest_check(r == 0x3C && *scratch == 0x77, "xchg with device memory (got %#lx, left %#lx)", r, *scratch);
	{
		uint64_t count = 4;
		volatile void *dst = scratch;

		__asm__ volatile("cld\n\trep stosw" : "+c"(count), "+D"(dst) : "a"(0xABCD) : "memory");
		guest_check(*scratch == 0xABCDABCDABCDABCDul && count == 0,
			    "rep stosw to device memory (got %#lx, rcx %lu)", *scratch, count);
	}
	guest_pass();
}
