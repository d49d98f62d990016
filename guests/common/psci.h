/*
 * SMC Calling Convention (Arm DEN 0028) calls through HVC or SMC, and the
 * PSCI functions the guest uses (Arm DEN 0022).
 */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include "guest.h"

enum smccc_conduit {
	CONDUIT_NONE,
	CONDUIT_HVC,
	CONDUIT_SMC,
};

/* PSCI function IDs (DEN 0022, "PSCI function summary"); SMC32 calls, then SMC64. */
#define PSCI_0_2_FN_PSCI_VERSION 0x84000000U
#define PSCI_0_2_FN_CPU_SUSPEND 0x84000001U
#define PSCI_0_2_FN_CPU_OFF 0x84000002U
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008U
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009U
#define PSCI_1_0_FN_PSCI_FEATURES 0x8400000aU
#define PSCI_0_2_FN64_CPU_SUSPEND 0xc4000001U
#define PSCI_0_2_FN64_CPU_ON 0xc4000003U
#define PSCI_0_2_FN64_AFFINITY_INFO 0xc4000004U

/* AFFINITY_INFO results (DEN 0022, "AFFINITY_INFO"). */
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1

/* CPU_SUSPEND power_state, original format (DEN 0022, "power_state parameter"): StateType bit 16. */
#define PSCI_POWER_STATE_STANDBY 0x0U
#define PSCI_POWER_STATE_POWERDOWN (1U << 16)

/* PSCI return codes (DEN 0022, "Return error codes"). */
#define PSCI_RET_SUCCESS 0
#define PSCI_RET_INVALID_PARAMETERS (-2)

/* Function ID bit 30: the SMC64/HVC64 calling convention (DEN 0028, "Function Identifier"). */
#define SMCCC_FID_SMC64 (1U << 30)

/* SMCCC return value for an unknown function ID (DEN 0028, "Unknown Function Identifier"). */
#define SMCCC_RET_NOT_SUPPORTED (-1L)

/*
 * One SMCCC call with up to three arguments; returns x0 (for an SMC32 ID,
 * W0 sign-extended). CONDUIT_NONE returns NOT_SUPPORTED without a call.
 */
s64 smccc_call(enum smccc_conduit conduit, u32 fid, u64 a1, u64 a2, u64 a3);

/* The conduit the DT's /psci node names; HVC until psci_set_conduit() says otherwise. */
void psci_set_conduit(enum smccc_conduit conduit);
enum smccc_conduit psci_conduit(void);
const char *conduit_name(enum smccc_conduit conduit);

/* PSCI_VERSION: major in [30:16], minor in [15:0]; negative on error. */
s64 psci_version(void);

/*
 * CPU_ON: the CPU of affinity @mpidr starts at physical address @entry, at
 * EL1 with the MMU off, x0 = @context. Returns PSCI's result (0 = SUCCESS).
 */
s64 psci_cpu_on(u64 mpidr, u64 entry, u64 context);

/* CPU_OFF for the calling CPU; if it returns, parks the CPU in WFI. */
void psci_cpu_off(void) __attribute__((noreturn));

/* AFFINITY_INFO of the CPU of affinity @mpidr: PSCI_AFFINITY_ON, _OFF, 2 (ON_PENDING), or < 0. */
s64 psci_affinity_info(u64 mpidr);

/*
 * CPU_SUSPEND (SMC64) with @power_state; a powerdown request that the
 * implementation enters resumes at @entry with x0 = @context. Returns PSCI's
 * result (SUCCESS when the call returned from a standby, or from a powerdown
 * request the implementation did not carry out).
 */
s64 psci_cpu_suspend(u32 power_state, u64 entry, u64 context);

/* PSCI_FEATURES of @fid: < 0 when not implemented, else its feature flags. */
s64 psci_features(u32 fid);

/* SYSTEM_OFF; if PSCI is absent or returns, parks the CPU in WFI. */
void psci_system_off(void) __attribute__((noreturn));

/* SYSTEM_RESET; if PSCI is absent or returns, parks the CPU in WFI. */
void psci_system_reset(void) __attribute__((noreturn));

#endif
