/*
 * SMC Calling Convention (Arm DEN 0028) calls through HVC or SMC, and the
 * PSCI functions the guest uses (Arm DEN 0022).
 */
#ifndef TESTGUEST_PSCI_H
#define TESTGUEST_PSCI_H

#include "guest.h"

enum smccc_conduit {
	CONDUIT_NONE,
	CONDUIT_HVC,
	CONDUIT_SMC,
};

/* PSCI function IDs (DEN 0022, "PSCI function summary"); SMC32 calls. */
#define PSCI_0_2_FN_PSCI_VERSION 0x84000000U
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008U

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

/* SYSTEM_OFF; if PSCI is absent or returns, parks the CPU in WFI. */
void psci_system_off(void) __attribute__((noreturn));

#endif
