/*
 * The split-virtqueue walker (hyp/virt/virtq.c) and guest memory access
 * (hyp/core/guest_mem.c) against a fake driver that builds its rings in a
 * host buffer, the VM's "RAM": uncoloured (PA == IPA, the buffer's address is
 * the IPA) and coloured (a real stage 2 maps the RAM's pages out of order).
 * The driver writes through its own pointers (drv()), never through the code
 * under test, so the two cannot agree on a mistake.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <tessera/guest_mem.h>
#include <virt/virtq.h>

#include "fake_arch.h"

#define RAM_SIZE (16 * SZ_4K)
#define DESC_OFF 0x0000
#define AVAIL_OFF 0x1000
#define USED_OFF 0x3000
#define BUF_OFF 0x8000 /* buffers from here */

static u8 ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct guest_mem mem;
static struct virtq q;
static struct virtq_chain chain;
static const char *why;

/* ---------------------------------------------------------------- coloured RAM */
#define COL_PAGES 4
#define COL_IPA 0x40000000ULL
static u8 col_pages[COL_PAGES][SZ_4K] __attribute__((aligned(4096)));
static u64 pool_pages[8][PT_ENTRIES] __attribute__((aligned(4096)));
static struct pt_pool pool;
static struct pgtable s2;
/* IPA page i lives in host page col_map[i]: no two neighbours adjacent. */
static const unsigned int col_map[COL_PAGES] = { 2, 0, 3, 1 };

static u64 host(const void *p)
{
	return (u64)(uintptr_t)p;
}

/* The fake driver's view of IPA @ipa: a pointer into its RAM. */
static void *drv(u64 ipa)
{
	if (!mem.s2) {
		assert_true(ipa >= host(ram) && ipa < host(ram) + RAM_SIZE);
		return (void *)(uintptr_t)ipa;
	}
	assert_true(ipa >= COL_IPA && ipa < COL_IPA + COL_PAGES * SZ_4K);
	return &col_pages[col_map[(ipa - COL_IPA) / SZ_4K]][(ipa - COL_IPA) % SZ_4K];
}

static u64 ram_base(void)
{
	return mem.s2 ? COL_IPA : host(ram);
}

static struct virtq_desc *desc(u16 i)
{
	return drv(q.desc + 16ULL * i);
}

static void set_desc(u16 i, u64 addr, u32 len, u16 flags, u16 next)
{
	*desc(i) = (struct virtq_desc){ .addr = addr, .len = len, .flags = flags, .next = next };
}

static u16 *avail_flags(void) { return drv(q.driver); }
static u16 *avail_idx(void) { return drv(q.driver + 2); }
static u16 *used_idx(void) { return drv(q.device + 2); }
static struct virtq_used_elem *used_elem(u16 slot) { return drv(q.device + 4 + 8ULL * slot); }

/* The driver makes chain @head available (2.7.13). */
static void post(u16 head)
{
	u16 idx = *avail_idx();

	*(u16 *)drv(q.driver + 4 + 2ULL * (idx % q.num)) = head;
	*avail_idx() = (u16)(idx + 1);
}

static void queue_at(u64 base, u32 num)
{
	q = (struct virtq){ .num = num, .desc = base + DESC_OFF, .driver = base + AVAIL_OFF,
			    .device = base + USED_OFF };
	virtq_reset(&q);
	assert_null(virtq_enable(&q, &mem));
	assert_true(q.ready);
}

static int setup(void **state)
{
	(void)state;
	fake_arch_reset();
	memset(ram, 0, sizeof(ram));
	mem = (struct guest_mem){ .base = host(ram), .size = RAM_SIZE, .s2 = NULL };
	queue_at(host(ram), 8);
	why = NULL;
	return 0;
}

static enum virtq_pop_result pop(void)
{
	memset(&chain, 0xa5, sizeof(chain));
	return virtq_pop(&q, &mem, &chain, &why);
}

static void assert_broken(const char *text)
{
	assert_int_equal(pop(), VIRTQ_BROKEN);
	assert_non_null(why);
	assert_non_null(strstr(why, text));
}

/* ---------------------------------------------------------------- pop */

static void test_one_buffer(void **state)
{
	u64 buf = host(ram) + BUF_OFF;

	(void)state;
	assert_int_equal(pop(), VIRTQ_EMPTY);
	set_desc(5, buf, 100, 0, 0);
	post(5);
	assert_int_equal(pop(), VIRTQ_CHAIN);
	assert_null(why);
	assert_int_equal(chain.head, 5);
	assert_int_equal(chain.nr_out, 1);
	assert_int_equal(chain.nr_in, 0);
	assert_int_equal(chain.out_len, 100);
	assert_int_equal(chain.in_len, 0);
	assert_int_equal(chain.buf[0].addr, buf);
	assert_int_equal(chain.buf[0].len, 100);
	assert_int_equal(q.last_avail, 1);
	assert_int_equal(pop(), VIRTQ_EMPTY);
}

static void test_two_plus_two(void **state)
{
	u64 buf = host(ram) + BUF_OFF;

	(void)state;
	set_desc(0, buf, 12, VIRTQ_DESC_F_NEXT, 3);
	set_desc(3, buf + 0x100, 50, VIRTQ_DESC_F_NEXT, 7);
	set_desc(7, buf + 0x200, 1000, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	set_desc(1, buf + 0x800, 24, VIRTQ_DESC_F_WRITE, 6); /* next ignored without NEXT */
	post(0);
	assert_int_equal(pop(), VIRTQ_CHAIN);
	assert_int_equal(chain.head, 0);
	assert_int_equal(chain.nr_out, 2);
	assert_int_equal(chain.nr_in, 2);
	assert_int_equal(chain.out_len, 62);
	assert_int_equal(chain.in_len, 1024);
	assert_int_equal(chain.buf[1].addr, buf + 0x100);
	assert_int_equal(chain.buf[2].addr, buf + 0x200);
	assert_int_equal(chain.buf[3].len, 24);
}

/* Free-running indices cross 0xffff -> 0 on both rings; ring slots are idx mod num. */
static void test_wrapped_indices(void **state)
{
	(void)state;
	q.last_avail = q.used_idx = 0xfffe;
	*avail_idx() = 0xfffe;
	*used_idx() = 0xfffe;
	for (u16 i = 0; i < 3; i++) {
		set_desc(i, host(ram) + BUF_OFF + 64 * i, 64, 0, 0);
		post(i);
	}
	assert_int_equal(*avail_idx(), 1);
	for (u16 i = 0; i < 3; i++) {
		assert_int_equal(pop(), VIRTQ_CHAIN);
		assert_int_equal(chain.head, i);
		assert_true(virtq_push(&q, &mem, chain.head, 10 + i));
	}
	assert_int_equal(pop(), VIRTQ_EMPTY);
	assert_int_equal(q.last_avail, 1);
	assert_int_equal(*used_idx(), 1);
	assert_int_equal(q.used_idx, 1);
	/* slots 6, 7, 0 */
	assert_int_equal(used_elem(6)->id, 0);
	assert_int_equal(used_elem(7)->id, 1);
	assert_int_equal(used_elem(0)->id, 2);
	assert_int_equal(used_elem(0)->len, 12);
}

static void test_avail_idx_jump(void **state)
{
	(void)state;
	for (u16 i = 0; i < 8; i++)
		set_desc(i, host(ram) + BUF_OFF, 4, 0, 0);
	*avail_idx() = 8; /* exactly num outstanding: allowed */
	assert_int_equal(pop(), VIRTQ_CHAIN);
	*avail_idx() = 1 + 8 + 1; /* num + 1 past last_avail */
	assert_broken("available index");
	assert_int_equal(q.last_avail, 1);
	*avail_idx() = 0; /* backwards is a jump of 0xffff */
	assert_broken("available index");
}

static void test_head_out_of_range(void **state)
{
	(void)state;
	post(8);
	assert_broken("head");
}

static void test_next_out_of_range(void **state)
{
	(void)state;
	set_desc(2, host(ram) + BUF_OFF, 4, VIRTQ_DESC_F_NEXT, 8);
	post(2);
	assert_broken("next");
}

static void test_loop(void **state)
{
	(void)state;
	set_desc(1, host(ram) + BUF_OFF, 4, VIRTQ_DESC_F_NEXT, 4);
	set_desc(4, host(ram) + BUF_OFF, 4, VIRTQ_DESC_F_NEXT, 1);
	post(1);
	assert_broken("longer than 32");
	/* a descriptor pointing at itself */
	setup(NULL);
	set_desc(3, host(ram) + BUF_OFF, 4, VIRTQ_DESC_F_NEXT, 3);
	post(3);
	assert_broken("longer than 32");
}

/* VIRTQ_MAX_CHAIN descriptors make a chain; one more breaks the queue. */
static void test_chain_length(void **state)
{
	const u16 max = VIRTQ_MAX_CHAIN;

	(void)state;
	queue_at(host(ram), 64);
	for (u16 i = 0; i < 64; i++)
		set_desc(i, host(ram) + BUF_OFF + i, 1, VIRTQ_DESC_F_NEXT, (u16)(i + 1));
	set_desc(max - 1, host(ram) + BUF_OFF + max - 1, 1, 0, 0);
	post(0);
	assert_int_equal(pop(), VIRTQ_CHAIN);
	assert_int_equal(chain.nr_out, VIRTQ_MAX_CHAIN);
	assert_int_equal(chain.out_len, max);
	assert_int_equal(chain.buf[max - 1].addr, host(ram) + BUF_OFF + max - 1);
	set_desc(max - 1, host(ram) + BUF_OFF + max - 1, 1, VIRTQ_DESC_F_NEXT, max);
	set_desc(max, host(ram) + BUF_OFF + max, 1, 0, 0);
	post(0);
	assert_broken("longer than 32");
}

static void test_indirect(void **state)
{
	(void)state;
	set_desc(0, host(ram) + BUF_OFF, 32, VIRTQ_DESC_F_INDIRECT, 0);
	post(0);
	assert_broken("indirect");
}

static void test_readable_after_writable(void **state)
{
	(void)state;
	set_desc(0, host(ram) + BUF_OFF, 32, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, host(ram) + BUF_OFF + 32, 32, 0, 0);
	post(0);
	assert_broken("readable descriptor after a writable");
}

static void test_buffers_outside_ram(void **state)
{
	const u64 end = host(ram) + RAM_SIZE;
	static const struct {
		u64 addr;
		u32 len;
	} bad[] = {
		{ 0x1000, 16 },                         /* below */
		{ 0, 0 },                               /* addr 0 (below), len 0 */
		{ ~0ULL - 0x10, 0x20 },                 /* addr + len wraps 2^64 */
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup(NULL);
		set_desc(0, bad[i].addr, bad[i].len, 0, 0);
		post(0);
		assert_broken("outside");
	}
	/* straddling the end, beyond it, a huge length */
	setup(NULL);
	set_desc(0, end - 10, 11, 0, 0);
	post(0);
	assert_broken("outside");
	setup(NULL);
	set_desc(0, end, 1, 0, 0);
	post(0);
	assert_broken("outside");
	setup(NULL);
	set_desc(0, host(ram) + BUF_OFF, 0xffffffff, VIRTQ_DESC_F_WRITE, 0);
	post(0);
	assert_broken("outside");
	/* the last bytes of RAM are a buffer */
	setup(NULL);
	set_desc(0, end - 10, 10, 0, 0);
	post(0);
	assert_int_equal(pop(), VIRTQ_CHAIN);
}

/* Totals over 2^32 - 1 (RAM said to be 8 GiB: pop reads only the rings). */
static void test_totals_overflow(void **state)
{
	(void)state;
	mem.size = 8ULL << 30;
	set_desc(0, host(ram), 0x80000000, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, host(ram), 0x80000000, 0, 0);
	post(0);
	assert_broken("32 bits");
	setup(NULL);
	mem.size = 8ULL << 30;
	set_desc(0, host(ram), 0x80000000, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, host(ram), 0x7fffffff, 0, 0);
	post(0);
	assert_int_equal(pop(), VIRTQ_CHAIN);
	assert_int_equal(chain.out_len, 0xffffffffU);
}

/* The chain is the device's copy: the driver rewriting a descriptor afterwards changes nothing. */
static void test_copy_semantics(void **state)
{
	u64 buf = host(ram) + BUF_OFF;

	(void)state;
	memcpy(drv(buf), "hello, world", 12);
	set_desc(0, buf, 12, 0, 0);
	post(0);
	assert_int_equal(pop(), VIRTQ_CHAIN);
	set_desc(0, 0xdead0000, 0xffffffff, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 99);
	assert_int_equal(chain.buf[0].addr, buf);
	assert_int_equal(chain.buf[0].len, 12);
	assert_int_equal(chain.nr_out, 1);
	char got[16] = { 0 };
	assert_int_equal(virtq_chain_read(&mem, &chain, 0, got, sizeof(got)), 12);
	assert_string_equal(got, "hello, world");
}

static void test_not_ready(void **state)
{
	(void)state;
	set_desc(0, host(ram) + BUF_OFF, 4, 0, 0);
	post(0);
	virtq_reset(&q);
	assert_false(q.ready);
	assert_int_equal(pop(), VIRTQ_EMPTY);
	assert_false(virtq_push(&q, &mem, 0, 0));
	assert_int_equal(*used_idx(), 0);
}

/* ---------------------------------------------------------------- enable */

static void enable_refused(u32 num, u64 d, u64 a, u64 u, const char *text)
{
	const char *err;

	q = (struct virtq){ .num = num, .desc = d, .driver = a, .device = u };
	virtq_reset(&q);
	err = virtq_enable(&q, &mem);
	assert_non_null(err);
	if (!strstr(err, text))
		fail_msg("num %u desc %#llx avail %#llx used %#llx: \"%s\", not \"%s\"", num,
			 (unsigned long long)d, (unsigned long long)a, (unsigned long long)u, err, text);
	assert_false(q.ready);
}

static void test_enable(void **state)
{
	const u64 b = host(ram), end = b + RAM_SIZE;

	(void)state;
	enable_refused(0, b, b + AVAIL_OFF, b + USED_OFF, "power of two");
	enable_refused(3, b, b + AVAIL_OFF, b + USED_OFF, "power of two");
	enable_refused(512, b, b + AVAIL_OFF, b + USED_OFF, "power of two");
	enable_refused(8, b + 8, b + AVAIL_OFF, b + USED_OFF, "misaligned");
	enable_refused(8, b, b + AVAIL_OFF + 1, b + USED_OFF, "misaligned");
	enable_refused(8, b, b + AVAIL_OFF, b + USED_OFF + 2, "misaligned");
	enable_refused(8, b - 0x1000, b + AVAIL_OFF, b + USED_OFF, "outside");
	enable_refused(8, end - 16 * 8 + 16, b + AVAIL_OFF, b + USED_OFF, "outside");
	enable_refused(8, b, end - (6 + 2 * 8) + 2, b + USED_OFF, "outside");
	enable_refused(8, b, b + AVAIL_OFF, end - 68, "outside"); /* 70 bytes from end - 68 */
	enable_refused(8, b, b + AVAIL_OFF, ~0ULL - 3, "outside");
	/* the largest queue, and areas ending exactly at the end of RAM (or 2 bytes before: alignment) */
	queue_at(b, VIRTQ_MAX_SIZE);
	q = (struct virtq){ .num = 8, .desc = end - 16 * 8, .driver = end - (6 + 2 * 8), .device = end - 72 };
	virtq_reset(&q);
	assert_null(virtq_enable(&q, &mem));
	q.num = 1;
	assert_null(virtq_enable(&q, &mem));
}

/* ---------------------------------------------------------------- push, interrupts */

static void test_push(void **state)
{
	(void)state;
	set_desc(4, host(ram) + BUF_OFF, 64, VIRTQ_DESC_F_WRITE, 0);
	post(4);
	assert_int_equal(pop(), VIRTQ_CHAIN);
	assert_true(virtq_push(&q, &mem, chain.head, 42));
	assert_int_equal(used_elem(0)->id, 4);
	assert_int_equal(used_elem(0)->len, 42);
	assert_int_equal(*used_idx(), 1);
	assert_int_equal(q.used_idx, 1);
	/* a head the device never had is not pushed */
	assert_false(virtq_push(&q, &mem, 8, 0));
	assert_int_equal(*used_idx(), 1);
	/* 2.7.8: slots wrap at num */
	for (unsigned int i = 1; i < 9; i++)
		assert_true(virtq_push(&q, &mem, (u16)i % 8, i));
	assert_int_equal(*used_idx(), 9);
	assert_int_equal(used_elem(0)->id, 0);
	assert_int_equal(used_elem(0)->len, 8);
	assert_int_equal(used_elem(1)->len, 1);
}

static void test_wants_interrupt(void **state)
{
	(void)state;
	assert_true(virtq_wants_interrupt(&q, &mem));
	*avail_flags() = VIRTQ_AVAIL_F_NO_INTERRUPT;
	assert_false(virtq_wants_interrupt(&q, &mem));
	*avail_flags() = 0x8000; /* other bits mean nothing */
	assert_true(virtq_wants_interrupt(&q, &mem));
}

/* 2.7.10: NO_NOTIFY goes into the used ring's flags, and only the flags; never into a queue not ready. */
static void test_suppress_notify(void **state)
{
	u16 *used_flags = drv(q.device);

	(void)state;
	*used_idx() = 7;
	assert_true(virtq_suppress_notify(&q, &mem));
	assert_int_equal(*used_flags, VIRTQ_USED_F_NO_NOTIFY);
	assert_int_equal(*used_idx(), 7);
	*used_flags = 0;
	virtq_reset(&q);
	assert_false(virtq_suppress_notify(&q, &mem));
	assert_int_equal(*used_flags, 0);
}

/* ---------------------------------------------------------------- chain copies */

/* A 3 + 3 chain: readable 5, 0 and 7 bytes; writable 4, 6 and 3 bytes, scattered. */
static void make_scattered_chain(void)
{
	const u64 b = ram_base() + BUF_OFF;

	set_desc(0, b + 0x100, 5, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, b + 0x080, 0, VIRTQ_DESC_F_NEXT, 2);
	set_desc(2, b + 0x000, 7, VIRTQ_DESC_F_NEXT, 3);
	set_desc(3, b + 0x300, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 4);
	set_desc(4, b + 0x200, 6, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 5);
	set_desc(5, b + 0x400, 3, VIRTQ_DESC_F_WRITE, 0);
	memcpy(drv(b + 0x100), "ABCDE", 5);
	memcpy(drv(b + 0x000), "FGHIJKL", 7);
	post(0);
	assert_int_equal(pop(), VIRTQ_CHAIN);
	assert_int_equal(chain.out_len, 12);
	assert_int_equal(chain.in_len, 13);
}

static void test_chain_read(void **state)
{
	char got[32];

	(void)state;
	make_scattered_chain();
	memset(got, 0, sizeof(got));
	assert_int_equal(virtq_chain_read(&mem, &chain, 0, got, sizeof(got)), 12); /* short: the part's end */
	assert_string_equal(got, "ABCDEFGHIJKL");
	memset(got, 0, sizeof(got));
	assert_int_equal(virtq_chain_read(&mem, &chain, 3, got, 4), 4); /* across a boundary and the empty buffer */
	assert_string_equal(got, "DEFG");
	memset(got, 0, sizeof(got));
	assert_int_equal(virtq_chain_read(&mem, &chain, 5, got, 100), 7); /* from a boundary */
	assert_string_equal(got, "FGHIJKL");
	assert_int_equal(virtq_chain_read(&mem, &chain, 12, got, 100), 0);
	assert_int_equal(virtq_chain_read(&mem, &chain, 0xffffffff, got, 100), 0);
	assert_int_equal(virtq_chain_read(&mem, &chain, 0, got, 0), 0);
}

static void test_chain_write(void **state)
{
	const u64 b = ram_base() + BUF_OFF;

	(void)state;
	make_scattered_chain();
	assert_int_equal(virtq_chain_write(&mem, &chain, 2, "0123456789abcdefgh", 18), 11);
	assert_memory_equal(drv(b + 0x300), "\0\0" "01", 4);
	assert_memory_equal(drv(b + 0x200), "234567", 6);
	assert_memory_equal(drv(b + 0x400), "89a", 3);
	/* the readable part and what lies past each buffer are untouched */
	assert_memory_equal(drv(b + 0x100), "ABCDE", 5);
	assert_int_equal(*(u8 *)drv(b + 0x304), 0);
	assert_int_equal(*(u8 *)drv(b + 0x206), 0);
	assert_int_equal(*(u8 *)drv(b + 0x403), 0);
	assert_int_equal(virtq_chain_write(&mem, &chain, 13, "x", 1), 0);
}

/* ---------------------------------------------------------------- guest_mem */

static void test_guest_mem_bounds(void **state)
{
	u8 buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	const u64 end = host(ram) + RAM_SIZE;

	(void)state;
	assert_true(guest_mem_write(&mem, end - 8, buf, 8));
	assert_memory_equal(&ram[RAM_SIZE - 8], buf, 8);
	memset(buf, 0xee, sizeof(buf));
	assert_false(guest_mem_read(&mem, end - 7, buf, 8));
	assert_int_equal(buf[0], 0xee); /* nothing copied */
	assert_false(guest_mem_write(&mem, host(ram) - 1, buf, 2));
	assert_int_equal(ram[0], 0);
	assert_false(guest_mem_read(&mem, ~0ULL, buf, 2));
	assert_true(guest_mem_read(&mem, end, buf, 0));
}

/*
 * Every length to 100 bytes between every pair of offsets in a word (words
 * copied whatever their alignment): exactly the bytes asked for, in order,
 * and not one byte either side.
 */
static void test_guest_mem_alignments(void **state)
{
	u8 src[128], got[128], want[128];

	(void)state;
	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (u8)(i * 7 + 1);
	for (unsigned int gofs = 0; gofs < 8; gofs++)
		for (unsigned int hofs = 0; hofs < 8; hofs++)
			for (unsigned int n = 0; n <= 100; n++) {
				memset(&ram[64], 0xa5, 128);
				assert_true(guest_mem_write(&mem, host(ram) + 64 + 8 + gofs, src + hofs, n));
				memset(want, 0xa5, sizeof(want));
				memcpy(want + 8 + gofs, src + hofs, n);
				assert_memory_equal(&ram[64], want, 128);
				memset(got, 0x5a, sizeof(got));
				assert_true(guest_mem_read(&mem, host(ram) + 64 + 8 + gofs, got + hofs, n));
				memset(want, 0x5a, sizeof(want));
				memcpy(want + hofs, src + hofs, n);
				assert_memory_equal(got, want, 128);
			}
}

/* ---------------------------------------------------------------- coloured */

static void coloured(void)
{
	memset(col_pages, 0, sizeof(col_pages));
	memset(pool_pages, 0, sizeof(pool_pages));
	pool = (struct pt_pool){ .pages = pool_pages, .count = 8, .used = 0 };
	assert_int_equal(pt_init_pages(&s2, PT_STAGE2, &pool), PT_OK);
	for (unsigned int i = 0; i < COL_PAGES; i++)
		assert_int_equal(pt_map(&s2, COL_IPA + i * SZ_4K, host(col_pages[col_map[i]]), SZ_4K,
					PT_R | PT_W),
				 PT_OK);
	mem = (struct guest_mem){ .base = COL_IPA, .size = COL_PAGES * SZ_4K, .s2 = &s2 };
	/* rings in page 0, buffers in pages 1-3 */
	q = (struct virtq){ .num = 8, .desc = COL_IPA, .driver = COL_IPA + 0x800,
			    .device = COL_IPA + 0xc00 };
	virtq_reset(&q);
	assert_null(virtq_enable(&q, &mem));
}

/* A buffer spanning two IPA pages whose PAs are apart is copied piece by piece right. */
static void test_coloured_span(void **state)
{
	const u64 buf = COL_IPA + 2 * SZ_4K - 6;
	u8 got[12], want[12] = "spans pages";

	(void)state;
	coloured();
	set_desc(0, buf, 12, VIRTQ_DESC_F_WRITE, 0);
	post(0);
	assert_int_equal(pop(), VIRTQ_CHAIN);
	assert_int_equal(virtq_chain_write(&mem, &chain, 0, want, 12), 12);
	assert_memory_equal(&col_pages[col_map[1]][SZ_4K - 6], want, 6);
	assert_memory_equal(&col_pages[col_map[2]][0], want + 6, 6);
	memset(got, 0, sizeof(got));
	assert_true(guest_mem_read(&mem, buf, got, 12));
	assert_memory_equal(got, want, 12);
	assert_true(virtq_push(&q, &mem, 0, 12));
	assert_int_equal(*used_idx(), 1);
	assert_int_equal(used_elem(0)->len, 12);
}

/* RAM said to be 5 pages with 4 mapped: a copy reaching the fifth copies nothing. */
static void test_coloured_unmapped(void **state)
{
	u8 buf[16];

	(void)state;
	coloured();
	mem.size += SZ_4K;
	memset(buf, 0x77, sizeof(buf));
	assert_false(guest_mem_write(&mem, COL_IPA + 4 * SZ_4K - 8, buf, 16));
	assert_int_equal(col_pages[col_map[3]][SZ_4K - 8], 0);
	assert_true(guest_mem_write(&mem, COL_IPA + 4 * SZ_4K - 8, buf, 8));
	assert_int_equal(col_pages[col_map[3]][SZ_4K - 8], 0x77);
}

/* The translation's runs end at the stage-2 leaf: a 2 MiB block is one run. */
static void test_translate_runs(void **state)
{
	u64 pa, run;

	(void)state;
	coloured();
	assert_true(guest_mem_translate(&mem, COL_IPA + 0x10, 0x10000, &pa, &run));
	assert_int_equal(pa, host(col_pages[col_map[0]]) + 0x10);
	assert_int_equal(run, SZ_4K - 0x10);
	assert_true(guest_mem_translate(&mem, COL_IPA + 0x10, 8, &pa, &run));
	assert_int_equal(run, 8);
	assert_false(guest_mem_translate(&mem, COL_IPA + COL_PAGES * SZ_4K, 8, &pa, &run));
	/* a 2 MiB block (pgtable picks it for an aligned range): one run to its end */
	memset(pool_pages, 0, sizeof(pool_pages));
	pool = (struct pt_pool){ .pages = pool_pages, .count = 8, .used = 0 };
	assert_int_equal(pt_init(&s2, PT_STAGE2, &pool), PT_OK);
	assert_int_equal(pt_map(&s2, 0x80000000ULL, 0x90000000ULL, SZ_2M, PT_R | PT_W), PT_OK);
	assert_true(guest_mem_translate(&mem, 0x80000000ULL + 0x1234, ~0ULL, &pa, &run));
	assert_int_equal(pa, 0x90001234ULL);
	assert_int_equal(run, SZ_2M - 0x1234);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_one_buffer, setup),
		cmocka_unit_test_setup(test_guest_mem_alignments, setup),
		cmocka_unit_test_setup(test_two_plus_two, setup),
		cmocka_unit_test_setup(test_wrapped_indices, setup),
		cmocka_unit_test_setup(test_avail_idx_jump, setup),
		cmocka_unit_test_setup(test_head_out_of_range, setup),
		cmocka_unit_test_setup(test_next_out_of_range, setup),
		cmocka_unit_test_setup(test_loop, setup),
		cmocka_unit_test_setup(test_chain_length, setup),
		cmocka_unit_test_setup(test_indirect, setup),
		cmocka_unit_test_setup(test_readable_after_writable, setup),
		cmocka_unit_test_setup(test_buffers_outside_ram, setup),
		cmocka_unit_test_setup(test_totals_overflow, setup),
		cmocka_unit_test_setup(test_copy_semantics, setup),
		cmocka_unit_test_setup(test_not_ready, setup),
		cmocka_unit_test_setup(test_enable, setup),
		cmocka_unit_test_setup(test_push, setup),
		cmocka_unit_test_setup(test_wants_interrupt, setup),
		cmocka_unit_test_setup(test_suppress_notify, setup),
		cmocka_unit_test_setup(test_chain_read, setup),
		cmocka_unit_test_setup(test_chain_write, setup),
		cmocka_unit_test_setup(test_guest_mem_bounds, setup),
		cmocka_unit_test_setup(test_coloured_span, setup),
		cmocka_unit_test_setup(test_coloured_unmapped, setup),
		cmocka_unit_test_setup(test_translate_runs, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
