# Tessera build. `make help` lists every target and variable.
#
#   make            build the hypervisor image for CONFIG
#   make demo       build and boot the demo system in QEMU
#   make test       unit tests, lint, a short fuzz run and QEMU scenarios
#
# Every target installs missing Debian packages first (tools/setup.sh), before
# this file asks any tool a question. On a machine without make, ./make.sh
# installs make too and then runs make with its arguments.

PLATFORM ?= qemu-virt
include hyp/platform/$(PLATFORM)/platform.mk
CONFIG   ?= $(DEFAULT_CONFIG)

B       := build
PB      := $(B)/$(PLATFORM)
HOSTB   := $(B)/host
CROSS   ?= aarch64-linux-gnu-
TCC     := $(CROSS)gcc
TOBJCOPY:= $(CROSS)objcopy
HOSTCC  ?= gcc
DTC     ?= dtc
FDT_A64 := $(B)/deps/arm64/usr
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:

# ---------------------------------------------------------------- setup
# Setup runs before anything asks a tool: $(SETUP_MK) is an included makefile,
# so GNU make first remakes it (tools/setup.sh installs what is missing, then
# the answers the build needs from the tools are written down) and then reads
# this file again, with the tools present. The phony `setup` still runs before
# every build step, so a package removed later is installed again.
SETUP_MK := $(B)/setup.mk
NO_SETUP_GOALS := help clean
ifneq ($(filter-out $(NO_SETUP_GOALS),$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))),)
include $(SETUP_MK)
endif
$(SETUP_MK): tools/setup.sh
	@bash tools/setup.sh
	@mkdir -p $(@D)
	$(Q)inc=$$($(TCC) -print-file-name=include) && [ -d "$$inc" ] || \
		{ echo "setup: $(TCC) has no include directory ('$$inc'); is gcc-aarch64-linux-gnu installed?" >&2; exit 1; }; \
		echo "TCC_INCLUDE := $$inc" >$@

.PHONY: setup
setup:
	@bash tools/setup.sh

# ---------------------------------------------------------------- flags
# Freestanding AArch64 code (hypervisor and guests): position independent,
# relocated by itself at entry, no FP/SIMD in our code, no libc.
TARGET_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-ffreestanding -nostdinc -isystem $(TCC_INCLUDE) \
	-Ilib/include -I$(FDT_A64)/include \
	-march=armv8.2-a -mgeneral-regs-only -mno-outline-atomics \
	-fpie -include lib/include/hidden.h -fno-common -fno-stack-protector \
	-ffunction-sections -fdata-sections -MMD -MP
TARGET_ASFLAGS := -D__ASSEMBLY__ -march=armv8.2-a -MMD -MP -Ilib/include
TARGET_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,norelro \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=4096 -Wl,--gc-sections -Wl,--no-warn-rwx-segments -Wl,--build-id=none
LIBFDT_A64 := $(FDT_A64)/lib/aarch64-linux-gnu/libfdt.a

HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wshadow -Ihyp/include -MMD -MP
HOST_LIBS   := -lfdt

# head.S applies R_AARCH64_RELATIVE relocations and nothing else.
only_relative_relocs = if $(CROSS)readelf -rW $(1) | grep -E 'R_AARCH64_' | grep -vq R_AARCH64_RELATIVE; then \
	echo "$(1): relocations other than R_AARCH64_RELATIVE; the self-relocator cannot apply them" >&2; \
	rm -f $(1); exit 1; fi

# The image is also a PE32+ arm64 EFI application (head.S): objdump must read it as one.
is_efi_application = [ "$$($(CROSS)objdump -p $(1) | grep -cE 'file format pei-aarch64-little|Subsystem.*EFI application')" = 2 ] || \
	{ echo "$(1): objdump -p does not read it as a PE32+ arm64 EFI application (head.S)" >&2; rm -f $(1); exit 1; }

# ---------------------------------------------------------------- lib
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(patsubst %.c,$(B)/target/%.o,$(LIB_SRCS))

# ---------------------------------------------------------------- hypervisor
HYP_INC  := -Ihyp/include -Ihyp/arch/arm64/include -Ihyp/platform/$(PLATFORM)/include
HYP_SRCS := $(wildcard hyp/core/*.c hyp/virt/*.c hyp/drivers/*/*.c \
	hyp/arch/arm64/*.c hyp/arch/arm64/*.S hyp/platform/$(PLATFORM)/*.c)
HYP_OBJS := $(patsubst %,$(PB)/obj/%.o,$(basename $(HYP_SRCS)))
HYP_LDS  := hyp/arch/arm64/tessera.lds

# The hypervisor is built with link-time optimisation: its hot paths cross
# files (trap entry -> decode -> device -> register table), and LTO inlines
# across them.
HYP_LTO := -flto=auto

$(PB)/obj/%.o: %.c | setup
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(TCC) $(TARGET_CFLAGS) $(HYP_LTO) $(HYP_INC) -c $< -o $@

$(PB)/obj/%.o: %.S | setup
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(TCC) $(TARGET_ASFLAGS) $(HYP_INC) -c $< -o $@

$(B)/target/%.o: %.c | setup
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(TCC) $(TARGET_CFLAGS) -c $< -o $@

# ---------------------------------------------------------------- guests
# Each directory with a guest.lds (guests/<g>/, and bench/<g>/ for the
# benchmark guest) is one bare-metal guest: its *.c and *.S, lib/, libfdt and
# its guest.lds make build/guests/<g>.bin.
# Every guest also gets guests/common/ (boot, MMU, DT, GIC, timer, PSCI, UART;
# no guest.lds there: it is no guest itself) and includes its headers.
GUEST_DIRS := $(patsubst %/,%,$(dir $(wildcard guests/*/guest.lds bench/*/guest.lds)))
GUESTS := $(notdir $(GUEST_DIRS))
GUEST_BINS := $(patsubst %,$(B)/guests/%.bin,$(GUESTS))
GUEST_COMMON_SRCS := $(wildcard guests/common/*.c guests/common/*.S)
$(B)/target/guests/%.o $(B)/target/bench/%.o: TARGET_CFLAGS += -Iguests/common
$(B)/target/guests/%.o $(B)/target/bench/%.o: TARGET_ASFLAGS += -Iguests/common

define guest_rules
$(notdir $(1))_SRCS := $$(wildcard $(1)/*.c $(1)/*.S) $(GUEST_COMMON_SRCS)
$(notdir $(1))_OBJS := $$(patsubst %,$(B)/target/%.o,$$(basename $$($(notdir $(1))_SRCS)))
$(B)/guests/$(notdir $(1)).elf: $$($(notdir $(1))_OBJS) $(LIB_OBJS) $(1)/guest.lds guests/common/image.lds
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	$(Q)$(TCC) $(TARGET_LDFLAGS) -T $(1)/guest.lds -o $$@ $$($(notdir $(1))_OBJS) $(LIB_OBJS) $(LIBFDT_A64) -lgcc
	$(Q)$$(call only_relative_relocs,$$@)
endef
$(foreach d,$(GUEST_DIRS),$(eval $(call guest_rules,$(d))))

$(B)/target/%.o: %.S | setup
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(TCC) $(TARGET_ASFLAGS) -c $< -o $@

$(B)/guests/%.bin: $(B)/guests/%.elf
	$(Q)$(TOBJCOPY) -O binary $< $@

.PHONY: guests
guests: $(GUEST_BINS)

include guests/linux/linux.mk
include bench/kvm/kvm.mk

# ---------------------------------------------------------------- host tools
TESSERA_CONFIG := $(HOSTB)/tessera-config
HOST_SHARED := hyp/core/config.c hyp/core/config_validate.c hyp/core/config_channel.c hyp/core/config_network.c hyp/core/config_device.c hyp/core/config_image.c \
	hyp/core/config_mc.c hyp/core/config_vbpmp.c hyp/core/config_watchdog.c hyp/core/config_policy.c hyp/core/config_colour.c hyp/core/colour.c \
	hyp/drivers/mc/tegra234_mc_clients.c \
	hyp/core/platform.c hyp/core/platform_bpmp.c hyp/core/platform_mc.c hyp/core/platform_streams.c hyp/core/platform_cache.c \
	hyp/core/platform_pmu.c hyp/core/config_bwreg.c \
	hyp/core/platform_device.c hyp/drivers/uart/uart_dt.c

# -Ihyp/arch/arm64/include: the vGIC's frame sizes (config_vgic_place) come from drivers/gicv3.h.
$(TESSERA_CONFIG): $(wildcard tools/tessera-config/*.c) $(HOST_SHARED) | setup
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Ihyp/arch/arm64/include -o $@ $(filter %.c,$^) $(HOST_LIBS)

# The machine as QEMU describes it, for the checker and the unit tests; or,
# for a board QEMU does not model, its DT (PLATFORM_BASE_DTB) with the RAM
# platform.mk gives (PLATFORM_RAM) as /memory (docs/adding-a-board.md).
PLATFORM_DTB ?= $(PB)/platform.dtb
ifeq ($(PLATFORM_BASE_DTB),)
$(PLATFORM_DTB): hyp/platform/$(PLATFORM)/platform.mk | setup
	@mkdir -p $(@D)
	$(Q)$(QEMU_SYSTEM) -M $(QEMU_MACHINE),dumpdtb=$@ $(QEMU_OPTS) -nographic -monitor none -nic none >/dev/null
else
$(PLATFORM_DTB): $(PLATFORM_BASE_DTB) tools/dtb-add-memory.sh hyp/platform/$(PLATFORM)/platform.mk | setup
	@echo "  DTB     $@ (RAM $(PLATFORM_RAM))"
	$(Q)bash tools/dtb-add-memory.sh $< $@ $(PLATFORM_RAM)
endif

# ---------------------------------------------------------------- system image
# One image per config: the hypervisor linked with the compiled config, whose
# /incbin/ properties carry the guest images. build/<platform>/<config>/.
CFG_NAME := $(basename $(notdir $(CONFIG)))
CFG_OUT  := $(PB)/$(CFG_NAME)

# The files a config embeds with /incbin/: bare-metal guests from build/guests,
# the Linux kernel and initramfs from build/linux.
CFG_INCBINS := $(shell sed -n 's|.*/incbin/("\([^"]*\)").*|\1|p' $(CONFIG) 2>/dev/null)
# Only files the build knows how to make are prerequisites; before dtc runs,
# `tessera-config images` names every other one that is missing (file, line,
# node, the directories dtc searches).
BUILT_IMAGES := $(GUEST_BINS) $(B)/linux/Image $(B)/linux/initramfs.cpio.gz $(B)/linux/initramfs-rt.cpio.gz
CFG_DEPS := $(filter $(addprefix %/,$(CFG_INCBINS)),$(BUILT_IMAGES))
CFG_SEARCH := -i $(B)/guests -i $(B)/linux -i $(dir $(CONFIG))

# A CONFIG that is empty or not there (make alone would say "No rule to make target").
ifeq ($(strip $(CONFIG)),)
$(error CONFIG= is empty; give the path of a system config (.dts), e.g. CONFIG=$(DEFAULT_CONFIG))
endif
$(CONFIG):
	@echo "CONFIG=$(CONFIG): no such file; give the path of a system config (.dts), e.g. CONFIG=$(DEFAULT_CONFIG) (docs/configuration.md)" >&2
	@exit 1

$(CFG_OUT)/config.dtb: $(CONFIG) $(CFG_DEPS) | setup $(TESSERA_CONFIG)
	@mkdir -p $(@D)
	$(Q)$(TESSERA_CONFIG) images $(CFG_SEARCH) $(CONFIG)
	@echo "  DTC     $<"
	$(Q)$(DTC) -q -I dts -O dtb $(CFG_SEARCH) -o $@ $(CONFIG)

$(CFG_OUT)/payload.o: hyp/arch/arm64/payload.S.in $(CFG_OUT)/config.dtb
	$(Q)$(TCC) $(TARGET_ASFLAGS) -x assembler-with-cpp -DPAYLOAD_FILE='"$(CFG_OUT)/config.dtb"' -c $< -o $@

$(CFG_OUT)/tessera.elf: $(HYP_OBJS) $(LIB_OBJS) $(CFG_OUT)/payload.o $(HYP_LDS)
	@echo "  LD      $@"
	$(Q)$(TCC) $(TARGET_LDFLAGS) $(TARGET_CFLAGS) $(HYP_LTO) -T $(HYP_LDS) -o $@ $(HYP_OBJS) $(CFG_OUT)/payload.o $(LIB_OBJS) $(LIBFDT_A64) -lgcc
	$(Q)$(call only_relative_relocs,$@)

$(CFG_OUT)/tessera.bin: $(CFG_OUT)/tessera.elf $(TESSERA_CONFIG) $(PLATFORM_DTB)
	$(Q)$(TOBJCOPY) -O binary $< $@.tmp
	$(Q)$(call is_efi_application,$@.tmp)
	$(Q)$(TESSERA_CONFIG) check --source $(CONFIG) --platform $(PLATFORM_DTB) \
		--hyp-base $(HYP_LOAD_ADDR) --image $@.tmp $(CFG_OUT)/config.dtb || { rm -f $@.tmp; exit 1; }
	$(Q)mv $@.tmp $@
	@echo "  IMAGE   $@"

# The default system lands at the documented place.
$(PB)/tessera.bin: $(CFG_OUT)/tessera.bin
	$(Q)cp $< $@
	$(Q)cp $(CFG_OUT)/tessera.elf $(PB)/tessera.elf

.PHONY: all image
all: $(if $(filter $(DEFAULT_CONFIG),$(CONFIG)),$(PB)/tessera.bin,$(CFG_OUT)/tessera.bin)
image: $(CFG_OUT)/tessera.bin

# ---------------------------------------------------------------- run
QEMU_CMD := $(QEMU_SYSTEM) -M $(QEMU_MACHINE) $(QEMU_OPTS) -nographic -monitor none -nic none -chardev stdio,id=con,signal=off -serial chardev:con

.PHONY: run demo
run: image
	$(QEMU_CMD) $(QEMU_EXTRA) -kernel $(CFG_OUT)/tessera.bin

demo: all
	@echo "Booting $(CONFIG) on QEMU ($(QEMU_MACHINE) $(QEMU_OPTS)). Keys go to the VM with the input, Ctrl-C too; Ctrl-T h: keys and VMs, Ctrl-T n: next VM, Ctrl-T q: quit."
	$(QEMU_CMD) -kernel $(CFG_OUT)/tessera.bin

# ---------------------------------------------------------------- tests
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(HOSTB)/tests/%,$(UNIT_SRCS))

$(HOSTB)/tests/%: tests/unit/%.c | setup
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Ihyp/arch/arm64/include -Itests/unit -o $@ $< -lcmocka $(HOST_LIBS)

include tests/unit/unit.mk tests/fake/fake.mk

.PHONY: unit lint scenarios test
unit: $(UNIT_BINS) $(PLATFORM_DTB)
	@set -e; for t in $(UNIT_BINS); do \
		echo "== $$t"; TESSERA_PLATFORM_DTB=$(PLATFORM_DTB) $$t; done

# ---------------------------------------------------------------- tegra234 test device trees
# For tests/unit/test_tegra234.c: the real AGX Orin devkit DT, built from
# Debian's linux-source-6.1 (fetched once, cached outside the clone:
# tools/tegra234-dtb.sh), and a hand-written Orin Nano one. Offline the fetch
# fails without failing make: the script leaves the reason in
# $(TEGRA234_DTB).unavailable and the test says SKIPPED and why.
TEGRA234_DTB := $(B)/tegra234/tegra234-p3737-0000+p3701-0000.dtb
UNIT_DTBS := $(TEGRA234_DTB) $(patsubst tests/unit/dts/%.dts,$(HOSTB)/tests/dts/%.dtb,$(wildcard tests/unit/dts/*.dts))

$(TEGRA234_DTB): tools/tegra234-dtb.sh tools/debfetch.sh | setup
	@echo "  DTB     $@"
	$(Q)bash tools/tegra234-dtb.sh $@ || echo "  SKIP    $@ not built: $$(cat $@.unavailable 2>/dev/null)"

# The AGX Orin DT configs are checked against: 6.1's plus what L4T r36 has
# and 6.1 lacks (hyp/platform/tegra234/tegra234-l4t-additions.dtsi).
TEGRA234_L4T_ADDITIONS := hyp/platform/tegra234/tegra234-l4t-additions.dtsi
$(B)/tegra234/agx-orin-l4t.dtb: $(TEGRA234_DTB) $(TEGRA234_L4T_ADDITIONS) | setup
	@echo "  DTB     $@ (+ $(notdir $(TEGRA234_L4T_ADDITIONS)))"
	$(Q){ $(DTC) -q -I dtb -O dts $< && cat $(TEGRA234_L4T_ADDITIONS); } > $@.dts
	$(Q)$(DTC) -q -I dts -O dtb -o $@ $@.dts && rm -f $@.dts

$(HOSTB)/tests/dts/%.dtb: tests/unit/dts/%.dts | setup
	@mkdir -p $(@D)
	@echo "  DTC     $<"
	$(Q)$(DTC) -q -I dts -O dtb -o $@ $<

unit: $(UNIT_DTBS) tegra234-platform-dtbs

# The DTs `make PLATFORM=tegra234` checks configs against, for
# tests/unit/test_config_tegra234.c (offline the AGX one is not made; it skips).
.PHONY: tegra234-platform-dtbs
tegra234-platform-dtbs: $(UNIT_DTBS)
	$(Q)for b in agx-orin orin-nano; do $(MAKE) -s --no-print-directory PLATFORM=tegra234 \
		TEGRA234_BOARD=$$b $(B)/tegra234/platform-$$b.dtb || true; done

# For tests/unit/test_vbpmp_e2e.c: the AGX Orin example configs themselves,
# compiled with small stand-ins for their images (tests/fuzz/config-seeds.sh).
E2E_CONFIGS := configs/tegra234/agx-orin-usb-eth.dts configs/tegra234/agx-orin-gpu-vm.dts
$(HOSTB)/tests/configs/.built: tests/fuzz/config-seeds.sh $(E2E_CONFIGS) | setup
	$(Q)bash $< $(@D) $(E2E_CONFIGS) && touch $@
unit: $(HOSTB)/tests/configs/.built

CPPCHECK_DIRS := hyp lib guests tools $(wildcard bench)
CPPCHECK_FLAGS := -q --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
	--inline-suppr --suppress=missingIncludeSystem -D__aarch64__ \
	-Ihyp/include -Ihyp/arch/arm64/include -Ilib/include
# A config's build goes to build/<platform>/<its file name>: two configs of one
# name would share it, and the one built second would boot the other's image.
CONFIG_NAME_CLASHES = $(shell ls configs/*/*.dts tests/scenarios/configs/*.dts bench/configs/*.dts \
	2>/dev/null | xargs -n1 basename | sort | uniq -d)
lint: | setup
	@echo "  CONFIGS  one name each"
	$(Q)[ -z "$(CONFIG_NAME_CLASHES)" ] || { echo "lint: configs share a file name (one build directory): $(CONFIG_NAME_CLASHES); rename one" >&2; exit 1; }
	@echo "  CPPCHECK $(CPPCHECK_DIRS)"
	$(Q)cppcheck $(CPPCHECK_FLAGS) $(CPPCHECK_DIRS)

scenarios: all guests $(TESSERA_CONFIG) | setup
	@QEMU_CMD="$(QEMU_CMD)" PLATFORM=$(PLATFORM) bash tests/scenarios/run.sh $(SCENARIOS)

# ---------------------------------------------------------------- fuzzing
# libFuzzer harnesses on the host, built by Debian's clang with ASan and UBSan
# (tests/fuzz/README.md). `make fuzz` runs each for FUZZ_SECONDS; `make test`
# runs each for FUZZ_TEST_SECONDS, so CI fuzzes too. Their corpora stay in
# build/host/fuzz/, so every run goes on from where the last one stopped.
FUZZ_CC := clang-14
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 5
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wshadow -MMD -MP \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Ihyp/include -Ihyp/arch/arm64/include -Itests/unit -Itests/fuzz
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZERS ?= $(FUZZ_NAMES)
FUZZB := $(HOSTB)/fuzz

$(FUZZB)/%: tests/fuzz/fuzz_%.c | setup
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< -lcmocka $(HOST_LIBS)

include tests/fuzz/fuzz.mk

# Seed corpora: a harness of guest steps writes its own (TESSERA_FUZZ_SEEDS);
# the DT harnesses start from the configs and DTBs the tree has.
$(FUZZB)/%.seeds: $(FUZZB)/%
	$(Q)rm -rf $@ && mkdir -p $@ && TESSERA_FUZZ_SEEDS=$@ $(FUZZ_ENV) $<

FUZZ_CONFIG_DTS := $(wildcard configs/*/*.dts tests/scenarios/configs/*.dts)
$(FUZZB)/config.seeds: tests/fuzz/config-seeds.sh $(FUZZ_CONFIG_DTS) | setup
	$(Q)bash $< $@ $(FUZZ_CONFIG_DTS)

# Platform DTBs repacked by dtc: QEMU's dump carries 1 MiB of padding.
$(FUZZB)/platform.seeds: $(PLATFORM_DTB) $(UNIT_DTBS) | setup
	$(Q)rm -rf $@ && mkdir -p $@ && for f in $^; do [ ! -f "$$f" ] || \
		$(DTC) -q -I dtb -O dtb -o $@/$$(basename $$f) $$f || exit 1; done

# No LeakSanitizer: the code under test never allocates (no allocation at
# EL2), and LSan needs /proc/<pid>/task of the process it stops, which a
# chroot with its own PID namespace (CI's fresh root) does not show it.
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=0
FUZZ_RUN = TESSERA_PLATFORM_DTB=$(PLATFORM_DTB) $(FUZZ_ENV) bash tests/fuzz/run.sh
FUZZ_READY = $(addprefix $(FUZZB)/,$(FUZZERS) $(addsuffix .seeds,$(FUZZERS))) $(PLATFORM_DTB)

.PHONY: fuzz fuzz-test
fuzz: $(FUZZ_READY)
	@$(FUZZ_RUN) $(FUZZ_SECONDS) $(FUZZB) $(FUZZERS)

fuzz-test: $(FUZZ_READY)
	@$(FUZZ_RUN) $(FUZZ_TEST_SECONDS) $(FUZZB) $(FUZZERS)

test: all unit lint fuzz-test scenarios

# The long hostile-guest campaign (not part of make test): the scenarios in tests/stress/.
.PHONY: stress
stress: all guests $(TESSERA_CONFIG) | setup
	@QEMU_CMD="$(QEMU_CMD)" PLATFORM=$(PLATFORM) SCENARIO_DIR=tests/stress bash tests/scenarios/run.sh

# Benchmarks against native and Xen (not part of make test): build/bench/report.md
.PHONY: bench
bench: | setup
	@bash tools/setup.sh bench
	@bash bench/bench.sh

.PHONY: clean help
clean:
	rm -rf $(PB) $(HOSTB) $(B)/target $(B)/guests

# Every target and variable, for people: keep this in step with the rules above.
help:
	@echo "Tessera: make [TARGET] [VARIABLE=value ...]   (./make.sh ... on a machine without make)"
	@echo
	@echo "Targets:"
	@echo "  all (default)   build the hypervisor image for CONFIG: $(PB)/<config>/tessera.bin"
	@echo "  image           the same, always at $(PB)/<config>/tessera.bin"
	@echo "  demo            build the image for CONFIG and boot it in QEMU (the console's keys: Ctrl-T h)"
	@echo "  run             boot CONFIG's image in QEMU with QEMU_EXTRA appended (e.g. QEMU_EXTRA='-s -S' for gdb)"
	@echo "  test            unit, lint, fuzz-test and scenarios: what CI runs; ends with 'N passed, M failed'"
	@echo "  unit            the cmocka unit tests on the host"
	@echo "  lint            cppcheck over hyp, lib, guests, tools and bench"
	@echo "  scenarios       QEMU scenarios (tests/scenarios/*.scn); SCENARIOS=\"a b\" runs some"
	@echo "  fuzz            each libFuzzer harness (tests/fuzz/) for FUZZ_SECONDS; PASS/FAIL fuzz-<name> lines"
	@echo "  fuzz-test       the same for FUZZ_TEST_SECONDS, as make test runs them"
	@echo "  stress          the hostile guest's long campaign (>= 1M operations) beside Linux: tests/stress/*.scn"
	@echo "  bench           native vs Tessera vs Xen vs KVM under icount: build/bench/report.md and plots"
	@echo "  kvm-host        KVM peer: the VMM and the host initramfs, build/kvm/ (bench/kvm/README.md)"
	@echo "  kvm-check       three guests under KVM (selftest, benchguest, Linux to /init): PASS/FAIL"
	@echo "  guests          the bare-metal guests: build/guests/*.bin"
	@echo "  linux-guest     the Debian kernel Image and the busybox initramfs: build/linux/"
	@echo "  setup           install the Debian packages the build needs (tools/setup.sh; every target does it)"
	@echo "  clean           remove what the build made (not the downloaded packages under build/deps, build/linux)"
	@echo "  help            this list"
	@echo
	@echo "Variables:"
	@echo "  CONFIG=file.dts system configuration (default $(DEFAULT_CONFIG)); docs/configuration.md"
	@echo "  PLATFORM=name   board under hyp/platform/ (default qemu-virt; tegra234: image and check only)"
	@echo "  SCENARIOS=list  scenario names for 'make scenarios'"
	@echo "  FUZZERS=list    harness names for 'make fuzz' (default: all of tests/fuzz/fuzz_*.c)"
	@echo "  FUZZ_SECONDS=n  how long 'make fuzz' runs each harness (default 60; make test: FUZZ_TEST_SECONDS=5)"
	@echo "  QEMU_EXTRA=...  extra QEMU options for 'make run'"
	@echo "  V=1             print every command"

-include $(shell find $(B) -name '*.d' 2>/dev/null)
