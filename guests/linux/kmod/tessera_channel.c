// SPDX-License-Identifier: GPL-2.0
/*
 * tessera_channel: each Tessera inter-VM channel end in the device tree
 * (compatible "tessera,channel": reg = <shared memory>, <doorbell page>;
 * one edge-triggered SPI raised when the peer rings; docs/configuration.md,
 * "Channels") as a UIO device, for a user program to run the channel with.
 *
 *   map 0  the shared memory, mapped Normal Write-Back like the peer maps it
 *          (read-only when the end has tessera,read-only)
 *   map 1  the doorbell page, mapped Device: a 32-bit store rings the peer
 *   read   blocks until the peer rings (the UIO event count)
 *   write  an int32 1 re-enables the interrupt, 0 disables it
 *
 * The interrupt semantics are uio_pdrv_genirq's (the handler disables the
 * IRQ; writing 1 enables it again), so a program written for that driver's
 * "generic-uio" binding runs unchanged. Debian's kernel does not build
 * uio_pdrv_genirq (CONFIG_UIO_PDRV_GENIRQ is not set), and its mapping
 * would be Device-nGnRnE for the shared memory too, where the bare-metal
 * peer maps it cacheable: accesses with mismatched cacheability are not
 * coherent on hardware (Arm ARM DDI 0487 J.a B2.8).
 * GPL because the UIO core exports its symbols to GPL modules only.
 */
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uio_driver.h>

#define CHANNEL_MAP_SHM 0
#define CHANNEL_MAP_DOORBELL 1

struct channel_end {
	struct uio_info info;
	spinlock_t lock;  /* irq_off and the IRQ's enable depth */
	bool irq_off;     /* disabled by the handler or by a write of 0 */
	bool read_only;   /* tessera,read-only: map 0 may not be writable */
};

static void channel_irq_set(struct channel_end *end, bool on)
{
	if (on && end->irq_off)
		enable_irq(end->info.irq);
	else if (!on && !end->irq_off)
		disable_irq_nosync(end->info.irq);
	end->irq_off = !on;
}

static irqreturn_t channel_handler(int irq, struct uio_info *info)
{
	struct channel_end *end = info->priv;

	spin_lock(&end->lock);
	channel_irq_set(end, false);
	spin_unlock(&end->lock);
	return IRQ_HANDLED; /* the UIO core counts the event and wakes readers */
}

static int channel_irqcontrol(struct uio_info *info, s32 on)
{
	struct channel_end *end = info->priv;
	unsigned long flags;

	spin_lock_irqsave(&end->lock, flags);
	channel_irq_set(end, on != 0);
	spin_unlock_irqrestore(&end->lock, flags);
	return 0;
}

/* The UIO core has checked the map index (vm_pgoff) and the length. */
static int channel_mmap(struct uio_info *info, struct vm_area_struct *vma)
{
	struct channel_end *end = info->priv;
	const struct uio_mem *mem = &info->mem[vma->vm_pgoff];

	if (vma->vm_pgoff == CHANNEL_MAP_DOORBELL) {
		vma->vm_page_prot = pgprot_device(vma->vm_page_prot);
	} else if (end->read_only) {
		/* A store would be a stage-2 fault, and Tessera stops the VM on it. */
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	return remap_pfn_range(vma, vma->vm_start, mem->addr >> PAGE_SHIFT,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static int channel_map(struct platform_device *pdev, unsigned int idx, const char *name,
		       struct uio_mem *mem)
{
	struct resource *res = platform_get_resource(pdev, IORESOURCE_MEM, idx);

	if (!res || !PAGE_ALIGNED(res->start) || !PAGE_ALIGNED(resource_size(res))) {
		dev_err(&pdev->dev, "reg[%u] (%s) is missing or not page aligned\n", idx, name);
		return -EINVAL;
	}
	mem->name = name;
	mem->addr = res->start;
	mem->size = resource_size(res);
	mem->memtype = UIO_MEM_PHYS;
	return 0;
}

static int channel_probe(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node;
	struct channel_end *end;
	const char *name = NULL;
	int irq, err;

	end = devm_kzalloc(&pdev->dev, sizeof(*end), GFP_KERNEL);
	if (!end)
		return -ENOMEM;
	err = channel_map(pdev, CHANNEL_MAP_SHM, "shm", &end->info.mem[CHANNEL_MAP_SHM]);
	if (!err)
		err = channel_map(pdev, CHANNEL_MAP_DOORBELL, "doorbell",
				  &end->info.mem[CHANNEL_MAP_DOORBELL]);
	if (err)
		return err;
	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;

	of_property_read_string(np, "tessera,name", &name);
	spin_lock_init(&end->lock);
	end->read_only = of_property_read_bool(np, "tessera,read-only");
	end->info.name = "tessera-channel";
	end->info.version = "1";
	end->info.irq = irq;
	end->info.handler = channel_handler;
	end->info.irqcontrol = channel_irqcontrol;
	end->info.mmap = channel_mmap;
	end->info.priv = end;
	err = devm_uio_register_device(&pdev->dev, &end->info);
	if (err)
		return err;
	dev_info(&pdev->dev, "channel %s: shm %pa+%pa, doorbell %pa, irq %d%s\n",
		 name ? name : "?", &end->info.mem[CHANNEL_MAP_SHM].addr,
		 &end->info.mem[CHANNEL_MAP_SHM].size, &end->info.mem[CHANNEL_MAP_DOORBELL].addr,
		 irq, end->read_only ? ", read-only" : "");
	return 0;
}

static const struct of_device_id channel_of_match[] = {
	{ .compatible = "tessera,channel" },
	{ }
};
MODULE_DEVICE_TABLE(of, channel_of_match);

static struct platform_driver channel_driver = {
	.probe = channel_probe,
	.driver = {
		.name = "tessera-channel",
		.of_match_table = channel_of_match,
	},
};
module_platform_driver(channel_driver);

MODULE_DESCRIPTION("Tessera inter-VM channel ends as UIO devices");
MODULE_LICENSE("GPL");
