/*
 * The channel ring protocol (guests/testguest/README.md, "Channels"), one
 * implementation for every end: the bare-metal guests (testguest test=channel,
 * benchguest bench=channel) and the Linux user program (guests/linux/chanuser).
 * It needs only snprintf and the GCC __atomic builtins; the end supplies the
 * doorbell and a clock (struct chproto_io). This header uses the standard
 * integer types only, so that a hosted program can include it.
 *
 * The shared memory is split in two one-direction rings, each written by one
 * end only:
 *
 *	[0, size/2)	ring A: initiator -> responder (requests)
 *	[size/2, size)	ring B: responder -> initiator (replies)
 *
 * Each ring: a 64-byte header (magic, session, published = messages
 * published so far), then 256-byte slots; message k is in slot k % slots:
 * sequence k, length, FNV-1a checksum of (sequence, length, payload), up to
 * 240 payload bytes. Request k's length and bytes are functions of k; reply k
 * carries request k's bytes reversed and inverted, as the responder received
 * them. A writer fills the slot, stores `published` with release semantics,
 * then rings (the ring callback orders the stores before the doorbell); a
 * reader reads `published` with acquire semantics after the doorbell.
 */
#ifndef GUEST_CHANPROTO_H
#define GUEST_CHANPROTO_H

#include <stdbool.h>
#include <stdint.h>

#define CHPROTO_WHY_MAX 160
#define CHPROTO_HANDSHAKE_US_DEFAULT 10000000ULL /* the peer may still be booting */
#define CHPROTO_DOORBELL_US_DEFAULT 2000000ULL
#define CHPROTO_NO_CORRUPT UINT32_MAX

/* The VM whose name sorts first initiates; a channel to itself plays both roles. */
enum chproto_role { CHPROTO_INITIATOR, CHPROTO_RESPONDER, CHPROTO_LOOPBACK };

/* What an end provides besides the shared memory. */
struct chproto_io {
	void *ctx;
	/* Rings the peer, after every earlier store to the shared memory is visible. */
	void (*ring)(void *ctx);
	/*
	 * Waits at most @timeout_us for one doorbell no earlier call returned; NULL
	 * when it came (what the peer published before ringing is then visible),
	 * else why not.
	 */
	const char *(*wait)(void *ctx, uint64_t timeout_us);
	/* A monotonic clock in microseconds. */
	uint64_t (*now_us)(void *ctx);
	/* Optional: called between two polls of the handshake (NULL: spin). */
	void (*idle)(void *ctx);
};

struct chproto {
	struct chproto_ring *a, *b; /* requests, replies */
	uint32_t slots;                  /* per ring */
	uint32_t session;                /* the initiator's, once the handshake has it */
	enum chproto_role role;
	const struct chproto_io *io;
	uint64_t handshake_us;           /* each side of the handshake waits this long */
	uint64_t doorbell_us;            /* each doorbell is awaited this long */
	uint32_t corrupt;                /* the message this end spoils after checksumming it (tests) */
	char why[CHPROTO_WHY_MAX];  /* the reason of the last failure */
};

enum chproto_role chproto_role(const char *self, const char *peer);
const char *chproto_role_name(enum chproto_role role);

/*
 * Lays the rings over the shared memory [@shm, @shm + @size) for an end in
 * @role, with the default timeouts and no corruption; false when the memory
 * is too small (reason in why).
 */
bool chproto_init(struct chproto *p, void *shm, uint64_t size, enum chproto_role role,
		  const struct chproto_io *io);

/*
 * The handshake, without doorbells (the peer may not be listening yet): the
 * initiator writes ring A's header with a session number, the responder polls
 * for it and answers in ring B's header with the same session, the initiator
 * polls for that. False with the reason in why.
 */
bool chproto_handshake(struct chproto *p);

/*
 * This end's part of exchange @k: the initiator publishes request k and rings,
 * the responder waits for it, verifies it (published count, sequence, length,
 * checksum, bytes), publishes reply k and rings, and the initiator waits for
 * the reply and verifies it. False with the reason in why.
 */
bool chproto_exchange(struct chproto *p, uint32_t k);

#endif
