/*
 * guests/attack64/ports.c: port I/O to the PC's chips as if they were the
 * machine's own. Every port exits (vmx/exit_io.c) and reaches only this
 * guest's emulated devices, or nothing (reads all-ones, writes dropped):
 * masking the 8259s, reprogramming the 8254, rewriting PCI configuration
 * space or the CMOS, and the four ways a PC resets itself touch no real
 * chip. The checks here are only that the guest runs on; the proof is
 * beside it: the bystander's own PIT keeps ticking through its own 8259,
 * and the machine does not reset (under Bochs a real reset would boot the
 * image again and again, and the test would never end).
 */
#include "guests/attack64/attack.h"
#include "guests/lib/guest.h"
#include "guests/lib/tsc.h"
#include "kernel/x86.h"

#define PIC1_CMD        0x20
#define PIC1_DATA       0x21
#define PIC2_CMD        0xA0
#define PIC2_DATA       0xA1
#define ELCR1           0x4D0
#define ELCR2           0x4D1
#define PIT_CH0         0x40
#define PIT_CH2         0x42
#define PIT_CMD         0x43
#define PORT_B          0x61            /* PIT channel 2 gate, speaker */
#define DMA1_MASK       0x0A
#define DMA1_MODE       0x0B
#define DMA1_FLIPFLOP   0x0C
#define DMA1_ADDR2      0x04
#define DMA1_COUNT2     0x05
#define DMA_PAGE2       0x81
#define PCI_ADDR        0xCF8
#define PCI_DATA        0xCFC
#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define CMOS_NMI_OFF    0x80            /* bit 7 of the index: NMIs off on a real PC */
#define KBC_DATA        0x60
#define KBC_CMD         0x64
#define KBC_RESET       0xFE            /* pulse the reset line */
#define KBC_WRITE_OUT   0xD1            /* next data byte is the output port; bit 0 low resets */
#define RESET_CONTROL   0xCF9
#define PORT_92         0x92            /* system control port A: bit 0 resets */
#define STAY_MS         300

void
attack_pic_pit(void)
{
	/* 8259 pair: a new initialisation at vector 8 (the host's exceptions, on a real
	 * PC), then everything masked and a non-specific EOI for whatever is in service */
	outb(PIC1_CMD, 0x11); outb(PIC1_DATA, 0x08); outb(PIC1_DATA, 0x04); outb(PIC1_DATA, 0x01);
	outb(PIC2_CMD, 0x11); outb(PIC2_DATA, 0x70); outb(PIC2_DATA, 0x02); outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xFF);
	outb(PIC2_DATA, 0xFF);
	outb(PIC1_CMD, 0x20);
	outb(PIC2_CMD, 0x20);
	outb(ELCR1, 0xFF);
	outb(ELCR2, 0xFF);
	guest_check(inb(PIC1_DATA) == 0xFF && inb(PIC2_DATA) == 0xFF,
		    "pic-pit: both 8259s masked (its own: IMR %#x %#x)", inb(PIC1_DATA), inb(PIC2_DATA));

	/* 8254: channel 0 stopped in mode 0 with count 1, channel 2 and the speaker on */
	outb(PIT_CMD, 0x30); outb(PIT_CH0, 0x01); outb(PIT_CH0, 0x00);
	outb(PIT_CMD, 0xB6); outb(PIT_CH2, 0x00); outb(PIT_CH2, 0x01);
	outb(PORT_B, 0x03);
	outb(PIT_CMD, 0xC2);                    /* read-back, channel 0 status */
	(void)inb(PIT_CH0);

	/* ISA DMA channel 2 aimed at 1 MiB, where the hypervisor is loaded */
	outb(DMA1_MASK, 0x06);
	outb(DMA1_FLIPFLOP, 0);
	outb(DMA1_ADDR2, 0x00); outb(DMA1_ADDR2, 0x00);
	outb(DMA_PAGE2, 0x10);
	outb(DMA1_COUNT2, 0xFF); outb(DMA1_COUNT2, 0xFF);
	outb(DMA1_MODE, 0x46);                  /* single, device to memory */
	outb(DMA1_MASK, 0x02);                  /* unmask channel 2 */

	guest_printf("attack64: pic-pit: 8259s re-initialised and masked, 8254 channel 0 stopped, "
		     "DMA channel 2 aimed at 1 MiB; staying %d ms\n", STAY_MS);
	tsc_delay_us(STAY_MS * 1000ul);
	guest_printf("attack64: pic-pit: still running after %d ms\n", STAY_MS);
}

static uint32_t
pci_addr(unsigned dev, unsigned reg)
{
	return 0x80000000u | dev << 11 | reg;
}

void
attack_pci(void)
{
	uint32_t id;

	outl(PCI_ADDR, pci_addr(0, 0));
	id = inl(PCI_DATA);
	guest_printf("attack64: pci: bus 0 device 0 reads id %#x (its own view: no bridge or an emulated one)\n",
		     id);
	/* every device on bus 0: decoding off, BAR 0 moved to 0, bus master on */
	for (unsigned dev = 0; dev < 32; dev++) {
		outl(PCI_ADDR, pci_addr(dev, 0x04));
		outw(PCI_DATA, 0x0004);
		outl(PCI_ADDR, pci_addr(dev, 0x10));
		outl(PCI_DATA, 0);
	}
	/* the host bridge's PAM registers (BIOS shadow RAM) and SMRAM control, byte by byte */
	for (unsigned reg = 0x59; reg <= 0x5F; reg++) {
		outl(PCI_ADDR, pci_addr(0, reg & ~3u));
		outb((uint16_t)(PCI_DATA + (reg & 3)), 0x00);
	}
	outl(PCI_ADDR, pci_addr(0, 0x70));
	outb(PCI_DATA + 2, 0x4A);               /* i440FX SMRAM: D_OPEN */
	outb(0xCFB, 0x01);                      /* configuration mechanism select */
	outl(PCI_ADDR, 0);

	/* CMOS: NMIs off on a real PC, the shutdown status byte set to "jump" */
	outb(CMOS_INDEX, CMOS_NMI_OFF | 0x0F);
	outb(CMOS_DATA, 0x0A);
	outb(CMOS_INDEX, 0x0D);
	guest_printf("attack64: pci: every bus 0 device's command and BAR 0 rewritten, PAM and SMRAM "
		     "cleared, CMOS shutdown byte set; staying %d ms\n", STAY_MS);
	tsc_delay_us(STAY_MS * 1000ul);
	guest_printf("attack64: pci: still running after %d ms\n", STAY_MS);
}

/* One of the PC's reset doors. A real reset would restart the machine; an
 * emulated one restarts this guest alone (and it then tries again). */
static void
reset(const char *what, uint16_t port, uint8_t value)
{
	guest_printf("attack64: reset: writing %#x to port %#x (%s)\n", value, port, what);
	outb(port, value);
	tsc_delay_us(10000);
	guest_printf("attack64: reset: still running after %s\n", what);
}

void attack_reset_kbc(void) { reset("the keyboard controller's reset command", KBC_CMD, KBC_RESET); }

void
attack_reset_kbc_output(void)
{
	outb(KBC_CMD, KBC_WRITE_OUT);
	reset("the keyboard controller's output port, reset bit low", KBC_DATA, 0x00);
}

void
attack_reset_cf9(void)
{
	outb(RESET_CONTROL, 0x02);
	reset("the reset control register, hard reset", RESET_CONTROL, 0x06);
}

void attack_reset_port92(void) { reset("system control port A, fast reset", PORT_92, 0x01); }
