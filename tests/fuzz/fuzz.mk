# libFuzzer harnesses linked against the fake arch (tests/fake/README.md), as
# the linked unit tests are (tests/unit/unit.mk): fuzz_X_SRCS names the
# hypervisor files harness tests/fuzz/fuzz_X.c is linked with. Each of them,
# and tests/fake/*.c, is compiled by clang with the fuzzer's coverage and the
# sanitizers into build/host/fuzz/obj/. A harness without a _SRCS line
# #includes what it fuzzes (fuzz_vgic.c: it checks the vGIC's own state).
fuzz_dabt_SRCS := hyp/arch/arm64/dabt.c
fuzz_vpl011_SRCS := hyp/virt/vpl011.c hyp/core/emul.c
fuzz_smccc_SRCS := hyp/core/hypercall.c hyp/virt/vpsci.c
fuzz_vpci_SRCS := hyp/core/emul.c hyp/virt/vpci.c
fuzz_virtq_SRCS := hyp/virt/virtq.c hyp/core/guest_mem.c hyp/arch/arm64/pgtable.c
fuzz_vnet_offload_SRCS := hyp/virt/vnet_offload.c
fuzz_vnet_SRCS := hyp/virt/vnet.c hyp/virt/vnet_mmio.c hyp/virt/vnet_rx.c hyp/virt/vnet_offload.c \
	hyp/virt/vnet_switch.c hyp/virt/virtq.c hyp/core/guest_mem.c hyp/core/emul.c hyp/arch/arm64/pgtable.c
FUZZ_DT_SRCS := hyp/core/platform.c hyp/core/platform_bpmp.c hyp/core/platform_mc.c \
	hyp/core/platform_streams.c hyp/core/platform_cache.c hyp/core/platform_device.c hyp/core/platform_pmu.c hyp/drivers/uart/uart_dt.c \
	hyp/core/guest_fdt.c hyp/core/guest_fdt_device.c hyp/core/guest_fdt_pci.c hyp/core/guest_fdt_bpmp.c
fuzz_config_SRCS := hyp/core/config.c hyp/core/config_validate.c hyp/core/config_channel.c hyp/core/config_network.c hyp/core/config_device.c \
	hyp/core/config_mc.c hyp/drivers/mc/tegra234_mc_clients.c hyp/core/config_image.c \
	hyp/core/config_vbpmp.c hyp/core/config_watchdog.c hyp/core/config_policy.c hyp/core/config_bwreg.c hyp/core/config_colour.c hyp/core/colour.c $(FUZZ_DT_SRCS)
fuzz_platform_SRCS := $(FUZZ_DT_SRCS)
fuzz_guest_fdt_SRCS := $(FUZZ_DT_SRCS)
# The harness sees the mediator's submits and frame reads/writes (fuzz_vbpmp.c's top).
fuzz_vbpmp_SRCS := hyp/virt/vbpmp.c hyp/virt/vhsp.c hyp/virt/vbpmp_filter.c \
	hyp/drivers/bpmp/bpmp.c hyp/drivers/bpmp/ivc.c hyp/core/emul.c hyp/core/el2_timer.c \
	tests/unit/bpmp_model.c
fuzz_vbpmp_LDFLAGS := -Wl,--wrap=bpmp_submit,--wrap=ivc_read_frame,--wrap=ivc_write_frame

FUZZ_FAKE_CFLAGS := -Itests/fake/include $(FUZZ_CFLAGS) -Itests/fake
LINKED_FUZZERS := $(patsubst fuzz_%_SRCS,%,$(filter fuzz_%_SRCS,$(.VARIABLES)))

$(FUZZB)/obj/%.o: %.c | setup
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_FAKE_CFLAGS) -c $< -o $@

define linked_fuzzer
$(FUZZB)/$(1): tests/fuzz/fuzz_$(1).c $(patsubst %.c,$(FUZZB)/obj/%.o,$(FAKE_ARCH_SRCS) $(fuzz_$(1)_SRCS)) | setup
	@mkdir -p $$(@D)
	@echo "  FUZZLD  $$@"
	$(Q)$(FUZZ_CC) $(FUZZ_FAKE_CFLAGS) -o $$@ $$< $$(filter %.o,$$^) $(fuzz_$(1)_LDFLAGS) -lcmocka $(HOST_LIBS)
endef
$(foreach f,$(LINKED_FUZZERS),$(eval $(call linked_fuzzer,$(f))))
