# Linux guest: a stock Debian arm64 kernel and a busybox initramfs whose /init
# runs the test named by tessera.test= (guests/linux/README.md).
#
#   make linux-guest   build/linux/{Image,version,busybox,initramfs.cpio.gz}
#
# Included by the top-level Makefile (uses $(B), $(Q) and the setup target).

LINUX_B := $(B)/linux
LINUX_FETCH := LINUX_BUILD=$(LINUX_B) bash guests/linux/fetch.sh

# fetch.sh is idempotent and fetches only the parts named, when missing,
# older than itself, or (modules) made for another kernel or list.
# One fetch at a time (the order-only prerequisites), even under make -j:
# apt-get update, when a fetch needs it, takes apt's lock.
# The kernel and its modules come out of one 60 MB package: fetching both here
# downloads it once (the modules rule below then finds them current).
$(LINUX_B)/Image $(LINUX_B)/version &: guests/linux/fetch.sh | setup
	@echo "  FETCH   $(LINUX_B)/Image and modules"
	$(Q)$(LINUX_FETCH) kernel modules

$(LINUX_B)/busybox: guests/linux/fetch.sh | setup $(LINUX_B)/version
	@echo "  FETCH   $@"
	$(Q)$(LINUX_FETCH) busybox

$(LINUX_B)/modules/modules.load: guests/linux/fetch.sh guests/linux/modules.list $(LINUX_B)/version \
		| setup $(LINUX_B)/busybox
	@echo "  FETCH   $(LINUX_B)/modules"
	$(Q)$(LINUX_FETCH) modules

# The channel's user program: static, against Debian's arm64 glibc
# (libc6-dev-arm64-cross), sharing the ring protocol with the bare-metal guests.
LINUX_USER_CFLAGS := -std=gnu11 -O2 -static -s -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Iguests/common
LINUX_CHANUSER_SRCS := $(wildcard guests/linux/chanuser/*.c) guests/common/chanproto.c
$(LINUX_B)/chanuser: $(LINUX_CHANUSER_SRCS) $(wildcard guests/linux/chanuser/*.h) guests/common/chanproto.h | setup
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(TCC) $(LINUX_USER_CFLAGS) -o $@ $(LINUX_CHANUSER_SRCS)

# The management command (docs/management.md), against the hypervisor's ABI header.
LINUX_TESSERA_SRCS := $(wildcard guests/linux/tessera/*.c)
$(LINUX_B)/tessera: $(LINUX_TESSERA_SRCS) hyp/include/tessera/manage.h | setup
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(TCC) $(LINUX_USER_CFLAGS) -Ihyp/include -o $@ $(LINUX_TESSERA_SRCS)

LINUX_INITRAMFS_PARTS := $(LINUX_B)/busybox $(LINUX_B)/modules/modules.load $(LINUX_B)/chanuser \
	$(LINUX_B)/tessera
$(LINUX_B)/initramfs.cpio.gz: guests/linux/mkinitramfs.sh guests/linux/init guests/linux/init-net $(LINUX_INITRAMFS_PARTS)
	@echo "  CPIO    $@"
	$(Q)LINUX_BUILD=$(LINUX_B) bash guests/linux/mkinitramfs.sh

.PHONY: linux-guest
linux-guest: $(LINUX_B)/Image $(LINUX_B)/initramfs.cpio.gz

# The bench-only initramfs (bench/interference.sh): the same, plus Debian's
# cyclictest and stress-ng with their libraries (guests/linux/fetch-rt.sh).
# The default initramfs stays small for the scenarios.
$(LINUX_B)/rt-root/versions: guests/linux/fetch-rt.sh | setup
	@echo "  FETCH   $(LINUX_B)/rt-root (cyclictest, stress-ng)"
	$(Q)LINUX_BUILD=$(LINUX_B) bash guests/linux/fetch-rt.sh

$(LINUX_B)/initramfs-rt.cpio.gz: guests/linux/mkinitramfs.sh guests/linux/init guests/linux/init-net $(LINUX_INITRAMFS_PARTS) \
		$(LINUX_B)/rt-root/versions
	@echo "  CPIO    $@"
	$(Q)LINUX_BUILD=$(LINUX_B) INITRAMFS_EXTRA=$(LINUX_B)/rt-root INITRAMFS_OUT=$@ \
		bash guests/linux/mkinitramfs.sh

.PHONY: linux-guest-rt
linux-guest-rt: $(LINUX_B)/Image $(LINUX_B)/initramfs-rt.cpio.gz
