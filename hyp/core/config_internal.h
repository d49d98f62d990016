/* Shared by the config parser's files (config.c, config_channel.c); not an interface. */
#ifndef CORE_CONFIG_INTERNAL_H
#define CORE_CONFIG_INTERNAL_H

#include <libfdt.h>
#include <tessera/config.h>

#include "dt_cells.h"

/* Problems found by one config_parse() or config_validate() call. */
struct problems {
	struct config_reporter *rep;
	int count;
};

/* One problem: node path and "what is wrong; how to fix it". */
void report(struct problems *p, const char *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));


/* config_policy.c: a VM's restart policies before its properties are read. */
void policy_defaults(struct vm_config *vm);
/* A restart-policy property: 1 read, 0 refused (reported), -1 not one of them. */
int policy_parse_prop(const char *name, const void *val, int len, struct vm_config *vm,
		      struct problems *p);

#define RANGE_FMT "0x%llx-0x%llx"
#define RANGE_ARGS(base, size) (unsigned long long)(base), (unsigned long long)((base) + (size) - 1)

/*
 * True when VM @vm already has something at IPAs [base, base + size): its
 * memory (once it holds it), its vUART, its vGIC (config_vgic_place).
 */
bool vm_ipa_taken(const struct vm_config *vm, const struct platform *plat, u64 base, u64 size);

/* config_channel.c: the index of the VM named @name (@len bytes), or -1. */
int vm_by_name(const struct system_config *cfg, const char *name, int len);
/* Property @prop of @node as one address of @ac cells into @out; false when absent or not that. */
bool address_prop(const void *blob, int node, const char *prop, int ac, u64 *out);
void channels_parse(const void *blob, int node, struct system_config *cfg, int ac, int sc,
		    struct problems *p);
void channels_validate(struct system_config *cfg, const struct platform *plat,
		       const struct mem_range *hyp, struct problems *p);
/*
 * The valid channel before @upto (NULL: any) with an end in VM @vm whose
 * shared memory, doorbell page or ECAM overlaps [base, base + size) or whose
 * interrupt is @intid; NULL when none.
 */
const struct channel_config *channel_clash(const struct system_config *cfg, unsigned int vm,
					   const struct channel_config *upto, u64 base, u64 size,
					   u32 intid);

/* Networks between VMs (config_network.c): the /networks node, after /vms. */
void networks_parse(const void *blob, int node, struct system_config *cfg, int ac,
		    struct problems *p);
/* After the VMs and channels: members' devices placed, MACs unique, sets network_config.valid. */
void networks_validate(struct system_config *cfg, const struct platform *plat,
		       struct problems *p);

/* A device subnode of a VM (config_device.c); false when malformed. */
bool device_parse(const void *blob, int node, struct vm_config *vm, int ac, struct problems *p);
/* Resolves and checks VM @idx's devices against the platform and the VMs before it. */
bool devices_validate(struct system_config *cfg, unsigned int idx, const struct platform *plat,
		      const struct mem_range *hyp, struct problems *p);
/*
 * @dev's DMA (config_mc.c): its memory controller clients known and
 * fenceable, unconfined DMA only with dma-unconfined, its stream IDs no
 * other VM's. False after reporting.
 */
bool device_dma_checked(const struct system_config *cfg, unsigned int idx,
			const struct device_config *dev, const struct platform *plat,
			struct problems *p);
/* bandwidth-budget of a VM node (config_bwreg.c); false when malformed. */
bool bwreg_parse_prop(const void *val, int len, struct vm_config *vm, struct problems *p);
/* Its values against the floor and the board's PMU; false when reported. */
bool bwreg_validate(const struct vm_config *vm, const struct platform *plat, struct problems *p);
/* The watchdog's properties of a VM node (config_watchdog.c); false when malformed. */
bool watchdog_parse_prop(const char *name, const void *val, int len, struct vm_config *vm, int ac,
			 struct problems *p);
/* Its placement and interrupt, after the VM's devices; false when reported. */
bool watchdog_validate(struct vm_config *vm, const struct platform *plat, struct problems *p);
/* True when [base, base+size) or @intid is @vm's watchdog's. */
bool watchdog_clash(const struct vm_config *vm, u64 base, u64 size, u32 intid);
/* True when [base, base+size) or @intid is taken by one of @vm's devices or its virtual BPMP. */
bool device_ipa_clash(const struct vm_config *vm, u64 base, u64 size, u32 intid);
/*
 * @vm's virtual BPMP (config_vbpmp.c) from the devices it holds: allow-list
 * and placement; false when reported.
 */
bool vbpmp_validate(struct vm_config *vm, const struct platform *plat, struct problems *p);

/*
 * VM @vm's image (config_image.c): a format Tessera can load and, when
 * @memory_ok, its place below the guest DTB slot, with the initrd's; false
 * when reported.
 */
bool check_image(struct vm_config *vm, bool memory_ok, struct problems *p);

/* Cache colouring (config_colour.c): the /cache-coloring node. */
void colouring_parse(const void *blob, int node, struct system_config *cfg, int ac, int sc,
		     struct problems *p);
/* A VM's colors or colors-shared: 1 read, 0 refused (reported), -1 not one of them. */
int colour_parse_prop(const char *name, const void *val, int len, struct vm_config *vm,
		      struct problems *p);
/* Its geometry and memory, before any VM is checked. */
void colouring_validate(struct system_config *cfg, const struct platform *plat,
			const struct mem_range *hyp, struct problems *p);
/* True when physical [base, base + size) overlaps the colouring memory. */
bool colouring_overlaps(const struct system_config *cfg, u64 base, u64 size);
/*
 * VM @idx's colours, devices and placement (vm_config.colour_row), after its
 * devices; true for an uncoloured VM. @memory_ok: its memory (IPA) passed.
 */
bool colour_vm_validate(struct system_config *cfg, unsigned int idx, const struct platform *plat,
			bool memory_ok, struct problems *p);

#endif
