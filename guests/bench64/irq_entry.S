/*
 * guests/bench64/irq_entry.S: the interrupt entry irq_inject_latency times
 * (SDM Vol. 3A, 6.14.2: the 64-bit interrupt frame; nothing pushed on top).
 *
 *   bench_irq_entry   In: an interrupt gate's entry, any stack. Stores the
 *                     TSC in bench_irq_tsc (two pushes after the first
 *                     instruction of the handler), sends no EOI (the
 *                     interrupted loop does), IRETQs. Preserves every
 *                     register.
 */
	.code64
	.text
	.globl bench_irq_entry
	.type bench_irq_entry, @function
bench_irq_entry:
	push	%rax
	push	%rdx
	rdtsc
	mov	%eax, bench_irq_tsc(%rip)
	mov	%edx, bench_irq_tsc + 4(%rip)
	pop	%rdx
	pop	%rax
	iretq
	.size bench_irq_entry, . - bench_irq_entry

	.section .note.GNU-stack, "", @progbits
