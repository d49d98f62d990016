/*
 * test=channel's protocol over one channel's shared memory (README.md,
 * "Channels"). The memory is split in two one-direction rings, each written
 * by one end only:
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
 * then rings (DSB first); a reader reads `published` with acquire semantics
 * after the doorbell.
 */
#ifndef TESTGUEST_CHANPROTO_H
#define TESTGUEST_CHANPROTO_H

#include "channel.h"

#define CHPROTO_WHY_MAX 128

struct chproto {
	struct chproto_ring *a, *b; /* requests, replies */
	u32 slots;                  /* per ring */
	u32 session;                /* the initiator's, once the handshake has it */
	char why[CHPROTO_WHY_MAX];  /* the reason of the last failure */
};

/* Lays the rings over @ch's shared memory; false when it is too small (reason in why). */
bool chproto_init(struct chproto *p, const struct channel *ch);

/* Handshake, no doorbells: the initiator says hello with a session in ring A... */
void chproto_hello(struct chproto *p, u32 session);
/* ...the responder sees it (p->session set)... */
bool chproto_hello_seen(struct chproto *p);
/* ...and echoes the session in ring B, which the initiator waits for. */
void chproto_ready(struct chproto *p);
bool chproto_ready_seen(const struct chproto *p);

/* The initiator publishes request @k in ring A. */
void chproto_send_request(struct chproto *p, u32 k);
/* The responder verifies request @k; false with the reason in why. */
bool chproto_check_request(struct chproto *p, u32 k);
/* The responder publishes reply @k, transformed from request @k as received. */
void chproto_send_reply(struct chproto *p, u32 k);
/* The initiator verifies reply @k against what request @k was. */
bool chproto_check_reply(struct chproto *p, u32 k);

#endif
