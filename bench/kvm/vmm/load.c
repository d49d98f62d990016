/*
 * The guest's images in its RAM (Linux Documentation/arch/arm64/booting.rst):
 * the kernel at a 2 MiB-aligned base + text_offset, the DT in the last 2 MiB of
 * RAM (8-byte aligned, at most 2 MiB), the initrd just below the DT.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm.h"

#define SZ_2M 0x200000ULL
#define SZ_4K 0x1000ULL
#define ARM64_IMAGE_MAGIC 0x644d5241u /* "ARM\x64" */

/* The arm64 Image header (booting.rst, "Call the kernel image"). */
struct arm64_image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

void *guest_ptr(const struct vm *vm, uint64_t ipa, uint64_t len)
{
	if (ipa < GUEST_RAM_BASE || len > vm->ram_size || ipa - GUEST_RAM_BASE > vm->ram_size - len)
		die("0x%llx+0x%llx is outside the guest's RAM", (unsigned long long)ipa,
		    (unsigned long long)len);
	return vm->ram + (ipa - GUEST_RAM_BASE);
}

/* Reads the whole of path into the guest's RAM at ipa; at most max bytes. */
static uint64_t load_file(const struct vm *vm, const char *path, uint64_t ipa, uint64_t max)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint8_t *dst;
	uint64_t done = 0;

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		die("%s: %s", path, strerror(errno));
	if ((uint64_t)st.st_size > max)
		die("%s: %lld bytes do not fit (room for %llu at 0x%llx)", path, (long long)st.st_size,
		    (unsigned long long)max, (unsigned long long)ipa);
	dst = guest_ptr(vm, ipa, (uint64_t)st.st_size);
	while (done < (uint64_t)st.st_size) {
		ssize_t n = read(fd, dst + done, (size_t)((uint64_t)st.st_size - done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("%s: read: %s", path, n < 0 ? strerror(errno) : "short file");
		done += (uint64_t)n;
	}
	close(fd);
	return done;
}

static uint64_t file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		die("%s: %s", path, strerror(errno));
	return (uint64_t)st.st_size;
}

void load_guest(struct vm *vm, const struct guest_images *img)
{
	struct arm64_image_header hdr;
	uint64_t ram_end = GUEST_RAM_BASE + vm->ram_size;
	uint64_t dtb = ram_end - SZ_2M;
	uint64_t kernel_end, initrd = 0, initrd_end = 0, text_offset, image_size;

	if (vm->ram_size < 4 * SZ_2M)
		die("guest RAM of %llu bytes is too small", (unsigned long long)vm->ram_size);
	kernel_end = load_file(vm, img->kernel, GUEST_RAM_BASE, dtb - GUEST_RAM_BASE);
	memcpy(&hdr, guest_ptr(vm, GUEST_RAM_BASE, sizeof(hdr)), sizeof(hdr));
	if (kernel_end < sizeof(hdr) || hdr.magic != ARM64_IMAGE_MAGIC)
		die("%s: not an arm64 Image (no \"ARM\\x64\" magic at offset 56)", img->kernel);
	/* booting.rst: image_size 0 means an old kernel, text_offset 0x80000. */
	text_offset = hdr.image_size ? hdr.text_offset : 0x80000;
	image_size = hdr.image_size ? hdr.image_size : kernel_end;
	if (text_offset >= SZ_2M || (text_offset & 0xfff) || image_size < kernel_end)
		die("%s: bad header: text_offset 0x%llx, image_size 0x%llx", img->kernel,
		    (unsigned long long)text_offset, (unsigned long long)image_size);
	/* Its whole footprint (bss, early page tables) must end below the DT. */
	if (image_size > dtb - GUEST_RAM_BASE - text_offset)
		die("%s: image_size 0x%llx at text_offset 0x%llx does not fit below the DT", img->kernel,
		    (unsigned long long)image_size, (unsigned long long)text_offset);
	/* Read in at the base for the header; moved up to its offset. */
	if (text_offset != 0)
		memmove(guest_ptr(vm, GUEST_RAM_BASE + text_offset, kernel_end),
			guest_ptr(vm, GUEST_RAM_BASE, kernel_end), kernel_end);
	vm->entry = GUEST_RAM_BASE + text_offset;
	kernel_end = vm->entry + image_size; /* bss and early page tables included */

	if (img->initrd) {
		uint64_t size = file_size(img->initrd);

		if (size > dtb - kernel_end)
			die("%s: %llu bytes do not fit between the kernel and the DT", img->initrd,
			    (unsigned long long)size);
		initrd = (dtb - size) & ~(SZ_4K - 1);
		if (initrd < kernel_end)
			die("%s: does not fit between the kernel and the DT", img->initrd);
		initrd_end = initrd + load_file(vm, img->initrd, initrd, dtb - initrd);
	}

	build_guest_fdt(vm, guest_ptr(vm, dtb, SZ_2M), SZ_2M, img->bootargs, initrd, initrd_end);
	vm->dtb_ipa = dtb;
}
