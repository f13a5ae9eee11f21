/*
 * guests/triple64/main.c: a guest that triple-faults (SDM Vol. 3A, 6.15,
 * interrupt 8: a fault while delivering #DF shuts the processor down). With
 * an empty IDT, UD2's #UD cannot be delivered (#GP), nor can that #GP
 * (#DF), nor the #DF: a triple fault, which the hypervisor sees as a VM
 * exit (SDM Vol. 3C, 27.2) and answers by stopping this guest alone.
 */
#include "guests/lib/guest.h"

GUEST_NAME("triple64");

void
guest_main(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed empty = { 0, 0 };

	guest_printf("loading an empty IDT, then ud2: expect a triple fault\n");
	__asm__ volatile("lidt %0; ud2" : : "m"(empty));
	guest_fail("still running after a triple fault");
}
