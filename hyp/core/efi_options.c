/*
 * The image's EFI load options (UCS-2, from EFI_LOADED_IMAGE_PROTOCOL,
 * UEFI 2.10 section 9.1.1) -> ASCII text (tessera/efi.h). Pure code: it runs
 * at EL2 before ExitBootServices and on the host in the unit tests. Nothing
 * of the firmware's is trusted: the pointer may be NULL, the size odd or far
 * larger than any command line, the text without its NUL.
 */
#include <tessera/efi.h>

int efi_load_options_to_ascii(const void *opts, u64 size, char *out, unsigned int out_size,
			      bool *truncated)
{
	const u8 *p = opts;
	u64 chars = size / 2; /* UCS-2: an odd last byte is not a character */
	unsigned int n = 0;

	*truncated = false;
	if (!out_size)
		return -1;
	out[0] = '\0';
	if (!p || !chars || (u64)(uintptr_t)p + size < (u64)(uintptr_t)p)
		return -1;
	for (u64 i = 0; i < chars; i++) {
		/* Byte by byte: the firmware need not align the options. Little-endian (2.3.6). */
		u16 c = (u16)(p[2 * i] | (p[2 * i + 1] << 8));

		if (!c)
			break;
		if (n == out_size - 1) {
			*truncated = true;
			break;
		}
		out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[n] = '\0';
	return (int)n;
}
