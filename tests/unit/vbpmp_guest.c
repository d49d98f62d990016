/* A guest of the virtual BPMP (vbpmp_guest.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <drivers/bpmp.h>
#include <drivers/bpmp_abi.h>
#include <drivers/tegra_hsp.h>
#include <virt/vhsp.h>

#include "bpmp_model.h"
#include "fake_arch.h"
#include "vbpmp_guest.h"

/* The data abort's lookup (vm_find_emul): the emulated device covering @ipa. */
static u32 hsp_access(struct vbpmp_guest *g, u32 offset, bool is_write, u32 value)
{
	u64 ipa = g->hsp_base + offset;

	for (unsigned int i = 0; i < g->vm.emul_count; i++) {
		const struct emul_device *dev = &g->vm.emul[i];
		struct mmio_access acc = { ipa, ipa - dev->base, 4, is_write, value };

		if (ipa < dev->base || ipa - dev->base >= dev->size)
			continue;
		assert_int_equal(dev->access(dev->dev, &acc), MMIO_OK);
		return (u32)acc.value;
	}
	fail_msg("no emulated device at 0x%llx", (unsigned long long)ipa);
	return 0;
}

u32 guest_hsp_read(struct vbpmp_guest *g, u32 offset)
{
	return hsp_access(g, offset, false, 0);
}

void guest_hsp_write(struct vbpmp_guest *g, u32 offset, u32 value)
{
	hsp_access(g, offset, true, value);
}

void guest_ring(struct vbpmp_guest *g)
{
	guest_hsp_write(g, VHSP_DB_REG(HSP_DB_BPMP, HSP_DB_TRIGGER), 1);
}

static u32 channel_offset(unsigned int c)
{
	return (c < VBPMP_REQUEST_CHANNELS ? c : VBPMP_CPU_RX_CHANNEL) * VBPMP_CHANNEL_STRIDE;
}

void guest_channel_reset(struct vbpmp_guest *g, unsigned int c)
{
	struct ivc *ivc = &g->chan[c];
	unsigned int polls = 0;

	ivc_reset(ivc);
	guest_ring(g);
	while (!ivc_established(ivc)) {
		if (ivc_notified(ivc))
			guest_ring(g);
		assert_true(++polls < 4);
	}
}

void guest_boot(struct vbpmp_guest *g)
{
	u32 enable = guest_hsp_read(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_ENABLE));

	/* tegra_hsp_doorbell_startup */
	guest_hsp_write(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_ENABLE), enable | 1U << HSP_MASTER_BPMP);
	for (unsigned int c = 0; c < VBPMP_CHANNELS; c++) {
		u32 off = channel_offset(c);

		/* The guest writes its tx pool, reads its rx pool. */
		assert_true(ivc_init(&g->chan[c], g->tx + off, g->rx + off, VBPMP_CHANNEL_STRIDE, 1,
				     BPMP_MSG_SIZE));
		guest_channel_reset(g, c);
	}
	/* Handshake rings are taken as the IRQ handler would: PENDING read and written back. */
	guest_hsp_write(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_PENDING),
			guest_hsp_read(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_PENDING)));
	assert_int_equal(fake_irq_level(g->vm.cfg->vbpmp.intid), 0);
}

void guest_send(struct vbpmp_guest *g, unsigned int c, u32 mrq, u32 w0, u32 w1, u32 w2)
{
	u32 frame[BPMP_MSG_SIZE / 4] = { mrq, BPMP_MSG_ACK | BPMP_MSG_RING, w0, w1, w2 };

	assert_int_equal(ivc_write_frame(&g->chan[c], frame, sizeof(frame)), IVC_OK);
	guest_ring(g);
}

bool guest_receive(struct vbpmp_guest *g, unsigned int c, s32 *err, u32 *data)
{
	u32 frame[BPMP_MSG_SIZE / 4];

	if (ivc_read_frame(&g->chan[c], frame, sizeof(frame)) != IVC_OK)
		return false;
	*err = (s32)frame[0];
	if (data)
		*data = frame[2];
	return true;
}

s32 guest_answer_err(struct vbpmp_guest *g, unsigned int c)
{
	s32 err = 1;

	assert_true(guest_receive(g, c, &err, NULL));
	return err;
}

void guest_take_irq(struct vbpmp_guest *g)
{
	u32 intid = g->vm.cfg->vbpmp.intid, pending;

	assert_int_equal(fake_irq_level(intid), 1);
	pending = guest_hsp_read(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_PENDING));
	assert_int_equal(pending, 1U << HSP_MASTER_BPMP);
	guest_hsp_write(g, VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_PENDING), pending);
	assert_int_equal(fake_irq_level(intid), 0);
}

void hyp_takes_bpmp_irq(void)
{
	unsigned int taken = 0;

	assert_true(bpmp_model.ccplex_raw & bpmp_model.ccplex_enable);
	while (bpmp_model.ccplex_raw & bpmp_model.ccplex_enable) {
		assert_true(bpmp_irq(MODEL_DB_INTID));
		assert_true(++taken < 4);
	}
}
