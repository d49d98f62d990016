/*
 * The EFI application's work before the normal boot (efi_entry.S calls it):
 * find the device tree in the configuration table, keep the load options,
 * turn the memory map into RAM ranges, exit boot services. While boot services
 * run, messages go to the firmware console; after ExitBootServices nothing of
 * the firmware is called.
 */
#include <arch/sysregs.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <tessera/cpu.h>
#include <tessera/efi.h>

#define EFI_MAP_MAX (64 * 1024)

/* In .data, not .bss: primary_entry clears .bss after this was filled. */
static struct efi_ram efi_ram __attribute__((section(".data.efi_ram")));
static bool efi_booted __attribute__((section(".data.efi_ram")));
/*
 * The load options (extlinux's APPEND line, after ${cbootargs}, under
 * L4TLauncher) as ASCII. Tessera takes no options yet: they are shown, on the
 * firmware console and again on Tessera's own, and not interpreted.
 */
static char efi_options[EFI_LOAD_OPTIONS_MAX] __attribute__((section(".data.efi_ram")));
static bool efi_have_options __attribute__((section(".data.efi_ram")));
/* Only used before the exit: .bss (zeroed by the firmware's loader) is fine. */
static u8 efi_map[EFI_MAP_MAX] __aligned(8);

const struct efi_ram *efi_boot_ram(void)
{
	return efi_booted ? &efi_ram : NULL;
}

static void __printf(2, 3) efi_print(struct efi_system_table *st, const char *fmt, ...)
{
	char line[320]; /* the load options line: up to EFI_LOAD_OPTIONS_MAX characters */
	u16 wide[2 * sizeof(line)];
	unsigned int n = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* UCS-2 for OutputString (12.4.3), with the CR a UEFI console needs before each LF. */
	for (const char *c = line; *c; c++) {
		if (*c == '\n')
			wide[n++] = '\r';
		wide[n++] = (u8)*c;
	}
	wide[n] = 0;
	if (st->con_out)
		st->con_out->output_string(st->con_out, wide);
}

const char *efi_load_options(void)
{
	return efi_booted && efi_have_options ? efi_options : NULL;
}

/* The image's load options (UEFI 2.10 section 9.1) into efi_options, and one line about them. */
static void read_load_options(efi_handle image, struct efi_system_table *st)
{
	static const struct efi_guid loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	struct efi_boot_services *bs = st->boot_services;
	const struct efi_loaded_image *li;
	efi_status status = EFI_UNSUPPORTED;
	void *iface = NULL;
	bool truncated;
	int len;

	if (bs->handle_protocol)
		status = bs->handle_protocol(image, &loaded_image_guid, &iface);
	li = iface;
	if (status != EFI_SUCCESS || !li) {
		efi_print(st, "tessera: no loaded image protocol (status 0x%llx): no load options\n",
			  (unsigned long long)status);
		return;
	}
	len = efi_load_options_to_ascii(li->load_options, li->load_options_size, efi_options,
					sizeof(efi_options), &truncated);
	efi_have_options = len > 0;
	if (!efi_have_options) {
		efi_print(st, "tessera: no load options\n");
		return;
	}
	/* Shown, not interpreted: Tessera takes no options yet. */
	efi_print(st, "tessera: load options: \"%s\"%s\n", efi_options, truncated ? " (cut)" : "");
}

static const void *find_dtb(const struct efi_system_table *st)
{
	static const struct efi_guid dtb_guid = EFI_DEVICE_TREE_GUID;

	for (u64 i = 0; i < st->table_count; i++)
		if (!memcmp(&st->config_table[i].vendor_guid, &dtb_guid, sizeof(dtb_guid)))
			return st->config_table[i].vendor_table;
	return NULL;
}

u64 efi_boot(efi_handle image, struct efi_system_table *st);
u64 efi_boot(efi_handle image, struct efi_system_table *st)
{
	struct efi_boot_services *bs = st->boot_services;
	u64 el = (read_sysreg(CurrentEL) >> 2) & 3;
	const void *dtb = find_dtb(st);
	efi_status status;

	efi_print(st, "tessera: started by UEFI at EL%llu\n", (unsigned long long)el);
	if (el != 2) {
		efi_print(st, "tessera: needs EL2; this firmware runs at EL%llu (QEMU: virtualization=on)\n",
			  (unsigned long long)el);
		return 0;
	}
	if (!dtb || fdt_check_header(dtb)) {
		efi_print(st, "tessera: no device tree in the EFI configuration table (QEMU: acpi=off)\n");
		return 0;
	}
	read_load_options(image, st);
	/* L4TLauncher (edk2-nvidia) arms a 5-minute watchdog before StartImage. */
	bs->set_watchdog_timer(0, 0, 0, NULL);

	efi_print(st, "tessera: device tree at 0x%llx; exiting boot services\n", (unsigned long long)(u64)dtb);
	status = efi_exit_boot_services(bs, image, efi_map, sizeof(efi_map), &efi_ram);
	if (status == EFI_BUFFER_TOO_SMALL)
		efi_print(st, "tessera: the memory map is larger than %u KiB\n", EFI_MAP_MAX / 1024);
	else if (status == EFI_UNSUPPORTED)
		efi_print(st, "tessera: the memory map's descriptors are too small\n");
	/* After ExitBootServices failed, even the console may be gone (7.4.6): nothing more is printed. */
	if (status != EFI_SUCCESS)
		return 0;
	efi_booted = true;
	/* The MMU goes off next (efi_entry.S): what the firmware wrote must be in memory. */
	dcache_clean_poc((u64)dtb, (u64)dtb + fdt_totalsize(dtb));
	return (u64)dtb;
}
