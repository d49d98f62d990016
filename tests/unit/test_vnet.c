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

/* virtio 1.2, 3.1.1, as Linux's virtio_mmio does it. */
static void driver_init(unsigned int v)
{
	memset(ram[v], 0, 0x10000);
	wr(v, 0x070, 0);
	wr(v, 0x070, 1);
	wr(v, 0x070, 3);
	wr(v, 0x024, 1);
	wr(v, 0x020, 1); /* VERSION_1 */
	wr(v, 0x024, 0);
	wr(v, 0x020, 1U << 5); /* MAC */
	wr(v, 0x070, 0xb);
	assert_int_equal(rd(v, 0x070), 0xb);
	queue(v, 0, RX_DESC, RX_AVAIL, RX_USED);
	queue(v, 1, TX_DESC, TX_AVAIL, TX_USED);
	wr(v, 0x070, 0xf);
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
	assert_int_equal(rd(0, 0x010), 1U << 5);
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
	/* A feature not offered (CSUM, bit 0): FEATURES_OK is not kept. */
	wr(2, 0x070, 0);
	wr(2, 0x070, 3);
	wr(2, 0x024, 1);
	wr(2, 0x020, 1);
	wr(2, 0x024, 0);
	wr(2, 0x020, (1U << 5) | 1);
	wr(2, 0x070, 0xb);
	assert_int_equal(rd(2, 0x070), 3);
	/* Without VERSION_1 neither (4.2.3.1.1). */
	wr(2, 0x070, 0);
	wr(2, 0x070, 3);
	wr(2, 0x020, 1U << 5);
	wr(2, 0x070, 0xb);
	assert_int_equal(rd(2, 0x070), 3);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identity_features_and_mac, setup),
		cmocka_unit_test_setup(test_unicast_crosses_once, setup),
		cmocka_unit_test_setup(test_broadcast_to_every_other, setup),
		cmocka_unit_test_setup(test_full_rx_drops_without_stalling, setup),
		cmocka_unit_test_setup(test_rings_wrap, setup),
		cmocka_unit_test_setup(test_no_interrupt_when_suppressed, setup),
		cmocka_unit_test_setup(test_bad_frames_dropped_device_lives, setup),
		cmocka_unit_test_setup(test_hostile_sender_stops_alone, setup),
		cmocka_unit_test_setup(test_hostile_receiver_stops_alone, setup),
		cmocka_unit_test_setup(test_transmit_chain_writable_refused, setup),
		cmocka_unit_test_setup(test_queue_outside_ram_refused, setup),
		cmocka_unit_test_setup(test_stopped_vm_untouched, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
