/* The channel ring protocol (chanproto.h). */
#include <stdio.h>
#include <string.h>

#include "chanproto.h"
#include "guest.h"

#define CHPROTO_MAGIC 0x48435354U /* "TSCH" */
#define PAYLOAD_MAX 240
#define FNV_OFFSET 0x811c9dc5U /* FNV-1a, 32 bits */
#define FNV_PRIME 0x01000193U

struct chproto_ring {
	u32 magic;
	u32 session;
	u32 published;
	u32 reserved[13];
	struct chproto_msg {
		u32 seq;
		u32 len;
		u32 csum;
		u32 reserved;
		u8 payload[PAYLOAD_MAX];
	} slot[];
};

_Static_assert(sizeof(struct chproto_ring) == 64, "ring header: one 64-byte line");
_Static_assert(sizeof(struct chproto_msg) == 256, "slot size");

/* Request k: 1 to 240 bytes (every length within 240 messages: 73 is prime to 240). */
static u32 request_len(u32 k)
{
	return 1 + (k * 73 + 19) % PAYLOAD_MAX;
}

static u8 request_byte(u32 k, u32 i)
{
	return (u8)((k * 151 + i * 29 + 0x3c) ^ (k >> 8));
}

static u32 fnv_u32(u32 h, u32 v)
{
	for (unsigned int i = 0; i < 4; i++)
		h = (h ^ ((v >> (8 * i)) & 0xff)) * FNV_PRIME;
	return h;
}

static u32 checksum(const volatile struct chproto_msg *m, u32 len)
{
	u32 h = fnv_u32(fnv_u32(FNV_OFFSET, m->seq), len);

	for (u32 i = 0; i < len; i++)
		h = (h ^ m->payload[i]) * FNV_PRIME;
	return h;
}

enum chproto_role chproto_role(const char *self, const char *peer)
{
	int order = strcmp(self, peer);

	return order < 0 ? CHPROTO_INITIATOR : order > 0 ? CHPROTO_RESPONDER : CHPROTO_LOOPBACK;
}

const char *chproto_role_name(enum chproto_role role)
{
	static const char *const names[] = { "initiator", "responder", "initiator and responder" };

	return role <= CHPROTO_LOOPBACK ? names[role] : "?";
}

bool chproto_init(struct chproto *p, void *shm, u64 size, enum chproto_role role,
		  const struct chproto_io *io)
{
	u64 half = size / 2;

	memset(p, 0, sizeof(*p));
	p->role = role;
	p->io = io;
	p->handshake_us = CHPROTO_HANDSHAKE_US_DEFAULT;
	p->doorbell_us = CHPROTO_DOORBELL_US_DEFAULT;
	p->corrupt = CHPROTO_NO_CORRUPT;
	if (half < sizeof(struct chproto_ring) + sizeof(struct chproto_msg)) {
		snprintf(p->why, sizeof(p->why),
			 "shared memory of 0x%llx bytes: too small for two rings",
			 (unsigned long long)size);
		return false;
	}
	p->a = shm;
	p->b = (struct chproto_ring *)((u8 *)shm + half);
	half -= sizeof(struct chproto_ring);
	half /= sizeof(struct chproto_msg);
	p->slots = half > UINT32_MAX ? UINT32_MAX : (u32)half;
	return true;
}

/* Header fields: plain stores first, the magic (or count) last with release. */
static void ring_open(struct chproto_ring *r, u32 session)
{
	__atomic_store_n(&r->magic, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->published, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->session, session, __ATOMIC_RELAXED);
	__atomic_store_n(&r->magic, CHPROTO_MAGIC, __ATOMIC_RELEASE);
}

/* The responder: the initiator's hello in ring A (its session taken). */
static bool hello_seen(struct chproto *p)
{
	if (__atomic_load_n(&p->a->magic, __ATOMIC_ACQUIRE) != CHPROTO_MAGIC)
		return false;
	p->session = __atomic_load_n(&p->a->session, __ATOMIC_RELAXED);
	return true;
}

/* The initiator: the responder's ready in ring B, with the initiator's session. */
static bool ready_seen(struct chproto *p)
{
	return __atomic_load_n(&p->b->magic, __ATOMIC_ACQUIRE) == CHPROTO_MAGIC &&
	       __atomic_load_n(&p->b->session, __ATOMIC_RELAXED) == p->session;
}

/* Polls the shared memory for at most handshake_us. */
static bool poll_until(struct chproto *p, bool (*seen)(struct chproto *), const char *what)
{
	const struct chproto_io *io = p->io;
	u64 start = io->now_us(io->ctx);

	while (!seen(p)) {
		if (io->now_us(io->ctx) - start > p->handshake_us) {
			snprintf(p->why, sizeof(p->why), "no %s from the %s within %llu s", what,
				 p->role == CHPROTO_RESPONDER ? "initiator" : "responder",
				 (unsigned long long)(p->handshake_us / 1000000));
			return false;
		}
		if (io->idle)
			io->idle(io->ctx);
	}
	return true;
}

bool chproto_handshake(struct chproto *p)
{
	if (p->role != CHPROTO_RESPONDER) {
		p->session = (u32)p->io->now_us(p->io->ctx) | 1;
		ring_open(p->a, p->session);
	}
	if (p->role != CHPROTO_INITIATOR) {
		if (!poll_until(p, hello_seen, "hello"))
			return false;
		ring_open(p->b, p->session);
	}
	return p->role == CHPROTO_RESPONDER || poll_until(p, ready_seen, "ready");
}

/* Checksums message @m, spoils it when it is the one to corrupt, publishes it. */
static void seal(struct chproto *p, struct chproto_ring *r, volatile struct chproto_msg *m,
		 u32 k, u32 len)
{
	m->csum = checksum(m, len);
	if (k == p->corrupt)
		m->payload[0] ^= 0x01;
	__atomic_store_n(&r->published, k + 1, __ATOMIC_RELEASE);
}

static void send_request(struct chproto *p, u32 k)
{
	volatile struct chproto_msg *m = &p->a->slot[k % p->slots];
	u32 len = request_len(k);

	m->seq = k;
	m->len = len;
	for (u32 i = 0; i < len; i++)
		m->payload[i] = request_byte(k, i);
	seal(p, p->a, m, k, len);
}

/* Message @k of ring @r as published: sequence, length and checksum right. */
static const volatile struct chproto_msg *received(struct chproto *p, struct chproto_ring *r,
						   const char *what, u32 k)
{
	u32 pub = __atomic_load_n(&r->published, __ATOMIC_ACQUIRE);
	const volatile struct chproto_msg *m = &r->slot[k % p->slots];
	u32 len = m->len, sum;

	if (pub != k + 1) {
		snprintf(p->why, sizeof(p->why),
			 "%s %u: its doorbell came with %u published, not %u", what, k, pub, k + 1);
		return NULL;
	}
	if (m->seq != k || len != request_len(k)) {
		snprintf(p->why, sizeof(p->why), "%s %u: sequence %u, length %u, wanted %u",
			 what, k, m->seq, len, request_len(k));
		return NULL;
	}
	sum = checksum(m, len);
	if (sum != m->csum) {
		snprintf(p->why, sizeof(p->why), "%s %u: checksum 0x%08x, computed 0x%08x", what, k,
			 m->csum, sum);
		return NULL;
	}
	return m;
}

static bool bytes_match(struct chproto *p, const volatile struct chproto_msg *m, bool reply)
{
	u32 k = m->seq, len = m->len;

	for (u32 i = 0; i < len; i++) {
		u8 want = reply ? (u8)~request_byte(k, len - 1 - i) : request_byte(k, i);

		if (m->payload[i] != want) {
			snprintf(p->why, sizeof(p->why), "%s %u: byte %u is 0x%02x, wanted 0x%02x",
				 reply ? "reply" : "request", k, i, m->payload[i], want);
			return false;
		}
	}
	return true;
}

static bool check_request(struct chproto *p, u32 k)
{
	const volatile struct chproto_msg *m = received(p, p->a, "request", k);

	return m && bytes_match(p, m, false);
}

static void send_reply(struct chproto *p, u32 k)
{
	const volatile struct chproto_msg *in = &p->a->slot[k % p->slots];
	volatile struct chproto_msg *out = &p->b->slot[k % p->slots];
	u32 len = in->len;

	out->seq = k;
	out->len = len;
	for (u32 i = 0; i < len; i++)
		out->payload[i] = (u8)~in->payload[len - 1 - i];
	seal(p, p->b, out, k, len);
}

static bool check_reply(struct chproto *p, u32 k)
{
	const volatile struct chproto_msg *m = received(p, p->b, "reply", k);

	return m && bytes_match(p, m, true);
}

static bool await(struct chproto *p, const char *what, u32 k)
{
	const char *err = p->io->wait(p->io->ctx, p->doorbell_us);

	if (err)
		snprintf(p->why, sizeof(p->why), "doorbell for %s %u: %s", what, k, err);
	return !err;
}

bool chproto_exchange(struct chproto *p, u32 k)
{
	const struct chproto_io *io = p->io;

	if (p->role != CHPROTO_RESPONDER) {
		send_request(p, k);
		io->ring(io->ctx);
	}
	if (p->role != CHPROTO_INITIATOR) {
		if (!await(p, "request", k) || !check_request(p, k))
			return false;
		send_reply(p, k);
		io->ring(io->ctx);
	}
	return p->role == CHPROTO_RESPONDER || (await(p, "reply", k) && check_reply(p, k));
}
