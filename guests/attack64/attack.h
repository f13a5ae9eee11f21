/*
 * guests/attack64/attack.h: the attacks attack64 can make, one group per
 * file. The description's cmdline= names one attack (main.c's table); the
 * guest runs it and, if it is still running at the end, prints
 * "attack64: NAME: contained" and PASS. An attack that must end in the
 * hypervisor stopping this guest prints what it is about to do and fails
 * if the access ever returns.
 */
#ifndef GUESTS_ATTACK64_ATTACK_H
#define GUESTS_ATTACK64_ATTACK_H

#include <stdbool.h>
#include <stdint.h>

#include "guests/lib/trap.h"

/* Bytes of guest RAM, from the Multiboot information (mem_upper + 1 MiB). */
uint64_t attack_ram_size(void);

/* Run fn(arg) and check it raised exactly vector (TRAP_NONE: that it raised nothing). */
bool attack_expect(void (*fn)(void *), void *arg, uint64_t vector, const char *what);

/* Run fn(arg), which may raise #GP or nothing (an access a future device may accept);
 * any other exception fails the check. */
bool attack_expect_gp_or_none(void (*fn)(void *), void *arg, const char *what);

/* memory.c: guest-physical addresses outside RAM, other guests' host-physical ones, page tables */
void attack_gpa_read_above(void);
void attack_gpa_write_above(void);
void attack_gpa_read_4g(void);
void attack_gpa_write_4g(void);
void attack_gpa_read_maxphys(void);
void attack_gpa_write_maxphys(void);
void attack_gpa_reserved(void);
void attack_hostphys(void);
void attack_pt_leaf(void);
void attack_pt_table(void);
void attack_pt_cr3(void);

/* cpu.c: VMX instructions, control registers, MSRs */
void attack_vmx(void);
void attack_cr4(void);
void attack_msr(void);

/* ports.c: the PC's chips, as if they were real */
void attack_pic_pit(void);
void attack_pci(void);
void attack_reset_kbc(void);
void attack_reset_kbc_output(void);
void attack_reset_cf9(void);
void attack_reset_port92(void);

/* ipi.c: INIT, SIPI and NMI through the local APIC's ICR */
void attack_ipi(void);

/* hypercall.c: bad pointers, lengths and numbers */
void attack_hypercall(void);
void attack_hypercall_user(void);

/* flood.c: exits as fast as the guest can cause them */
void attack_flood(void);

#endif
