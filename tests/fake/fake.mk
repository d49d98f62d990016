# Host unit tests linked against the fake arch (tests/fake/README.md).
# A test tests/unit/test_X.c with a test_X_SRCS list (tests/unit/unit.mk) is
# linked from its own file, tests/fake/*.c and those hypervisor files, each
# compiled for the host with tests/fake/include first on the include path, so
# its arch/sysregs.h and tessera/spinlock.h stand in for the real ones.
FAKE_CFLAGS := -Itests/fake/include $(HOST_CFLAGS) -Ihyp/arch/arm64/include -Itests/fake -Itests/unit
FAKE_OBJ := $(HOSTB)/fake
FAKE_ARCH_SRCS := $(wildcard tests/fake/*.c)
LINKED_TESTS := $(patsubst %_SRCS,%,$(filter test_%_SRCS,$(.VARIABLES)))

$(FAKE_OBJ)/%.o: %.c | setup
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(FAKE_CFLAGS) -c $< -o $@

define linked_test
$(HOSTB)/tests/$(1): tests/unit/$(1).c $(patsubst %.c,$(FAKE_OBJ)/%.o,$(FAKE_ARCH_SRCS) $($(1)_SRCS)) | setup
	@mkdir -p $$(@D)
	@echo "  HOSTLD  $$@"
	$(Q)$(HOSTCC) $(FAKE_CFLAGS) -o $$@ $$< $$(filter %.o,$$^) -lcmocka $(HOST_LIBS)
endef
$(foreach t,$(LINKED_TESTS),$(eval $(call linked_test,$(t))))
