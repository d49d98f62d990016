/*
 * test=faults: accesses that reach no memory or device, and accesses an
 * emulated device cannot take, must arrive at this guest's own handler as
 * synchronous external aborts, as hardware delivers them (DDI 0487 D19.2.37,
 * ISS for an Instruction or Data Abort): EC "from the current EL", IL 1,
 * ISV 0, FSC 0b010000, WnR as the instruction (DC ZVA writes), CM 0, FAR the
 * address used, ELR the instruction, taken at the "current EL with SP_ELx"
 * vector (the catch takes no other) with SPSR_EL1 holding EL1h. Then the
 * guest carries on.
 */
#include "exc.h"
#include "faults.h"
#include "mmu.h"
#include "sysreg.h"

#define UNTOUCHED 0x5a5a5a5a5a5a5a5aULL
#define GICD_CTLR 0x0000
#define GICD_RESERVED 0x0020 /* between GICD_STATUSR and GICD_SETSPI_NSR: reserved */
#define DCZID_DZP SR_BIT(4)
#define DCZID_BS_MASK 0xfULL
#define SPSR_M_MASK 0xfULL
#define SPSR_M_EL1H 0x5ULL
#define REPEATS 12 /* more than Tessera reports per VM: the rest must arrive too */

struct expect {
	const char *what;
	unsigned int ec;
	bool write;
	u64 far_lo, far_hi; /* FAR_EL1 must lie in [far_lo, far_hi] */
};

/* The catch's record against @e; @pc is the instruction's address. */
static bool check_abort(const struct expect *e, const struct exc_caught *x, u64 pc, u64 reg)
{
	const char *wrong = NULL;

	if (!x->taken)
		wrong = "no exception";
	else if (esr_ec(x->esr) != e->ec)
		wrong = "wrong EC";
	else if ((x->esr & ESR_xABT_FSC_MASK) != FSC_SYNC_EXTERNAL)
		wrong = "FSC is not a synchronous external abort";
	else if (!(x->esr & ESR_IL) || (x->esr & (ESR_DABT_ISV | ESR_DABT_CM | ESR_xABT_FNV)))
		wrong = "IL, ISV, CM or FnV wrong";
	else if (e->ec == ESR_EC_DABT_CUR && !!(x->esr & ESR_DABT_WNR) != e->write)
		wrong = "WnR wrong";
	else if (x->far < e->far_lo || x->far > e->far_hi)
		wrong = "FAR wrong";
	else if (x->elr != pc)
		wrong = "ELR is not the instruction";
	else if ((x->spsr & SPSR_M_MASK) != SPSR_M_EL1H)
		wrong = "SPSR_EL1 does not hold EL1h";
	else if (reg != UNTOUCHED)
		wrong = "the destination register changed";
	if (!wrong)
		return true;
	say("check faults: FAILED (%s: %s; ESR 0x%llx, FAR 0x%llx, ELR 0x%llx, PC 0x%llx)", e->what,
	    wrong, (unsigned long long)x->esr, (unsigned long long)x->far,
	    (unsigned long long)x->elr, (unsigned long long)pc);
	return false;
}

static bool wild_load(u64 addr)
{
	struct expect e = { "wild load", ESR_EC_DABT_CUR, false, addr, addr };
	u64 pc, val = UNTOUCHED;
	struct exc_caught x;

	exc_catch_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldr %1, [%2]" : "=&r"(pc), "+r"(val) : "r"(addr) : "memory");
	x = exc_catch_disarm();
	return check_abort(&e, &x, pc, val);
}

static bool wild_store(u64 addr)
{
	struct expect e = { "wild store", ESR_EC_DABT_CUR, true, addr, addr };
	u64 pc;
	struct exc_caught x;

	exc_catch_arm();
	__asm__ volatile("adr %0, 1f\n1:\tstr %1, [%2]"
			 : "=&r"(pc) : "r"(UNTOUCHED), "r"(addr) : "memory");
	x = exc_catch_disarm();
	return check_abort(&e, &x, pc, UNTOUCHED);
}

static bool wild_fetch(u64 addr)
{
	struct expect e = { "fetch", ESR_EC_IABT_CUR, false, addr, addr };
	struct exc_caught x;

	exc_catch_arm_return();
	__asm__ volatile("blr %0" : : "r"(addr) : "x30", "memory");
	x = exc_catch_disarm();
	return check_abort(&e, &x, addr, UNTOUCHED);
}

/* DC ZVA zeroes a block (DCZID_EL0.BS words); FAR is an address in it. */
static bool wild_dc_zva(u64 addr)
{
	u64 dczid = read_sysreg(dczid_el0);
	u64 block = 4ULL << (dczid & DCZID_BS_MASK);
	struct expect e = { "DC ZVA", ESR_EC_DABT_CUR, true, addr & ~(block - 1),
			    (addr & ~(block - 1)) + block - 1 };
	u64 pc;
	struct exc_caught x;

	if (dczid & DCZID_DZP) {
		say("check faults: FAILED (DC ZVA is prohibited here: DCZID_EL0 0x%llx)",
		    (unsigned long long)dczid);
		return false;
	}
	exc_catch_arm();
	__asm__ volatile("adr %0, 1f\n1:\tdc zva, %1" : "=&r"(pc) : "r"(addr) : "memory");
	x = exc_catch_disarm();
	return check_abort(&e, &x, pc, UNTOUCHED);
}

/*
 * Exception entry sets PSTATE.PAN when SCTLR_EL1.SPAN is 0 (FEAT_PAN, D1.10):
 * an injected abort must too, and must leave it alone when SPAN is 1.
 */
static bool entry_pan(u64 addr)
{
	u64 sctlr = read_sysreg(sctlr_el1);
	bool pan_when_span, pan_when_nospan;

	if (!((read_sysreg(id_aa64mmfr1_el1) >> 20) & 0xf))
		return true; /* no FEAT_PAN: nothing to check */
	exc_catch_arm();
	(void)*(volatile u64 *)(uintptr_t)addr;
	pan_when_span = exc_catch_disarm().pan;
	write_sysreg(sctlr_el1, sctlr & ~SCTLR_EL1_SPAN);
	isb();
	exc_catch_arm();
	(void)*(volatile u64 *)(uintptr_t)addr;
	pan_when_nospan = exc_catch_disarm().pan;
	write_sysreg(sctlr_el1, sctlr);
	isb();
	if (!pan_when_span && pan_when_nospan)
		return true;
	say("check faults: FAILED (PSTATE.PAN in the handler is %d with SCTLR_EL1.SPAN 1, %d with "
	    "SPAN 0; want 0 and 1)", pan_when_span, pan_when_nospan);
	return false;
}

/* Cache maintenance where nothing is: nothing can be cached there, so no abort. */
static bool wild_dc_civac(u64 addr)
{
	struct exc_caught x;

	exc_catch_arm();
	__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(addr) : "memory");
	x = exc_catch_disarm();
	if (!x.taken)
		return true;
	say("check faults: FAILED (DC CIVAC: an exception, ESR 0x%llx)", (unsigned long long)x.esr);
	return false;
}

/* A load pair: a well-formed access, but no syndrome a hypervisor can emulate from. */
static bool gicd_load_pair(u64 gicd)
{
	struct expect e = { "LDP from the GICD", ESR_EC_DABT_CUR, false, gicd, gicd + 7 };
	u64 pc, a = UNTOUCHED, b = UNTOUCHED;
	struct exc_caught x;

	exc_catch_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldp %w1, %w2, [%3]"
			 : "=&r"(pc), "+r"(a), "+r"(b) : "r"(gicd) : "memory");
	x = exc_catch_disarm();
	return check_abort(&e, &x, pc, a == UNTOUCHED ? b : a);
}

/* A width GICD_CTLR does not take, and one no GIC register takes: aborts under Tessera. */
static bool gicd_bad_widths(u64 gicd)
{
	struct expect wide = { "64-bit GICD_CTLR read", ESR_EC_DABT_CUR, false, gicd + GICD_CTLR,
			       gicd + GICD_CTLR };
	struct expect half = { "16-bit read of a reserved GICD offset", ESR_EC_DABT_CUR, false,
			       gicd + GICD_RESERVED, gicd + GICD_RESERVED };
	u64 pc, val = UNTOUCHED;
	struct exc_caught x;

	exc_catch_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldr %1, [%2]"
			 : "=&r"(pc), "+r"(val) : "r"(gicd + GICD_CTLR) : "memory");
	x = exc_catch_disarm();
	if (!check_abort(&wide, &x, pc, val))
		return false;
	exc_catch_arm();
	__asm__ volatile("adr %0, 1f\n1:\tldrh %w1, [%2]"
			 : "=&r"(pc), "+r"(val) : "r"(gicd + GICD_RESERVED) : "memory");
	x = exc_catch_disarm();
	return check_abort(&half, &x, pc, val);
}

/* A well-formed read of a reserved offset: RAZ, no abort. */
static bool gicd_reserved_raz(u64 gicd)
{
	u32 val = 0xffffffffU;
	struct exc_caught x;

	exc_catch_arm();
	val = *(volatile u32 *)(uintptr_t)(gicd + GICD_RESERVED);
	x = exc_catch_disarm();
	if (!x.taken && val == 0)
		return true;
	say("check faults: FAILED (32-bit read of a reserved GICD offset: %s 0x%llx)",
	    x.taken ? "an exception, ESR" : "read", x.taken ? (unsigned long long)x.esr : val);
	return false;
}

bool test_faults(const struct dt_info *info, u64 addr)
{
	bool ok = true;

	if (!mmu_is_normal(addr)) {
		say("check faults: FAILED (0x%llx is not in a Normal, executable block of the stage 1 "
		    "map: choose wild=0x... nearer this guest's memory)", (unsigned long long)addr);
		return false;
	}
	say("faults at 0x%llx", (unsigned long long)addr);
	ok = wild_fetch(addr) && wild_dc_zva(addr) && wild_dc_civac(addr) && entry_pan(addr);
	if (ok && info->gic.present) {
		u64 gicd = info->gic.dist.base;

		ok = gicd_load_pair(gicd) && gicd_bad_widths(gicd) && gicd_reserved_raz(gicd);
	}
	for (unsigned int i = 0; i < REPEATS && ok; i++)
		ok = wild_load(addr) && wild_store(addr + 8);
	if (ok)
		say("check faults: ok (a fetch, DC ZVA%s, %u wild loads and stores: external aborts "
		    "taken at EL1)", info->gic.present ? ", GICD LDP and widths" : "", 2 * REPEATS);
	return ok;
}
