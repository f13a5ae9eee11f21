# Makefile: the whole build, one flat file. Sources are listed per folder;
# every product lands in $(BUILD)/, never beside the sources.
#
#   make            the hypervisor ELF (and its 32-bit copy for qemu -kernel)
#   make iso        a hybrid BIOS+UEFI GRUB image, also for USB sticks
#   make run        build and boot the default image (ENGINE=qemu|bochs)
#   make test       every test tier that fits CI; one summary line at the end
#   make test-unit  the host unit tests only
#   make test-system the system tests only (boot in QEMU and Bochs)
#   make test-slow  every tier, slow tests included
#   make fuzz       the fuzz targets for FUZZ_TIME seconds each (default 600)
#   make deps       install the Debian packages the above need (scripts/deps.sh)
#   make clean

BUILD   ?= build
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)
CC      := gcc
LD      := ld
OBJCOPY := objcopy
ENGINE  ?= auto

# Making images, running and testing install what is missing first; a plain
# build does not. The packages are listed in scripts/packages.txt.
NEED_DEPS := $(if $(filter iso usb efi guests linux% run test test-% bench fuzz,$(MAKECMDGOALS)),deps)

# --- the hypervisor -------------------------------------------------------

BOOT_SRCS    := $(wildcard boot/*.c boot/*.S)
KERNEL_SRCS  := $(wildcard kernel/*.c kernel/*.S)
MM_SRCS      := $(wildcard mm/*.c)
DRIVERS_SRCS := $(wildcard drivers/*.c)
VM_SRCS      := $(wildcard vm/*.c)
DEVICES_SRCS := $(wildcard devices/*.c)
VMX_SRCS     := $(wildcard vmx/*.c vmx/*.S)
LIB_SRCS     := $(wildcard lib/*.c)
SRCS := $(BOOT_SRCS) $(KERNEL_SRCS) $(MM_SRCS) $(DRIVERS_SRCS) $(VM_SRCS) $(DEVICES_SRCS) \
	$(VMX_SRCS) $(LIB_SRCS)
OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(SRCS))

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter -Wvla
KERNEL_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -I. \
	-ffreestanding -fno-builtin -fno-stack-protector -fno-pic -fno-pie \
	-mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -MMD -MP
KERNEL_ASFLAGS := -I. -g -D__ASSEMBLY__ -fno-pic -MMD -MP

ELF   := $(BUILD)/hypervisor.elf
ELF32 := $(BUILD)/hypervisor32.elf
ISO   := $(BUILD)/hypervisor.iso

.PHONY: all iso run test test-unit test-system test-slow bench deps clean
all: $(ELF) $(ELF32)

$(OBJS): | $(NEED_DEPS)

$(BUILD)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(ELF): $(OBJS) linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) -n -nostdlib -z max-page-size=0x1000 -z noexecstack -T linker.ld -o $@ $(OBJS)

# QEMU's -kernel takes Multiboot1 only from a 32-bit ELF; the code is the same.
$(ELF32): $(ELF)
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

-include $(OBJS:.o=.d)

# --- the console font -------------------------------------------------------
# drivers/fbcon.c draws text on a framebuffer with a PSF font from Debian's
# console-setup-linux (scripts/packages.txt), built into the image by
# drivers/fbcon_font.S. Lat15-VGA16 is the IBM VGA 8x16 font.
FONT_PSF_GZ := /usr/share/consolefonts/Lat15-VGA16.psf.gz
FONT_PSF    := $(BUILD)/font/$(basename $(notdir $(FONT_PSF_GZ)))
FONT_OBJ    := $(BUILD)/obj/drivers/fbcon_font.S.o
OBJS        += $(FONT_OBJ)

$(FONT_PSF): | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	@[ -f $(FONT_PSF_GZ) ] || { echo "no $(FONT_PSF_GZ): install console-setup-linux (make deps)" >&2; exit 1; }
	@echo "  GUNZIP  $(FONT_PSF_GZ)"
	$(Q)gzip -dc $(FONT_PSF_GZ) > $@.tmp && mv $@.tmp $@

$(FONT_OBJ): $(FONT_PSF)
$(FONT_OBJ): KERNEL_ASFLAGS += -DFONT_PSF='"$(FONT_PSF)"'
$(ELF): $(FONT_OBJ)
# test/unit/test_psf.c reads the same font.
$(BUILD)/unit/test_psf: $(FONT_PSF)
$(BUILD)/unit/test_psf: HOST_CFLAGS += -DFONT_PSF='"$(FONT_PSF)"'

clean:
	rm -rf $(BUILD)

deps:
	$(Q)scripts/deps.sh

# --- test guests ----------------------------------------------------------------
# Each guest is a folder guests/NAME/ (its .c and .S files) linked with the
# shared runtime in guests/lib/ and with the hypervisor's own lib/format.c and
# lib/string.c, compiled again, from where they are, with the guest's flags.
# Products: $(BUILD)/guests/NAME.elf (64-bit ELF64 or 32-bit Multiboot1
# ELF32, linked at 1 MiB) and NAME.bin (real mode, flat, for 0x7c00).
#
#   make guests     build every guest

GUESTS64 := hello64 exits64 triple64 badmem64 vmxon64 featctl64 bench64 mmio64 \
	idt64 df64 pit64 lapic64 spin64 nmi64 fpu64 fpu64b pc64 echo64 echo64b nap64 pingpong64 \
	attack64 bystander64 msr64
GUESTS32 := hello32 share32
GUESTS16 := real16
GUEST_OUT := $(BUILD)/guests
GUEST_IMAGES := $(GUESTS64:%=$(GUEST_OUT)/%.elf) $(GUESTS32:%=$(GUEST_OUT)/%.elf) \
	$(GUESTS16:%=$(GUEST_OUT)/%.bin) $(GUEST_OUT)/linuxboot64.bzImage

GUEST_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -I. \
	-ffreestanding -fno-pic -fno-pie -mgeneral-regs-only -nostdlib -static \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-strict-aliasing -MMD -MP
GUEST64_CFLAGS := $(GUEST_CFLAGS) -m64 -mno-red-zone -mcmodel=small
GUEST32_CFLAGS := $(GUEST_CFLAGS) -m32 -march=i686
GUEST16_CFLAGS := -m32 -I. -g -MMD -MP         # .S only: cpp, then as --32 (.code16 inside)
GUEST_LDFLAGS := -nostdlib -static -no-pie \
	-Wl,--fatal-warnings,--build-id=none,-z,max-page-size=0x1000,-z,noexecstack

GUEST_LIB := guests/lib/guest.c guests/lib/serial.c lib/format.c lib/string.c
GUEST_LIB64 := guests/lib/entry64.S guests/lib/trap.S guests/lib/trap.c guests/lib/idt.c \
	guests/lib/paging.c guests/lib/tsc.c guests/lib/pic.c guests/lib/pit.c guests/lib/lapic.c \
	guests/lib/ioapic.c guests/lib/testdev.c $(GUEST_LIB)
GUEST_LIB32 := guests/lib/entry32.S guests/lib/libgcc32.c guests/lib/tsc.c $(GUEST_LIB)
GUEST_LIB16 := guests/lib/rt16.S

# $(call guest_objs,BITS,SOURCES): the objects of SOURCES built for BITS.
guest_objs = $(patsubst %,$(GUEST_OUT)/obj$(1)/%.o,$(2))
# $(call guest_all_objs,NAME,BITS): a guest's own objects and the runtime's.
guest_all_objs = $(call guest_objs,$(2),$(GUEST_LIB$(2)) $(wildcard guests/$(1)/*.c guests/$(1)/*.S))

.PHONY: guests
guests: $(GUEST_IMAGES)

$(GUEST_OUT)/obj64/%.c.o: %.c | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	$(Q)$(CC) $(GUEST64_CFLAGS) -c $< -o $@

$(GUEST_OUT)/obj64/%.S.o: %.S | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	@echo "  AS64    $<"
	$(Q)$(CC) $(GUEST64_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(GUEST_OUT)/obj32/%.c.o: %.c | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC32    $<"
	$(Q)$(CC) $(GUEST32_CFLAGS) -c $< -o $@

$(GUEST_OUT)/obj32/%.S.o: %.S | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	@echo "  AS32    $<"
	$(Q)$(CC) $(GUEST32_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(GUEST_OUT)/obj16/%.S.o: %.S | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	@echo "  AS16    $<"
	$(Q)$(CC) $(GUEST16_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

define guest_elf
$(GUEST_OUT)/$(1).elf: $(call guest_all_objs,$(1),$(2)) guests/lib/guest$(2).ld
	@echo "  LD      $$@"
	$(Q)$(CC) $(GUEST$(2)_CFLAGS) $(GUEST_LDFLAGS) -T guests/lib/guest$(2).ld -o $$@ \
		$(call guest_all_objs,$(1),$(2))
endef

# Real mode: an ELF for objdump, and the flat image made from it.
define guest_bin
$(GUEST_OUT)/$(1).elf: $(call guest_all_objs,$(1),16) guests/lib/guest16.ld
	@echo "  LD      $$@"
	$(Q)$(LD) -m elf_i386 --fatal-warnings --build-id=none -z noexecstack \
		-T guests/lib/guest16.ld -o $$@ $(call guest_all_objs,$(1),16)
$(GUEST_OUT)/$(1).bin: $(GUEST_OUT)/$(1).elf
	@echo "  OBJCOPY $$@"
	$(Q)$(OBJCOPY) -O binary $$< $$@
endef

$(foreach g,$(GUESTS64),$(eval $(call guest_elf,$(g),64)))
$(foreach g,$(GUESTS32),$(eval $(call guest_elf,$(g),32)))
$(foreach g,$(GUESTS16),$(eval $(call guest_bin,$(g))))

# guests/linuxboot64: a stand-in Linux kernel for testing the Linux boot
# protocol (vm/linux.c) without one: a 64-bit guest linked as a bzImage,
# the setup header (section .setup) first, then the protected-mode part.
$(GUEST_OUT)/linuxboot64.elf: $(call guest_all_objs,linuxboot64,64) guests/linuxboot64/bzimage.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(GUEST64_CFLAGS) $(GUEST_LDFLAGS) -T guests/linuxboot64/bzimage.ld -o $@ \
		$(call guest_all_objs,linuxboot64,64)
$(GUEST_OUT)/linuxboot64.bzImage: $(GUEST_OUT)/linuxboot64.elf
	@echo "  BZIMAGE $@"
	$(Q)$(OBJCOPY) -O binary -j .setup $< $@.setup
	$(Q)$(OBJCOPY) -O binary -R .setup $< $@.kernel
	$(Q)cat $@.setup $@.kernel > $@ && rm -f $@.setup $@.kernel

-include $(shell find $(GUEST_OUT) -name '*.d' 2>/dev/null)

# --- the Linux guest ------------------------------------------------------------
# guests/linux/: a small Linux 6.1 (make tinyconfig + guests/linux/kernel.config,
# from Debian's linux-source-6.1) and a busybox initramfs (Debian's
# busybox-static), built by scripts/linux.sh in $(BUILD)/linux/. Only the
# first build pays the kernel's few minutes. To use your own instead:
#   LINUX_KERNEL=path/to/bzImage LINUX_INITRD=path/to/initrd make ...
#
#   make linux         $(BUILD)/linux/bzImage and $(BUILD)/linux/initramfs.cpio.gz
#   make linux-debian  $(BUILD)/linux-debian/vmlinuz: Debian's stock kernel,
#                      unpacked, not installed (scripts/linux-debian.sh)

LINUX_OUT     := $(BUILD)/linux
LINUX_SOURCE  := /usr/src/linux-source-6.1.tar.xz
BUSYBOX       := /bin/busybox
LINUX_KERNEL  ?= $(LINUX_OUT)/bzImage
LINUX_INITRD  ?= $(LINUX_OUT)/initramfs.cpio.gz
LINUX_INITRAMFS_FILES := guests/linux/initramfs.list guests/linux/init guests/linux/inittab \
	guests/linux/profile

.PHONY: linux linux-debian
linux: $(LINUX_KERNEL) $(LINUX_INITRD)

$(LINUX_SOURCE) $(BUSYBOX): | $(NEED_DEPS)
	@[ -f $@ ] || { echo "no $@: install $(if $(filter $(BUSYBOX),$@),busybox-static,linux-source-6.1) (make deps)" >&2; exit 1; }

# Unpacking again wipes the kernel's objects: only a new source does it.
$(LINUX_OUT)/src/.unpacked: $(LINUX_SOURCE)
	$(Q)LINUX_SOURCE=$(LINUX_SOURCE) BUSYBOX=$(BUSYBOX) scripts/linux.sh unpack $(LINUX_OUT)

$(LINUX_OUT)/bzImage: $(LINUX_OUT)/src/.unpacked guests/linux/kernel.config scripts/linux.sh
	$(Q)LINUX_SOURCE=$(LINUX_SOURCE) BUSYBOX=$(BUSYBOX) scripts/linux.sh kernel $(LINUX_OUT)

$(LINUX_OUT)/initramfs.cpio.gz: $(LINUX_OUT)/src/.unpacked $(LINUX_INITRAMFS_FILES) $(BUSYBOX) \
		scripts/linux.sh
	$(Q)LINUX_SOURCE=$(LINUX_SOURCE) BUSYBOX=$(BUSYBOX) scripts/linux.sh initramfs $(LINUX_OUT)

linux-debian: | $(NEED_DEPS)
	$(Q)scripts/linux-debian.sh $(BUILD)/linux-debian

# What the default image (make iso, make run) carries, as a demo: the Linux
# guest of guests/linux/ with its shell on the console (it has the keyboard
# first), beside one small guest of each start mode. Each -g is "FILE DESCRIPTION" (scripts/mkiso.sh);
# the description is vm/guest_desc.h's format, written into grub.cfg as is.
ISO_GUESTS := \
	-g "$(LINUX_KERNEL) name=linux kind=linux mem=64M cmdline=\"console=ttyS0\" initrd=initramfs.cpio.gz" \
	-g "$(LINUX_INITRD) initramfs.cpio.gz" \
	-g "$(GUEST_OUT)/hello64.elf name=hello64 kind=elf mem=4M" \
	-g "$(GUEST_OUT)/hello32.elf name=hello32 kind=multiboot mem=4M cmdline=\"hello from grub.cfg\"" \
	-g "$(GUEST_OUT)/real16.bin name=real16 kind=flat mem=1M load=0x7c00 mode=real"

# --- images and running -------------------------------------------------------
# scripts/mkiso.sh also makes the test rig's variant images (other command
# lines, the Multiboot1 entry) from the same ELFs.

iso: $(ISO)

$(ISO): $(ELF) $(ELF32) scripts/mkiso.sh scripts/grub.cfg.in $(GUEST_IMAGES) $(LINUX_KERNEL) $(LINUX_INITRD) | $(NEED_DEPS)
	@echo "  ISO     $@"
	$(Q)scripts/mkiso.sh $@ $(ELF) $(ELF32) $(ISO_GUESTS)

run: $(ISO) $(ELF32)
	$(Q)BUILD=$(BUILD) scripts/run.sh $(ENGINE)

# --- the UEFI loader and the USB stick ------------------------------------------
# boot/efi/ is BOOTX64.EFI, the hypervisor's own UEFI loader, built with
# Debian's gnu-efi: a position-independent ELF shared object turned into a
# PE32+ EFI application by objcopy. Its pure parts (config, memory map,
# ELF check) and boot/memmap.c are also host-tested.
#
#   make efi        $(BUILD)/BOOTX64.EFI
#   make usb        $(BUILD)/hypervisor-usb.img: GPT disk image, ESP with the
#                   loader, the hypervisor and the default guests, GRUB for BIOS

EFI_APP  := $(BUILD)/BOOTX64.EFI
USB_IMG  := $(BUILD)/hypervisor-usb.img
EFI_SRCS := boot/efi/main.c boot/efi/config.c boot/efi/efi_memmap.c boot/efi/image.c boot/memmap.c
EFI_OBJS := $(patsubst %,$(BUILD)/efi/%.o,$(EFI_SRCS))
GNUEFI_INC := /usr/include/efi
GNUEFI_LIB := /usr/lib
EFI_CFLAGS := -std=gnu11 -O2 $(WARNINGS) -I. -isystem $(GNUEFI_INC) -isystem $(GNUEFI_INC)/x86_64 \
	-ffreestanding -fno-stack-protector -fno-strict-aliasing -fpic -fshort-wchar \
	-mno-red-zone -maccumulate-outgoing-args -mgeneral-regs-only -DEFI_FUNCTION_WRAPPER -MMD -MP
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	-j .rel.* -j .rela.* -j .reloc

.PHONY: efi usb
efi: $(EFI_APP)
usb: $(USB_IMG)

$(EFI_OBJS): | $(NEED_DEPS)

$(BUILD)/efi/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  EFICC   $<"
	$(Q)$(CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/efi/loader.so: $(EFI_OBJS)
	@echo "  EFILD   $@"
	$(Q)$(LD) -shared -Bsymbolic -nostdlib -znocombreloc -z noexecstack \
		-T $(GNUEFI_LIB)/elf_x86_64_efi.lds $(GNUEFI_LIB)/crt0-efi-x86_64.o $(EFI_OBJS) \
		-L$(GNUEFI_LIB) -lefi -lgnuefi -o $@

$(EFI_APP): $(BUILD)/efi/loader.so
	@echo "  EFIAPP  $@"
	$(Q)$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

-include $(EFI_OBJS:.o=.d)

$(USB_IMG): $(ELF) $(EFI_APP) scripts/mkusb.sh scripts/grub.cfg.in $(GUEST_IMAGES) $(LINUX_KERNEL) $(LINUX_INITRD) | $(NEED_DEPS)
	@echo "  USB     $@"
	$(Q)scripts/mkusb.sh $@ $(ELF) $(EFI_APP) $(ISO_GUESTS)

# The system tests boot the stick too (test/system/efi-*.test).
test test-system test-slow: $(USB_IMG)

# ... and Linux without the hypervisor (test/system/linux-*.test): built
# when every test runs, or when TESTS names a Linux test.
LINUX_TESTS := $(if $(TESTS),$(filter linux-%,$(TESTS)),all)
test test-system test-slow: $(if $(LINUX_TESTS),$(LINUX_OUT)/bzImage $(LINUX_OUT)/initramfs.cpio.gz)
test-slow: $(if $(filter all linux-debian-%,$(LINUX_TESTS)),linux-debian)

# --- host unit tests ----------------------------------------------------------
# Each test/unit/test_X.c includes the sources it tests and links with
# test/unit/fake.c; built for the host with AddressSanitizer and UBSan.

UNIT_TESTS := $(patsubst test/unit/%.c,$(BUILD)/unit/%,$(wildcard test/unit/test_*.c))
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format-zero-length \
	-I. -DHOST_TEST -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -MMD -MP

$(UNIT_TESTS): | $(NEED_DEPS)

UNIT_FAKE := $(BUILD)/unit/fake.o

$(UNIT_FAKE): test/unit/fake.c | $(NEED_DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@

# One source per compiler run, so the .d file lists what the test includes.
$(BUILD)/unit/%: test/unit/%.c $(UNIT_FAKE)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $< $(UNIT_FAKE) -lcmocka

-include $(UNIT_TESTS:=.d) $(UNIT_FAKE:.o=.d)

# --- fuzzing --------------------------------------------------------------------
# Each test/fuzz/fuzz_X.c is a libFuzzer target (clang, with ASan and UBSan)
# including the sources it covers; its seeds are test/fuzz/corpus_X/.
# `make test` runs each for FUZZ_TEST_TIME seconds (test/fuzz/run.sh, the
# fuzz tier), `make fuzz` for FUZZ_TIME: make fuzz FUZZ_TIME=3600.

FUZZ_CC        ?= clang
FUZZ_TIME      ?= 600
FUZZ_TEST_TIME ?= 15
FUZZ_TARGETS := $(patsubst test/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard test/fuzz/fuzz_*.c))
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -I. -DHOST_TEST \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP

$(FUZZ_TARGETS): | $(NEED_DEPS)

$(BUILD)/fuzz/%: test/fuzz/%.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $<

-include $(FUZZ_TARGETS:=.d)

.PHONY: fuzz
fuzz: $(FUZZ_TARGETS)
	$(Q)BUILD=$(BUILD) test/fuzz/run.sh -t $(FUZZ_TIME)

# --- tests ----------------------------------------------------------------------
# test/run.sh runs the tiers and prints the one summary line; test/unit/run.sh
# and test/system/run.sh are the tiers, test/system/*.test the system tests.
# TESTS="bochs qemu-uefi" picks system tests by name.
TESTS ?=
export TESTS

test: $(UNIT_TESTS) $(FUZZ_TARGETS) $(ISO) $(ELF32)
	$(Q)BUILD=$(BUILD) FUZZ_TIME=$(FUZZ_TEST_TIME) test/run.sh unit fuzz system

test-unit: $(UNIT_TESTS)
	$(Q)BUILD=$(BUILD) test/run.sh unit

test-system: $(ISO) $(ELF32)
	$(Q)BUILD=$(BUILD) test/run.sh system

test-slow: $(UNIT_TESTS) $(FUZZ_TARGETS) $(ISO) $(ELF32)
	$(Q)BUILD=$(BUILD) FUZZ_TIME=$(FUZZ_TEST_TIME) test/run.sh -s unit fuzz system

# make bench: bench64 under Bochs (scripts/bench.sh), the figures about many
# guests (scripts/bench-guests.sh), then Linux natively and as a guest
# (scripts/bench-linux.sh); each "name: value unit". All run even when one fails.
BENCH_GUESTS := bench64 pingpong64 hello64
bench: $(ELF) $(ELF32) $(BENCH_GUESTS:%=$(GUEST_OUT)/%.elf) scripts/mkiso.sh scripts/grub.cfg.in | $(NEED_DEPS)
bench: $(LINUX_KERNEL) $(LINUX_INITRD)
	$(Q)status=0; BUILD=$(BUILD) scripts/bench.sh || status=1; \
		BUILD=$(BUILD) scripts/bench-guests.sh || status=1; \
		BUILD=$(BUILD) LINUX_KERNEL=$(LINUX_KERNEL) LINUX_INITRD=$(LINUX_INITRD) scripts/bench-linux.sh || status=1; \
		exit $$status
