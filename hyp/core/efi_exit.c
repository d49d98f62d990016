/*
 * Leaving UEFI boot services with the RAM the final memory map gives
 * (tessera/efi.h). Only firmware calls through the table it is given, so it
 * runs on the host against a fake firmware in the unit tests.
 */
#include <tessera/efi.h>

efi_status efi_exit_boot_services(struct efi_boot_services *bs, efi_handle image, void *map,
				  u64 map_max, struct efi_ram *ram)
{
	efi_status status = EFI_INVALID_PARAMETER;

	for (unsigned int attempt = 0; attempt < EFI_EXIT_ATTEMPTS; attempt++) {
		u64 map_size = map_max, key, desc_size;
		u32 desc_version;

		status = bs->get_memory_map(&map_size, map, &key, &desc_size, &desc_version);
		if (status != EFI_SUCCESS)
			return status;
		if (efi_memmap_to_ram(map, map_size, desc_size, ram))
			return EFI_UNSUPPORTED;
		ram->map_entries = (unsigned int)(map_size / desc_size);
		/*
		 * Nothing may allocate between GetMemoryMap and ExitBootServices;
		 * if the firmware did, the key is stale (UEFI 2.10 7.4.6): again.
		 */
		status = bs->exit_boot_services(image, key);
		if (status != EFI_INVALID_PARAMETER)
			return status;
	}
	return status;
}
