/*
 * Spectre-BHB (CVE-2022-23960) at EL2: which mitigation this CPU's lower-EL
 * exception vectors run, chosen once per CPU at every entry
 * (cpu_init_el2) by installing one of the vector tables of vectors.S.
 */
#ifndef ARCH_SPECTRE_BHB_H
#define ARCH_SPECTRE_BHB_H

#include <tessera/types.h>

enum bhb_mitigation {
	BHB_NONE,    /* not affected: FEAT_ECBHB, FEAT_CSV2_3, or a core Arm lists as safe */
	BHB_CLRBHB,  /* FEAT_CLRBHB: the CLRBHB instruction */
	BHB_LOOP_8,  /* branch loops of k taken branches, k by core (Arm's white paper) */
	BHB_LOOP_24,
	BHB_LOOP_32,
	BHB_LOOP_38,
	BHB_LOOP_132,
	BHB_MITIGATION_COUNT,
};

/* The mitigation for a CPU with these ID register values. */
enum bhb_mitigation spectre_bhb_choose(u64 midr, u64 pfr0, u64 mmfr1, u64 isar2);

/* Its name, for the boot line. */
const char *spectre_bhb_name(enum bhb_mitigation m);

#endif
