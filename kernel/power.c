/*
 * kernel/power.c: stop the machine when the hypervisor has nothing left to do.
 *
 * Under QEMU, a write to the isa-debug-exit device (port 0xF4, present when
 * QEMU was started with -device isa-debug-exit) ends QEMU with that code.
 * Under Bochs, "xchg %bx,%bx" is the magic breakpoint that hands control to
 * its debugger (magic_break: enabled=1), which the test rig tells to quit; on
 * any other CPU it is a two-byte no-op. Everywhere else the CPU halts with
 * interrupts off: the user reads the last lines on the console.
 */
#include "kernel/power.h"
#include "drivers/serial.h"
#include "kernel/x86.h"

#define FW_CFG_PORT_SEL     0x510   /* QEMU fw_cfg selector (docs/specs/fw_cfg.rst) */
#define FW_CFG_PORT_DATA    0x511
#define FW_CFG_SIGNATURE    0x0000
#define ISA_DEBUG_EXIT_PORT 0xF4

static bool on_qemu;

/* Is this QEMU? Its fw_cfg device answers "QEMU" to the signature key. */
void
power_detect(void)
{
	char sig[4];

	outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	for (int i = 0; i < 4; i++)
		sig[i] = (char)inb(FW_CFG_PORT_DATA);
	on_qemu = sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U';
}

bool
power_is_qemu(void)
{
	return on_qemu;
}

void
power_stop(int code)
{
	cli();
	serial_flush();
	if (on_qemu)
		outb(ISA_DEBUG_EXIT_PORT, (uint8_t)code);
	__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
	for (;;)
		hlt();
}
