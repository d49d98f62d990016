/*
 * test=channel and test=channel-ro: the first tessera,channel node of the DT
 * (guests/common/channel.h), exercised with chanproto.h's protocol, or one
 * store into read-only shared memory. README.md, "Channels".
 */
#ifndef TESTGUEST_CHANTEST_H
#define TESTGUEST_CHANTEST_H

#include "dt.h"

#define CHANNEL_MESSAGES_DEFAULT 1000

/* @messages requests and replies over the channel; false when it could not complete. */
bool test_channel(const struct dt_info *info, u32 messages);

/* One store into this end's read-only shared memory: under Tessera the VM stops there. */
bool test_channel_ro(const struct dt_info *info);

#endif
