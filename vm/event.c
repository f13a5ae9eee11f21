/*
 * vm/event.c: exception classes and their combination (SDM Vol. 3A, 6.15,
 * Table 6-4 "Interrupt and Exception Classes" and Table 6-5 "Conditions for
 * Generating a Double Fault"). Pure logic, unit-tested on the host.
 */
#include "vm/event.h"

enum exception_class
event_exception_class(uint8_t vector)
{
	switch (vector) {
	case 0:                 /* #DE */
	case 10:                /* #TS */
	case 11:                /* #NP */
	case 12:                /* #SS */
	case 13:                /* #GP */
	case 21:                /* #CP */
		return EXC_CONTRIBUTORY;
	case 14:                /* #PF */
	case 20:                /* #VE: a page fault as far as promotion goes (SDM 6.15, #DF) */
		return EXC_PAGE_FAULT;
	case VEC_DOUBLE_FAULT:
		return EXC_DOUBLE_FAULT;
	default:
		return EXC_BENIGN;
	}
}

bool
event_has_error_code(uint8_t vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 ||
	       vector == 29 || vector == 30;
}

bool
event_queue_exception(struct vcpu_event *pending, uint8_t vector, bool has_error_code, uint32_t error_code)
{
	struct vcpu_event next = {
		.valid = true, .vector = vector, .type = VCPU_EVENT_EXCEPTION,
		.has_error_code = has_error_code, .error_code = error_code,
	};

	if (pending->valid && pending->type == VCPU_EVENT_EXCEPTION) {
		enum exception_class first = event_exception_class(pending->vector);
		enum exception_class second = event_exception_class(vector);

		if (first == EXC_DOUBLE_FAULT && second != EXC_BENIGN)
			return false;                           /* shutdown: a triple fault */
		if ((first == EXC_CONTRIBUTORY && second == EXC_CONTRIBUTORY) ||
		    (first == EXC_PAGE_FAULT && second != EXC_BENIGN))
			next = (struct vcpu_event){
				.valid = true, .vector = VEC_DOUBLE_FAULT, .type = VCPU_EVENT_EXCEPTION,
				.has_error_code = true, .error_code = 0,
			};
	}
	/* anything else (a benign first, an interrupt cut short): the new exception
	 * is delivered and the interrupted event is raised again by the guest
	 * re-executing, as the CPU handles them serially */
	*pending = next;
	return true;
}
