/*
 * One IVC queue pair in shared memory: the framing Tegra's BPMP speaks
 * (Linux drivers/firmware/tegra/ivc.c is the reference read; nothing is
 * copied from it). Each direction is a queue: a 128-byte header, then
 * nframes frames of frame_size bytes. Its header has two 64-byte lines:
 *  - line 0, written by the sender: tx_count (frames written), tx_state;
 *  - line 1, written by the receiver: rx_count (frames read).
 * The peer may be hostile (a guest's virtual BPMP channel) or broken: the
 * frame this side touches is always chosen by its own positions, never by
 * a counter read from shared memory, and every counter read is checked.
 */
#ifndef DRIVERS_BPMP_IVC_H
#define DRIVERS_BPMP_IVC_H

#include <tessera/types.h>

/* ivc.c TEGRA_IVC_ALIGN: header lines and frames are 64-byte aligned. */
#define IVC_ALIGN 64U
#define IVC_HEADER_SIZE (2 * IVC_ALIGN)

/* ivc.c enum tegra_ivc_state: the reset handshake, in tx_state. */
enum ivc_state {
	IVC_STATE_ESTABLISHED = 0,
	IVC_STATE_SYNC = 1,
	IVC_STATE_ACK = 2,
};

/* The shared header of one queue, as laid out in memory. */
struct ivc_header {
	u32 tx_count;
	u32 tx_state;
	u8 pad0[IVC_ALIGN - 8];
	u32 rx_count;
	u8 pad1[IVC_ALIGN - 4];
};

struct ivc {
	struct ivc_header *tx; /* the queue this side writes */
	struct ivc_header *rx; /* the queue the peer writes */
	u32 nframes;
	u32 frame_size;
	/*
	 * This side's own counters: the shared copies of them are writable by
	 * the peer, so they are written for it but never read back.
	 */
	u32 tx_count;
	u32 rx_count;
	u32 tx_acked; /* the peer's rx_count last accepted: it only moves forward */
	u32 tx_pos; /* next frame to write, < nframes */
	u32 rx_pos; /* next frame to read, < nframes */
	bool peer_corrupt; /* the peer's counters or state were ever invalid */
};

enum ivc_result {
	IVC_OK = 0,
	IVC_EMPTY,	/* nothing to read */
	IVC_FULL,	/* no frame free to write */
	IVC_NOT_READY,	/* the reset handshake has not ended (ESTABLISHED) */
	IVC_CORRUPT,	/* the peer's counter or state is impossible */
	IVC_BAD_SIZE,	/* the caller's length does not fit a frame */
};

/*
 * Sets up the pair over [tx, tx + queue size) and [rx, ...). False (and
 * nothing touched) when a base is not 64-byte aligned, frame_size is not a
 * non-zero multiple of 64, nframes is 0, or a queue does not fit in
 * region_size bytes. Starts in SYNC: call ivc_notified() on each doorbell.
 */
bool ivc_init(struct ivc *ivc, void *tx, void *rx, u64 region_size, u32 nframes, u32 frame_size);

/* Bytes one queue of nframes frames of frame_size takes, or 0 on overflow. */
u64 ivc_queue_size(u32 nframes, u32 frame_size);

/* Starts (or restarts) the reset handshake: this side goes to SYNC. */
void ivc_reset(struct ivc *ivc);

/*
 * One step of the handshake on a doorbell from the peer. True when this
 * side changed state (the caller rings the peer's doorbell). A peer state
 * outside enum ivc_state is ignored and marks the peer corrupt.
 */
bool ivc_notified(struct ivc *ivc);

bool ivc_established(const struct ivc *ivc);

/* Copies len (<= frame_size) bytes into the next frame, zero-fills the rest, publishes it. */
enum ivc_result ivc_write_frame(struct ivc *ivc, const void *buf, u32 len);

/*
 * Copies the next received frame (all frame_size bytes; buf_size must hold
 * them) out of shared memory, then frees it to the peer: what is checked
 * afterwards is this private copy, not memory the peer can still change.
 */
enum ivc_result ivc_read_frame(struct ivc *ivc, void *buf, u32 buf_size);

/*
 * Cache maintenance for a peer that is not coherent with this side's
 * cacheable view (the BPMP's R5; a guest whose Linux maps its pools
 * write-combining, as the mmio-sram driver does): ivc_sync_from_peer before
 * a step reads the pair, ivc_sync_to_peer after it wrote. Nothing of this
 * side stays dirty between steps, so the invalidate never drops its data.
 */
void ivc_sync_from_peer(const struct ivc *ivc);
void ivc_sync_to_peer(const struct ivc *ivc);

#endif
