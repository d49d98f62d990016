/*
 * Channel set-up at boot (hyp/core/channel.c): which channels reach the
 * VMs' device trees. A channel is advertised only when both its VMs were
 * built and its memory was zeroed and mapped into both; otherwise the
 * console says why and neither VM sees it. Mapping, the IOMMU and the
 * emulated-device table are fakes that record what was asked of them;
 * printk is the fake arch's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <tessera/channel.h>
#include <tessera/iommu.h>
#include <tessera/mmu.h>
#include <tessera/vm.h>
#include <virt/vgic.h>
#include <virt/vpci.h>

#include "fake_arch.h"

struct vm vms[CONFIG_MAX_VMS];

static int map_ram_result; /* what mmu_map_ram answers */
static unsigned int s2_maps, emuls;

int mmu_map_ram(u64 base, u64 size)
{
	(void)base;
	(void)size;
	return map_ram_result;
}

int pt_map(struct pgtable *pt, u64 va, u64 pa, u64 size, unsigned int prot)
{
	(void)pt, (void)va, (void)pa, (void)size, (void)prot;
	s2_maps++;
	return 0;
}

int iommu_vm_map(struct vm *vm, u64 ipa, u64 pa, u64 size, unsigned int prot)
{
	(void)vm, (void)ipa, (void)pa, (void)size, (void)prot;
	return 0;
}

bool vm_add_emul(struct vm *vm, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc))
{
	(void)vm, (void)name, (void)base, (void)size, (void)dev, (void)access;
	emuls++;
	return true;
}

void vpci_init(struct vpci *pci, struct vm *vm, u32 intid, u64 bar, u64 size, bool read_only,
	       void (*ring_fn)(void *ctx), void *ring_ctx)
{
	(void)pci, (void)vm, (void)intid, (void)bar, (void)size, (void)read_only;
	(void)ring_fn, (void)ring_ctx;
}

void vpci_raise(struct vpci *pci)
{
	(void)pci;
}

void vpci_reset(struct vpci *pci)
{
	(void)pci;
}

enum mmio_result vpci_access(void *dev, struct mmio_access *acc)
{
	(void)dev, (void)acc;
	return MMIO_OK;
}

void vgic_inject(struct vm *vm, struct vcpu *target, u32 intid)
{
	(void)vm, (void)target, (void)intid;
}

/* The channel's "physical" memory: a host buffer, so zeroing it can be seen. */
static u8 shared[SZ_2M] __attribute__((aligned(4096)));
static struct system_config cfg;
static const struct vm_config built_cfg[2];

static int setup(void **state)
{
	struct channel_config *c = &cfg.channels[0];

	(void)state;
	fake_arch_reset();
	memset(&cfg, 0, sizeof(cfg));
	memset(vms, 0, sizeof(vms));
	memset(shared, 0x5a, sizeof(shared)); /* another system's data */
	map_ram_result = 0;
	s2_maps = emuls = 0;
	cfg.vm_count = 2;
	cfg.channel_count = 1;
	for (unsigned int v = 0; v < 2; v++) {
		vms[v].name = v ? "beta" : "alpha";
		vms[v].cfg = &built_cfg[v];
	}
	*c = (struct channel_config){ .name = "ping", .valid = true,
				      .memory = { (u64)(uintptr_t)shared, sizeof(shared) } };
	c->end[0] = (struct channel_end_config){ .vm = 0, .map = 0x70000000, .doorbell = 0x0a000000,
						 .intid = 40 };
	c->end[1] = (struct channel_end_config){ .vm = 1, .map = 0x70000000, .doorbell = 0x0a000000,
						 .intid = 41 };
	return 0;
}

static unsigned int advertised(unsigned int vm)
{
	struct guest_fdt_channel out[GUEST_FDT_MAX_CHANNELS];

	return channels_of_vm(&cfg, &vms[vm], out, ARRAY_SIZE(out));
}

static void test_set_up_and_advertised(void **state)
{
	(void)state;
	channels_create(&cfg);
	assert_int_equal(advertised(0), 1);
	assert_int_equal(advertised(1), 1);
	assert_int_equal(shared[0], 0);
	assert_int_equal(shared[sizeof(shared) - 1], 0);
	assert_int_equal(s2_maps, 2);
	assert_int_equal(emuls, 2);
	assert_true(fake_printk_contains("tessera: channel ping: VM alpha <-> VM beta"));
}

/* Its peer refused at boot (the config was valid): the other VM must not see it. */
static void test_refused_peer_not_advertised(void **state)
{
	(void)state;
	vms[1].cfg = NULL;
	channels_create(&cfg);
	assert_int_equal(advertised(0), 0);
	assert_int_equal(advertised(1), 0);
	assert_int_equal(s2_maps, 0);
	assert_string_equal(fake_printk_output(), "tessera: channel ping not set up: a VM of it is refused; "
				     "neither VM alpha nor VM beta sees it\n");
}

/* Memory that cannot be zeroed is never mapped into a VM, with another system's data in it. */
static void test_unzeroable_memory_not_mapped(void **state)
{
	(void)state;
	map_ram_result = -1;
	channels_create(&cfg);
	assert_int_equal(s2_maps, 0);
	assert_int_equal(emuls, 0);
	assert_int_equal(advertised(0), 0);
	assert_int_equal(advertised(1), 0);
	assert_true(fake_printk_contains("its memory cannot be mapped at EL2 to be zeroed"));
}

/* An end past the stage-2 input range (the checker refuses it) is not set up either. */
static void test_beyond_ipa_limit_not_set_up(void **state)
{
	(void)state;
	cfg.channels[0].end[1].map = CONFIG_IPA_LIMIT - SZ_1M;
	channels_create(&cfg);
	assert_int_equal(s2_maps, 0);
	assert_int_equal(advertised(0), 0);
	assert_true(fake_printk_contains("beyond its VM's address space"));
}

/* A channel the config check refused: nothing at all, and no second message. */
static void test_invalid_channel_silent(void **state)
{
	(void)state;
	cfg.channels[0].valid = false;
	channels_create(&cfg);
	assert_int_equal(advertised(0), 0);
	assert_string_equal(fake_printk_output(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_set_up_and_advertised, setup),
		cmocka_unit_test_setup(test_refused_peer_not_advertised, setup),
		cmocka_unit_test_setup(test_unzeroable_memory_not_mapped, setup),
		cmocka_unit_test_setup(test_beyond_ipa_limit_not_set_up, setup),
		cmocka_unit_test_setup(test_invalid_channel_silent, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
