/*
 * Calls into the platform firmware's PSCI (Arm DEN 0022) through the conduit
 * the DTB names, and the SMCCC (Arm DEN 0028) values shared with the guest
 * interface.
 */
#ifndef DRIVERS_PSCI_H
#define DRIVERS_PSCI_H

#include <tessera/platform.h>
#include <tessera/types.h>

/* SMCCC function identifier fields, DEN 0028 2.5 */
#define SMCCC_FAST_CALL BIT(31)
#define SMCCC_64BIT BIT(30)
#define SMCCC_OWNER_SHIFT 24
#define SMCCC_OWNER_MASK 0x3f
#define SMCCC_OWNER(fid) (((fid) >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK)
#define SMCCC_OWNER_ARCH 0
#define SMCCC_OWNER_STANDARD 4 /* PSCI lives here */
#define SMCCC_OWNER_VENDOR_HYP 6 /* vendor-specific hypervisor service: tessera/manage.h */
#define SMCCC_RET_SUCCESS 0
#define SMCCC_RET_NOT_SUPPORTED (-1LL)
#define SMCCC_RET_NOT_REQUIRED (-2LL)
#define SMCCC_RET_INVALID_PARAMETER (-3LL)

/* Arm architecture calls, DEN 0028 7 */
#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_VERSION_1_1 0x10001

/* PSCI function IDs, DEN 0022 5.1 (SMC32 / SMC64 where both exist) */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

/* PSCI return codes, DEN 0022 5.2.2 */
#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_VERSION_1_1 0x10001

void psci_init(const struct platform *plat);
/* Start physical CPU @mpidr at @entry (physical address) with x0 = @context. */
long psci_cpu_on(u64 mpidr, u64 entry, u64 context);
void psci_system_off(void);

/* Raw SMC conduit call, arch/arm64/smccc_call.S (HVC at EL2 would trap to ourselves). */
u64 smccc_smc(u64 fid, u64 a1, u64 a2, u64 a3);

#endif
