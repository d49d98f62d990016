/*
 * The VM device-tree builder (hyp/core/guest_fdt*.c) on fuzzed parameters
 * and buffer sizes: any VM name and bootargs, memory, vCPU count, vUART,
 * vGIC, initrd, restart count and channel ends (doorbell or PCI). What
 * guest_fdt_build() promises (tessera/guest_fdt.h) is checked: 0 with a
 * well-formed tree (fdt_check_full) no larger than the buffer, carrying the
 * bootargs and VM name as given; -FDT_ERR_NOSPACE when it does not fit;
 * -FDT_ERR_BADVALUE exactly for parameters no tree can describe; never a
 * byte written past the buffer. (Devices copied from a platform DT are
 * fuzz_platform.c's; parameters from a checked config, fuzz_config.c's.)
 *
 * Input: [size u16][vCPUs u16][flags u8][memory base u32, size u32][vUART
 * u32][vUART INTID u16][GICD u32][initrd base u32, size u32][restarts u16]
 * [channels u8] each [flags u8][map u32][size u32][doorbell/ECAM u32][INTID
 * u16], then [name length u8][name][bootargs to the end].
 */
#include "fuzz.h"

#include <libfdt.h>
#include <tessera/guest_fdt.h>


#define MAX_BUF 0x10000
#define MAX_VCPUS 256 /* a cpu node's reg is Aff0, one byte (DDI 0487 J.a D19.2.104) */
#define CANARY 0xa5

static unsigned char buf[MAX_BUF + 256];

static char *take_string(struct fuzz_input *in, size_t len)
{
	char *s = malloc(len + 1);

	len = len < in->left ? len : in->left;
	memcpy(s, in->p, len);
	s[len] = '\0'; /* a C string ends at its first NUL, as the config's do */
	in->p += len;
	in->left -= len;
	return s;
}

static void want_string(const char *path, const char *name, const char *want)
{
	int node = fdt_path_offset(buf, path), len;
	const char *got = node < 0 ? NULL : fdt_getprop(buf, node, name, &len);

	FUZZ_CHECK(got && len == (int)strlen(want) + 1 && !memcmp(got, want, (size_t)len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct guest_fdt_channel channels[GUEST_FDT_MAX_CHANNELS];
	struct guest_fdt_params p = { .channels = channels };
	size_t bufsize = 64 + fuzz_u16(&in) % (MAX_BUF - 64);
	char model[256];
	u8 flags;
	int rc;

	p.vcpu_count = fuzz_u16(&in) % 300;
	flags = fuzz_u8(&in);
	p.memory.base = (u64)fuzz_u32(&in) << (flags & 1 ? 12 : 0);
	p.memory.size = (u64)fuzz_u32(&in) << (flags & 2 ? 12 : 0);
	p.vuart_base = fuzz_u32(&in);
	p.vuart_intid = fuzz_u16(&in);
	p.gicd_base = (u64)fuzz_u32(&in) << 8;
	p.gicr_base = p.gicd_base + SZ_64K * 10;
	p.initrd.base = fuzz_u32(&in);
	p.initrd.size = fuzz_u32(&in);
	p.restart_count = fuzz_u16(&in);
	p.channel_count = fuzz_u8(&in) % (GUEST_FDT_MAX_CHANNELS + 1);
	for (unsigned int i = 0; i < p.channel_count; i++) {
		u8 cf = fuzz_u8(&in);

		channels[i] = (struct guest_fdt_channel){
			.name = cf & 1 ? "ping" : "a-channel-with-a-long-name", .peer = cf & 2 ? NULL : "peer",
			.map = (u64)fuzz_u32(&in) << 12, .size = (u64)fuzz_u32(&in) << 12,
			.pci = cf & 4, .read_only = cf & 8, .intid = fuzz_u16(&in),
		};
		if (channels[i].pci)
			channels[i].pci_ecam = (u64)fuzz_u32(&in) << 20;
		else
			channels[i].doorbell = (u64)fuzz_u32(&in) << 12;
	}
	p.vm_name = flags & 4 ? NULL : take_string(&in, fuzz_u8(&in) % 40);
	p.bootargs = flags & 8 ? NULL : take_string(&in, in.left);

	memset(buf, CANARY, sizeof(buf));
	rc = guest_fdt_build(buf, bufsize, &p);
	for (size_t i = bufsize; i < sizeof(buf); i++)
		FUZZ_CHECK(buf[i] == CANARY);
	/* "parameters no tree can describe": no vCPU, more than Aff0 holds, no memory. */
	FUZZ_CHECK((rc == -FDT_ERR_BADVALUE) ==
		   (p.vcpu_count < 1 || p.vcpu_count > MAX_VCPUS || p.memory.size == 0));
	FUZZ_CHECK(rc == 0 || rc == -FDT_ERR_NOSPACE || rc == -FDT_ERR_BADVALUE);
	if (rc == 0) {
		FUZZ_CHECK(fdt_totalsize(buf) <= bufsize);
		FUZZ_CHECK(fdt_check_full(buf, bufsize) == 0);
		want_string("/chosen", "bootargs", p.bootargs ? p.bootargs : "");
		snprintf(model, sizeof(model), "Tessera VM %s", p.vm_name ? p.vm_name : "");
		want_string("/", "model", model);
	}
	free((void *)p.vm_name);
	free((void *)p.bootargs);
	return 0;
}

/* The demo's Linux VM and a bare-metal one with a channel of each kind. */
static void seeds(const char *dir)
{
	static const char linux_args[] = "console=ttyAMA0 earlycon tessera.test=shell";
	struct fuzz_seed s = { .len = 0 };

	seed_put(&s, 0x8000, 2), seed_put(&s, 2, 2), seed_put(&s, 0, 1);
	seed_put(&s, 0x50000000, 4), seed_put(&s, 0x10000000, 4);
	seed_put(&s, 0x09000000, 4), seed_put(&s, 33, 2), seed_put(&s, 0x080000, 4);
	seed_put(&s, 0x5e000000, 4), seed_put(&s, 0x200000, 4), seed_put(&s, 1, 2);
	seed_put(&s, 0, 1), seed_put(&s, 6, 1);
	for (const char *c = "linux0"; *c; c++)
		seed_put(&s, (u8)*c, 1);
	for (const char *c = linux_args; *c; c++)
		seed_put(&s, (u8)*c, 1);
	fuzz_write_seed(dir, "linux", s.b, s.len);

	s.len = 0;
	seed_put(&s, 0x4000, 2), seed_put(&s, 1, 2), seed_put(&s, 0, 1);
	seed_put(&s, 0x60000000, 4), seed_put(&s, 0x2000000, 4);
	seed_put(&s, 0x09000000, 4), seed_put(&s, 33, 2), seed_put(&s, 0x080000, 4);
	seed_put(&s, 0, 4), seed_put(&s, 0, 4), seed_put(&s, 0, 2);
	seed_put(&s, 2, 1);
	seed_put(&s, 1, 1), seed_put(&s, 0x62000, 4), seed_put(&s, 0x200, 4), seed_put(&s, 40, 2),
		seed_put(&s, 0x9100, 4);
	seed_put(&s, 4 | 8, 1), seed_put(&s, 0x64000, 4), seed_put(&s, 0x200, 4),
		seed_put(&s, 41, 2), seed_put(&s, 0x3f0, 4);
	seed_put(&s, 4, 1);
	for (const char *c = "bm0 test=channel"; *c; c++)
		seed_put(&s, (u8)*c, 1);
	fuzz_write_seed(dir, "channels", s.b, s.len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(seeds);
	return 0;
}
