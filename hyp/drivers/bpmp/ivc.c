/*
 * IVC framing over one queue pair (drivers/bpmp_ivc.h). Protocol facts are
 * from Linux drivers/firmware/tegra/ivc.c (read, not copied):
 *  - a queue is empty when tx_count == rx_count and full when
 *    tx_count - rx_count == nframes, counters being free-running u32s;
 *  - a difference above nframes is impossible from an honest peer
 *    (ivc.c tegra_ivc_empty's "over-full" case) and is refused here;
 *  - the reset handshake is its "IVC State Transition Table".
 * The frame touched is always tx_pos / rx_pos, kept here below nframes,
 * so no value the peer writes can move an access outside the queue.
 */
#include <arch/sysregs.h>
#include <drivers/bpmp_ivc.h>
#include <string.h>
#include <tessera/compiler.h>
#include <tessera/cpu.h>

u64 ivc_queue_size(u32 nframes, u32 frame_size)
{
	/* u32 * u32 fits in u64: no overflow before the header is added. */
	return IVC_HEADER_SIZE + (u64)nframes * frame_size;
}

bool ivc_init(struct ivc *ivc, void *tx, void *rx, u64 region_size, u32 nframes, u32 frame_size)
{
	u64 size = ivc_queue_size(nframes, frame_size);

	if (!tx || !rx || tx == rx || nframes == 0 || frame_size == 0 ||
	    !IS_ALIGNED(frame_size, IVC_ALIGN) || !IS_ALIGNED((uintptr_t)tx, IVC_ALIGN) ||
	    !IS_ALIGNED((uintptr_t)rx, IVC_ALIGN) || size > region_size)
		return false;
	/* The two queues must not share a byte: each has one writer per line. */
	if (ranges_overlap((uintptr_t)tx, size, (uintptr_t)rx, size))
		return false;
	memset(ivc, 0, sizeof(*ivc));
	ivc->tx = tx;
	ivc->rx = rx;
	ivc->nframes = nframes;
	ivc->frame_size = frame_size;
	ivc_reset(ivc);
	return true;
}

static u8 *frame_at(struct ivc_header *queue, const struct ivc *ivc, u32 pos)
{
	return (u8 *)queue + IVC_HEADER_SIZE + (u64)pos * ivc->frame_size;
}

static void reset_counters(struct ivc *ivc)
{
	ivc->tx_count = 0;
	ivc->rx_count = 0;
	ivc->tx_acked = 0;
	ivc->tx_pos = 0;
	ivc->rx_pos = 0;
	WRITE_ONCE(ivc->tx->tx_count, 0);
	WRITE_ONCE(ivc->rx->rx_count, 0);
}

static void set_state(struct ivc *ivc, enum ivc_state state)
{
	/* ivc.c: the counters are seen cleared before the new state. */
	dsb(sy);
	WRITE_ONCE(ivc->tx->tx_state, (u32)state);
	dsb(sy);
}

void ivc_reset(struct ivc *ivc)
{
	set_state(ivc, IVC_STATE_SYNC);
}

bool ivc_established(const struct ivc *ivc)
{
	return READ_ONCE(ivc->tx->tx_state) == IVC_STATE_ESTABLISHED;
}

bool ivc_notified(struct ivc *ivc)
{
	u32 peer = READ_ONCE(ivc->rx->tx_state);
	u32 local = READ_ONCE(ivc->tx->tx_state);

	if (peer > IVC_STATE_ACK) {
		ivc->peer_corrupt = true;
		return false;
	}
	dsb(sy); /* the peer's state is observed before the counters are cleared */
	if (peer == IVC_STATE_SYNC) {
		/* Any local state, peer SYNC: clear, then ACK. */
		reset_counters(ivc);
		set_state(ivc, IVC_STATE_ACK);
		return true;
	}
	if (local == IVC_STATE_SYNC && peer == IVC_STATE_ACK) {
		reset_counters(ivc);
		set_state(ivc, IVC_STATE_ESTABLISHED);
		return true;
	}
	if (local == IVC_STATE_ACK) {
		/* Peer ACK or ESTABLISHED: both sides have cleared their counters. */
		set_state(ivc, IVC_STATE_ESTABLISHED);
		return true;
	}
	return false; /* SYNC/EST waits for the peer; EST/EST, EST/ACK: nothing to do */
}

enum ivc_result ivc_write_frame(struct ivc *ivc, const void *buf, u32 len)
{
	u32 peer_read, in_flight;
	u8 *frame;

	if (len > ivc->frame_size)
		return IVC_BAD_SIZE;
	if (!ivc_established(ivc))
		return IVC_NOT_READY;
	peer_read = READ_ONCE(ivc->tx->rx_count);
	in_flight = ivc->tx_count - peer_read;
	if (peer_read - ivc->tx_acked > ivc->tx_count - ivc->tx_acked) {
		/*
		 * The peer's read count went back, or past what was written
		 * (modulo 2^32: outside [tx_acked, tx_count]).
		 */
		ivc->peer_corrupt = true;
		return IVC_CORRUPT;
	}
	ivc->tx_acked = peer_read;
	if (in_flight >= ivc->nframes)
		return IVC_FULL;
	dsb(sy); /* the peer's read of the frame is over before it is overwritten */
	frame = frame_at(ivc->tx, ivc, ivc->tx_pos);
	memcpy(frame, buf, len);
	memset(frame + len, 0, ivc->frame_size - len); /* nothing stale leaks */
	dsb(sy); /* the frame is visible before the count that publishes it */
	ivc->tx_count++;
	ivc->tx_pos = ivc->tx_pos + 1 == ivc->nframes ? 0 : ivc->tx_pos + 1;
	WRITE_ONCE(ivc->tx->tx_count, ivc->tx_count);
	dsb(sy);
	return IVC_OK;
}

enum ivc_result ivc_read_frame(struct ivc *ivc, void *buf, u32 buf_size)
{
	u32 peer_written, ready;

	if (buf_size < ivc->frame_size)
		return IVC_BAD_SIZE;
	if (!ivc_established(ivc))
		return IVC_NOT_READY;
	peer_written = READ_ONCE(ivc->rx->tx_count);
	ready = peer_written - ivc->rx_count;
	if (ready > ivc->nframes) {
		/* More frames than the queue holds: refused, not read as data. */
		ivc->peer_corrupt = true;
		return IVC_CORRUPT;
	}
	if (ready == 0)
		return IVC_EMPTY;
	dsb(sy); /* the count is observed before the frame it publishes */
	memcpy(buf, frame_at(ivc->rx, ivc, ivc->rx_pos), ivc->frame_size);
	dsb(sy); /* the copy is done before the frame is handed back */
	ivc->rx_count++;
	ivc->rx_pos = ivc->rx_pos + 1 == ivc->nframes ? 0 : ivc->rx_pos + 1;
	WRITE_ONCE(ivc->rx->rx_count, ivc->rx_count);
	dsb(sy);
	return IVC_OK;
}

void ivc_sync_from_peer(const struct ivc *ivc)
{
	u64 size = ivc_queue_size(ivc->nframes, ivc->frame_size);

	dcache_inval_poc((uintptr_t)ivc->tx, (uintptr_t)ivc->tx + size);
	dcache_inval_poc((uintptr_t)ivc->rx, (uintptr_t)ivc->rx + size);
}

void ivc_sync_to_peer(const struct ivc *ivc)
{
	u64 size = ivc_queue_size(ivc->nframes, ivc->frame_size);

	dcache_clean_poc((uintptr_t)ivc->tx, (uintptr_t)ivc->tx + size);
	dcache_clean_poc((uintptr_t)ivc->rx, (uintptr_t)ivc->rx + size);
}
