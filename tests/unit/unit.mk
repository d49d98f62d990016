# The hypervisor files each linked unit test is built from, against the fake
# arch (tests/fake/README.md). A test not listed here #includes what it tests.
test_dabt_SRCS := hyp/arch/arm64/dabt.c
test_vpsci_SRCS := hyp/virt/vpsci.c
test_vpl011_SRCS := hyp/virt/vpl011.c hyp/core/emul.c
