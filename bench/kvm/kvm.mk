# KVM as a benchmark peer (bench/kvm/README.md): the VMM and the host's initramfs.
#
#   make kvm-host   build/kvm/kvmvmm and build/kvm/host-base.cpio
#
# Included by the top-level Makefile (uses $(B), $(Q), $(TCC), LINUX_B and setup).

KVM_B := $(B)/kvm
KVM_VMM_SRCS := $(wildcard bench/kvm/vmm/*.c)

# Static against Debian's arm64 glibc (libc6-dev-arm64-cross) and libfdt, as chanuser.
$(KVM_B)/kvmvmm: $(KVM_VMM_SRCS) $(wildcard bench/kvm/vmm/*.h) | setup
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(TCC) $(LINUX_USER_CFLAGS) -I$(FDT_A64)/include -o $@ $(KVM_VMM_SRCS) $(LIBFDT_A64) -lpthread

# The host's fixed part; bench/kvm/run.sh appends the guest's images to a copy.
$(KVM_B)/host-base.cpio: bench/kvm/mkhost.sh bench/kvm/host-init $(KVM_B)/kvmvmm $(LINUX_B)/busybox
	@echo "  CPIO    $@"
	$(Q)KVM_BUILD=$(KVM_B) LINUX_BUILD=$(LINUX_B) bash bench/kvm/mkhost.sh

.PHONY: kvm-host
kvm-host: $(LINUX_B)/Image $(KVM_B)/host-base.cpio

# The VMM's checks: three guests under icount (bench/kvm/check.sh), PASS/FAIL lines.
.PHONY: kvm-check
kvm-check: kvm-host guests linux-guest
	@bash bench/kvm/check.sh
