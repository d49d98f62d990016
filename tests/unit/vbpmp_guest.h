/*
 * A guest driving its virtual BPMP as Linux does, for host tests of the
 * mediator (test_vbpmp, test_vbpmp_e2e): tegra-hsp.c's doorbells through
 * the VM's emulated devices, bpmp-tegra186.c's channels (the reset
 * handshake busy-polled, a request, the doorbell). The guest's IVC end is
 * ivc.c's with the queues swapped, standing in for Linux's tegra-ivc. The
 * real BPMP behind Tessera is bpmp_model.h's.
 */
#ifndef TESTS_VBPMP_GUEST_H
#define TESTS_VBPMP_GUEST_H

#include <drivers/bpmp_ivc.h>
#include <tessera/config.h>
#include <tessera/vm.h>
#include <virt/vbpmp.h>

struct vbpmp_guest {
	struct vm vm;
	struct vm_config cfg; /* vm.cfg points here */
	u64 hsp_base;         /* where the guest looks for its HSP */
	u8 *tx, *rx;          /* its pools, as its stage 2 maps them */
	struct ivc chan[VBPMP_CHANNELS];
};

/* 32-bit HSP accesses at hsp_base + @offset, through the VM's emulated device there. */
u32 guest_hsp_read(struct vbpmp_guest *g, u32 offset);
void guest_hsp_write(struct vbpmp_guest *g, u32 offset, u32 value);
/* tegra_hsp_doorbell_send_data on the "bpmp" doorbell */
void guest_ring(struct vbpmp_guest *g);
/* tegra186_bpmp_channel_reset: reset, then the handshake, which must end within the traps. */
void guest_channel_reset(struct vbpmp_guest *g, unsigned int c);
/* The probe: the doorbell enabled, every channel reset, the handshake's rings taken. */
void guest_boot(struct vbpmp_guest *g);
/* tegra_bpmp_transfer on channel @c: mrq, MSG_ACK | MSG_RING, payload words, the doorbell. */
void guest_send(struct vbpmp_guest *g, unsigned int c, u32 mrq, u32 w0, u32 w1, u32 w2);
/* The answer on channel @c: its err, data word 0 in @data (may be NULL); false: none. */
bool guest_receive(struct vbpmp_guest *g, unsigned int c, s32 *err, u32 *data);
s32 guest_answer_err(struct vbpmp_guest *g, unsigned int c);
/* tegra_hsp_doorbell_irq: the line is up, PENDING names the BPMP; cleared, the line drops. */
void guest_take_irq(struct vbpmp_guest *g);

/* Tessera takes the real BPMP's doorbell interrupt (level) until the BPMP rings no more. */
void hyp_takes_bpmp_irq(void);

#endif
