/*
 * test=channel and test=channel-ro: the first tessera,channel node of the DT
 * (guests/common/channel.h), exercised with the ring protocol of
 * guests/common/chanproto.h, or one store into read-only shared memory.
 * README.md, "Channels".
 */
#ifndef TESTGUEST_CHANTEST_H
#define TESTGUEST_CHANTEST_H

#include "dt.h"

#define CHANNEL_MESSAGES_DEFAULT 1000
#define CHANNEL_HANDSHAKE_S_DEFAULT 10

/*
 * @messages requests and replies over the channel, after a handshake in which
 * each side waits at most @handshake_s for the other; message @corrupt (a
 * test of the peer's checks; CHPROTO_NO_CORRUPT: none) is spoilt after its
 * checksum. False when it could not complete.
 */
bool test_channel(const struct dt_info *info, u32 messages, u32 handshake_s, u32 corrupt);

/*
 * One store into this end's read-only shared memory: under Tessera the VM
 * stops there with fault-policy "stop", else the store takes an external abort.
 */
bool test_channel_ro(const struct dt_info *info);

#endif
