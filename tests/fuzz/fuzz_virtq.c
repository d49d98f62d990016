/*
 * The split-virtqueue walker (hyp/virt/virtq.c) and guest memory access
 * (hyp/core/guest_mem.c) on a VM's RAM that is the fuzz input: rings,
 * descriptors and buffers, as a hostile driver could write them, changed
 * between rounds. The RAM is 4 pages at IPA 0x40000000 with unmapped guard
 * pages on both sides; uncoloured (PA == IPA) or coloured (a stage 2 maps its
 * pages out of order, optionally claiming a fifth page it does not map).
 * Checked: every copy stays inside the RAM and the host buffers (the guards,
 * ASan: host buffers are exactly the chain's size); a round of pops ends
 * within num + 1 calls; a chain has 1..16 buffers, each inside the RAM, its
 * totals the sums of its parts, its head below num; chain reads return what
 * the RAM holds and the bytes a model of the copy expects (short at the
 * part's end or where the RAM is not mapped); writes land where the buffers
 * are; push and the interrupt decision do what the used ring and avail flags
 * say; BROKEN always says why.
 *
 * Input: [num u8: log2, or with mode bit 3 the size itself][mode u8: bit 0
 * coloured, bit 1 ring offsets given, bit 2 an unmapped fifth page, bit 3 num
 * as it is, bits 4-5 the page order][start index u16]
 * [desc, avail, used offsets u16 x 3][image length u16][image: the RAM from
 * its start; a pattern after it], then rounds (at most 8) of [pokes u8 (& 7)]
 * [pokes: offset u16, value u16][read offset u16][read length u16]
 * [written u32][probe: IPA - 0x40000000 s32, length u16].
 */
#include "fuzz.h"

#include <sys/mman.h>

#include <tessera/guest_mem.h>
#include <virt/virtq.h>

#define RAM_IPA 0x40000000ULL
#define RAM_PAGES 4
#define RAM_SIZE (RAM_PAGES * SZ_4K)
#define MAX_ROUNDS 8

static u8 *ram; /* RAM_IPA: mapped at the same host address, guard pages around */
static u64 pool_pages[8][PT_ENTRIES] __attribute__((aligned(4096)));
static struct pt_pool pool;
static struct pgtable s2;
static struct guest_mem mem;
static unsigned int page_of[RAM_PAGES]; /* coloured: IPA page i is RAM page page_of[i] */
static u64 mapped_end;                  /* IPAs below it are mapped */

/* The harness's own translation: the host byte behind IPA @ipa (mapped). */
static u8 *host(u64 ipa)
{
	u64 off = ipa - RAM_IPA;

	FUZZ_CHECK(ipa >= RAM_IPA && ipa < mapped_end);
	if (!mem.s2)
		return ram + off;
	return ram + page_of[off / SZ_4K] * SZ_4K + off % SZ_4K;
}

/* A little-endian field of @bytes at IPA @ipa, byte by byte (it may cross pages). */
static u64 le(u64 ipa, unsigned int bytes)
{
	u64 v = 0;

	for (unsigned int i = 0; i < bytes; i++)
		v |= (u64)*host(ipa + i) << (8 * i);
	return v;
}

/* Every byte of [ipa, ipa + len) is in the RAM's mapped part (none: yes). */
static bool mapped(u64 ipa, u64 len)
{
	return len == 0 || (ipa >= RAM_IPA && ipa < mapped_end && len <= mapped_end - ipa);
}

static void set_up_memory(u8 mode)
{
	static const unsigned int orders[4][RAM_PAGES] = {
		{ 0, 1, 2, 3 }, { 3, 2, 1, 0 }, { 2, 0, 3, 1 }, { 1, 3, 0, 2 },
	};

	mem = (struct guest_mem){ .base = RAM_IPA, .size = RAM_SIZE, .s2 = NULL };
	mapped_end = RAM_IPA + RAM_SIZE;
	if (!(mode & 1))
		return;
	memset(pool_pages, 0, sizeof(pool_pages));
	pool = (struct pt_pool){ .pages = pool_pages, .count = 8, .used = 0 };
	FUZZ_CHECK(pt_init_pages(&s2, PT_STAGE2, &pool) == PT_OK);
	for (unsigned int i = 0; i < RAM_PAGES; i++) {
		page_of[i] = orders[(mode >> 4) & 3][i];
		FUZZ_CHECK(pt_map(&s2, RAM_IPA + i * SZ_4K, (u64)(uintptr_t)ram + page_of[i] * SZ_4K,
				  SZ_4K, PT_R | PT_W) == PT_OK);
	}
	mem.s2 = &s2;
	if (mode & 4)
		mem.size += SZ_4K; /* RAM the stage 2 does not map: copies there fail whole */
}

/* What chain_read/chain_write must return: the copy's own model (virt/virtq.h). */
static u32 expected_copy(const struct virtq_chain *c, unsigned int first, unsigned int count,
			 u32 offset, u32 len)
{
	u32 done = 0;

	for (unsigned int i = first; i < first + count && done < len; i++) {
		u32 n;

		if (offset >= c->buf[i].len) {
			offset -= c->buf[i].len;
			continue;
		}
		n = c->buf[i].len - offset;
		if (n > len - done)
			n = len - done;
		if (!mapped(c->buf[i].addr + offset, n))
			break;
		done += n;
		offset = 0;
	}
	return done;
}

/*
 * The chain is the one the rings name (read here byte by byte, independently):
 * its head from avail->ring[@slot], each buffer its descriptor's, linked by
 * next, readable ones first, no INDIRECT, every index below num.
 */
static void check_chain(const struct virtq *q, const struct virtq_chain *c, u16 slot)
{
	u64 out = 0, in = 0, idx = c->head;
	unsigned int n = c->nr_out + c->nr_in;

	FUZZ_CHECK(c->head == le(q->driver + 4 + 2ULL * (slot & (q->num - 1)), 2));
	FUZZ_CHECK(c->head < q->num);
	FUZZ_CHECK(n >= 1 && n <= VIRTQ_MAX_CHAIN);
	for (unsigned int i = 0; i < n; i++) {
		u64 d = q->desc + 16 * idx;
		u16 flags = (u16)le(d + 12, 2);

		FUZZ_CHECK(idx < q->num);
		FUZZ_CHECK(c->buf[i].addr == le(d, 8) && c->buf[i].len == le(d + 8, 4));
		FUZZ_CHECK(!(flags & VIRTQ_DESC_F_INDIRECT));
		FUZZ_CHECK(!!(flags & VIRTQ_DESC_F_WRITE) == (i >= c->nr_out));
		FUZZ_CHECK(!!(flags & VIRTQ_DESC_F_NEXT) == (i + 1 < n));
		FUZZ_CHECK(guest_mem_contains(&mem, c->buf[i].addr, c->buf[i].len));
		*(i < c->nr_out ? &out : &in) += c->buf[i].len;
		idx = le(d + 14, 2);
	}
	FUZZ_CHECK(out == c->out_len && in == c->in_len);
}

/* The readable part, whole and from (offset, len): exact-size host buffers. */
static void check_read(const struct virtq_chain *c, u32 offset, u32 len)
{
	u32 whole = expected_copy(c, 0, c->nr_out, 0, c->out_len), part, at = 0;
	u8 *dst = malloc(c->out_len ? c->out_len : 1);

	FUZZ_CHECK(virtq_chain_read(&mem, c, 0, dst, c->out_len) == whole);
	for (unsigned int i = 0; i < c->nr_out && at < whole; i++) {
		u32 n = c->buf[i].len < whole - at ? c->buf[i].len : whole - at;

		for (u32 j = 0; j < n; j++)
			FUZZ_CHECK(dst[at + j] == *host(c->buf[i].addr + j));
		at += n;
	}
	free(dst);
	part = expected_copy(c, 0, c->nr_out, offset, len);
	dst = malloc(len ? len : 1);
	FUZZ_CHECK(virtq_chain_read(&mem, c, offset, dst, len) == part);
	free(dst);
}

/* The writable part, whole: each buffer holds its slice of the pattern (when none overlap). */
static void check_write(const struct virtq_chain *c, u8 seed)
{
	u32 whole = expected_copy(c, c->nr_out, c->nr_in, 0, c->in_len), at = 0;
	u8 *src = malloc(c->in_len ? c->in_len : 1);
	bool overlap = false;

	for (u32 i = 0; i < c->in_len; i++)
		src[i] = (u8)(seed + i * 7);
	FUZZ_CHECK(virtq_chain_write(&mem, c, 0, src, c->in_len) == whole);
	for (unsigned int i = c->nr_out; i < c->nr_out + c->nr_in; i++)
		for (unsigned int j = c->nr_out; j < i; j++)
			overlap |= c->buf[i].addr < c->buf[j].addr + c->buf[j].len &&
				   c->buf[j].addr < c->buf[i].addr + c->buf[i].len;
	for (unsigned int i = c->nr_out; i < c->nr_out + c->nr_in && !overlap && at < whole; i++) {
		u32 n = c->buf[i].len < whole - at ? c->buf[i].len : whole - at;

		for (u32 j = 0; j < n; j++)
			FUZZ_CHECK(*host(c->buf[i].addr + j) == src[at + j]);
		at += n;
	}
	free(src);
}

static void push(struct virtq *q, u16 head, u32 written)
{
	u64 slot = q->device + 4 + 8ULL * (q->used_idx & (q->num - 1));
	bool ok = mapped(slot, 8) && mapped(q->device + 2, 2);
	u16 before = q->used_idx;

	FUZZ_CHECK(virtq_push(q, &mem, head, written) == ok);
	if (!ok)
		return;
	FUZZ_CHECK(q->used_idx == (u16)(before + 1));
	FUZZ_CHECK(le(q->device + 2, 2) == q->used_idx);
	FUZZ_CHECK(le(slot, 4) == head && le(slot + 4, 4) == written);
}

/* One notify's worth: pops until EMPTY or BROKEN; false once the queue is broken. */
static bool round_of_pops(struct virtq *q, struct fuzz_input *in)
{
	u32 read_off = fuzz_u16(in), read_len = fuzz_u16(in), written = fuzz_u32(in);
	u64 probe = RAM_IPA + (u64)(s64)(int32_t)fuzz_u32(in);
	u32 probe_len = fuzz_u16(in);
	struct virtq_chain c;
	enum virtq_pop_result r = VIRTQ_CHAIN;
	const char *why;
	u8 *probed = malloc(probe_len ? probe_len : 1);

	/* any range: read whole when inside the RAM and mapped, else nothing */
	memset(probed, 0x5a, probe_len ? probe_len : 1);
	FUZZ_CHECK(guest_mem_read(&mem, probe, probed, probe_len) ==
		   (guest_mem_contains(&mem, probe, probe_len) && mapped(probe, probe_len)));
	free(probed);

	for (unsigned int calls = 0; calls <= q->num && r == VIRTQ_CHAIN; calls++) {
		u16 before = q->last_avail;

		r = virtq_pop(q, &mem, &c, &why);
		FUZZ_CHECK(q->last_avail == (u16)(before + (r == VIRTQ_CHAIN)));
		FUZZ_CHECK((r == VIRTQ_BROKEN) == (why != NULL));
		if (r != VIRTQ_CHAIN)
			break;
		check_chain(q, &c, before);
		check_read(&c, read_off, read_len);
		check_write(&c, (u8)written);
		push(q, c.head, written < c.in_len ? written : c.in_len);
	}
	/* avail->idx at most num ahead: num chains, then EMPTY (or BROKEN) */
	FUZZ_CHECK(r != VIRTQ_CHAIN);
	if (r == VIRTQ_BROKEN)
		return false;
	/* a head the device never took is not pushed */
	{
		u16 used = q->used_idx;

		FUZZ_CHECK(!virtq_push(q, &mem, (u16)(q->num + (written & 0xff)), 0));
		FUZZ_CHECK(q->used_idx == used);
	}
	FUZZ_CHECK(virtq_wants_interrupt(q, &mem) ==
		   (!mapped(q->driver, 2) || !(le(q->driver, 2) & VIRTQ_AVAIL_F_NO_INTERRUPT)));
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	u8 num_sel = fuzz_u8(&in), mode = fuzz_u8(&in);
	u32 num = mode & 8 ? num_sel : 1u << (num_sel % 9);
	u16 start = fuzz_u16(&in);
	u64 d = fuzz_u16(&in), a = fuzz_u16(&in), u = fuzz_u16(&in);
	size_t image = fuzz_u16(&in);
	struct virtq q;

	/* A pattern unlike itself in every page, so a byte copied from the wrong place shows. */
	for (unsigned int i = 0; i < RAM_SIZE; i++)
		ram[i] = (u8)(i * 131 + (i >> 12) * 17 + 1);
	if (image > in.left)
		image = in.left;
	if (image > RAM_SIZE)
		image = RAM_SIZE;
	memcpy(ram, in.p, image);
	in.p += image, in.left -= image;
	set_up_memory(mode);
	if (!(mode & 2)) { /* rings packed from RAM's start, aligned as 2.7 asks */
		d = 0;
		a = 16 * num;
		u = (a + 6 + 2 * num + 3) & ~3u;
	}
	q = (struct virtq){ .num = num, .desc = RAM_IPA + d, .driver = RAM_IPA + a, .device = RAM_IPA + u };
	virtq_reset(&q);
	if (virtq_enable(&q, &mem)) {
		FUZZ_CHECK(!q.ready);
		return 0;
	}
	/* 2.7: what an enabled queue is */
	FUZZ_CHECK(q.ready && (num & (num - 1)) == 0 && num <= VIRTQ_MAX_SIZE);
	FUZZ_CHECK(q.desc % 16 == 0 && q.driver % 2 == 0 && q.device % 4 == 0);
	FUZZ_CHECK(guest_mem_contains(&mem, q.desc, 16 * num) && guest_mem_contains(&mem, q.driver, 6 + 2 * num) &&
		   guest_mem_contains(&mem, q.device, 6 + 8 * num));
	q.last_avail = q.used_idx = start;
	for (unsigned int r = 0; r < MAX_ROUNDS && (r == 0 || in.left); r++) {
		/* The driver changes its RAM between notifies (rings, descriptors, anything). */
		for (unsigned int pokes = fuzz_u8(&in) & 7; pokes; pokes--) {
			u64 off = fuzz_u16(&in) % (RAM_SIZE - 1);
			u16 val = fuzz_u16(&in);

			if (mapped(RAM_IPA + off, 2)) {
				*host(RAM_IPA + off) = (u8)val;
				*host(RAM_IPA + off + 1) = (u8)(val >> 8);
			}
		}
		if (!round_of_pops(&q, &in))
			break;
	}
	return 0;
}

/* ---------------------------------------------------------------- seeds */

static void put_desc(u8 *img, unsigned int i, u64 addr, u32 len, u16 flags, u16 next)
{
	struct virtq_desc dsc = { .addr = addr, .len = len, .flags = flags, .next = next };

	memcpy(img + 16 * i, &dsc, sizeof(dsc));
}

/*
 * Seeds: num 8, rings at given offsets (desc 0, avail 0x200, used 0x300), a
 * 0x400-byte image; descriptors 8 and 9, just past the table, look valid (a
 * head or next of num must be refused for its index, not for its contents).
 */
#define SEED_AVAIL 0x200
#define SEED_USED 0x300

static void write_seed_at(const char *dir, const char *name, u8 mode, u16 start, u8 *img,
			  unsigned int chains, u16 used)
{
	struct fuzz_seed s = { .len = 0 };
	u16 idx = (u16)(start + chains);

	put_desc(img, 8, RAM_IPA + 0x600, 64, 0, 0);
	put_desc(img, 9, RAM_IPA + 0x700, 64, VIRTQ_DESC_F_WRITE, 0);
	img[SEED_AVAIL + 2] = (u8)idx, img[SEED_AVAIL + 3] = (u8)(idx >> 8);
	seed_put(&s, 3, 1), seed_put(&s, mode | 2, 1), seed_put(&s, start, 2);
	seed_put(&s, 0, 2), seed_put(&s, SEED_AVAIL, 2), seed_put(&s, used, 2);
	seed_put(&s, 0x400, 2);
	for (unsigned int i = 0; i < 0x400; i++)
		seed_put(&s, img[i], 1);
	seed_put(&s, 0, 1), seed_put(&s, 2, 2), seed_put(&s, 40, 2), seed_put(&s, 60, 4);
	seed_put(&s, RAM_SIZE - 0x10, 4), seed_put(&s, 0x20, 2); /* probe across RAM's end */
	/* a second round: the driver makes the same chains available again */
	seed_put(&s, 1, 1), seed_put(&s, SEED_AVAIL + 2, 2), seed_put(&s, (u16)(idx + chains), 2);
	seed_put(&s, 0, 2), seed_put(&s, 100, 2), seed_put(&s, 12, 4);
	seed_put(&s, 0xfffffffc, 4), seed_put(&s, 8, 2); /* probe across RAM's start */
	fuzz_write_seed(dir, name, s.b, s.len);
}

static void write_seed(const char *dir, const char *name, u8 mode, u16 start, u8 *img, unsigned int chains)
{
	write_seed_at(dir, name, mode, start, img, chains, SEED_USED);
}

static void put_ring(u8 *img, unsigned int slot, u16 head)
{
	img[SEED_AVAIL + 4 + 2 * slot] = (u8)head;
}

static void seeds(const char *dir)
{
	static const char *const modes[] = { "flat", "coloured", "coloured-hole" };
	static const u8 mode_bits[] = { 0, 0x21, 0x15 };
	u8 img[0x400];
	char name[64];

	for (unsigned int m = 0; m < 3; m++) {
		/* RX: one writable buffer per slot, some across pages */
		memset(img, 0, sizeof(img));
		for (unsigned int i = 0; i < 8; i++) {
			put_desc(img, i, RAM_IPA + 0x1000 + i * 0x600, 1526, VIRTQ_DESC_F_WRITE, 0);
			put_ring(img, i, (u16)i);
		}
		snprintf(name, sizeof(name), "rx-%s", modes[m]);
		write_seed(dir, name, mode_bits[m], 0, img, 8);
		snprintf(name, sizeof(name), "rx-wrap-%s", modes[m]);
		write_seed(dir, name, mode_bits[m], 0xfffd, img, 5);
		/* TX: a header + frame pair across a page; a 2 + 2 chain */
		memset(img, 0, sizeof(img));
		put_desc(img, 0, RAM_IPA + 0x800, 12, VIRTQ_DESC_F_NEXT, 1);
		put_desc(img, 1, RAM_IPA + 0xff0, 64, 0, 0);
		put_desc(img, 2, RAM_IPA + 0x900, 12, VIRTQ_DESC_F_NEXT, 3);
		put_desc(img, 3, RAM_IPA + 0x1ffa, 20, VIRTQ_DESC_F_NEXT, 4);
		put_desc(img, 4, RAM_IPA + 0x2ff0, 40, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 5);
		/* the last bytes of RAM; with the hole, 4 of them in the page not mapped */
		put_desc(img, 5, RAM_IPA + (m == 2 ? 0x3ffc : 0x3ff8), 8, VIRTQ_DESC_F_WRITE, 0);
		put_ring(img, 0, 0), put_ring(img, 1, 2);
		snprintf(name, sizeof(name), "tx-%s", modes[m]);
		write_seed(dir, name, mode_bits[m], 0, img, 2);
		/* the used ring's last 4-aligned place: 70 bytes ending 2 before RAM's end */
		snprintf(name, sizeof(name), "used-at-end-%s", modes[m]);
		write_seed_at(dir, name, mode_bits[m], 0, img, 2, RAM_SIZE - 72);
		/* the last descriptor index: a head and a next of num - 1 */
		put_desc(img, 6, RAM_IPA + 0xa00, 14, VIRTQ_DESC_F_NEXT, 7);
		put_desc(img, 7, RAM_IPA + 0xb00, 1514, 0, 0);
		put_ring(img, 0, 7), put_ring(img, 1, 6);
		snprintf(name, sizeof(name), "last-%s", modes[m]);
		write_seed(dir, name, mode_bits[m], 0, img, 2);
		/* a loop */
		put_desc(img, 1, RAM_IPA + 0x800, 64, VIRTQ_DESC_F_NEXT, 0);
		put_ring(img, 0, 0);
		snprintf(name, sizeof(name), "loop-%s", modes[m]);
		write_seed(dir, name, mode_bits[m], 0, img, 1);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	u8 *area;

	(void)argc;
	(void)argv;
	fuzz_init(seeds);
	/* The RAM at its IPA (PA == IPA for an uncoloured VM), between two guard pages. */
	area = mmap((void *)(uintptr_t)(RAM_IPA - SZ_4K), RAM_SIZE + 2 * SZ_4K, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	FUZZ_CHECK(area == (void *)(uintptr_t)(RAM_IPA - SZ_4K));
	ram = area + SZ_4K;
	FUZZ_CHECK(mprotect(ram, RAM_SIZE, PROT_READ | PROT_WRITE) == 0);
	return 0;
}
