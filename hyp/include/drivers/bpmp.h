/*
 * Tessera's own channel to Tegra's BPMP (platform.bpmp): one IVC queue pair
 * in the SYSRAM pools and the HSP doorbells, used for the requests VMs'
 * virtual BPMPs forward (virt/vbpmp.h). Non-blocking: bpmp_submit queues,
 * the answer (or a timeout) comes back through the request's done() from
 * the doorbell or timer interrupt. One request is on the channel at a time;
 * the others wait in submission order (each VM has at most one, so this is
 * round-robin over VMs). Inert (bpmp_submit refuses) when the machine has
 * no BPMP or it did not complete the reset handshake at boot.
 */
#ifndef DRIVERS_BPMP_H
#define DRIVERS_BPMP_H

#include <drivers/bpmp_abi.h>
#include <tessera/platform.h>
#include <tessera/types.h>

/*
 * How long the BPMP has to answer a request once it is on the channel, and
 * how long a request waits for the channel to take it. Linux waits 60 s
 * (atomic) and 600 s (threaded) for its own requests (bpmp.c tegra186_soc),
 * NVIDIA's virtualised variant 30 s: a guest's wait must end before those
 * with Tessera's answer, even behind every other VM's request (8 VMs x 1 s),
 * while the BPMP's real work (clock, reset, power-gate changes) takes micro-
 * to milliseconds.
 */
#define BPMP_TIMEOUT_MS 1000U

/* Bound on the reset handshake at boot (Linux busy-polls it without one). */
#define BPMP_HANDSHAKE_MS 100U

/* Tessera's channel: threaded channel 0 of Linux's layout (virt/vbpmp.h). */
#define BPMP_HOST_CHANNEL 0U

struct bpmp_xfer {
	/* In: the request (mrq_request header, payload). Out: the answer (mrq_response, data). */
	u8 msg[BPMP_MSG_SIZE];
	int status; /* out: 0 with an answer in msg, or the negative BPMP error (-BPMP_ETIMEDOUT) */
	void (*done)(struct bpmp_xfer *xfer); /* called once, no lock held, from an interrupt */
	/* The driver's, under its lock. */
	struct bpmp_xfer *next;
	bool held; /* queued or on the channel */
};

/*
 * Boot CPU, before any VM: maps the BPMP's HSP and pools, runs the reset
 * handshake (bounded), routes the doorbell interrupt to @boot_mpidr. False
 * (and inert) when there is no BPMP or it does not answer.
 */
bool bpmp_init(const struct platform *plat, u64 boot_mpidr);
/*
 * Takes @xfer (msg filled, done set): 0, and done() follows once; or a
 * negative BPMP error and it is not taken (no BPMP: -BPMP_ENODEV; @xfer
 * already held: -BPMP_EINVAL). The header's flags are Tessera's (ACK, RING).
 */
int bpmp_submit(struct bpmp_xfer *xfer);
/*
 * Drops @xfer: true when the driver held it and lets it go without done()
 * (an answer still owed by the BPMP is drained and discarded); false when it
 * did not hold it.
 */
bool bpmp_cancel(struct bpmp_xfer *xfer);
/* The BPMP's doorbell interrupt: true when it was it (its timeouts are an el2_timer). */
bool bpmp_irq(u32 intid);

#endif
