/*
 * virtio-net devices of the networks between VMs (virt/vnet.h), over the
 * virtio-mmio transport: virtio 1.2 (OASIS, 2022), 4.2.2 (registers), 4.2.3
 * (the driver's sequence), 5.1 (network device). Modern interface only
 * (Version 2), two queues (receiveq1, transmitq1); checksum and TCP
 * segmentation offloads with mergeable receive buffers, which a driver may
 * take or leave: Linux's stock virtio_mmio and virtio_net drive it with
 * them, guests/common/virtio_net.c without.
 *
 * A frame's way: the sender's QueueNotify on its transmit queue traps here,
 * on its own CPU. Each available chain is taken (virtq.c checks it), the
 * frame copied once into this CPU's bounce buffer, checked and routed from
 * that copy (vnet_switch.c), copied into posted receive buffers of each
 * destination as it negotiated (vnet_rx.c), and both chains are returned
 * through the used rings. Nothing
 * is kept: a destination with no receive buffer loses the frame, and the
 * sender never waits for it.
 *
 * Isolation: no VM maps another's memory. Tessera reads only the sender's
 * RAM and writes only the receiver's, each address checked against that
 * VM's own RAM (tessera/guest_mem.h). A driver that breaks a ring's rules
 * stops its own device (DEVICE_NEEDS_RESET, virtio 1.2 2.1.2) and nothing
 * else. Work per notify is bounded: at most num chains, each at most
 * VIRTQ_MAX_CHAIN descriptors and one frame of at most 64 KiB, delivered
 * to at most CONFIG_MAX_NET_MEMBERS - 1 others (segmented for those without
 * TSO: at most 1024 segments of at least 64 bytes).
 *
 * Locking: each port's lock guards all of its state (registers, queues,
 * counters) and every write into its VM's receive buffers, and is never
 * held with another port's: a frame is taken under the sender's lock,
 * delivered under each receiver's in turn, and its chain returned under the
 * sender's again. The bounce buffer is the CPU's own. Nesting: port lock,
 * then vm->vgic.lock (vgic_inject).
 */
#include <string.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/vm.h>
#include <virt/vnet.h>
#include <virt/vnet_offload.h>

#include "vnet_internal.h"

static struct vnet_port ports[CONFIG_MAX_NET_PORTS];
static unsigned int port_count;
static u8 macs[CONFIG_MAX_NETWORKS][CONFIG_MAX_NET_MEMBERS][CONFIG_MAC_LEN];

/* Each CPU's copy of the frame it is switching: read once from the sender, routed and delivered from here. */
static u8 bounce[PLATFORM_MAX_CPUS][VNET_MAX_TX] __attribute__((aligned(64)));
/* Each CPU's transmit chain (528 bytes: not zeroed on the stack per notify, bench/net-cost.md). */
static struct virtq_chain tx_chain[PLATFORM_MAX_CPUS];

/* Lock held: the driver has the device running and no rule broken. */
bool vnet_running(const struct vnet_port *p)
{
	/* FEATURES_OK too: driver_features were checked (vnet_mmio.c) only if it is set. */
	return (p->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FEATURES_OK |
			     VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED)) ==
	       (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FEATURES_OK);
}

/*
 * Lock held, the device running (a stop or restart resets it first, vnet_vm_stop):
 * InterruptStatus gains @bits and the edge is sent, into the life that runs.
 */
void vnet_raise_irq(struct vnet_port *p, u32 bits)
{
	p->interrupt_status |= bits;
	vgic_inject(p->vm, NULL, p->intid);
}

/* Lock held: the device to its reset state (2.1, 4.2.3.1); chains taken before are dropped. */
void vnet_device_reset(struct vnet_port *p)
{
	p->status = 0;
	p->device_features_sel = p->driver_features_sel = p->queue_sel = 0;
	p->driver_features = 0;
	p->interrupt_status = 0;
	p->generation++;
	for (unsigned int i = 0; i < VNET_QUEUES; i++)
		virtq_reset(&p->q[i]);
}

/*
 * Lock held: the driver broke a rule. DEVICE_NEEDS_RESET and, once the
 * driver was told the device runs, a configuration change interrupt (2.1.2);
 * the caller prints the report returned (not under the lock).
 */
bool vnet_device_fail(struct vnet_port *p)
{
	p->status |= VIRTIO_STATUS_NEEDS_RESET;
	if (p->status & VIRTIO_STATUS_DRIVER_OK)
		vnet_raise_irq(p, VIRTIO_MMIO_INT_CONFIG);
	return p->reports++ < VNET_REPORTS_MAX;
}

void vnet_report_failure(const struct vnet_port *p, const char *why)
{
	printk("tessera: VM %s: network %s: device stopped: %s; the driver must reset it\n",
	       p->vm->name, p->net->name, why);
}

/*
 * The sender's header, checked against what it negotiated (virtio 1.2,
 * 5.1.6.2): flags NEEDS_CSUM only, with VIRTIO_NET_F_CSUM and the checksum
 * field inside the frame; a frame larger than the MTU only as TCP with the
 * matching HOST_TSO feature, NEEDS_CSUM on the TCP checksum and headers
 * vnet_tso_check() accepts (a receiver that takes it whole trusts them).
 * hdr_len, a hint the driver may leave wrong (5.1.6.2), is set from the
 * frame: 0, or the TSO frame's header length (5.1.6.4). Every field a
 * receiver gets is then checked or Tessera's own.
 */
static bool tx_header_ok(const struct vnet_port *p, struct vnet_hdr *h, const u8 *eth, u32 len)
{
	u32 hdrs;

	h->hdr_len = 0;
	if (h->flags & ~VIRTIO_NET_HDR_F_NEEDS_CSUM)
		return false;
	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    (!vnet_has(p, VIRTIO_NET_F_CSUM) || (u32)h->csum_start + h->csum_offset + 2 > len))
		return false;
	switch (h->gso_type) {
	case VIRTIO_NET_HDR_GSO_NONE:
		return len <= ETH_MAX_FRAME;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		if (!vnet_has(p, VIRTIO_NET_F_HOST_TSO4))
			return false;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		if (!vnet_has(p, VIRTIO_NET_F_HOST_TSO6))
			return false;
		break;
	default: /* UDP, ECN: not offered */
		return false;
	}
	if (!(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) ||
	    !vnet_tso_check(eth, len, h->gso_type, h->gso_size, h->csum_start, h->csum_offset, &hdrs))
		return false;
	h->hdr_len = (u16)hdrs; /* at most 134 bytes */
	return true;
}

/* The frame in @buf (@len bytes with its header) from @p to its destinations; false if dropped. */
static bool switch_frame(struct vnet_port *p, u8 *buf, u32 len)
{
	u8 *eth = buf + VNET_HDR_LEN;
	u32 eth_len = len - VNET_HDR_LEN;
	struct vnet_hdr hdr;
	enum vswitch_drop drop;
	u32 route;
	bool delivered = false, csum_needed = false;

	if (len < VNET_HDR_LEN + ETH_MIN_FRAME)
		return false;
	memcpy(&hdr, buf, VNET_HDR_LEN);
	if (!tx_header_ok(p, &hdr, eth, eth_len))
		return false;
	route = vswitch_route(p->macs, p->net->member_count, p->member, eth, &drop);
	/*
	 * A partial checksum in a frame of MTU size that a receiver cannot take
	 * (no GUEST_CSUM: read without its lock, vnet_rx.c checks again under
	 * it) is completed once here, for every receiver.
	 */
	for (unsigned int i = 0; i < p->net->member_count; i++)
		if ((route & BIT(i)) && p->peers[i] && !vnet_has(p->peers[i], VIRTIO_NET_F_GUEST_CSUM))
			csum_needed = true;
	if (csum_needed && hdr.gso_type == VIRTIO_NET_HDR_GSO_NONE &&
	    (hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
		if (!vnet_csum_complete(eth, eth_len, hdr.csum_start, hdr.csum_offset))
			return false;
		hdr.flags = 0;
	}
	for (unsigned int i = 0; i < p->net->member_count; i++)
		if ((route & BIT(i)) && p->peers[i])
			delivered |= vnet_deliver(p->peers[i], &hdr, eth, eth_len);
	return delivered;
}

/*
 * QueueNotify of the transmit queue, on one of @p's VM's CPUs: every chain
 * available now (at most num), each switched and returned. The lock is let
 * go while a frame is delivered (see the top of this file); a device reset
 * meanwhile (generation) means its chain is not returned into the new life.
 */
void vnet_transmit(struct vnet_port *p)
{
	unsigned int cpu = this_cpu()->index;
	u8 *buf = bounce[cpu];
	struct virtq_chain *chain = &tx_chain[cpu]; /* filled by virtq_pop, used when it returns VIRTQ_CHAIN */
	struct virtq *q = &p->q[VNET_TXQ];
	bool returned = false;

	for (u32 n = 0;; n++) {
		enum virtq_pop_result r = VIRTQ_EMPTY;
		const char *why = NULL;
		bool report = false, sent;
		u32 len = 0, gen;

		spin_lock(&p->lock);
		if (n < q->num && q->ready && vnet_running(p))
			r = virtq_pop(q, &p->mem, chain, &why);
		if (r == VIRTQ_CHAIN && chain->nr_in) {
			why = "a transmit chain has device-writable buffers (virtio 1.2, 5.1.6.2)";
			r = VIRTQ_BROKEN;
		}
		if (r == VIRTQ_BROKEN)
			report = vnet_device_fail(p);
		/* A chain longer than any frame is read no further: it is dropped below. */
		if (r == VIRTQ_CHAIN && chain->out_len <= VNET_MAX_TX)
			len = virtq_chain_read(&p->mem, chain, 0, buf, chain->out_len);
		gen = p->generation;
		spin_unlock(&p->lock);
		if (report)
			vnet_report_failure(p, why);
		if (r != VIRTQ_CHAIN)
			break;

		sent = switch_frame(p, buf, len);

		spin_lock(&p->lock);
		if (p->generation == gen) {
			if (sent)
				p->tx_frames++;
			else
				p->tx_dropped++;
			if (virtq_push(q, &p->mem, chain->head, 0)) {
				returned = true;
			} else {
				why = "its used ring cannot be written";
				report = vnet_device_fail(p);
			}
		}
		spin_unlock(&p->lock);
		if (report) {
			vnet_report_failure(p, why);
			break;
		}
	}
	if (!returned)
		return;
	spin_lock(&p->lock);
	if (vnet_running(p) && virtq_wants_interrupt(q, &p->mem))
		vnet_raise_irq(p, VIRTIO_MMIO_INT_VRING);
	spin_unlock(&p->lock);
}

/* Lifecycle. */

void vnet_vm_stop(struct vm *vm)
{
	for (unsigned int i = 0; i < port_count; i++) {
		struct vnet_port *p = &ports[i];

		if (p->vm != vm)
			continue;
		spin_lock(&p->lock);
		vnet_device_reset(p); /* not running: nothing is delivered to it or taken from it */
		spin_unlock(&p->lock);
	}
}

void vnet_vm_reset(struct vm *vm)
{
	for (unsigned int i = 0; i < port_count; i++) {
		struct vnet_port *p = &ports[i];

		if (p->vm != vm)
			continue;
		spin_lock(&p->lock);
		vnet_device_reset(p);
		p->tx_frames = p->rx_frames = p->tx_dropped = p->rx_dropped = 0;
		p->reports = 0;
		p->pending_report = NULL;
		spin_unlock(&p->lock);
	}
}

unsigned int vnets_of_vm(const struct vm *vm, struct guest_fdt_virtio *out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < port_count && n < max; i++)
		if (ports[i].vm == vm)
			out[n++] = (struct guest_fdt_virtio){ .base = ports[i].net->member[ports[i].member].base,
							      .intid = ports[i].intid };
	return n;
}

static enum vnet_port_state port_state(const struct vnet_port *p)
{
	if (p->status & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED))
		return VNET_PORT_FAILED;
	return vnet_running(p) ? VNET_PORT_UP : VNET_PORT_DOWN;
}

unsigned int vnet_figures_of_vm(const struct vm *vm, struct vnet_port_figures *out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < port_count && n < max; i++) {
		struct vnet_port *p = &ports[i];

		if (p->vm != vm)
			continue;
		spin_lock(&p->lock);
		out[n] = (struct vnet_port_figures){ .network = p->net->name,
						     .state = port_state(p),
						     .tx_frames = p->tx_frames,
						     .tx_dropped = p->tx_dropped,
						     .rx_frames = p->rx_frames,
						     .rx_dropped = p->rx_dropped };
		memcpy(out[n].mac, p->macs[p->member], CONFIG_MAC_LEN);
		spin_unlock(&p->lock);
		n++;
	}
	return n;
}

/* NULL when every member's VM was built, or why not. */
static const char *network_unbuilt(const struct network_config *net)
{
	for (unsigned int m = 0; m < net->member_count; m++)
		if (!vms[net->member[m].vm].cfg)
			return "a VM of it is refused";
	if (port_count + net->member_count > CONFIG_MAX_NET_PORTS)
		return "too many members over all networks (the config checker refuses this)";
	return NULL;
}

void vnets_create(const struct system_config *cfg)
{
	for (unsigned int n = 0; n < cfg->network_count; n++) {
		const struct network_config *net = &cfg->networks[n];
		struct vnet_port *first = &ports[port_count];
		const char *why;

		if (!net->valid)
			continue; /* the config check said why */
		why = network_unbuilt(net);
		if (why) {
			printk("tessera: network %s not set up: %s; no member sees it\n", net->name, why);
			continue;
		}
		for (unsigned int m = 0; m < net->member_count; m++) {
			const struct net_member_config *mc = &net->member[m];
			struct vnet_port *p = &first[m];
			struct vm *vm = &vms[mc->vm];

			memcpy(macs[n][m], mc->mac, CONFIG_MAC_LEN);
			*p = (struct vnet_port){
				.vm = vm, .net = net, .macs = macs[n], .member = m, .intid = mc->intid,
				.mem = { vm->cfg->memory.base, vm->cfg->memory.size,
					 vm->cfg->coloured ? &vm->s2 : NULL },
			};
			for (unsigned int o = 0; o < net->member_count; o++)
				p->peers[o] = o == m ? NULL : &first[o];
			if (!vm_add_emul(vm, "virtio-net", mc->base, CONFIG_VIRTIO_MMIO_SIZE, p, vnet_access))
				printk("tessera: network %s: VM %s has too many devices; it has no port\n",
				       net->name, vm->name);
		}
		port_count += net->member_count;
		for (unsigned int m = 0; m < net->member_count; m++) {
			const u8 *a = net->member[m].mac;

			printk("tessera: network %s: VM %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, device 0x%llx, INTID %u\n",
			       net->name, vms[net->member[m].vm].name, a[0], a[1], a[2], a[3], a[4], a[5],
			       (unsigned long long)net->member[m].base, net->member[m].intid);
		}
	}
}

