# Makefile: the whole build, one flat file. Sources are listed per folder;
# every product lands in $(BUILD)/, never beside the sources.
#
#   make            the hypervisor ELF (and its 32-bit copy for qemu -kernel)
#   make iso        a hybrid BIOS+UEFI GRUB image, also for USB sticks
#   make run        build and boot the default image (ENGINE=qemu|bochs)
#   make test       every test tier that fits CI; one summary line at the end
#   make test-slow  the slow tiers
#   make clean

BUILD   ?= build
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)
CC      := gcc
LD      := ld
OBJCOPY := objcopy

# --- the hypervisor -------------------------------------------------------

BOOT_SRCS    := $(wildcard boot/*.c boot/*.S)
KERNEL_SRCS  := $(wildcard kernel/*.c kernel/*.S)
MM_SRCS      := $(wildcard mm/*.c)
DRIVERS_SRCS := $(wildcard drivers/*.c)
VMX_SRCS     := $(wildcard vmx/*.c vmx/*.S)
LIB_SRCS     := $(wildcard lib/*.c)
SRCS := $(BOOT_SRCS) $(KERNEL_SRCS) $(MM_SRCS) $(DRIVERS_SRCS) $(VMX_SRCS) $(LIB_SRCS)
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

clean:
	rm -rf $(BUILD)

# --- host unit tests ----------------------------------------------------------
# Each test/unit/test_X.c includes the sources it tests and links with
# test/unit/fake.c; built for the host with AddressSanitizer and UBSan.

UNIT_TESTS := $(patsubst test/unit/%.c,$(BUILD)/unit/%,$(wildcard test/unit/test_*.c))
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format-zero-length \
	-I. -DHOST_TEST -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -MMD -MP

$(BUILD)/unit/%: test/unit/%.c test/unit/fake.c test/unit/fake.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $< test/unit/fake.c -lcmocka

-include $(UNIT_TESTS:=.d)
