/*
 * The few UEFI interfaces Tessera uses when firmware starts it as an EFI
 * application (UEFI Specification 2.10): the system table, the boot services
 * it calls, the memory map and the configuration table. Field order follows
 * the specification's structure definitions; AArch64 UEFI uses AAPCS64
 * (section 2.3.6), so the function pointers need no calling-convention mark.
 */
#ifndef TESSERA_EFI_H
#define TESSERA_EFI_H

#include <tessera/platform.h>
#include <tessera/types.h>

typedef u64 efi_status;
typedef void *efi_handle;

#define EFI_SUCCESS 0
#define EFI_ERROR_BIT BIT(63)
#define EFI_INVALID_PARAMETER (EFI_ERROR_BIT | 2)
#define EFI_UNSUPPORTED (EFI_ERROR_BIT | 3)
#define EFI_BUFFER_TOO_SMALL (EFI_ERROR_BIT | 5)

struct efi_guid {
	u32 data1;
	u16 data2;
	u16 data3;
	u8 data4[8];
};

/* Section 4.6: the device tree's configuration table (EFI_DTB_TABLE_GUID). */
#define EFI_DEVICE_TREE_GUID \
	{ 0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 } }

struct efi_table_header {
	u64 signature;
	u32 revision;
	u32 header_size;
	u32 crc32;
	u32 reserved;
};

/* Section 12.4: EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL, up to the call we make. */
struct efi_text_output {
	void *reset;
	efi_status (*output_string)(struct efi_text_output *self, const u16 *string);
};

/* Section 7.2, EFI_MEMORY_DESCRIPTOR. Walk a map by its descriptor size, not sizeof. */
struct efi_memory_descriptor {
	u32 type;
	u64 physical_start;
	u64 virtual_start;
	u64 pages; /* of 4 KiB */
	u64 attribute;
};

enum efi_memory_type {
	EFI_RESERVED_MEMORY,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE,
	EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY,
	EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_NVS_MEMORY,
	EFI_MMIO,
	EFI_MMIO_PORT_SPACE,
	EFI_PAL_CODE,
	EFI_PERSISTENT_MEMORY,
	EFI_UNACCEPTED_MEMORY,
};

#define EFI_PAGE_SIZE SZ_4K
#define EFI_MEMORY_WB BIT(3)		/* write-back cacheable */
#define EFI_MEMORY_SP BIT(18)		/* specific-purpose: not general RAM */
#define EFI_MEMORY_RUNTIME BIT(63)	/* firmware needs it after ExitBootServices */

/* Section 7: EFI_BOOT_SERVICES; placeholders keep the offsets of calls we do not make. */
struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl, *restore_tpl, *allocate_pages, *free_pages;
	efi_status (*get_memory_map)(u64 *map_size, void *map, u64 *map_key, u64 *desc_size,
				     u32 *desc_version);
	void *allocate_pool, *free_pool, *create_event, *set_timer, *wait_for_event, *signal_event,
		*close_event, *check_event, *install_protocol_interface,
		*reinstall_protocol_interface, *uninstall_protocol_interface;
	efi_status (*handle_protocol)(efi_handle handle, const struct efi_guid *protocol, void **interface);
	void *reserved, *register_protocol_notify, *locate_handle, *locate_device_path,
		*install_configuration_table, *load_image, *start_image, *exit, *unload_image;
	efi_status (*exit_boot_services)(efi_handle image, u64 map_key);
	void *get_next_monotonic_count, *stall;
	efi_status (*set_watchdog_timer)(u64 timeout, u64 code, u64 data_size, const u16 *data);
};

struct efi_configuration_table {
	struct efi_guid vendor_guid;
	void *vendor_table;
};

/* Section 4.3: EFI_SYSTEM_TABLE. */
struct efi_system_table {
	struct efi_table_header hdr;
	const u16 *firmware_vendor;
	u32 firmware_revision;
	efi_handle console_in_handle;
	void *con_in;
	efi_handle console_out_handle;
	struct efi_text_output *con_out;
	efi_handle standard_error_handle;
	struct efi_text_output *std_err;
	void *runtime_services;
	struct efi_boot_services *boot_services;
	u64 table_count;
	struct efi_configuration_table *config_table;
};

/* Section 9.1: EFI_LOADED_IMAGE_PROTOCOL, obtained with HandleProtocol on the image handle. */
#define EFI_LOADED_IMAGE_PROTOCOL_GUID \
	{ 0x5b1b31a1, 0x9562, 0x11d2, { 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }

/* Section 9.1.1, EFI_LOADED_IMAGE_PROTOCOL: every field, in the specification's order. */
struct efi_loaded_image {
	u32 revision;
	efi_handle parent_handle;
	struct efi_system_table *system_table;
	efi_handle device_handle;
	void *file_path; /* EFI_DEVICE_PATH_PROTOCOL * */
	void *reserved;
	u32 load_options_size; /* in bytes */
	void *load_options; /* for a command line, UCS-2; not necessarily NUL-terminated */
	void *image_base;
	u64 image_size;
	u32 image_code_type; /* EFI_MEMORY_TYPE */
	u32 image_data_type;
	void *unload;
};
_Static_assert(__builtin_offsetof(struct efi_loaded_image, load_options_size) == 48, "UEFI 9.1.1 layout");
_Static_assert(__builtin_offsetof(struct efi_loaded_image, load_options) == 56, "UEFI 9.1.1 layout");
_Static_assert(__builtin_offsetof(struct efi_loaded_image, image_code_type) == 80, "UEFI 9.1.1 layout");
_Static_assert(sizeof(struct efi_loaded_image) == 96, "UEFI 9.1.1 layout");

/* The load options' text kept for the normal boot, NUL included. */
#define EFI_LOAD_OPTIONS_MAX 256

/*
 * UCS-2 load options (@opts, @size bytes, as the loaded image protocol gives
 * them: firmware values, not trusted) -> printable ASCII in @out (@out_size
 * bytes, NUL-terminated). Stops at a NUL character or after @size / 2
 * characters (an odd last byte is ignored); characters outside printable
 * ASCII become '?'. When the text does not fit, it is cut and *@truncated set.
 * Returns the length written, or -1 (and @out "") when there are no options:
 * @opts NULL, @size under one character, or @opts + @size wrapping.
 */
int efi_load_options_to_ascii(const void *opts, u64 size, char *out, unsigned int out_size,
			      bool *truncated);

/* The load options UEFI gave Tessera, as ASCII, or NULL when there were none or no UEFI. */
const char *efi_load_options(void);

/* RAM as the UEFI memory map gives it, for platform_parse_with_ram(). */
struct efi_ram {
	struct mem_range range[PLATFORM_MAX_RAM]; /* sorted by base, disjoint, not touching */
	unsigned int count;
	unsigned int dropped; /* ranges left out, the smallest, when more than PLATFORM_MAX_RAM */
	unsigned int map_entries; /* descriptors in the final map */
};

/*
 * The RAM a hypervisor may give away once boot services have exited:
 * conventional memory and boot-services code and data, write-back cacheable,
 * not runtime, not specific-purpose. Everything else (runtime services,
 * reserved and firmware carveouts, ACPI, MMIO, the loader's own image and
 * data) stays out. map holds map_size bytes of descriptors desc_size apart.
 * Returns 0, or -1 when desc_size is too small for a descriptor.
 */
int efi_memmap_to_ram(const void *map, u64 map_size, u64 desc_size, struct efi_ram *ram);

/*
 * Reads the memory map into @map (@map_max bytes), turns it into @ram and
 * exits boot services, reading the map again while the key is stale.
 * Returns EFI_SUCCESS; EFI_BUFFER_TOO_SMALL when the map does not fit;
 * EFI_UNSUPPORTED when its descriptors are too small; EFI_INVALID_PARAMETER
 * when the key was stale every time (then only the memory services are sure
 * to work); any other GetMemoryMap or ExitBootServices status as is.
 * A stale key is the firmware allocating between our two calls; it settles
 * quickly: EFI_EXIT_ATTEMPTS tries.
 */
#define EFI_EXIT_ATTEMPTS 4
efi_status efi_exit_boot_services(struct efi_boot_services *bs, efi_handle image, void *map,
				  u64 map_max, struct efi_ram *ram);

/* The RAM the EFI entry found, or NULL when Tessera was not started by UEFI. */
const struct efi_ram *efi_boot_ram(void);

#endif
