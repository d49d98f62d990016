/*
 * PE/COFF constants for the image header (head.S), from the Microsoft PE
 * format specification ("Machine Types", "Characteristics", "Optional
 * Header", "Section Flags"). Usable from assembly.
 */
#ifndef ARCH_PE_H
#define ARCH_PE_H

/* "MZ" in its low half: ccmp x18, #0, #0xd, pl, which changes nothing that matters at entry. */
#define PE_MZ_NOP 0xfa405a4d

#define PE_MACHINE_ARM64 0xaa64
#define PE_FILE_EXECUTABLE_IMAGE 0x0002
#define PE_FILE_LINE_NUMS_STRIPPED 0x0004
#define PE_FILE_DEBUG_STRIPPED 0x0200
#define PE_OPT_MAGIC_PE32PLUS 0x20b
#define PE_SUBSYSTEM_EFI_APPLICATION 10

/* Both are the page size: each section's RVA is its offset in the file (objcopy -O binary). */
#define PE_SECTION_ALIGN 0x1000
#define PE_FILE_ALIGN 0x200

#define PE_SCN_CNT_CODE 0x00000020
#define PE_SCN_CNT_INITIALIZED_DATA 0x00000040
#define PE_SCN_MEM_EXECUTE 0x20000000
#define PE_SCN_MEM_READ 0x40000000
#define PE_SCN_MEM_WRITE 0x80000000

#endif
