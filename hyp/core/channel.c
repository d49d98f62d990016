/* Inter-VM channels: shared memory and doorbells, or PCI functions (tessera/channel.h). */
#include <string.h>
#include <tessera/channel.h>
#include <tessera/console.h>
#include <tessera/iommu.h>
#include <tessera/mmu.h>
#include <tessera/vm.h>
#include <virt/vgic.h>
#include <virt/vpci.h>

/* The doorbell page's only register: a 32-bit write of any value rings the peer. */
#define DOORBELL_RING 0x0

/* How one end rings its peer: an edge on the peer's SPI, or its PCI function's INTA. */
struct doorbell {
	struct vm *peer;
	u32 peer_intid;
	struct vpci *peer_pci; /* NULL: the peer has a doorbell page */
};

static struct doorbell doorbells[CONFIG_MAX_CHANNELS][2];
static struct vpci vpcis[CONFIG_MAX_CHANNELS][2];

static void ring_peer(void *ctx)
{
	struct doorbell *d = ctx;

	if (d->peer_pci)
		vpci_raise(d->peer_pci);
	else
		vgic_inject(d->peer, NULL, d->peer_intid);
}

static void ring(void *dev, u32 offset, u64 value)
{
	(void)offset;
	(void)value;
	ring_peer(dev);
}

static const struct emul_reg doorbell_regs[] = {
	{ DOORBELL_RING, 4, EMUL_W32, 0, 0, NULL, ring },
};

static enum mmio_result doorbell_access(void *dev, struct mmio_access *acc)
{
	return emul_regs_access(doorbell_regs, ARRAY_SIZE(doorbell_regs), dev, acc);
}

/* Set up in both VMs: only these channels are in the VMs' device trees (channels_of_vm). */
static bool live[CONFIG_MAX_CHANNELS];

/* The VM's stage 2 covers CONFIG_IPA_LIMIT, which the config checker holds every end to. */
_Static_assert(CONFIG_IPA_LIMIT == 1ULL << PT_IA_BITS, "channel IPAs are checked against the stage-2 input size");

static bool end_in_ipa_space(const struct channel_config *c, const struct channel_end_config *end)
{
	u64 regs = end->pci ? end->pci_ecam : end->doorbell;
	u64 regs_size = end->pci ? CONFIG_PCI_ECAM_SIZE : SZ_4K;

	return end->map <= CONFIG_IPA_LIMIT - c->memory.size && regs <= CONFIG_IPA_LIMIT - regs_size;
}

/* Both ends into their VMs: the memory zeroed, mapped, the doorbells placed. NULL or why not. */
static const char *channel_setup(unsigned int i, const struct channel_config *c)
{
	for (unsigned int e = 0; e < 2; e++) {
		if (!vms[c->end[e].vm].cfg)
			return "a VM of it is refused";
		if (!end_in_ipa_space(c, &c->end[e]))
			return "an end lies beyond its VM's address space (the config checker refuses this)";
	}
	/* A defined start: the memory comes zeroed, never with another system's data. */
	if (mmu_map_ram(c->memory.base, c->memory.size))
		return "its memory cannot be mapped at EL2 to be zeroed";
	memset((void *)c->memory.base, 0, c->memory.size);
	for (unsigned int e = 0; e < 2; e++) {
		const struct channel_end_config *end = &c->end[e], *other = &c->end[1 - e];
		struct vm *vm = &vms[end->vm];
		unsigned int prot = PT_R | (end->read_only ? 0 : PT_W);

		doorbells[i][e] = (struct doorbell){ &vms[other->vm], other->intid,
						     other->pci ? &vpcis[i][1 - e] : NULL };
		vpci_init(&vpcis[i][e], vm, end->intid, end->map, c->memory.size, end->read_only,
			  ring_peer, &doorbells[i][e]);
		if (pt_map(&vm->s2, end->map, c->memory.base, c->memory.size, prot) ||
		    iommu_vm_map(vm, end->map, c->memory.base, c->memory.size, prot) ||
		    !(end->pci ? vm_add_emul(vm, "vpci", end->pci_ecam, CONFIG_PCI_ECAM_SIZE,
					     &vpcis[i][e], vpci_access)
			       : vm_add_emul(vm, "doorbell", end->doorbell, SZ_4K, &doorbells[i][e],
					     doorbell_access)))
			return e ? "it cannot be mapped into its second VM" : "it cannot be mapped into its first VM";
	}
	return NULL;
}

void channels_create(const struct system_config *cfg)
{
	for (unsigned int i = 0; i < cfg->channel_count; i++) {
		const struct channel_config *c = &cfg->channels[i];
		const char *why;

		live[i] = false;
		if (!c->valid)
			continue; /* the config check said why */
		why = channel_setup(i, c);
		if (why) {
			printk("tessera: channel %s not set up: %s; neither VM %s nor VM %s sees it\n",
			       c->name, why, vms[c->end[0].vm].name, vms[c->end[1].vm].name);
			continue;
		}
		live[i] = true;
		printk("tessera: channel %s: VM %s <-> VM %s, memory 0x%llx-0x%llx\n", c->name,
		       vms[c->end[0].vm].name, vms[c->end[1].vm].name,
		       (unsigned long long)c->memory.base,
		       (unsigned long long)(c->memory.base + c->memory.size - 1));
	}
}

void channels_vm_reset(struct vm *vm)
{
	for (unsigned int i = 0; i < CONFIG_MAX_CHANNELS; i++)
		for (unsigned int e = 0; e < 2; e++)
			if (vpcis[i][e].vm == vm)
				vpci_reset(&vpcis[i][e]);
}

/*
 * @vm stopped or restarted: each channel peer is rung as if @vm had rung
 * its doorbell, so a peer waiting on the channel looks again (and sees a
 * fresh, silent end: what it does then is its protocol's business).
 */
void channels_notify_peers(struct vm *vm)
{
	for (unsigned int i = 0; i < CONFIG_MAX_CHANNELS; i++)
		for (unsigned int e = 0; e < 2; e++)
			if (live[i] && vpcis[i][e].vm == vm)
				ring_peer(&doorbells[i][e]);
}

unsigned int channels_of_vm(const struct system_config *cfg, const struct vm *vm,
			    struct guest_fdt_channel *out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < cfg->channel_count && n < max; i++) {
		const struct channel_config *c = &cfg->channels[i];

		if (!live[i])
			continue;
		for (unsigned int e = 0; e < 2 && n < max; e++) {
			const struct channel_end_config *end = &c->end[e];

			if (&vms[end->vm] != vm)
				continue;
			out[n++] = (struct guest_fdt_channel){
				.name = c->name, .peer = cfg->vms[c->end[1 - e].vm].name,
				.map = end->map, .size = c->memory.size, .doorbell = end->doorbell,
				.pci = end->pci, .pci_ecam = end->pci_ecam, .intid = end->intid,
				.read_only = end->read_only,
			};
		}
	}
	return n;
}
