/*
 * A VM's image: what it is (an arm64 Linux Image, a flat bare-metal binary, or
 * something Tessera cannot load as it is, refused with the command that fixes
 * it) and where it goes in the VM's memory. Part of the config checker, run by
 * the host checker and by the hypervisor at boot alike.
 */
#include <string.h>
#include <tessera/config.h>

#include "config_internal.h"

/* arm64 Linux Image header (Documentation/arch/arm64/booting.rst, section 4). */
#define IMAGE_TEXT_OFFSET 8
#define IMAGE_SIZE 16
#define IMAGE_MAGIC 0x38
#define IMAGE_HEADER_SIZE 64

static u64 read_le(const u8 *b, int bytes)
{
	u64 v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

static u64 read_le64(const u8 *b)
{
	return read_le(b, 8);
}

/*
 * Compressed data a user may hand over as a kernel (a distribution's vmlinuz):
 * loaded raw, the VM would die at its first instruction. Magic numbers: RFC
 * 1952 (gzip), the xz, zstd (RFC 8878), bzip2, LZ4 frame and lzop formats.
 */
static const struct packed_format {
	const char *magic;
	unsigned int len;
	const char *name, *unpack;
} packed_formats[] = {
	{ "\x1f\x8b", 2, "gzip", "zcat" },
	{ "\xfd" "7zXZ\0", 6, "xz", "xzcat" },
	{ "\x28\xb5\x2f\xfd", 4, "zstd", "zstdcat" },
	{ "BZh", 3, "bzip2", "bzcat" },
	{ "\x04\x22\x4d\x18", 4, "lz4", "lz4cat" },
	{ "\x89LZO\0", 5, "lzo", "lzop -dc" },
};

static const struct packed_format *packed_format_at(const u8 *b, u64 size)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(packed_formats); i++)
		if (size >= packed_formats[i].len &&
		    !memcmp(b, packed_formats[i].magic, packed_formats[i].len))
			return &packed_formats[i];
	return NULL;
}

/*
 * An image Tessera cannot run as it is (it loads files raw): a compressed
 * kernel, an EFI zboot kernel, a U-Boot uImage, an ELF file, or, in a VM with
 * an initrd (a Linux VM), a file without the arm64 Image header. Reported with
 * the command that gives a loadable image; false when reported.
 */
static bool check_image_format(const struct vm_config *vm, struct problems *p)
{
	const u8 *b = vm->image;
	u64 size = vm->image_size;
	const struct packed_format *f;

	if (size >= IMAGE_HEADER_SIZE && !memcmp(b + IMAGE_MAGIC, "ARM\x64", 4))
		return true;
	f = packed_format_at(b, size);
	if (f) {
		report(p, vm->node,
		       "image is %s-compressed (a distribution's vmlinuz?), but Tessera loads "
		       "images as they are; decompress it, e.g. %s vmlinuz > Image, and embed Image",
		       f->name, f->unpack);
		return false;
	}
	/* Linux drivers/firmware/efi/libstub/zboot-header.S: "MZ", "zimg", payload offset, size. */
	if (size >= 16 && !memcmp(b, "MZ", 2) && !memcmp(b + 4, "zimg", 4)) {
		u64 off = read_le(b + 8, 4), len = read_le(b + 12, 4);

		f = off < size && len <= size - off ? packed_format_at(b + off, len) : NULL;
		if (f)
			report(p, vm->node,
			       "image is an EFI zboot kernel; extract its arm64 Image: dd if=vmlinuz "
			       "bs=4096 iflag=skip_bytes,count_bytes skip=%llu count=%llu | %s > Image",
			       (unsigned long long)off, (unsigned long long)len, f->unpack);
		else
			report(p, vm->node,
			       "image is an EFI zboot kernel with a payload Tessera does not know; "
			       "embed the kernel's arch/arm64/boot/Image instead");
		return false;
	}
	/* U-Boot include/image.h: IH_MAGIC 0x27051956, big-endian, then a 64-byte header. */
	if (size >= 64 && !memcmp(b, "\x27\x05\x19\x56", 4)) {
		report(p, vm->node,
		       "image is a U-Boot uImage; strip its 64-byte header: tail -c +65 uImage > "
		       "Image (and decompress Image if it is compressed)");
		return false;
	}
	if (size >= 4 && !memcmp(b, "\x7f" "ELF", 4)) {
		report(p, vm->node,
		       "image is an ELF file, but Tessera loads flat binaries; convert it: "
		       "objcopy -O binary guest.elf guest.bin (Linux: use arch/arm64/boot/Image)");
		return false;
	}
	if (vm->initrd_size) {
		report(p, vm->node,
		       "image has no arm64 Image header (\"ARM\\x64\" at 0x38), but a VM with an "
		       "initrd runs Linux; embed the kernel's raw arm64 Image (arch/arm64/boot/Image)");
		return false;
	}
	return true;
}

/* The image and, when @memory_ok, its place: below the guest DTB slot at the top. */
bool check_image(struct vm_config *vm, bool memory_ok, struct problems *p)
{
	if (!vm->image || vm->image_size == 0) {
		report(p, vm->node,
		       "image is empty; point it at the guest binary, "
		       "e.g. image = /incbin/(\"guest.bin\");");
		return false;
	}
	if (!check_image_format(vm, p))
		return false;
	if (!memory_ok)
		return true;
	if (!image_place(vm->image, vm->image_size, vm->memory.base, &vm->image_load,
			 &vm->image_span)) {
		report(p, vm->node,
		       "image has an arm64 Image header with an inconsistent "
		       "text_offset or image_size; rebuild the guest image");
		return false;
	}
	u64 dtb_slot = vm->memory.base + vm->memory.size - GUEST_DTB_SLOT;

	if (vm->image_load < vm->memory.base || vm->image_load > dtb_slot ||
	    vm->image_span > dtb_slot - vm->image_load) {
		report(p, vm->node,
		       "image needs 0x%llx bytes at 0x%llx but the guest DTB slot "
		       "starts at 0x%llx (the last 2 MiB of memory); "
		       "give the VM more memory or use a smaller image",
		       (unsigned long long)vm->image_span, (unsigned long long)vm->image_load,
		       (unsigned long long)dtb_slot);
		return false;
	}
	if (!vm->initrd_size)
		return true;
	/* The initrd sits right below the DTB slot, above the image. */
	u64 image_end = vm->image_load + vm->image_span;

	if (vm->initrd_size > dtb_slot - image_end) {
		report(p, vm->node,
		       "initrd needs 0x%llx bytes but only 0x%llx are free between the image "
		       "(ends at 0x%llx) and the guest DTB slot; give the VM more memory",
		       (unsigned long long)vm->initrd_size,
		       (unsigned long long)(dtb_slot - image_end), (unsigned long long)image_end);
		return false;
	}
	vm->initrd_load = ALIGN_DOWN(dtb_slot - vm->initrd_size, SZ_4K);
	return true;
}

bool image_place(const void *image, u64 image_size, u64 ram_base, u64 *load, u64 *span)
{
	const u8 *b = image;

	if (!image || image_size == 0)
		return false;
	if (image_size < IMAGE_HEADER_SIZE || memcmp(b + IMAGE_MAGIC, "ARM\x64", 4) != 0) {
		*load = ram_base;
		*span = image_size;
		return true;
	}
	/* booting.rst: load at a 2 MiB aligned base + text_offset; image_size covers bss. */
	u64 text_offset = read_le64(b + IMAGE_TEXT_OFFSET);
	u64 footprint = read_le64(b + IMAGE_SIZE);
	u64 base = ALIGN_UP(ram_base, SZ_2M);

	if (footprint == 0)
		footprint = image_size;
	if (footprint < image_size || base < ram_base || text_offset > ~0ULL - base ||
	    footprint > ~0ULL - (base + text_offset))
		return false;
	*load = base + text_offset;
	*span = footprint;
	return true;
}
