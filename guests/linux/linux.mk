# Linux guest: a stock Debian arm64 kernel and a busybox initramfs whose /init
# runs the test named by tessera.test= (guests/linux/README.md).
#
#   make linux-guest   build/linux/{Image,version,busybox,initramfs.cpio.gz}
#
# Included by the top-level Makefile (uses $(B), $(Q) and the setup target).

LINUX_B := $(B)/linux

# One run of fetch.sh makes all three; it is idempotent and refetches only
# what is missing or older than itself.
$(LINUX_B)/Image $(LINUX_B)/version $(LINUX_B)/busybox &: guests/linux/fetch.sh | setup
	@echo "  FETCH   $(LINUX_B)/Image $(LINUX_B)/busybox"
	$(Q)LINUX_BUILD=$(LINUX_B) bash guests/linux/fetch.sh

$(LINUX_B)/initramfs.cpio.gz: guests/linux/mkinitramfs.sh guests/linux/init $(LINUX_B)/busybox
	@echo "  CPIO    $@"
	$(Q)LINUX_BUILD=$(LINUX_B) bash guests/linux/mkinitramfs.sh

.PHONY: linux-guest
linux-guest: $(LINUX_B)/Image $(LINUX_B)/initramfs.cpio.gz
