/* Human-readable exception syndromes for fault reports (DDI 0487 D19.2.40). */
#include <arch/esr.h>
#include <stdio.h>

static const char *const class_names[ESR_EC_COUNT] = {
	[ESR_EC_UNKNOWN] = "unknown reason",
	[ESR_EC_WFX] = "WFI/WFE",
	[ESR_EC_FP_ASIMD] = "FP/SIMD access",
	[ESR_EC_ILLEGAL] = "illegal execution state",
	[ESR_EC_SVC64] = "SVC",
	[ESR_EC_HVC64] = "HVC",
	[ESR_EC_SMC64] = "SMC",
	[ESR_EC_SYS64] = "system register access",
	[ESR_EC_SVE] = "SVE access",
	[ESR_EC_PAC] = "pointer authentication",
	[ESR_EC_IABT_LOW] = "instruction abort from a lower EL",
	[ESR_EC_IABT_CUR] = "instruction abort at EL2",
	[ESR_EC_PC_ALIGN] = "PC alignment fault",
	[ESR_EC_DABT_LOW] = "data abort from a lower EL",
	[ESR_EC_DABT_CUR] = "data abort at EL2",
	[ESR_EC_SP_ALIGN] = "SP alignment fault",
	[ESR_EC_SERROR] = "SError",
	[ESR_EC_BRK64] = "BRK",
};

static const char *const fsc_names[] = {
	[FSC_ADDRESS_SIZE >> 2] = "address size fault",
	[FSC_TRANSLATION >> 2] = "translation fault",
	[FSC_ACCESS_FLAG >> 2] = "access flag fault",
	[FSC_PERMISSION >> 2] = "permission fault",
};

const char *esr_class_name(u64 esr)
{
	const char *name = class_names[ESR_EC(esr)];

	return name ? name : "unexpected class";
}

static bool is_abort(u64 ec)
{
	return ec == ESR_EC_IABT_LOW || ec == ESR_EC_IABT_CUR || ec == ESR_EC_DABT_LOW ||
	       ec == ESR_EC_DABT_CUR;
}

/* SError ISS, D19.2.40: AET [12:10], meaningful when DFSC is "asynchronous SError". */
static const char *const aet_names[8] = {
	[0] = "uncontainable (UC)",
	[1] = "unrecoverable (UEU)",
	[2] = "restartable (UEO)",
	[3] = "recoverable (UER)",
	[6] = "corrected (CE)",
};

/* What an SError's syndrome says: IMPLEMENTATION DEFINED, or the error's type. */
static void describe_serror(u64 esr, char *buf, size_t size)
{
	const char *aet = aet_names[(esr & ESR_SERROR_AET_MASK) >> ESR_SERROR_AET_SHIFT];

	if (esr & ESR_SERROR_IDS)
		snprintf(buf, size, ", IMPLEMENTATION DEFINED syndrome 0x%llx",
			 (unsigned long long)(esr & GENMASK(23, 0)));
	else if ((esr & ESR_xABT_FSC_MASK) == ESR_SERROR_DFSC_ASYNC)
		snprintf(buf, size, ", asynchronous error, %s", aet ? aet : "reserved AET");
	else
		snprintf(buf, size, ", uncategorized");
}

void esr_describe(u64 esr, char *buf, size_t size)
{
	u64 ec = ESR_EC(esr);
	int n = snprintf(buf, size, "ESR 0x%llx: EC 0x%02llx %s", (unsigned long long)esr,
			 (unsigned long long)ec, esr_class_name(esr));

	if (n >= 0 && (size_t)n < size && ec == ESR_EC_SERROR)
		describe_serror(esr, buf + n, size - (size_t)n);
	if (n < 0 || (size_t)n >= size || !is_abort(ec))
		return;
	u64 fsc = esr & ESR_xABT_FSC_MASK;
	const char *fsc_name = (fsc >> 2) < 4 ? fsc_names[fsc >> 2] : NULL;

	if (fsc_name)
		n += snprintf(buf + n, size - (size_t)n, ", %s level %llu", fsc_name,
			      (unsigned long long)FSC_LEVEL(fsc));
	else
		n += snprintf(buf + n, size - (size_t)n, ", FSC 0x%02llx", (unsigned long long)fsc);
	if ((size_t)n < size && (ec == ESR_EC_DABT_LOW || ec == ESR_EC_DABT_CUR))
		snprintf(buf + n, size - (size_t)n, ", %s%s", (esr & ESR_DABT_WNR) ? "write" : "read",
			 (esr & ESR_DABT_S1PTW) ? " during a stage-1 walk" : "");
}

/*
 * What hardware gives for an access that reaches no memory or device
 * (D19.2.40, ISS for an Instruction or Data Abort): a synchronous external
 * abort, FSC 0b010000, EC "from the current EL" when the guest was at EL1.
 * IL is 1 (RES1 for instruction aborts and for data aborts with ISV 0), ISV
 * is 0 (no instruction syndrome at EL1 without FEAT_LS64), EA 0 (its
 * classification is IMPLEMENTATION DEFINED), S1PTW 0 (a stage 2 notion), SET
 * 0 (FEAT_RAS: recoverable). WnR and CM are the instruction's, as the stage 2
 * abort reported them: DC ZVA is a write and not cache maintenance. FnV too:
 * FAR_EL1 then holds the address the guest used, as FAR_EL2 does.
 */
u64 esr_external_abort(u64 esr_el2, bool from_el1)
{
	bool fetch = ESR_EC(esr_el2) == ESR_EC_IABT_LOW;
	u64 ec = fetch ? (from_el1 ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW)
		       : (from_el1 ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW);
	u64 esr = (ec << ESR_EC_SHIFT) | ESR_IL | FSC_SYNC_EXTERNAL | (esr_el2 & ESR_xABT_FNV);

	if (!fetch)
		esr |= esr_el2 & (ESR_DABT_WNR | ESR_DABT_CM);
	return esr;
}
