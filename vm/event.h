/*
 * vm/event.h: the one event a vCPU has waiting for delivery, and how a new
 * exception combines with it. When delivering one exception raises another,
 * the CPU either delivers the second, promotes the pair to a double fault,
 * or, on a fault during a double fault, shuts down (SDM Vol. 3A, 6.15,
 * "Interrupt 8 - Double Fault Exception", Tables 6-4 and 6-5). The
 * hypervisor must do the same when it injects an exception on top of one
 * whose delivery a VM exit interrupted.
 */
#ifndef VM_EVENT_H
#define VM_EVENT_H

#include "kernel/compiler.h"

/* Event types, numbered as both VT-x and SVM number them. */
#define VCPU_EVENT_EXT_INTR     0
#define VCPU_EVENT_NMI          2
#define VCPU_EVENT_EXCEPTION    3
#define VCPU_EVENT_SW_INTR      4       /* INT n */
#define VCPU_EVENT_PRIV_SW_EXC  5       /* INT1 */
#define VCPU_EVENT_SW_EXC       6       /* INT3, INTO */

#define VEC_DOUBLE_FAULT        8

struct vcpu_event {
	bool valid;
	uint8_t vector;
	uint8_t type;                   /* VCPU_EVENT_* */
	bool has_error_code;
	uint32_t error_code;
	uint32_t instruction_len;       /* software interrupts and exceptions: bytes to skip */
};

enum exception_class {
	EXC_BENIGN,
	EXC_CONTRIBUTORY,
	EXC_PAGE_FAULT,
	EXC_DOUBLE_FAULT,
};

enum exception_class event_exception_class(uint8_t vector);

/*
 * Queue exception (vector, error code) in *pending, combining it with an
 * exception already there as the CPU would. Returns false when the
 * combination is a triple fault: the guest must be shut down.
 */
bool event_queue_exception(struct vcpu_event *pending, uint8_t vector, bool has_error_code, uint32_t error_code);

/* Does the vector push an error code when delivered as an exception (SDM Vol. 3A, Table 6-1)? */
bool event_has_error_code(uint8_t vector);

#endif
