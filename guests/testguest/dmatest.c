/* test=dma and test=canary (dmatest.h). */
#include <libfdt.h>
#include <mmio.h>
#include <string.h>

#include "dmatest.h"
#include "pci.h"
#include "irq.h"
#include "psci.h"
#include "rt.h"
#include "timer.h"

/* QEMU's edu device, docs/specs/edu.txt. */
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_ID 0x00       /* 0xMMmm00ed: major, minor */
#define EDU_LIVENESS 0x04 /* reads back the bitwise inverse of what was written */
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_DMA_RUN 0x1
#define EDU_DMA_TO_RAM 0x2 /* direction: 0 RAM -> edu buffer, 1 edu buffer -> RAM */
#define EDU_BUFFER 0x40000 /* the edu's 4 KiB DMA buffer, in its own address space */
/*
 * Bytes per transfer: QEMU 7.2's edu stops the whole machine (hw_error) on a
 * transfer that reaches the end of its buffer (an off-by-one in
 * edu_check_range), so stay below it.
 */
#define EDU_DMA_SIZE 2048

#define DMA_TIMEOUT_US 2000000
#define STOP_WAIT_US 3000000
#define CANARY_SIZE 4096
#define CANARY_PERIOD_US 100000

static u8 dma_out[EDU_DMA_SIZE] __attribute__((aligned(4096)));
static u8 dma_in[EDU_DMA_SIZE] __attribute__((aligned(4096)));

/* Clean and invalidate [p, p + size) to the point of coherency (a device may not snoop). */
static void dcache_flush(const void *p, size_t size)
{
	u64 ctr, line, a;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	line = 4ULL << ((ctr >> 16) & 0xf); /* CTR_EL0.DminLine, log2 words */
	for (a = (u64)(uintptr_t)p & ~(line - 1); a < (u64)(uintptr_t)p + size; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

static bool fail(const char *why)
{
	say("dma: FAILED (%s)", why);
	return false;
}

/* One transfer of the edu's DMA engine; false when it does not finish in time. */
static bool edu_dma(u64 bar, u64 src, u64 dst, bool to_ram)
{
	u64 deadline = timer_count() + timer_us_to_ticks(DMA_TIMEOUT_US);

	mmio_write64(bar + EDU_DMA_SRC, src);
	mmio_write64(bar + EDU_DMA_DST, dst);
	mmio_write64(bar + EDU_DMA_COUNT, EDU_DMA_SIZE);
	mmio_write64(bar + EDU_DMA_CMD, EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
	while (mmio_read64(bar + EDU_DMA_CMD) & EDU_DMA_RUN)
		if (timer_count() > deadline)
			return false;
	return true;
}

/* The edu found, its BAR0 placed, memory decoding and bus mastering on: BAR0's address, or 0. */
static u64 edu_setup(const struct dt_info *info, u32 *sid)
{
	struct pci_host host;
	const char *why = pci_host_find((const void *)(uintptr_t)info->fdt, &host);
	u64 cfg, bar, size;
	int devfn;

	if (why) {
		fail(why);
		return 0;
	}
	say("dma: PCIe host bridge: ECAM 0x%llx (buses %u-%u), 32-bit window 0x%llx-0x%llx",
	    (unsigned long long)host.ecam, host.bus_first, host.bus_last,
	    (unsigned long long)host.mem32.base,
	    (unsigned long long)(host.mem32.base + host.mem32.size - 1));
	devfn = pci_find(&host, host.bus_first, EDU_VENDOR, EDU_DEVICE);
	if (devfn < 0) {
		fail("no edu (1234:11e8) on the first bus; run QEMU with -device edu");
		return 0;
	}
	cfg = pci_cfg(&host, host.bus_first, (u32)devfn >> 3, (u32)devfn & 7);
	bar = pci_bar_assign(&host, cfg, 0, &size, &why);
	if (!bar) {
		fail(why);
		return 0;
	}
	pci_cfg_write32(cfg, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	/* A PCIe requester ID (bus, device, function) is the stream ID the iommu-map gives. */
	*sid = host.bus_first << 8 | (u32)devfn;
	say("dma: edu at %02x:%02x.%u (requester ID 0x%x): BAR0 0x%llx (%llu KiB), bus master",
	    host.bus_first, (u32)devfn >> 3, (u32)devfn & 7, *sid, (unsigned long long)bar,
	    (unsigned long long)(size >> 10));
	return bar;
}

bool test_dma(const struct dt_info *info, u64 victim, bool reboot)
{
	u32 sid = 0, id, probe = 0x5a5aa5a5;
	u64 bar = edu_setup(info, &sid), deadline;

	if (!bar)
		return false;
	id = mmio_read32(bar + EDU_ID);
	mmio_write32(bar + EDU_LIVENESS, probe);
	if ((id & 0xffff) != 0x00ed || mmio_read32(bar + EDU_LIVENESS) != ~probe)
		return fail("the edu's registers do not answer through BAR0");
	say("dma: edu %u.%u answers", id >> 24, (id >> 16) & 0xff);

	/* (a) RAM -> edu -> RAM: the VM's own memory is reachable (a new pattern each boot). */
	for (unsigned int i = 0; i < sizeof(dma_out); i++)
		dma_out[i] = (u8)(i * 7 + 3 + 13 * info->restart_count);
	memset(dma_in, 0, sizeof(dma_in));
	dcache_flush(dma_out, sizeof(dma_out));
	dcache_flush(dma_in, sizeof(dma_in));
	if (!edu_dma(bar, (u64)(uintptr_t)dma_out, EDU_BUFFER, false) ||
	    !edu_dma(bar, EDU_BUFFER, (u64)(uintptr_t)dma_in, true))
		return fail("a DMA did not finish");
	dcache_flush(dma_in, sizeof(dma_in));
	if (memcmp(dma_in, dma_out, sizeof(dma_in)))
		return fail("the page copied through the edu came back different");
	say("dma: %u bytes RAM -> edu -> RAM at 0x%llx: data intact", EDU_DMA_SIZE,
	    (unsigned long long)(uintptr_t)dma_in);
	if (reboot && info->restart_count == 0) {
		say("dma: restarting the VM; its DMA must work again after it");
		psci_system_reset();
	}

	/* (b) edu -> another VM's memory: the IOMMU must stop it. */
	if (!victim) {
		say("dma: no victim=0xADDR given; no DMA outside this VM");
		return true;
	}
	say("dma: edu now writes %u bytes to 0x%llx, outside this VM's memory", EDU_DMA_SIZE,
	    (unsigned long long)victim);
	if (!edu_dma(bar, EDU_BUFFER, victim, true))
		return fail("the DMA did not finish");
	say("dma: the edu reports the transfer done");
	deadline = timer_count() + timer_us_to_ticks(STOP_WAIT_US);
	while (timer_count() < deadline)
		;
	say("dma: FAILED (still running %u s after a DMA into another VM's memory)",
	    STOP_WAIT_US / 1000000);
	return false;
}

static u64 canary_word(u64 addr)
{
	return 0xca9a000000000000ULL ^ (addr * 0x9e3779b97f4a7c15ULL);
}

/* Inside this VM's memory, clear of its image and of the DT slot (the last 2 MiB). */
static bool canary_fits(const struct dt_info *info, u64 addr)
{
	u64 start = (u64)(uintptr_t)_start, end = (u64)(uintptr_t)_end;

	return addr >= info->memory.base && addr % 8 == 0 &&
	       addr + CANARY_SIZE <= info->memory.base + info->memory.size - SZ_2M &&
	       (addr >= end || addr + CANARY_SIZE <= start);
}

static volatile bool canary_woken;

static void canary_wake(u32 intid)
{
	(void)intid;
	timer_stop(); /* drops the (level) PPI before the interrupt is ended */
	canary_woken = true;
}

/*
 * Waits in WFI until @deadline, woken by the virtual timer: under icount
 * (-icount sleep=off) a wait burns no instructions and idle time is skipped,
 * so seconds of guest time cost no host time.
 */
static void canary_sleep_until(u64 deadline)
{
	canary_woken = false;
	timer_irq_start(deadline);
	while (!canary_woken)
		irq_wait();
}

bool test_canary(const struct dt_info *info, u64 addr, u64 seconds)
{
	volatile u64 *w;
	u64 sum = 0, end, next;
	const char *err = vtimer_irq_setup(info);

	if (err) {
		say("canary: FAILED (%s)", err);
		return false;
	}
	if (!addr)
		addr = info->memory.base + CANARY_OFFSET;
	w = (volatile u64 *)(uintptr_t)addr;
	if (!canary_fits(info, addr)) {
		say("canary: FAILED (0x%llx is not free memory of this VM)", (unsigned long long)addr);
		return false;
	}
	for (unsigned int i = 0; i < CANARY_SIZE / 8; i++) {
		w[i] = canary_word(addr + 8 * i);
		sum += w[i];
	}
	irq_set_handler(info->vtimer_intid, canary_wake);
	say("canary: %u bytes at 0x%llx, checksum 0x%llx; checking for %llu s", CANARY_SIZE,
	    (unsigned long long)addr, (unsigned long long)sum, (unsigned long long)seconds);
	end = timer_count() + timer_us_to_ticks(seconds * 1000000);
	for (next = timer_count(); timer_count() < end; next += timer_us_to_ticks(CANARY_PERIOD_US)) {
		canary_sleep_until(next);
		dcache_flush((const void *)(uintptr_t)addr, CANARY_SIZE);
		for (unsigned int i = 0; i < CANARY_SIZE / 8; i++) {
			if (w[i] != canary_word(addr + 8 * i)) {
				say("canary: FAILED (0x%llx holds 0x%llx, not 0x%llx)",
				    (unsigned long long)(addr + 8 * i), (unsigned long long)w[i],
				    (unsigned long long)canary_word(addr + 8 * i));
				return false;
			}
		}
	}
	irq_set_handler(info->vtimer_intid, NULL);
	say("canary: intact after %llu s (checksum 0x%llx)", (unsigned long long)seconds,
	    (unsigned long long)sum);
	return true;
}
