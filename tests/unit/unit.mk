# The hypervisor files each linked unit test is built from, against the fake
# arch (tests/fake/README.md). A test not listed here #includes what it tests.
test_dabt_SRCS := hyp/arch/arm64/dabt.c
test_vpsci_SRCS := hyp/virt/vpsci.c
test_vpl011_SRCS := hyp/virt/vpl011.c hyp/core/emul.c
test_esr_SRCS := hyp/arch/arm64/esr.c
test_emul_SRCS := hyp/core/emul.c
test_pgtable_SRCS := hyp/arch/arm64/pgtable.c
test_gicr_SRCS := hyp/drivers/gic/gicv3_rdist.c
test_smmuv3_SRCS := hyp/drivers/smmu/smmuv3_event.c hyp/drivers/smmu/smmuv3_strtab.c
test_cpu_features_SRCS := hyp/arch/arm64/cache.c
