# The hypervisor files each linked unit test is built from, against the fake
# arch (tests/fake/README.md). A test not listed here #includes what it tests.
test_dabt_SRCS := hyp/arch/arm64/dabt.c
test_vpsci_SRCS := hyp/virt/vpsci.c
test_vpl011_SRCS := hyp/virt/vpl011.c hyp/core/emul.c
test_esr_SRCS := hyp/arch/arm64/esr.c
test_emul_SRCS := hyp/core/emul.c
test_manage_SRCS := hyp/core/manage.c hyp/core/emul.c
test_pgtable_SRCS := hyp/arch/arm64/pgtable.c
test_gicr_SRCS := hyp/drivers/gic/gicv3_rdist.c
test_smmuv3_SRCS := hyp/drivers/smmu/smmuv3_event.c hyp/drivers/smmu/smmuv3_strtab.c
test_cpu_features_SRCS := hyp/arch/arm64/cache.c
# The platform parser and the config checker, linked alike by the tests (and by
# the Makefile's HOST_SHARED for tools/tessera-config).
PLATFORM_PARSE_SRCS := hyp/core/platform.c hyp/core/platform_bpmp.c hyp/core/platform_mc.c \
	hyp/core/platform_streams.c hyp/core/platform_cache.c hyp/core/platform_pmu.c hyp/drivers/uart/uart_dt.c
PLATFORM_DEVICE_SRCS := $(PLATFORM_PARSE_SRCS) hyp/core/platform_device.c
CHECKER_SRCS := hyp/core/config.c hyp/core/config_validate.c hyp/core/config_channel.c hyp/core/config_network.c hyp/core/config_device.c \
	hyp/core/config_image.c hyp/core/config_mc.c hyp/core/config_vbpmp.c hyp/core/config_watchdog.c \
	hyp/core/config_policy.c hyp/core/config_bwreg.c hyp/core/config_colour.c hyp/core/colour.c \
	hyp/drivers/mc/tegra234_mc_clients.c $(PLATFORM_DEVICE_SRCS)
GUEST_FDT_SRCS := hyp/core/guest_fdt.c hyp/core/guest_fdt_device.c hyp/core/guest_fdt_pci.c \
	hyp/core/guest_fdt_bpmp.c
test_platform_SRCS := $(PLATFORM_DEVICE_SRCS)
test_tegra234_SRCS := $(PLATFORM_PARSE_SRCS)
test_guest_fdt_SRCS := $(GUEST_FDT_SRCS) $(PLATFORM_DEVICE_SRCS)
test_vpci_SRCS := hyp/core/emul.c hyp/virt/vpci.c
test_vnet_switch_SRCS := hyp/virt/vnet_switch.c
test_config_SRCS := $(CHECKER_SRCS)
test_config_tegra234_SRCS := $(CHECKER_SRCS)
test_config_network_SRCS := $(CHECKER_SRCS)
UART_HARNESS_SRCS := $(PLATFORM_PARSE_SRCS) hyp/drivers/uart/uart.c hyp/drivers/uart/pl011.c hyp/drivers/uart/ns16550.c hyp/drivers/uart/tegra_tcu.c
test_uart16550_SRCS := $(UART_HARNESS_SRCS)
test_tcu_SRCS := $(UART_HARNESS_SRCS)
test_efi_memmap_SRCS := hyp/core/efi_exit.c hyp/core/efi_memmap.c hyp/core/efi_options.c $(PLATFORM_PARSE_SRCS)
test_vcpu_affinity_SRCS := hyp/virt/vgic_sgi.c
test_channel_SRCS := hyp/core/channel.c hyp/core/emul.c
test_serror_SRCS := hyp/arch/arm64/fault.c hyp/arch/arm64/esr.c
test_bpmp_ivc_SRCS := hyp/drivers/bpmp/ivc.c
test_vbpmp_filter_SRCS := hyp/virt/vbpmp_filter.c
test_el2_timer_SRCS := hyp/core/el2_timer.c
test_bwreg_SRCS := hyp/core/bwreg.c hyp/core/el2_timer.c
test_entropy_SRCS := hyp/core/entropy.c
test_vwdt_SRCS := hyp/virt/vwdt.c hyp/core/el2_timer.c hyp/core/emul.c
test_mmu500_SRCS := hyp/drivers/smmu/smmuv2.c hyp/arch/arm64/pgtable.c tests/unit/mmu500_model.c
test_tegra_mc_SRCS := hyp/drivers/mc/tegra_mc.c $(CHECKER_SRCS) tests/unit/mc_model.c
test_guest_fdt_tegra234_SRCS := $(GUEST_FDT_SRCS) $(CHECKER_SRCS)
VBPMP_SRCS := hyp/virt/vbpmp.c hyp/virt/vhsp.c hyp/virt/vbpmp_filter.c hyp/drivers/bpmp/bpmp.c \
	hyp/drivers/bpmp/ivc.c hyp/core/emul.c hyp/core/el2_timer.c tests/unit/bpmp_model.c tests/unit/vbpmp_guest.c
test_vbpmp_SRCS := $(VBPMP_SRCS)
test_vbpmp_e2e_SRCS := $(VBPMP_SRCS) $(GUEST_FDT_SRCS) $(CHECKER_SRCS)
test_vbpmp_regress_SRCS := hyp/drivers/bpmp/bpmp.c hyp/drivers/bpmp/ivc.c hyp/core/el2_timer.c \
	tests/unit/bpmp_model.c
test_colour_SRCS := $(CHECKER_SRCS) hyp/core/colour_s2.c hyp/arch/arm64/pgtable.c
test_virtq_SRCS := hyp/virt/virtq.c hyp/core/guest_mem.c hyp/arch/arm64/pgtable.c
test_vnet_SRCS := hyp/virt/vnet.c hyp/virt/vnet_mmio.c hyp/virt/vnet_switch.c hyp/virt/virtq.c hyp/core/guest_mem.c hyp/core/emul.c \
	hyp/arch/arm64/pgtable.c
