/*
 * The network devices and their switch (hyp/virt/vnet.c) as drivers see
 * them: three VMs on one network, each with a fake driver whose rings and
 * buffers are in a host buffer that is the VM's RAM (guest_mem: PA == IPA).
 * Frames cross from one VM's transmit buffers into another's receive
 * buffers; a full receive queue drops without stalling the sender; a
 * driver that breaks a rule stops its own device only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fake_arch.h"
#include <tessera/vm.h>
#include <virt/virtq.h>
#include <virt/vnet.h>

#define NVM 3
#define RAM_SIZE 0x40000
#define QNUM 8
/* The fake driver's layout in each VM's RAM. */
#define RX_DESC 0x0000
#define RX_AVAIL 0x1000
#define RX_USED 0x2000
#define TX_DESC 0x3000
#define TX_AVAIL 0x4000
#define TX_USED 0x5000
#define RX_BUFS 0x10000 /* QNUM buffers of RX_BUF bytes */
#define RX_BUF 0x800
#define TX_BUFS 0x20000 /* QNUM buffers of TX_BUF bytes */
#define TX_BUF 0x1000
#define VNET_HDR 12

struct vm vms[CONFIG_MAX_VMS];
unsigned int vm_count;

static u8 ram[NVM][RAM_SIZE] __attribute__((aligned(4096)));
static struct vm_config vmcfg[NVM];
static struct system_config sc;
static unsigned int irqs[NVM];

/* What vnets_create registered in each VM. */
static struct {
	void *dev;
	enum mmio_result (*access)(void *dev, struct mmio_access *acc);
} emul[NVM];

bool vm_add_emul(struct vm *vm, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc))
{
	unsigned int i = (unsigned int)(vm - vms);

	(void)name;
	assert_int_equal(base, 0x0a001000);
	assert_int_equal(size, CONFIG_VIRTIO_MMIO_SIZE);
	emul[i].dev = dev;
	emul[i].access = access;
	return true;
}

void vgic_inject(struct vm *vm, struct vcpu *target, u32 intid)
{
	assert_null(target);
	assert_int_equal(intid, 48);
	irqs[vm - vms]++;
}

static u64 ipa(unsigned int v, u64 off)
{
	return (u64)(uintptr_t)ram[v] + off;
}

static void *at(unsigned int v, u64 off)
{
	return ram[v] + off;
}

static enum mmio_result mmio(unsigned int v, u64 off, unsigned int size, bool write, u64 *value)
{
	struct mmio_access acc = { .offset = off, .size = size, .is_write = write, .value = *value };
	enum mmio_result r = emul[v].access(emul[v].dev, &acc);

	*value = acc.value;
	return r;
}

static u32 rd(unsigned int v, u64 off)
{
	u64 value = 0;

	assert_int_equal(mmio(v, off, 4, false, &value), MMIO_OK);
	return (u32)value;
}

static void wr(unsigned int v, u64 off, u32 value)
{
	u64 x = value;

	assert_int_equal(mmio(v, off, 4, true, &x), MMIO_OK);
}

static void queue(unsigned int v, u32 sel, u64 desc, u64 avail, u64 used)
{
	wr(v, 0x030, sel);
	assert_int_equal(rd(v, 0x034), VIRTQ_MAX_SIZE);
	wr(v, 0x038, QNUM);
	wr(v, 0x080, (u32)ipa(v, desc));
	wr(v, 0x084, (u32)(ipa(v, desc) >> 32));
	wr(v, 0x090, (u32)ipa(v, avail));
	wr(v, 0x094, (u32)(ipa(v, avail) >> 32));
	wr(v, 0x0a0, (u32)ipa(v, used));
	wr(v, 0x0a4, (u32)(ipa(v, used) >> 32));
	wr(v, 0x044, 1);
	assert_int_equal(rd(v, 0x044), 1);
}

/* The offloads Linux's virtio_net takes: CSUM, GUEST_CSUM, GUEST_TSO4/6, HOST_TSO4/6, MRG_RXBUF. */
#define OFFLOADS (0x3U | 0x3U << 7 | 0x3U << 11 | 1U << 15)

/* Feature negotiation (3.1.1): @features (bits 0-31) with VERSION_1; true if FEATURES_OK stuck. */
static bool negotiate(unsigned int v, u32 features)
{
	wr(v, 0x070, 0);
	wr(v, 0x070, 1);
	wr(v, 0x070, 3);
	wr(v, 0x024, 1);
	wr(v, 0x020, 1); /* VERSION_1 */
	wr(v, 0x024, 0);
	wr(v, 0x020, features);
	wr(v, 0x070, 0xb);
	return rd(v, 0x070) == 0xb;
}

/* virtio 1.2, 3.1.1, as Linux's virtio_mmio does it, taking MAC and @offloads. */
static void driver_init_with(unsigned int v, u32 offloads)
{
	memset(ram[v], 0, 0x10000);
	assert_true(negotiate(v, 1U << 5 | offloads));
	queue(v, 0, RX_DESC, RX_AVAIL, RX_USED);
	queue(v, 1, TX_DESC, TX_AVAIL, TX_USED);
	wr(v, 0x070, 0xf);
}

static void driver_init(unsigned int v)
{
	driver_init_with(v, 0);
}

static u16 *avail_idx(unsigned int v, u64 avail)
{
	return at(v, avail + 2);
}

static u16 used_idx(unsigned int v, u64 used)
{
	return *(u16 *)at(v, used + 2);
}

static struct virtq_used_elem *used_elem(unsigned int v, u64 used, u16 i)
{
	return at(v, used + 4 + 8 * (i % QNUM));
}

/* One chain of one descriptor at ring position @slot (its head), made available. */
static void post(unsigned int v, u64 desc, u64 avail, u16 slot, u64 addr, u32 len, u16 flags)
{
	struct virtq_desc *d = at(v, desc + 16 * slot);
	u16 *idx = avail_idx(v, avail);

	*d = (struct virtq_desc){ .addr = addr, .len = len, .flags = flags };
	*(u16 *)at(v, avail + 4 + 2 * (*idx % QNUM)) = slot;
	(*idx)++;
}

static void post_rx(unsigned int v, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		u16 slot = *avail_idx(v, RX_AVAIL) % QNUM;

		post(v, RX_DESC, RX_AVAIL, slot, ipa(v, RX_BUFS + slot * RX_BUF), RX_BUF, VIRTQ_DESC_F_WRITE);
	}
	wr(v, 0x050, 0);
}

static const u8 mac[NVM][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 }, { 2, 0, 0, 0, 0, 3 } };

/* A frame of @len bytes (header included) from @v to @dst, its payload bytes @fill; not notified. */
static void queue_frame(unsigned int v, const u8 *dst, u32 len, u8 fill)
{
	u16 slot = *avail_idx(v, TX_AVAIL) % QNUM;
	u8 *buf = at(v, TX_BUFS + slot * TX_BUF);

	memset(buf, 0, 12);
	memcpy(buf + 12, dst, 6);
	memcpy(buf + 18, mac[v], 6);
	memset(buf + 24, fill, len - 24);
	post(v, TX_DESC, TX_AVAIL, slot, ipa(v, TX_BUFS + slot * TX_BUF), len, 0);
}

static void send(unsigned int v, const u8 *dst, u32 len, u8 fill)
{
	queue_frame(v, dst, len, fill);
	wr(v, 0x050, 1);
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	fake_run_on(0, NULL);
	memset(&sc, 0, sizeof(sc));
	memset(vms, 0, sizeof(vms));
	memset(irqs, 0, sizeof(irqs));
	struct network_config *net = &sc.networks[0];

	sc.network_count = 1;
	snprintf(net->name, sizeof(net->name), "lan0");
	net->member_count = NVM;
	net->valid = true;
	vm_count = NVM;
	for (unsigned int v = 0; v < NVM; v++) {
		vmcfg[v] = (struct vm_config){ .memory = { ipa(v, 0), RAM_SIZE } };
		vms[v].cfg = &vmcfg[v];
		vms[v].name = v == 0 ? "a" : v == 1 ? "b" : "c";
		net->member[v] = (struct net_member_config){ .vm = v, .base = 0x0a001000, .intid = 48 };
		memcpy(net->member[v].mac, mac[v], 6);
	}
	vnets_create(&sc);
	for (unsigned int v = 0; v < NVM; v++) {
		vnet_vm_reset(&vms[v]);
		driver_init(v);
	}
	memset(irqs, 0, sizeof(irqs));
	return 0;
}

static void test_identity_features_and_mac(void **state)
{
	u64 value = 0;

	(void)state;
	assert_int_equal(rd(0, 0x000), 0x74726976);
	assert_int_equal(rd(0, 0x004), 2);
	assert_int_equal(rd(0, 0x008), 1);
	wr(0, 0x014, 0);
	/* CSUM, GUEST_CSUM, MAC, GUEST_TSO4/6, HOST_TSO4/6, MRG_RXBUF (virtio 1.2, 5.1.3) */
	assert_int_equal(rd(0, 0x010), 0x3 | 1U << 5 | 0x3U << 7 | 0x3U << 11 | 1U << 15);
	wr(0, 0x014, 1);
	assert_int_equal(rd(0, 0x010), 1);
	wr(0, 0x014, 2);
	assert_int_equal(rd(0, 0x010), 0);
	for (unsigned int i = 0; i < 6; i++) {
		assert_int_equal(mmio(1, 0x100 + i, 1, false, &value), MMIO_OK);
		assert_int_equal(value, mac[1][i]);
	}
	/* 4.2.2.2: registers are 32-bit only. */
	assert_int_equal(mmio(0, 0x070, 8, false, &value), MMIO_BAD_ACCESS);
	assert_int_equal(mmio(0, 0x070, 2, false, &value), MMIO_BAD_ACCESS);
	wr(0, 0x030, 2);
	assert_int_equal(rd(0, 0x034), 0); /* no third queue */
	/* Feature sets (3.1.1, 5.1.3.1): FEATURES_OK kept only for acceptable ones. */
	assert_true(negotiate(2, 1U << 5));
	assert_true(negotiate(2, 1U << 5 | OFFLOADS));
	assert_false(negotiate(2, 1U << 5 | 1U << 17));          /* CTRL_VQ: not offered */
	assert_false(negotiate(2, 1U << 5 | 1U << 11));          /* HOST_TSO4 without CSUM */
	assert_false(negotiate(2, 1U << 5 | 1U << 7 | 1U << 15)); /* GUEST_TSO4 without GUEST_CSUM */
	assert_false(negotiate(2, 1U << 5 | 1U << 7 | 1U << 1)); /* ... or without MRG_RXBUF */
	assert_true(negotiate(2, 1U << 5 | 1U << 1 | 1U << 7 | 1U << 15));
	/* Without VERSION_1 neither (4.2.3.1.1). */
	wr(2, 0x070, 0);
	wr(2, 0x070, 3);
	wr(2, 0x020, 1U << 5);
	wr(2, 0x070, 0xb);
	assert_int_equal(rd(2, 0x070), 3);
	/* DRIVER_OK without FEATURES_OK: the device does not run (no frame taken). */
	wr(2, 0x070, 7);
	post_rx(1, 1);
	send(2, mac[1], 64, 0);
	assert_int_equal(used_idx(1, RX_USED), 0);
}

static void test_unicast_crosses_once(void **state)
{
	const u8 *rx = at(1, RX_BUFS);

	(void)state;
	post_rx(1, 4);
	post_rx(2, 4);
	send(0, mac[1], 100, 0x5a);
	assert_int_equal(used_idx(1, RX_USED), 1);
	assert_int_equal(used_elem(1, RX_USED, 0)->id, 0);
	assert_int_equal(used_elem(1, RX_USED, 0)->len, 100);
	assert_int_equal(rx[10], 1); /* num_buffers */
	assert_int_equal(rx[0], 0);
	assert_memory_equal(rx + 12, mac[1], 6);
	assert_memory_equal(rx + 18, mac[0], 6);
	assert_int_equal(rx[99], 0x5a);
	assert_int_equal(used_idx(0, TX_USED), 1);
	assert_int_equal(used_elem(0, TX_USED, 0)->len, 0);
	assert_int_equal(used_idx(2, RX_USED), 0);
	assert_int_equal(irqs[0], 1);
	assert_int_equal(irqs[1], 1);
	assert_int_equal(irqs[2], 0);
	assert_int_equal(rd(1, 0x060), 1);
	wr(1, 0x064, 1);
	assert_int_equal(rd(1, 0x060), 0);
}

static void test_broadcast_to_every_other(void **state)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	(void)state;
	post_rx(0, 2);
	post_rx(1, 2);
	post_rx(2, 2);
	send(2, bcast, 60, 1);
	assert_int_equal(used_idx(0, RX_USED), 1);
	assert_int_equal(used_idx(1, RX_USED), 1);
	assert_int_equal(used_idx(2, RX_USED), 0);
}

/* More frames than the receiver posted: the rest are lost, the sender gets every chain back. */
static void test_full_rx_drops_without_stalling(void **state)
{
	(void)state;
	post_rx(1, 2);
	for (u8 i = 0; i < 5; i++)
		queue_frame(0, mac[1], 80, i);
	wr(0, 0x050, 1);
	assert_int_equal(used_idx(1, RX_USED), 2);
	assert_int_equal(used_idx(0, TX_USED), 5);
	/* Buffers posted again: the next frame lands. */
	post_rx(1, 1);
	send(0, mac[1], 80, 9);
	assert_int_equal(used_idx(1, RX_USED), 3);
}

/*
 * @v's device's figures (vnet_figures_of_vm, what the management interface
 * shows). Each setup's vnets_create adds ports (boot-only: it never frees
 * them) until they run out; the one emul[v] drives is @v's last.
 */
static struct vnet_port_figures figures(unsigned int v)
{
	struct vnet_port_figures f[CONFIG_MAX_NET_PORTS];
	unsigned int n = vnet_figures_of_vm(&vms[v], f, CONFIG_MAX_NET_PORTS);

	assert_true(n >= 1);
	assert_string_equal(f[n - 1].network, "lan0");
	assert_memory_equal(f[n - 1].mac, mac[v], 6);
	return f[n - 1];
}

/*
 * The counters: a frame delivered, one nobody took, one malformed; a
 * receiver with no buffer, one stopped by its driver's error, one not set
 * up; a restart starts them again.
 */
static void test_figures(void **state)
{
	struct vnet_port_figures f;

	(void)state;
	post_rx(1, 1);
	send(0, mac[1], 80, 1);  /* delivered */
	send(0, mac[1], 80, 2);  /* b has no buffer left: nobody took it */
	send(0, mac[1], 12 + 13, 0); /* malformed */
	f = figures(0);
	assert_int_equal(f.state, VNET_PORT_UP);
	assert_int_equal(f.tx_frames, 1);
	assert_int_equal(f.tx_dropped, 2);
	assert_int_equal(f.rx_frames + f.rx_dropped, 0);
	f = figures(1);
	assert_int_equal(f.rx_frames, 1);
	assert_int_equal(f.rx_dropped, 1);
	assert_int_equal(f.tx_frames + f.tx_dropped, 0);

	post(2, TX_DESC, TX_AVAIL, 0, ipa(2, RAM_SIZE - 8), 64, 0); /* outside its RAM */
	wr(2, 0x050, 1);
	assert_int_equal(figures(2).state, VNET_PORT_FAILED);
	wr(1, 0x070, 0); /* b's driver resets its device */
	assert_int_equal(figures(1).state, VNET_PORT_DOWN);
	assert_int_equal(figures(1).rx_frames, 1); /* a device reset is not a restart */

	vnet_vm_reset(&vms[1]);
	f = figures(1);
	assert_int_equal(f.rx_frames + f.rx_dropped + f.tx_frames + f.tx_dropped, 0);
	assert_int_equal(vnet_figures_of_vm(&vms[3], &f, 1), 0); /* not on the network */
	assert_int_equal(vnet_figures_of_vm(&vms[0], &f, 0), 0); /* no room: nothing written */
}

/*
 * virtio 1.2, 2.7.10: the receive queue's used flags say NO_NOTIFY once it
 * is ready (buffers are read when a frame comes); the transmit queue's do
 * not (its notify is how frames leave). A notify anyway changes nothing.
 */
static void test_rx_notify_suppressed(void **state)
{
	(void)state;
	assert_int_equal(*(u16 *)at(0, RX_USED), VIRTQ_USED_F_NO_NOTIFY);
	assert_int_equal(*(u16 *)at(0, TX_USED), 0);
	post_rx(1, 1); /* notifies anyway */
	send(0, mac[1], 64, 3);
	assert_int_equal(used_idx(1, RX_USED), 1);
	/* A driver that set its flags to 0 meanwhile gets it again at the next QueueReady. */
	*(u16 *)at(1, RX_USED) = 0;
	driver_init(1);
	assert_int_equal(*(u16 *)at(1, RX_USED), VIRTQ_USED_F_NO_NOTIFY);
}

/* The rings wrap: 3 * QNUM frames through queues of QNUM. */
static void test_rings_wrap(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < 3 * QNUM; i++) {
		post_rx(1, 1);
		send(0, mac[1], 64 + i, (u8)i);
		assert_int_equal(used_idx(1, RX_USED), i + 1);
		assert_int_equal(used_elem(1, RX_USED, (u16)i)->len, 64 + i);
	}
	assert_int_equal(used_idx(0, TX_USED), 3 * QNUM);
}

static void test_no_interrupt_when_suppressed(void **state)
{
	(void)state;
	*(u16 *)at(1, RX_AVAIL) = VIRTQ_AVAIL_F_NO_INTERRUPT;
	post_rx(1, 1);
	send(0, mac[1], 64, 0);
	assert_int_equal(used_idx(1, RX_USED), 1);
	assert_int_equal(irqs[1], 0);
	assert_int_equal(irqs[0], 1);
}

static void test_bad_frames_dropped_device_lives(void **state)
{
	u16 slot;

	(void)state;
	post_rx(1, 4);
	send(0, mac[1], 12 + 13, 0);   /* shorter than an Ethernet header */
	send(0, mac[1], 12 + 1515, 0); /* longer than MTU 1500 allows */
	queue_frame(0, mac[1], 64, 0);
	slot = (u16)((*avail_idx(0, TX_AVAIL) - 1) % QNUM);
	((u8 *)at(0, TX_BUFS + slot * TX_BUF))[0] = 1; /* NEEDS_CSUM: not negotiated */
	wr(0, 0x050, 1);
	assert_int_equal(used_idx(0, TX_USED), 3);
	assert_int_equal(used_idx(1, RX_USED), 0);
	assert_int_equal(rd(0, 0x070), 0xf);
	send(0, mac[1], 64, 0);
	assert_int_equal(used_idx(1, RX_USED), 1);
}

static void assert_stopped(unsigned int v, const char *why)
{
	assert_int_equal(rd(v, 0x070), 0xf | 0x40);
	assert_true(rd(v, 0x060) & 2);
	assert_true(fake_printk_contains("network lan0: device stopped: "));
	assert_true(fake_printk_contains(why));
}

/* A sender's descriptor outside its RAM: its device stops; the others keep talking; a reset revives it. */
static void test_hostile_sender_stops_alone(void **state)
{
	(void)state;
	post_rx(1, 4);
	post(0, TX_DESC, TX_AVAIL, 0, ipa(0, RAM_SIZE - 8), 64, 0);
	wr(0, 0x050, 1);
	assert_stopped(0, "VM a");
	assert_int_equal(used_idx(1, RX_USED), 0);
	send(0, mac[1], 64, 0); /* ignored until reset */
	assert_int_equal(used_idx(1, RX_USED), 0);
	send(2, mac[1], 64, 0);
	assert_int_equal(used_idx(1, RX_USED), 1);
	driver_init(0);
	send(0, mac[1], 64, 0);
	assert_int_equal(used_idx(1, RX_USED), 2);
}

/* A receiver whose avail index ran past its ring: its device stops, the sender's is untouched. */
static void test_hostile_receiver_stops_alone(void **state)
{
	(void)state;
	*avail_idx(1, RX_AVAIL) = QNUM + 1;
	send(0, mac[1], 64, 0);
	assert_stopped(1, "VM b");
	assert_int_equal(rd(0, 0x070), 0xf);
	assert_int_equal(used_idx(0, TX_USED), 1);
	post_rx(2, 1);
	send(0, mac[2], 64, 0);
	assert_int_equal(used_idx(2, RX_USED), 1);
}

static void test_transmit_chain_writable_refused(void **state)
{
	(void)state;
	post(0, TX_DESC, TX_AVAIL, 0, ipa(0, TX_BUFS), 64, VIRTQ_DESC_F_WRITE);
	wr(0, 0x050, 1);
	assert_stopped(0, "device-writable");
}

static void test_queue_outside_ram_refused(void **state)
{
	(void)state;
	wr(2, 0x070, 0);
	wr(2, 0x070, 3);
	wr(2, 0x024, 1);
	wr(2, 0x020, 1);
	wr(2, 0x070, 0xb);
	wr(2, 0x030, 0);
	wr(2, 0x038, QNUM);
	wr(2, 0x080, 0x1000); /* nowhere near its RAM */
	wr(2, 0x084, 0);
	wr(2, 0x044, 1);
	assert_int_equal(rd(2, 0x044), 0);
	assert_true(rd(2, 0x070) & 0x40);
	assert_true(fake_printk_contains("VM c: network lan0: device stopped"));
}

/* A stopped VM's memory is not written; its device is reset. */
static void test_stopped_vm_untouched(void **state)
{
	u8 before[RX_BUF];

	(void)state;
	post_rx(1, 2);
	memcpy(before, at(1, RX_BUFS), RX_BUF);
	vnet_vm_stop(&vms[1]);
	send(0, mac[1], 64, 0x77);
	assert_memory_equal(before, at(1, RX_BUFS), RX_BUF);
	assert_int_equal(used_idx(1, RX_USED), 0);
	assert_int_equal(used_idx(0, TX_USED), 1);
	assert_int_equal(irqs[1], 0);
	assert_int_equal(rd(1, 0x070), 0);
}

/* ---- offloads (virtio 1.2, 5.1.6): the frames Linux sends with CSUM and HOST_TSO */

#define TX_BIG 0x30000 /* one large frame, up to the end of RAM */

/* A TCP/IPv4 frame from @v to @dst in TX_BIG: @payload bytes (i & 0xff), @gso_size (0: not GSO). */
static u32 queue_tcp(unsigned int v, const u8 *dst, u32 payload, u16 gso_size)
{
	u8 *b = at(v, TX_BIG);
	u32 eth_len = 14 + 20 + 20 + payload, ip_len = 20 + 20 + payload;
	u16 slot = *avail_idx(v, TX_AVAIL) % QNUM;

	memset(b, 0, VNET_HDR + 54);
	b[0] = 1;                        /* NEEDS_CSUM */
	b[1] = gso_size ? 1 : 0;         /* GSO_TCPV4 */
	b[2] = 54;                       /* hdr_len */
	b[4] = (u8)gso_size, b[5] = (u8)(gso_size >> 8);
	b[6] = 34, b[8] = 16;            /* csum_start: the TCP header; csum_offset: its checksum */
	memcpy(b + 12, dst, 6);
	memcpy(b + 18, mac[v], 6);
	b[24] = 0x08;                    /* IPv4 */
	b[26] = 0x45;
	b[28] = (u8)(ip_len >> 8), b[29] = (u8)ip_len;
	b[34] = 64, b[35] = 6;           /* TTL, TCP */
	b[38] = 169, b[39] = 254, b[41] = 1;
	b[42] = 169, b[43] = 254, b[45] = 2;
	b[58] = 0x50, b[59] = 0x18;      /* data offset 5, ACK PSH */
	for (u32 i = 0; i < payload; i++)
		b[VNET_HDR + 54 + i] = (u8)i;
	post(v, TX_DESC, TX_AVAIL, slot, ipa(v, TX_BIG), VNET_HDR + eth_len, 0);
	return eth_len;
}

/* A large TCP frame to a receiver with the offloads: whole, over 3 merged buffers, its header kept. */
static void test_tso_frame_whole_across_merged_buffers(void **state)
{
	const u8 *rx = at(1, RX_BUFS);
	u32 eth_len;

	(void)state;
	driver_init_with(0, OFFLOADS);
	driver_init_with(1, OFFLOADS);
	post_rx(1, 4);
	eth_len = queue_tcp(0, mac[1], 5000, 1448);
	((u8 *)at(0, TX_BIG))[2] = 0xff; /* hdr_len: a hint the sender got wrong */
	((u8 *)at(0, TX_BIG))[3] = 0xff;
	wr(0, 0x050, 1);
	assert_int_equal(used_idx(1, RX_USED), 3);
	assert_int_equal(used_elem(1, RX_USED, 0)->len, RX_BUF);
	assert_int_equal(used_elem(1, RX_USED, 1)->len, RX_BUF);
	assert_int_equal(used_elem(1, RX_USED, 2)->len, VNET_HDR + eth_len - 2 * RX_BUF);
	assert_int_equal(rx[0], 1);  /* NEEDS_CSUM, as sent */
	assert_int_equal(rx[1], 1);  /* GSO_TCPV4 */
	assert_int_equal(rx[2] | rx[3] << 8, 54); /* hdr_len: the frame's Ethernet, IP and TCP headers */
	assert_int_equal(rx[4] | rx[5] << 8, 1448);
	assert_int_equal(rx[10], 3); /* num_buffers */
	/* The payload runs on across the buffers. */
	assert_int_equal(((u8 *)at(1, RX_BUFS + RX_BUF))[0], (u8)(RX_BUF - VNET_HDR - 54));
	assert_int_equal(used_idx(0, TX_USED), 1);
}

/* Not enough buffers for a merged frame: lost, and the buffers stay posted for the next one. */
static void test_merged_frame_short_of_buffers(void **state)
{
	(void)state;
	driver_init_with(0, OFFLOADS);
	driver_init_with(1, OFFLOADS);
	post_rx(1, 2);
	queue_tcp(0, mac[1], 6000, 1448);
	wr(0, 0x050, 1);
	assert_int_equal(used_idx(1, RX_USED), 0);
	assert_int_equal(used_idx(0, TX_USED), 1);
	send(0, mac[1], 100, 7);
	assert_int_equal(used_idx(1, RX_USED), 1);
	assert_int_equal(used_elem(1, RX_USED, 0)->id, 0); /* the first buffer posted */
	assert_int_equal(used_elem(1, RX_USED, 0)->len, 100);
}

/* A partial checksum: as is to a receiver with GUEST_CSUM, completed for one without. */
static void test_partial_checksum(void **state)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const u8 *rb = at(1, RX_BUFS), *rc = at(2, RX_BUFS);

	(void)state;
	driver_init_with(0, OFFLOADS);
	driver_init_with(1, OFFLOADS);
	post_rx(1, 2);
	post_rx(2, 2);
	queue_tcp(0, mac[1], 100, 0);
	wr(0, 0x050, 1);
	assert_int_equal(used_idx(1, RX_USED), 1);
	assert_int_equal(rb[0], 1);                       /* still partial */
	assert_int_equal(rb[12 + 50] | rb[12 + 51], 0);   /* its field untouched */
	queue_tcp(0, mac[2], 100, 0);
	wr(0, 0x050, 1);
	assert_int_equal(used_idx(2, RX_USED), 1);
	assert_int_equal(rc[0], 0);                       /* complete */
	assert_true(rc[12 + 50] | rc[12 + 51]);
	/* Broadcast to both: completed once, for both. */
	queue_tcp(0, bcast, 100, 0);
	wr(0, 0x050, 1);
	assert_int_equal(((u8 *)at(1, RX_BUFS + RX_BUF))[0], 0);
	assert_int_equal(((u8 *)at(2, RX_BUFS + RX_BUF))[0], 0);
}

/* Headers a sender did not negotiate, or that ask what is not offered: dropped. */
static void test_offload_headers_refused(void **state)
{
	u8 *b = at(0, TX_BIG);

	(void)state;
	post_rx(1, 8);
	queue_tcp(0, mac[1], 100, 0); /* NEEDS_CSUM without CSUM negotiated */
	wr(0, 0x050, 1);
	queue_tcp(0, mac[1], 3000, 1448); /* GSO without HOST_TSO4 */
	wr(0, 0x050, 1);
	assert_int_equal(used_idx(1, RX_USED), 0);
	driver_init_with(0, OFFLOADS);
	queue_tcp(0, mac[1], 3000, 1448);
	b[1] = 3; /* GSO_UDP: not offered */
	wr(0, 0x050, 1);
	queue_tcp(0, mac[1], 3000, 1448);
	b[1] = 0; /* larger than the MTU but not GSO */
	wr(0, 0x050, 1);
	queue_tcp(0, mac[1], 3000, 1448);
	b[0] = 0; /* GSO without NEEDS_CSUM */
	wr(0, 0x050, 1);
	queue_tcp(0, mac[1], 3000, 1448);
	b[6] = 14; /* a TSO frame's partial checksum not on its TCP checksum */
	wr(0, 0x050, 1);
	queue_tcp(0, mac[1], 3000, 1448);
	b[12 + 46] = 0x30; /* TCP data offset 3: not a TCP header */
	wr(0, 0x050, 1);
	queue_tcp(0, mac[1], 100, 0);
	b[6] = 0xff, b[7] = 0xff; /* csum_start past the frame */
	wr(0, 0x050, 1);
	assert_int_equal(used_idx(1, RX_USED), 0);
	assert_int_equal(used_idx(0, TX_USED), 6);
	assert_int_equal(rd(0, 0x070), 0xf); /* frames dropped, the device lives */
}

/* A large TCP frame to a receiver without TSO: MTU-sized segments, each a plain frame. */
static void test_tso_frame_segmented_for_plain_receiver(void **state)
{
	u32 payload = 0;

	(void)state;
	driver_init_with(0, OFFLOADS);
	post_rx(2, 8);
	queue_tcp(0, mac[2], 10000, 1448);
	wr(0, 0x050, 1);
	assert_int_equal(used_idx(2, RX_USED), 7);
	for (u16 i = 0; i < 7; i++) {
		const u8 *f = at(2, RX_BUFS + used_elem(2, RX_USED, i)->id * RX_BUF);
		u32 len = used_elem(2, RX_USED, i)->len;

		assert_true(len <= VNET_HDR + 1514);
		assert_int_equal(f[0], 0); /* flags: the checksums are complete */
		assert_int_equal(f[1], 0); /* gso_type NONE */
		assert_int_equal(f[10], 1);
		payload += len - VNET_HDR - 54;
	}
	assert_int_equal(payload, 10000);
}

/* An empty buffer among merged ones is returned with the frame (none is kept back), counted in num_buffers. */
static void test_merged_frame_with_an_empty_buffer(void **state)
{
	static const u32 lens[4] = { RX_BUF, 0, RX_BUF, RX_BUF };

	(void)state;
	driver_init_with(0, OFFLOADS);
	driver_init_with(1, OFFLOADS);
	for (u16 i = 0; i < 4; i++)
		post(1, RX_DESC, RX_AVAIL, i, ipa(1, RX_BUFS + i * RX_BUF), lens[i], VIRTQ_DESC_F_WRITE);
	queue_tcp(0, mac[1], 5000, 1448);
	wr(0, 0x050, 1);
	assert_int_equal(used_idx(1, RX_USED), 4);
	assert_int_equal(used_elem(1, RX_USED, 1)->len, 0);
	assert_int_equal(((u8 *)at(1, RX_BUFS))[10], 4); /* num_buffers */
	/* A first buffer too small for the header: returned empty, the frame lost, the next one intact. */
	post(1, RX_DESC, RX_AVAIL, 4, ipa(1, RX_BUFS + 4 * RX_BUF), 8, VIRTQ_DESC_F_WRITE);
	post(1, RX_DESC, RX_AVAIL, 5, ipa(1, RX_BUFS + 5 * RX_BUF), RX_BUF, VIRTQ_DESC_F_WRITE);
	send(0, mac[1], 100, 3);
	assert_int_equal(used_idx(1, RX_USED), 5);
	assert_int_equal(used_elem(1, RX_USED, 4)->len, 0);
	send(0, mac[1], 100, 3);
	assert_int_equal(used_idx(1, RX_USED), 6);
	assert_int_equal(used_elem(1, RX_USED, 5)->id, 5);
	assert_int_equal(used_elem(1, RX_USED, 5)->len, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identity_features_and_mac, setup),
		cmocka_unit_test_setup(test_unicast_crosses_once, setup),
		cmocka_unit_test_setup(test_broadcast_to_every_other, setup),
		cmocka_unit_test_setup(test_full_rx_drops_without_stalling, setup),
		cmocka_unit_test_setup(test_figures, setup),
		cmocka_unit_test_setup(test_rx_notify_suppressed, setup),
		cmocka_unit_test_setup(test_rings_wrap, setup),
		cmocka_unit_test_setup(test_no_interrupt_when_suppressed, setup),
		cmocka_unit_test_setup(test_bad_frames_dropped_device_lives, setup),
		cmocka_unit_test_setup(test_hostile_sender_stops_alone, setup),
		cmocka_unit_test_setup(test_hostile_receiver_stops_alone, setup),
		cmocka_unit_test_setup(test_transmit_chain_writable_refused, setup),
		cmocka_unit_test_setup(test_queue_outside_ram_refused, setup),
		cmocka_unit_test_setup(test_stopped_vm_untouched, setup),
		cmocka_unit_test_setup(test_tso_frame_whole_across_merged_buffers, setup),
		cmocka_unit_test_setup(test_merged_frame_short_of_buffers, setup),
		cmocka_unit_test_setup(test_merged_frame_with_an_empty_buffer, setup),
		cmocka_unit_test_setup(test_partial_checksum, setup),
		cmocka_unit_test_setup(test_offload_headers_refused, setup),
		cmocka_unit_test_setup(test_tso_frame_segmented_for_plain_receiver, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
