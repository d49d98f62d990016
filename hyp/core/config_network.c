/*
 * Networks between VMs in the config (docs/configuration.md, "Networks"):
 * /networks/<net>/<vm> gives VM <vm> a virtio-net device on network <net>
 * (hyp/virt/vnet.c). Parsed after /vms, checked after the VMs and channels.
 * Same rules as config.c: shared by the host checker and the hypervisor,
 * every property length checked, every problem reported in one run.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <tessera/config.h>

#include "config_internal.h"

#define KNOWN_MEMBER_PROPS "virtio-mmio, interrupt, mac"
#define MAC_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define MAC_ARGS(m) (m)[0], (m)[1], (m)[2], (m)[3], (m)[4], (m)[5]
#define MAC_MULTICAST 0x01u     /* bit 0 of byte 0: group address (IEEE 802-2014, 8.2) */
#define MAC_LOCAL_UNICAST 0x02u /* locally administered, individual */

/*
 * A member without mac gets 02:h4:h3:h2:h1:h0, the low five bytes of the
 * 64-bit FNV-1a hash of "<network>/<vm>": stable across builds and boots,
 * and independent of the members' order.
 */
static void mac_generate(const char *net, const char *vm, u8 mac[CONFIG_MAC_LEN])
{
	u64 h = 0xcbf29ce484222325ull; /* FNV-1a offset basis and prime, 64-bit */
	const char *parts[] = { net, "/", vm };

	for (unsigned int i = 0; i < ARRAY_SIZE(parts); i++)
		for (const char *c = parts[i]; *c; c++)
			h = (h ^ (u8)*c) * 0x100000001b3ull;
	mac[0] = MAC_LOCAL_UNICAST;
	for (unsigned int i = 1; i < CONFIG_MAC_LEN; i++)
		mac[i] = (u8)(h >> (8 * (CONFIG_MAC_LEN - 1 - i)));
}

static bool mac_is_zero(const u8 mac[CONFIG_MAC_LEN])
{
	static const u8 zero[CONFIG_MAC_LEN];

	return !memcmp(mac, zero, CONFIG_MAC_LEN);
}

/* mac = [..]: 6 bytes, unicast, not all zeros. */
static bool parse_mac(const void *blob, int node, const struct network_config *n,
		      const char *vm_name, struct net_member_config *m, struct problems *p)
{
	int len;
	const u8 *mac = fdt_getprop(blob, node, "mac", &len);

	if (!mac) {
		mac_generate(n->name, vm_name, m->mac);
		return true;
	}
	m->mac_given = true;
	if (len != CONFIG_MAC_LEN) {
		report(p, m->node, "mac must be 6 bytes, e.g. mac = [02 54 00 00 00 01]; "
				   "or leave it out to have one generated");
		return false;
	}
	if (mac[0] & MAC_MULTICAST) {
		report(p, m->node, "mac " MAC_FMT " is a multicast address (bit 0 of its first byte "
				   "is set); give a unicast one, e.g. mac = [02 54 00 00 00 01];",
		       MAC_ARGS(mac));
		return false;
	}
	if (mac_is_zero(mac)) {
		report(p, m->node, "mac 00:00:00:00:00:00 is no address; give one, e.g. "
				   "mac = [02 54 00 00 00 01];");
		return false;
	}
	memcpy(m->mac, mac, CONFIG_MAC_LEN);
	return true;
}

/*
 * One member node (named after its VM) into @m; false when anything of it is
 * wrong. m->well_formed: its VM exists and its address and interrupt were read.
 */
static bool parse_member(const void *blob, int node, const char *net, int net_len,
			 const struct system_config *cfg, const struct network_config *n,
			 struct net_member_config *m, int ac, struct problems *p)
{
	int len, prop, vm;
	const char *name = fdt_get_name(blob, node, &len);
	const fdt32_t *intid;
	bool ok = true, known = true;

	if (!name)
		return false;
	/* @net is the network's name in the blob: snprintf's source and destination never alias. */
	snprintf(m->node, sizeof(m->node), "/networks/%.*s/%.*s", net_len, net, len, name);
	vm = vm_by_name(cfg, name, len);
	if (vm < 0) {
		report(p, m->node, "no VM named '%.*s'; name each member after a VM under /vms", len,
		       name);
		return false;
	}
	m->vm = (unsigned int)vm;
	fdt_for_each_property_offset(prop, blob, node) {
		const char *pname;

		fdt_getprop_by_offset(blob, prop, &pname, NULL);
		if (pname && strcmp(pname, "virtio-mmio") && strcmp(pname, "interrupt") &&
		    strcmp(pname, "mac")) {
			report(p, m->node, "unknown property '%s'; known: " KNOWN_MEMBER_PROPS, pname);
			known = false;
		}
	}
	if (!address_prop(blob, node, "virtio-mmio", ac, &m->base)) {
		report(p, m->node, "virtio-mmio must be one address (%d cells): the 4 KiB page of the "
				   "VM's network device, e.g. virtio-mmio = <0x0 0x0a001000>;", ac);
		ok = false;
	}
	intid = fdt_getprop(blob, node, "interrupt", &len);
	if (!intid || len != 4) {
		report(p, m->node, "interrupt must be one INTID (the SPI of the VM's network device), "
				   "e.g. interrupt = <48>;");
		ok = false;
	} else {
		m->intid = fdt32_to_cpu(*intid);
	}
	m->well_formed = ok;
	return parse_mac(blob, node, n, cfg->vms[vm].name, m, p) && ok && known;
}

static void parse_network(const void *blob, int node, struct system_config *cfg,
			  struct network_config *n, int ac, struct problems *p)
{
	int len, prop, sub;
	const char *name = fdt_get_name(blob, node, &len);

	if (!name)
		return;
	snprintf(n->node, sizeof(n->node), "/networks/%.*s", len, name);
	snprintf(n->name, sizeof(n->name), "%.*s", len, name);
	n->valid = true; /* until a problem; networks_validate() checks the rest */
	/* The name is in generated MACs and console lines: never cut short. */
	if (len >= CONFIG_NAME_MAX) {
		report(p, n->node, "the network name is %d characters; rename the node to at most %d",
		       len, CONFIG_NAME_MAX - 1);
		n->valid = false;
	}
	fdt_for_each_property_offset(prop, blob, node) {
		const char *pname;

		fdt_getprop_by_offset(blob, prop, &pname, NULL);
		report(p, n->node, "unknown property '%s'; a network holds only member nodes, one "
				   "named after each VM", pname ? pname : "?");
		n->valid = false;
	}
	fdt_for_each_subnode(sub, blob, node) {
		if (n->member_count == CONFIG_MAX_NET_MEMBERS) {
			report(p, n->node, "more than %d members; remove '%s'", CONFIG_MAX_NET_MEMBERS,
			       fdt_get_name(blob, sub, NULL));
			n->valid = false;
			continue;
		}
		if (!parse_member(blob, sub, name, len, cfg, n, &n->member[n->member_count++], ac,
				  p))
			n->valid = false;
	}
	if (n->member_count < 2) {
		report(p, n->node, "a network needs at least two members, one subnode named after "
				   "each VM");
		n->valid = false;
	}
}

void networks_parse(const void *blob, int node, struct system_config *cfg, int ac,
		    struct problems *p)
{
	int prop, sub;

	fdt_for_each_property_offset(prop, blob, node) {
		const char *pname;

		fdt_getprop_by_offset(blob, prop, &pname, NULL);
		report(p, "/networks", "unknown property '%s'; /networks holds only network nodes",
		       pname ? pname : "?");
	}
	fdt_for_each_subnode(sub, blob, node) {
		if (cfg->network_count == CONFIG_MAX_NETWORKS) {
			report(p, "/networks", "more than %d networks; remove '%s'",
			       CONFIG_MAX_NETWORKS, fdt_get_name(blob, sub, NULL));
			continue;
		}
		parse_network(blob, sub, cfg, &cfg->networks[cfg->network_count++], ac, p);
	}
}

/* The valid network before @upto whose device in @m's VM clashes with @m's; NULL when none. */
static const struct network_config *network_clash(const struct system_config *cfg,
						  const struct network_config *upto,
						  const struct net_member_config *m)
{
	for (const struct network_config *o = cfg->networks; o < upto; o++)
		for (unsigned int i = 0; i < o->member_count && o->valid; i++) {
			const struct net_member_config *om = &o->member[i];

			if (om->well_formed && om->vm == m->vm &&
			    (ranges_overlap(m->base, CONFIG_VIRTIO_MMIO_SIZE, om->base,
					    CONFIG_VIRTIO_MMIO_SIZE) || om->intid == m->intid))
				return o;
		}
	return NULL;
}

/* A member's device: a free page and a free SPI in its VM. */
static bool check_member(const struct system_config *cfg, const struct platform *plat,
			 const struct network_config *n, const struct net_member_config *m,
			 struct problems *p)
{
	const struct vm_config *vm = &cfg->vms[m->vm];
	const u64 base = m->base, size = CONFIG_VIRTIO_MMIO_SIZE;
	const struct channel_config *channel;
	const struct network_config *other;

	if (m->intid < CONFIG_CHANNEL_INTID_MIN || m->intid > CONFIG_CHANNEL_INTID_MAX) {
		report(p, m->node, "interrupt %u is not an SPI the vGIC offers for network devices; "
				   "use %d to %d", m->intid, CONFIG_CHANNEL_INTID_MIN,
		       CONFIG_CHANNEL_INTID_MAX);
		return false;
	}
	if (!IS_ALIGNED(base, SZ_4K)) {
		report(p, m->node, "virtio-mmio 0x%llx is not a 4 KiB aligned address; use a multiple "
				   "of 0x1000", (unsigned long long)base);
		return false;
	}
	/* The VM's stage 2 ends there (tessera/config.h CONFIG_IPA_LIMIT). */
	if (base >= CONFIG_IPA_LIMIT || base + size > CONFIG_IPA_LIMIT) {
		report(p, m->node, "virtio-mmio 0x%llx is beyond the VM's %llu GiB address space; "
				   "choose an address below 0x%llx", (unsigned long long)base,
		       (unsigned long long)(CONFIG_IPA_LIMIT >> 30),
		       (unsigned long long)CONFIG_IPA_LIMIT);
		return false;
	}
	/* Its memory even when the VM is refused for it: the member is checked all the same. */
	if (ranges_overlap(base, size, vm->memory.base, vm->memory.size) ||
	    vm_ipa_taken(vm, plat, base, size)) {
		report(p, m->node, "virtio-mmio " RANGE_FMT " overlaps VM %s's memory, vUART, vGIC or "
				   "manager page; choose a free address in that VM",
		       RANGE_ARGS(base, size), vm->name);
		return false;
	}
	if (watchdog_clash(vm, base, size, m->intid)) {
		report(p, m->node, "virtio-mmio " RANGE_FMT " or interrupt %u clashes with VM %s's "
				   "watchdog; choose a free address and INTID",
		       RANGE_ARGS(base, size), m->intid, vm->name);
		return false;
	}
	if (device_ipa_clash(vm, base, size, m->intid)) {
		report(p, m->node, "virtio-mmio " RANGE_FMT " or interrupt %u clashes with a device "
				   "given to VM %s; choose a free address and INTID",
		       RANGE_ARGS(base, size), m->intid, vm->name);
		return false;
	}
	channel = channel_clash(cfg, m->vm, NULL, base, size, m->intid);
	if (channel) {
		report(p, m->node, "virtio-mmio " RANGE_FMT " or interrupt %u clashes with channel %s "
				   "in VM %s; choose a free address and INTID",
		       RANGE_ARGS(base, size), m->intid, channel->name, vm->name);
		return false;
	}
	other = network_clash(cfg, n, m);
	if (other) {
		report(p, m->node, "virtio-mmio " RANGE_FMT " or interrupt %u clashes with VM %s's "
				   "device on network %s; give each network its own address and INTID",
		       RANGE_ARGS(base, size), m->intid, vm->name, other->name);
		return false;
	}
	return true;
}

/* Member @i's MAC against the members before it. */
static bool mac_unique(const struct system_config *cfg, const struct network_config *n,
		       unsigned int i, struct problems *p)
{
	const struct net_member_config *m = &n->member[i];

	if (mac_is_zero(m->mac))
		return true; /* malformed: reported when parsed */
	for (unsigned int j = 0; j < i; j++) {
		const struct net_member_config *o = &n->member[j];

		if (memcmp(m->mac, o->mac, CONFIG_MAC_LEN))
			continue;
		if (m->mac_given)
			report(p, m->node, "mac " MAC_FMT " is also member %s's; give each member its "
					   "own MAC", MAC_ARGS(m->mac), cfg->vms[o->vm].name);
		else
			report(p, m->node, "the generated mac " MAC_FMT " is also member %s's; give one "
					   "of them mac = [02 ...] (6 bytes of your choice)",
			       MAC_ARGS(m->mac), cfg->vms[o->vm].name);
		return false;
	}
	return true;
}

void networks_validate(struct system_config *cfg, const struct platform *plat, struct problems *p)
{
	unsigned int ports = 0;

	for (unsigned int i = 0; i < cfg->network_count; i++) {
		struct network_config *n = &cfg->networks[i];
		bool ok = n->valid;

		ports += n->member_count;
		if (ports > CONFIG_MAX_NET_PORTS) {
			report(p, n->node, "the networks up to this one have %u members, more than the "
					   "%d network devices Tessera has; remove members or networks",
			       ports, CONFIG_MAX_NET_PORTS);
			ok = false;
		}
		for (unsigned int j = 0; j < n->member_count; j++) {
			const struct net_member_config *m = &n->member[j];
			const struct vm_config *vm = &cfg->vms[m->vm];

			if (!m->well_formed) {
				ok = false; /* said when parsed */
				continue;
			}
			/* Its own problems are reported too: fixing the VM would show them next. */
			if (!vm->valid) {
				report(p, m->node, "VM %s is refused, so the network cannot be set up; "
						   "fix that VM", vm->name);
				ok = false;
			}
			ok &= check_member(cfg, plat, n, m, p);
			ok &= mac_unique(cfg, n, j, p);
		}
		n->valid = ok;
	}
}
