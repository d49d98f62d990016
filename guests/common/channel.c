/*
 * Inter-VM channels (channel.h). The GIC is driven through gic.h. Every MMIO
 * access is one LDR/STR with a plain base register, so a hypervisor's
 * stage-2 fault has a valid syndrome.
 */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "channel.h"
#include <mmio.h>
#include "gic.h"
#include "mmu.h"
#include "sysreg.h"
#include "timer.h"


#define DT_SPI 0            /* interrupts type cell (arm,gic-v3 binding) */
#define DT_EDGE_RISING 1    /* flags cell */
#define SPI_BASE 32
#define SPI_LAST 1019
#define MMU_BLOCK_SHIFT 30  /* the guest's map is made of 1 GiB blocks (mmu.h) */
#define TIMER_WAKE_PRIO 0xc0 /* below the channels' GIC_PRIO_DEFAULT */

static struct channel channels[CHANNEL_MAX];
static unsigned int nchannels;
static char err_buf[160];
static bool gic_ready;
static u32 wake_intid; /* the virtual timer PPI, 0 when channel_wait() spins */
static u64 other_irqs;


static const char *fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
	return err_buf;
}

/* A NUL-terminated, non-empty string property, or NULL. */
static const char *prop_str(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	return s && len > 1 && s[len - 1] == '\0' ? s : NULL;
}

static const char *parse_node(const void *fdt, int node, struct channel *ch)
{
	const char *nn = fdt_get_name(fdt, node, NULL);
	const fdt32_t *irq;
	struct range db;
	int len;

	memset(ch, 0, sizeof(*ch));
	ch->name = prop_str(fdt, node, "tessera,name");
	ch->peer = prop_str(fdt, node, "tessera,peer");
	if (!ch->name || !ch->peer)
		return fail("%s: tessera,%s is missing or empty", nn, ch->name ? "peer" : "name");
	if (!dt_reg(fdt, node, 0, &ch->shm) || !ch->shm.size || !dt_reg(fdt, node, 1, &db))
		return fail("%s: reg is not <shm size>, <doorbell size>", nn);
	if (db.base & 3)
		return fail("%s: doorbell 0x%llx is not 4-byte aligned", nn,
			    (unsigned long long)db.base);
	ch->doorbell = db.base;
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq || len != 3 * (int)sizeof(*irq) || fdt32_ld(irq) != DT_SPI ||
	    fdt32_ld(irq + 1) > SPI_LAST - SPI_BASE)
		return fail("%s: interrupts is not one SPI <0 N flags>", nn);
	if ((fdt32_ld(irq + 2) & 0xf) != DT_EDGE_RISING)
		return fail("%s: interrupt flags 0x%x, not edge rising (1)", nn, fdt32_ld(irq + 2));
	ch->intid = SPI_BASE + fdt32_ld(irq + 1);
	ch->read_only = fdt_getprop(fdt, node, "tessera,read-only", NULL) != NULL;
	return NULL;
}

const char *channel_probe(const struct dt_info *info)
{
	const void *fdt = (const void *)(uintptr_t)info->fdt;
	int node = -1;

	nchannels = 0;
	while ((node = fdt_node_offset_by_compatible(fdt, node, "tessera,channel")) >= 0) {
		const char *err;

		if (nchannels == CHANNEL_MAX)
			return fail("%s: more than %d channel nodes", fdt_get_name(fdt, node, NULL),
				    CHANNEL_MAX);
		err = parse_node(fdt, node, &channels[nchannels]);
		if (err)
			return err;
		nchannels++;
	}
	return NULL;
}

unsigned int channel_count(void)
{
	return nchannels;
}

struct channel *channel_at(unsigned int idx)
{
	return idx < nchannels ? &channels[idx] : NULL;
}

const char *channel_self_name(const struct dt_info *info)
{
	static const char prefix[] = "Tessera VM ";
	const void *fdt = (const void *)(uintptr_t)info->fdt;
	const char *model = prop_str(fdt, 0, "model");

	if (!model || strncmp(model, prefix, sizeof(prefix) - 1) || !model[sizeof(prefix) - 1])
		return NULL;
	return model + sizeof(prefix) - 1;
}

/* True when @pa lies in one of the 1 GiB blocks that @r covers. */
static bool same_block(const struct range *r, u64 pa)
{
	u64 b = pa >> MMU_BLOCK_SHIFT;

	return b >= r->base >> MMU_BLOCK_SHIFT && b <= (r->base + r->size - 1) >> MMU_BLOCK_SHIFT;
}

/* The device mapping Normal would take with it, or NULL. */
static const char *device_in_shm(const struct dt_info *info, const struct range *shm)
{
	for (unsigned int i = 0; i < nchannels; i++)
		if (same_block(shm, channels[i].doorbell) && !mmu_is_normal(channels[i].doorbell))
			return "a channel doorbell";
	if (info->uart.size && same_block(shm, info->uart.base) && !mmu_is_normal(info->uart.base))
		return "the PL011";
	if (info->gic.present && same_block(shm, info->gic.dist.base) &&
	    !mmu_is_normal(info->gic.dist.base))
		return "the GIC distributor";
	for (unsigned int i = 0; i < info->gic.redist_count; i++)
		if (same_block(shm, info->gic.redist[i].base) &&
		    !mmu_is_normal(info->gic.redist[i].base))
			return "a GIC redistributor";
	return NULL;
}

static const char *gic_setup(const struct dt_info *info)
{
	const char *err;

	if (gic_ready)
		return NULL;
	err = gic_init(&info->gic);
	if (err)
		return err;
	wake_intid = info->vtimer_intid;
	if (wake_intid) {
		timer_stop();
		gic_enable_private(wake_intid, TIMER_WAKE_PRIO);
	}
	gic_ready = true;
	return NULL;
}

/* SPI @intid: Group 1, default priority, edge, routed to this CPU, enabled. */
static const char *spi_enable(u32 intid)
{
	const char *err = gic_enable_spi(intid, GIC_PRIO_DEFAULT, true);

	return err ? fail("INTID %u: %s", intid, err) : NULL;
}

const char *channel_open(const struct dt_info *info, struct channel *ch)
{
	const char *dev = device_in_shm(info, &ch->shm);
	const char *err;

	if (dev)
		return fail("shared memory shares a 1 GiB block with %s: the guest's map cannot "
			    "make it Normal alone", dev);
	if (!mmu_map_normal(ch->shm.base, ch->shm.size))
		return fail("shared memory at 0x%llx lies beyond the 39-bit map",
			    (unsigned long long)ch->shm.base);
	err = gic_setup(info);
	if (!err)
		err = spi_enable(ch->intid);
	if (err)
		return err;
	ch->open = true;
	return NULL;
}

void channel_ring(const struct channel *ch)
{
	dsb(ishst); /* the shared-memory stores complete before the doorbell store */
	mmio_write32(ch->doorbell, 1U << (ch->intid % 32));
}

static struct channel *by_intid(u32 intid)
{
	for (unsigned int i = 0; i < nchannels; i++)
		if (channels[i].open && channels[i].intid == intid)
			return &channels[i];
	return NULL;
}

void channel_irq(u32 intid)
{
	struct channel *ch = by_intid(intid);

	if (ch)
		ch->doorbells++;
}

void channel_poll(void)
{
	u32 intid;

	if (!gic_ready)
		return;
	while ((intid = gic_ack()) < GIC_INTID_SPECIAL) {
		if (by_intid(intid))
			channel_irq(intid);
		else if (wake_intid && intid == wake_intid)
			timer_stop(); /* deasserts the level PPI before it is ended */
		else
			other_irqs++;
		gic_eoi(intid);
	}
	/* No load of what the peer published may be performed before the acknowledge. */
	dsb(ish);
}

bool channel_wait(struct channel *ch, u64 timeout_us)
{
	u64 deadline = timer_count() + timer_us_to_ticks(timeout_us);
	bool got = false;

	for (;;) {
		channel_poll();
		if (ch->doorbells > ch->consumed) {
			ch->consumed++;
			got = true;
			break;
		}
		if (timer_count() >= deadline)
			break;
		if (wake_intid) {
			/* A doorbell or the deadline pending at the GIC ends WFI (IRQs masked). */
			timer_irq_start(deadline);
			__asm__ volatile("wfi" : : : "memory");
		}
	}
	if (wake_intid)
		timer_stop();
	return got;
}

void channel_io_idle(void *ctx)
{
	(void)ctx;
	channel_sleep(CHANNEL_HANDSHAKE_POLL_US);
}

u64 channel_io_now_us(void *ctx)
{
	(void)ctx;
	return timer_ticks_to_us(timer_count());
}

void channel_sleep(u64 us)
{
	u64 deadline = timer_count() + timer_us_to_ticks(us);

	if (!wake_intid)
		return;
	while (timer_count() < deadline) {
		timer_irq_start(deadline);
		__asm__ volatile("wfi" : : : "memory");
		channel_poll(); /* counts a doorbell that woke it; channel_wait() consumes it */
	}
	timer_stop();
}

u64 channel_other_irqs(void)
{
	return other_irqs;
}
