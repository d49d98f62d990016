/*
 * A seeded campaign of hostile operations: which classes there are, what a
 * campaign aims at (from the DT) and what it counts.
 */
#ifndef HOSTILE_CAMPAIGN_H
#define HOSTILE_CAMPAIGN_H

#include "dt.h"
#include "pci.h"

enum op_class {
	OP_GICD,    /* distributor registers: every width, offset, form */
	OP_GICR,    /* redistributor frames (RD and SGI), and past them */
	OP_ICC,     /* ICC_* system registers, SGIs to itself included */
	OP_WILD,    /* loads, stores, DC ZVA/maintenance, fetches at IPAs it has nothing at */
	OP_SMCCC,   /* HVC and SMC with random function IDs and arguments */
	OP_SYSREG,  /* MRS/MSR of random EL0/EL1 (and debug, EL2/EL3) encodings */
	OP_UART,    /* the vPL011 page (no stores to UARTDR: they would print) */
	OP_PCI,     /* the channel's PCI function: ECAM and its BAR, or a doorbell page */
	OP_CLASSES
};

extern const char *const op_class_names[OP_CLASSES];

/* Where the campaign aims, from the guest's DT. */
#define TARGET_AVOID_MAX 16
struct targets {
	struct range gicd, gicr, uart;
	struct range pci_ecam, pci_window; /* size 0 when the VM has no PCI host */
	struct range doorbell;             /* a doorbell-page channel end, size 0 if none */
	struct range avoid[TARGET_AVOID_MAX]; /* everything mapped for the VM: never a "wild" IPA */
	unsigned int avoid_count;
	u64 own_mpidr[DT_CPUS_MAX];        /* this VM's vCPUs: never a CPU_ON target */
	unsigned int cpu_count;
};

#define WRONG_REPORTED 8

struct campaign_stats {
	u64 ops[OP_CLASSES];
	u64 exc_ec[64];       /* synchronous exceptions by ESR_EL1.EC */
	u64 exc_other;        /* IRQ/FIQ/SError taken through the hook (none expected: masked) */
	u64 abort_fsc[64];    /* data and instruction aborts by ESR.ISS[5:0] (DFSC/IFSC) */
	u64 wild_unfaulted;   /* wild accesses that did not fault: another VM's IPA was reachable */
	u64 wrong;            /* wrong answers (each reported, the first WRONG_REPORTED) */
	u64 architected_undef; /* reads of registers every Armv8.0 PE has that were UNDEFINED */
	const char *architected_undef_first;
};

/* xorshift64*: the whole campaign follows from its seed. */
u64 rnd_next(void);
/* Uniform in [0, n), n > 0. */
u64 rnd_below(u64 n);
void rnd_seed(u64 seed);
/* A register value: mostly random, often 0, all ones, one bit or a small number. */
u64 rnd_value(void);

/* Counts what the hook saw; a report line for a wrong answer (the first few). */
extern struct campaign_stats stats;
void campaign_wrong(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Installs the exception hook: every exception of an operation is counted and resumed. */
void campaign_hook_install(void);

/* Reads the targets from the DT. */
void targets_read(const struct dt_info *info, struct targets *t);

/* Maps every 1 GiB block above the RAM block that holds no target Normal: wild DC ZVA and fetches reach stage 2. */
void wild_map_normal(const struct targets *t);

/* Exceptions the hook has counted so far. */
u64 campaign_exceptions(void);

/*
 * Runs @count operations of the classes in @class_mask (bit n = enum op_class n).
 * Progress lines every @progress operations (0: none); from operation
 * @trace_from on (0: never), a line for each before it runs.
 */
void campaign_run(const struct targets *t, u64 count, u32 class_mask, u64 progress, u64 trace_from);

/* Set while operations are traced: TRACE() says a line. */
extern bool campaign_trace;
#define TRACE(...)                                                                       \
	do {                                                                             \
		if (campaign_trace)                                                      \
			say(__VA_ARGS__);                                                \
	} while (0)

/* The per-class operations (campaign.c: MMIO and wild; calls.c: registers and calls). */
void op_mmio(const struct targets *t, enum op_class cls);
void op_wild(const struct targets *t);
void op_icc(void);
void op_smccc(const struct targets *t);
void op_sysreg(void);

#endif
