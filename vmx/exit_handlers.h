/*
 * vmx/exit_handlers.h: the exit handlers that live in their own files,
 * one hardware concept each; vmx/exit.c puts them in the exit table.
 */
#ifndef VMX_EXIT_HANDLERS_H
#define VMX_EXIT_HANDLERS_H

#include "vm/backend.h"

enum vcpu_action vmx_exit_cr(struct vcpu *v);             /* vmx/exit_cr.c */
enum vcpu_action vmx_exit_xsetbv(struct vcpu *v);         /* vmx/exit_cr.c */
enum vcpu_action vmx_exit_io(struct vcpu *v);             /* vmx/exit_io.c */
enum vcpu_action vmx_exit_rdmsr(struct vcpu *v);          /* vmx/exit_msr.c */
enum vcpu_action vmx_exit_wrmsr(struct vcpu *v);          /* vmx/exit_msr.c */
enum vcpu_action vmx_exit_ept_violation(struct vcpu *v);  /* vmx/exit_ept.c */
enum vcpu_action vmx_exit_ept_misconfig(struct vcpu *v);  /* vmx/exit_ept.c */
enum vcpu_action vmx_exit_apic_access(struct vcpu *v);    /* vmx/exit_apic.c */
enum vcpu_action vmx_exit_apic_write(struct vcpu *v);     /* vmx/exit_apic.c */
enum vcpu_action vmx_exit_tpr_below_threshold(struct vcpu *v);  /* vmx/exit_apic.c */
enum vcpu_action vmx_exit_virtualized_eoi(struct vcpu *v);      /* vmx/exit_apic.c */

/* vmx/exit.c */
bool vmx_guest_64bit(void);

#endif
