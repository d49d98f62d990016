/*
 * The network devices and their switch (hyp/virt/vnet*.c, virtq.c,
 * guest_mem.c) driven by three hostile drivers at once: register accesses
 * of any offset, width and value, set-ups with any features and queue
 * sizes, RAM changed anywhere between notifies, frames of any length and
 * header (TCP frames with valid headers too, so the offloads are reached),
 * receive buffers of any size, and VMs stopped and restarted. VMs a and b
 * are uncoloured (PA == IPA); c is coloured, its stage 2 mapping its pages
 * in reverse order. Each VM's RAM has unmapped guard pages on both sides.
 *
 * Checked: every access stays inside the VMs' RAM (guards, ASan); the
 * lock discipline (the fake spinlock: never taken twice, never released
 * unheld); interrupts only on the member's own SPI (48), never into a
 * stopped VM; and a stopped VM's RAM is not written by anything the others
 * do until it restarts (isolation: no frame into a stopped VM's memory).
 *
 * Input: ops until the input ends (at most 48), each [op u8][port u8] and:
 *   MMIO   [offset u16][width u8][write u8][value u32]
 *   SETUP  [features u32][features hi u8][log2 num u8]   the driver's sequence
 *   POKE   [offset u32][value u16]                       RAM, between notifies
 *   FRAME  [dst u8][len u16][flags u8][gso u8][hdr_len u16][gso_size u16]
 *          [csum_start u16][csum_offset u16][split u16][fill u8]
 *   RXPOST [count u8][len u16]
 *   STOP, RESTART
 *   TCP    [dst u8][payload u16][gso_size u16][v6 u8]    valid headers, NEEDS_CSUM
 */
#include "fuzz.h"

#include <sys/mman.h>

#include "fake_arch.h"
#include <tessera/vm.h>
#include <virt/virtq.h>
#include <virt/vnet.h>

#define NVM 3
#define RAM_PAGES 80
#define RAM_SIZE (RAM_PAGES * SZ_4K)
#define HOST_BASE 0x50000000ULL /* each VM's RAM at HOST_BASE + v * HOST_STRIDE, guarded */
#define HOST_STRIDE 0x100000ULL
#define COLOURED_IPA 0x90000000ULL /* c's guest addresses: not mapped at the host */
#define MAX_OPS 48
#define INTID 48
/* The drivers' layout in each VM's RAM (offsets): a page per ring part, the device's first. */
#define TX_USED 0x0000
#define RX_USED 0x1000
#define TX_AVAIL 0x2000
#define RX_AVAIL 0x3000
#define TX_DESC 0x4000
#define RX_DESC 0x5000
#define RX_BUFS 0x8000 /* 16 buffers of up to RX_BUF */
#define RX_BUF 0x1000
#define TX_BUF 0x18000 /* one frame of up to TX_MAX, in 1 or 2 descriptors */
#define TX_MAX 0x11000
#define VNET_HDR 12

enum op { OP_MMIO, OP_SETUP, OP_POKE, OP_FRAME, OP_RXPOST, OP_STOP, OP_RESTART, OP_TCP, OP_COUNT };

struct vm vms[CONFIG_MAX_VMS];
unsigned int vm_count;

static u8 *host_ram[NVM];
static struct vm_config vmcfg[NVM];
static struct system_config sc;
static u64 pool_pages[8][PT_ENTRIES] __attribute__((aligned(4096)));
static struct pt_pool pool;
static struct {
	void *dev;
	enum mmio_result (*access)(void *dev, struct mmio_access *acc);
} emul[NVM];

/* Per input: the driver's own view, and the stopped VMs' RAM as they were left. */
static struct driver {
	u16 num[2];          /* queue sizes set up (0: not) */
	u16 avail[2];        /* free-running avail indices */
	bool stopped;
	u64 irqs;
} drv[NVM];
static u8 *frozen[NVM]; /* a stopped VM's RAM when it stopped */

bool vm_add_emul(struct vm *vm, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc))
{
	unsigned int i = (unsigned int)(vm - vms);

	(void)name;
	FUZZ_CHECK(i < NVM && base == 0x0a001000 && size == CONFIG_VIRTIO_MMIO_SIZE);
	emul[i].dev = dev;
	emul[i].access = access;
	return true;
}

void vgic_inject(struct vm *vm, struct vcpu *target, u32 intid)
{
	unsigned int v = (unsigned int)(vm - vms);

	FUZZ_CHECK(v < NVM && !target && intid == INTID);
	FUZZ_CHECK(!drv[v].stopped); /* never into a stopped VM */
	drv[v].irqs++;
}

static u64 ram_ipa(unsigned int v)
{
	return vmcfg[v].memory.base;
}

/* The host byte behind offset @off of VM @v's RAM (c's pages in reverse order). */
static u8 *at(unsigned int v, u64 off)
{
	if (v == 2)
		return host_ram[v] + (RAM_PAGES - 1 - off / SZ_4K) * SZ_4K + off % SZ_4K;
	return host_ram[v] + off;
}

static void put(unsigned int v, u64 off, u64 val, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		*at(v, off + i) = (u8)(val >> (8 * i));
}

static void mmio(unsigned int v, u64 off, unsigned int size, bool write, u64 value)
{
	struct mmio_access acc = { .offset = off, .size = size, .is_write = write, .value = value };

	fake_run_on(v + 1, NULL); /* each VM on its own CPU: its own bounce buffer */
	emul[v].access(emul[v].dev, &acc);
}

static void wr(unsigned int v, u64 off, u32 value)
{
	mmio(v, off, 4, true, value);
}

static void notify(unsigned int v, unsigned int q)
{
	wr(v, 0x050, q);
}

/* virtio 1.2, 3.1.1 and 4.2.3.2, as a driver does it, with @features. */
static void set_up(unsigned int v, u64 features, u16 num)
{
	static const u64 areas[2][3] = { { RX_DESC, RX_AVAIL, RX_USED }, { TX_DESC, TX_AVAIL, TX_USED } };

	memset(&drv[v].num, 0, sizeof(drv[v].num));
	memset(&drv[v].avail, 0, sizeof(drv[v].avail));
	wr(v, 0x070, 0);
	wr(v, 0x070, 1);
	wr(v, 0x070, 3);
	for (unsigned int sel = 0; sel < 2; sel++) {
		wr(v, 0x024, sel);
		wr(v, 0x020, (u32)(features >> (32 * sel)));
	}
	wr(v, 0x070, 0xb);
	for (unsigned int q = 0; q < 2; q++) {
		for (unsigned int i = 0; i < 3; i++)
			for (u64 off = areas[q][i]; off < areas[q][i] + SZ_4K; off++)
				*at(v, off) = 0; /* the rings, zeroed as a driver allocates them */
		wr(v, 0x030, q);
		wr(v, 0x038, num);
		for (unsigned int i = 0; i < 3; i++) {
			u64 ipa = ram_ipa(v) + areas[q][i];

			wr(v, 0x080 + 0x10 * i, (u32)ipa);
			wr(v, 0x084 + 0x10 * i, (u32)(ipa >> 32));
		}
		wr(v, 0x044, 1);
		drv[v].num[q] = num;
	}
	wr(v, 0x070, 0xf);
}

/* A chain of descriptors made available on queue @q, slot = avail index % num. */
static void make_available(unsigned int v, unsigned int q, u16 head)
{
	u64 avail = q ? TX_AVAIL : RX_AVAIL;
	u16 num = drv[v].num[q];

	put(v, avail + 4 + 2 * (drv[v].avail[q] % num), head, 2);
	drv[v].avail[q]++;
	put(v, avail + 2, drv[v].avail[q], 2);
}

static void put_desc(unsigned int v, u64 table, u16 i, u64 off, u32 len, u16 flags, u16 next)
{
	u64 d = table + 16ULL * i;

	put(v, d, ram_ipa(v) + off, 8);
	put(v, d + 8, len, 4);
	put(v, d + 12, flags, 2);
	put(v, d + 14, next, 2);
}

static const u8 mac[NVM][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 }, { 2, 0, 0, 0, 0, 3 } };
static const u8 broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* The frame at TX_BUF (@len bytes with its header) sent in one or two descriptors, split at @split. */
static void send_frame(unsigned int v, u32 len, u16 split)
{
	u16 num = drv[v].num[1], head = (u16)(drv[v].avail[1] % num), second = (u16)((head + 1) % num);

	if (split && split < len && num > 1) {
		put_desc(v, TX_DESC, head, TX_BUF, split, VIRTQ_DESC_F_NEXT, second);
		put_desc(v, TX_DESC, second, TX_BUF + split, len - split, 0, 0);
	} else {
		put_desc(v, TX_DESC, head, TX_BUF, len, 0, 0);
	}
	make_available(v, 1, head);
	notify(v, 1);
}

static void frame_header(unsigned int v, unsigned int dst, u8 flags, u8 gso, u16 hdr_len,
			 u16 gso_size, u16 csum_start, u16 csum_offset)
{
	put(v, TX_BUF, flags, 1);
	put(v, TX_BUF + 1, gso, 1);
	put(v, TX_BUF + 2, hdr_len, 2);
	put(v, TX_BUF + 4, gso_size, 2);
	put(v, TX_BUF + 6, csum_start, 2);
	put(v, TX_BUF + 8, csum_offset, 2);
	put(v, TX_BUF + 10, 0, 2);
	for (unsigned int i = 0; i < 6; i++) {
		*at(v, TX_BUF + VNET_HDR + i) = dst < NVM ? mac[dst][i] : broadcast[i];
		*at(v, TX_BUF + VNET_HDR + 6 + i) = mac[v][i];
	}
}

/* A TCP frame with valid IPv4 or IPv6 and TCP headers, @payload bytes, GSO when @gso_size. */
static u32 tcp_frame(unsigned int v, unsigned int dst, u32 payload, u16 gso_size, bool v6)
{
	u32 l3 = v6 ? 40 : 20, hdrs = 14 + l3 + 20, len = VNET_HDR + hdrs + payload;
	u64 ip = TX_BUF + VNET_HDR + 14, tcp = ip + l3;

	frame_header(v, dst, 1 /* NEEDS_CSUM */, gso_size ? (v6 ? 4 : 1) : 0, (u16)hdrs, gso_size,
		     (u16)(14 + l3), 16);
	put(v, TX_BUF + VNET_HDR + 12, v6 ? 0xdd86 : 0x0008, 2); /* EtherType, big-endian */
	for (u64 off = ip; off < tcp + 20; off++)
		*at(v, off) = 0;
	if (v6) {
		*at(v, ip) = 0x60;
		put(v, ip + 4, __builtin_bswap16((u16)(20 + payload)), 2);
		*at(v, ip + 6) = 6, *at(v, ip + 7) = 64;
		*at(v, ip + 8) = 0xfe, *at(v, ip + 9) = 0x80, *at(v, ip + 23) = (u8)(v + 1);
		*at(v, ip + 24) = 0xfe, *at(v, ip + 25) = 0x80, *at(v, ip + 39) = (u8)(dst + 1);
	} else {
		*at(v, ip) = 0x45;
		put(v, ip + 2, __builtin_bswap16((u16)(20 + 20 + payload)), 2);
		*at(v, ip + 8) = 64, *at(v, ip + 9) = 6;
		*at(v, ip + 12) = 169, *at(v, ip + 13) = 254, *at(v, ip + 15) = (u8)(v + 1);
		*at(v, ip + 16) = 169, *at(v, ip + 17) = 254, *at(v, ip + 19) = (u8)(dst + 1);
	}
	*at(v, tcp + 12) = 0x50, *at(v, tcp + 13) = 0x18; /* data offset 5, ACK PSH */
	for (u32 i = 0; i < payload; i++)
		*at(v, tcp + 20 + i) = (u8)(i * 7);
	return len;
}

static void post_rx(unsigned int v, unsigned int count, u32 len)
{
	u16 num = drv[v].num[0];

	for (unsigned int i = 0; i < count; i++) {
		u16 slot = (u16)(drv[v].avail[0] % num);

		put_desc(v, RX_DESC, slot, RX_BUFS + (slot % 16) * RX_BUF, len, VIRTQ_DESC_F_WRITE, 0);
		make_available(v, 0, slot);
	}
	notify(v, 0);
}

static void stop(unsigned int v)
{
	vnet_vm_stop(&vms[v]);
	drv[v].stopped = true;
	memcpy(frozen[v], host_ram[v], RAM_SIZE);
}

/* A restart: the devices reset, the RAM rewritten (vm_lifecycle.c's order: reset, then load). */
static void restart(unsigned int v)
{
	vnet_vm_reset(&vms[v]);
	memset(host_ram[v], 0, RAM_SIZE);
	memset(&drv[v], 0, sizeof(drv[v]));
}

static void check_frozen(void)
{
	for (unsigned int v = 0; v < NVM; v++)
		FUZZ_CHECK(!drv[v].stopped || !memcmp(host_ram[v], frozen[v], RAM_SIZE));
}

static void run_op(struct fuzz_input *in)
{
	enum op op = fuzz_u8(in) % OP_COUNT;
	unsigned int v = fuzz_u8(in) % NVM;

	if (drv[v].stopped && op != OP_RESTART)
		return; /* a stopped VM runs nothing */
	switch (op) {
	case OP_MMIO: {
		u64 off = fuzz_u16(in) % CONFIG_VIRTIO_MMIO_SIZE;
		unsigned int width = fuzz_width(in);
		bool write = fuzz_u8(in) & 1;

		mmio(v, off, width, write, fuzz_u32(in));
		break;
	}
	case OP_SETUP: {
		u64 features = fuzz_u32(in) | (u64)fuzz_u8(in) << 32;

		set_up(v, features, (u16)(1u << (fuzz_u8(in) % 9)));
		break;
	}
	case OP_POKE: {
		u64 off = fuzz_u32(in) % (RAM_SIZE - 1);

		put(v, off, fuzz_u16(in), 2);
		break;
	}
	case OP_FRAME: {
		unsigned int dst = fuzz_u8(in) % (NVM + 1);
		u32 len = fuzz_u16(in) % (TX_MAX + 1);
		u8 flags = fuzz_u8(in), gso = fuzz_u8(in);
		u16 hdr_len = fuzz_u16(in), gso_size = fuzz_u16(in), cs = fuzz_u16(in), co = fuzz_u16(in);
		u16 split = fuzz_u16(in);
		u8 fill = fuzz_u8(in);

		if (!drv[v].num[1])
			break;
		for (u32 i = VNET_HDR + 12; i < len; i++)
			*at(v, TX_BUF + i) = (u8)(fill + i);
		frame_header(v, dst, flags, gso, hdr_len, gso_size, cs, co);
		send_frame(v, len, split);
		break;
	}
	case OP_RXPOST: {
		unsigned int count = fuzz_u8(in) % 17;
		u32 len = fuzz_u16(in) % (RX_BUF + 1);

		if (drv[v].num[0])
			post_rx(v, count, len);
		break;
	}
	case OP_STOP:
		stop(v);
		break;
	case OP_RESTART:
		restart(v);
		break;
	case OP_TCP: {
		unsigned int dst = fuzz_u8(in) % (NVM + 1);
		u32 payload = fuzz_u16(in) % (TX_MAX - VNET_HDR - 74 + 1);
		u16 gso_size = fuzz_u16(in);
		bool v6 = fuzz_u8(in) & 1;

		if (drv[v].num[1])
			send_frame(v, tcp_frame(v, dst, payload, gso_size, v6), 0);
		break;
	}
	case OP_COUNT:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };

	fake_arch_reset();
	for (unsigned int v = 0; v < NVM; v++)
		restart(v);
	for (unsigned int n = 0; n < MAX_OPS && in.left; n++) {
		run_op(&in);
		check_frozen();
	}
	return 0;
}

/* ---------------------------------------------------------------- seeds */

/* The offloads Linux takes: CSUM, GUEST_CSUM, GUEST_TSO4/6, HOST_TSO4/6, MRG_RXBUF, with MAC. */
#define LINUX_FEATURES (0x3U | 1U << 5 | 0x3U << 7 | 0x3U << 11 | 1U << 15)

static void seed_setup(struct fuzz_seed *s, unsigned int v, u32 features, u8 log2_num)
{
	seed_put(s, OP_SETUP, 1), seed_put(s, v, 1), seed_put(s, features, 4), seed_put(s, 1, 1);
	seed_put(s, log2_num, 1);
}

static void seed_rx(struct fuzz_seed *s, unsigned int v, u8 count, u16 len)
{
	seed_put(s, OP_RXPOST, 1), seed_put(s, v, 1), seed_put(s, count, 1), seed_put(s, len, 2);
}

static void seed_frame(struct fuzz_seed *s, unsigned int v, unsigned int dst, u16 len, u16 split)
{
	seed_put(s, OP_FRAME, 1), seed_put(s, v, 1), seed_put(s, dst, 1), seed_put(s, len, 2);
	for (unsigned int i = 0; i < 6; i++)
		seed_put(s, 0, i < 2 ? 1 : 2); /* flags, gso, hdr_len, gso_size, csum_start, csum_offset */
	seed_put(s, split, 2), seed_put(s, 0x5a, 1);
}

static void seed_tcp(struct fuzz_seed *s, unsigned int v, unsigned int dst, u16 payload, u16 gso_size, u8 v6)
{
	seed_put(s, OP_TCP, 1), seed_put(s, v, 1), seed_put(s, dst, 1), seed_put(s, payload, 2);
	seed_put(s, gso_size, 2), seed_put(s, v6, 1);
}

static void seeds(const char *dir)
{
	struct fuzz_seed s = { .len = 0 };

	/* Plain drivers: unicast a -> b, broadcast c -> all, a frame in two descriptors. */
	for (unsigned int v = 0; v < NVM; v++)
		seed_setup(&s, v, 1U << 5, 3);
	for (unsigned int v = 0; v < NVM; v++)
		seed_rx(&s, v, 8, 1526);
	seed_frame(&s, 0, 1, 100, 0);
	seed_frame(&s, 2, NVM, 60 + VNET_HDR, 0);
	seed_frame(&s, 1, 2, 1514 + VNET_HDR, 40);
	fuzz_write_seed(dir, "plain", s.b, s.len);

	/* Linux's offloads on a and c, none on b: TSO frames whole to c, segmented for b. */
	s.len = 0;
	seed_setup(&s, 0, LINUX_FEATURES, 8);
	seed_setup(&s, 1, 1U << 5, 4);
	seed_setup(&s, 2, LINUX_FEATURES, 8);
	seed_rx(&s, 1, 16, 1526);
	seed_rx(&s, 2, 16, 4096);
	seed_tcp(&s, 0, 2, 30000, 1448, 0);
	seed_tcp(&s, 0, 1, 9000, 1440, 1); /* IPv6: MSS 1440 fits MTU 1500 */
	seed_tcp(&s, 0, 1, 9000, 1448, 0);
	seed_tcp(&s, 2, 0, 200, 0, 0);
	seed_tcp(&s, 0, NVM, 1000, 0, 1);
	fuzz_write_seed(dir, "offloads", s.b, s.len);

	/* b stops while a sends to it and broadcasts; b restarts and is set up again. */
	s.len = 0;
	for (unsigned int v = 0; v < NVM; v++)
		seed_setup(&s, v, LINUX_FEATURES, 4);
	seed_rx(&s, 1, 8, 1526);
	seed_put(&s, OP_STOP, 1), seed_put(&s, 1, 1);
	seed_frame(&s, 0, 1, 100, 0);
	seed_tcp(&s, 0, NVM, 5000, 1000, 0);
	seed_put(&s, OP_RESTART, 1), seed_put(&s, 1, 1);
	seed_setup(&s, 1, 1U << 5, 4);
	seed_rx(&s, 1, 8, 1526);
	seed_frame(&s, 0, 1, 100, 0);
	fuzz_write_seed(dir, "stop-restart", s.b, s.len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(seeds);
	for (unsigned int v = 0; v < NVM; v++) {
		u64 host = HOST_BASE + v * HOST_STRIDE;
		u8 *area = mmap((void *)(uintptr_t)(host - SZ_4K), RAM_SIZE + 2 * SZ_4K, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		FUZZ_CHECK(area == (void *)(uintptr_t)(host - SZ_4K));
		host_ram[v] = area + SZ_4K;
		FUZZ_CHECK(mprotect(host_ram[v], RAM_SIZE, PROT_READ | PROT_WRITE) == 0);
		frozen[v] = malloc(RAM_SIZE);
		FUZZ_CHECK(frozen[v]);
		vmcfg[v] = (struct vm_config){ .memory = { host, RAM_SIZE } };
		vms[v].cfg = &vmcfg[v];
		vms[v].name = v == 0 ? "a" : v == 1 ? "b" : "c";
	}
	/* c is coloured: IPA page i is its host page RAM_PAGES - 1 - i. */
	pool = (struct pt_pool){ .pages = pool_pages, .count = 8, .used = 0 };
	FUZZ_CHECK(pt_init_pages(&vms[2].s2, PT_STAGE2, &pool) == PT_OK);
	for (unsigned int i = 0; i < RAM_PAGES; i++)
		FUZZ_CHECK(pt_map(&vms[2].s2, COLOURED_IPA + i * SZ_4K,
				  (u64)(uintptr_t)host_ram[2] + (RAM_PAGES - 1 - i) * SZ_4K, SZ_4K,
				  PT_R | PT_W) == PT_OK);
	vmcfg[2].memory.base = COLOURED_IPA;
	vmcfg[2].coloured = true;
	vm_count = NVM;
	sc.network_count = 1;
	snprintf(sc.networks[0].name, sizeof(sc.networks[0].name), "lan0");
	sc.networks[0].member_count = NVM;
	sc.networks[0].valid = true;
	for (unsigned int v = 0; v < NVM; v++) {
		sc.networks[0].member[v] = (struct net_member_config){ .vm = v, .base = 0x0a001000, .intid = INTID };
		memcpy(sc.networks[0].member[v].mac, mac[v], 6);
	}
	fake_arch_reset();
	vnets_create(&sc);
	for (unsigned int v = 0; v < NVM; v++)
		FUZZ_CHECK(emul[v].access);
	return 0;
}
