/* test=escape, test=smccc, test=manage, test=undef, test=memhog, test=echo (tests.h). */
#include "exc.h"
#include "timer.h"
#include "psci.h"
#include "sysreg.h"
#include "tests.h"
#include "uart.h"

#define ESCAPE_PATTERN 0x7e55e7a0e5ca9e00ULL

void test_escape(u64 addr)
{
	say("escaping to 0x%llx", (unsigned long long)addr);
	*(volatile u64 *)(uintptr_t)addr = ESCAPE_PATTERN;
	dsb(sy);
	say("escape write did not fault");
}

/* One call by @conduit; prints "<kind> <conduit> 0x<fid> returned <x0>"; true when x0 is -1. */
static bool smccc_not_supported(const char *kind, enum smccc_conduit conduit, u32 fid)
{
	struct exc_caught exc;
	s64 ret;

	exc_catch_arm();
	ret = smccc_call(conduit, fid, 0, 0, 0);
	exc = exc_catch_disarm();
	if (exc.taken) {
		say("%s %s 0x%08x raised an exception at EL1 (EC 0x%02x, ESR 0x%llx)", kind,
		    conduit_name(conduit), fid, esr_ec(exc.esr), (unsigned long long)exc.esr);
		return false;
	}
	say("%s %s 0x%08x returned %lld", kind, conduit_name(conduit), fid, (long long)ret);
	return ret == SMCCC_RET_NOT_SUPPORTED;
}

/*
 * One call by @conduit with x4-x30 holding known values; the mask of those
 * that came back changed (bit n: xn). SMCCC v1.1, which Tessera reports,
 * preserves x4-x17 (DEN 0028 2.7: results are in x0-x3 only) and x18-x30 are
 * the callee's to keep (AAPCS64), however much of the frame the hypervisor's
 * path saves. x29 and x30 are set too, kept on the stack around the call.
 */
static u64 smccc_changed_regs(enum smccc_conduit conduit, u32 fid)
{
	u64 changed;

#define SMCCC_SET_REGS                                                                    \
	".irp n,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n" \
	"mov x\\n, #\\n\n"                                                                    \
	"movk x\\n, #0xa5c3, lsl #48\n"                                                        \
	".endr\n"
#define SMCCC_CHECK_REGS                                                                  \
	"mov x1, xzr\n"                                                                     \
	".irp n,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n" \
	"mov x2, #\\n\n"                                                                      \
	"movk x2, #0xa5c3, lsl #48\n"                                                          \
	"cmp x\\n, x2\n"                                                                       \
	"cset x3, ne\n"                                                                       \
	"orr x1, x1, x3, lsl #\\n\n"                                                          \
	".endr\n"
	if (conduit == CONDUIT_SMC)
		__asm__ volatile("mov x0, %[fid]\n\tstp x29, x30, [sp, #-16]!\n" SMCCC_SET_REGS
				 "smc #0\n" SMCCC_CHECK_REGS "ldp x29, x30, [sp], #16\n\tmov %[changed], x1"
				 : [changed] "=r"(changed)
				 : [fid] "r"((u64)fid)
				 : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				   "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
				   "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "cc", "memory");
	else
		__asm__ volatile("mov x0, %[fid]\n\tstp x29, x30, [sp, #-16]!\n" SMCCC_SET_REGS
				 "hvc #0\n" SMCCC_CHECK_REGS "ldp x29, x30, [sp], #16\n\tmov %[changed], x1"
				 : [changed] "=r"(changed)
				 : [fid] "r"((u64)fid)
				 : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				   "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
				   "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "cc", "memory");
#undef SMCCC_SET_REGS
#undef SMCCC_CHECK_REGS
	return changed;
}

/*
 * Registers across calls that take each of the hypervisor's SMCCC paths:
 * SMCCC_VERSION (an architecture call), PSCI_VERSION (a standard service),
 * TRNG_VERSION (a probe answered NOT_SUPPORTED, silently), by HVC and SMC.
 */
static bool smccc_preserves_registers(void)
{
	static const u32 fids[] = { 0x80000000U, 0x84000000U, 0x84000050U };
	static const enum smccc_conduit conduits[] = { CONDUIT_HVC, CONDUIT_SMC };
	bool ok = true;

	for (unsigned int c = 0; c < ARRAY_SIZE(conduits); c++)
		for (unsigned int i = 0; i < ARRAY_SIZE(fids); i++) {
			u64 changed = smccc_changed_regs(conduits[c], fids[i]);

			if (changed) {
				say("registers changed by %s 0x%08x: mask 0x%llx (bit n: xn)",
				    conduit_name(conduits[c]), fids[i], (unsigned long long)changed);
				ok = false;
			}
		}
	if (ok)
		say("smccc: x4-x30 preserved across %u calls", (unsigned int)(ARRAY_SIZE(fids) * ARRAY_SIZE(conduits)));
	return ok;
}

bool test_smccc(void)
{
	/*
	 * Probes Linux makes at boot for services Tessera lacks: TRNG_VERSION
	 * (DEN 0098) and the vendor-specific hypervisor service's Call UID
	 * (DEN 0028, "General Service Queries"). Then fast calls, SMC32 and
	 * SMC64, owning entity 6 (vendor-specific hypervisor service, DEN 0028
	 * "Function Identifier"), function 0xff00: nobody implements it.
	 */
	static const u32 probes[] = { 0x84000050U, 0x8600ff01U };
	static const u32 unknown[] = { 0x8600ff00U, 0xc600ff00U };
	static const enum smccc_conduit conduits[] = { CONDUIT_HVC, CONDUIT_SMC };
	bool ok = true;

	for (unsigned int c = 0; c < ARRAY_SIZE(conduits); c++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(probes); i++)
			ok = smccc_not_supported("probe", conduits[c], probes[i]) && ok;
		for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++)
			ok = smccc_not_supported("unknown", conduits[c], unknown[i]) && ok;
	}
	ok = smccc_preserves_registers() && ok;
	if (ok)
		say("check smccc: ok");
	else
		say("check smccc: FAILED (not every call returned -1)");
	return ok;
}

/*
 * The management calls from a VM that is not the manager (docs/management.md,
 * tessera/manage.h: SMC64 fast calls, owner 6, functions 0x100 + command):
 * version, info, stop, start, restart, stats and network figures, each of
 * VM 0 and of this VM (ID @self), all with valid arguments. Each must return NOT_SUPPORTED, and
 * the manager must see nothing changed (the scenario checks that).
 */
bool test_manage(u64 self)
{
	static const u32 fids[] = { 0xc6000100U, 0xc6000101U, 0xc6000102U, 0xc6000103U,
				    0xc6000104U, 0xc6000105U, 0xc6000106U };
	bool ok = true;

	for (unsigned int i = 0; i < ARRAY_SIZE(fids); i++) {
		struct exc_caught exc;
		s64 ret[2];

		exc_catch_arm();
		ret[0] = smccc_call(CONDUIT_HVC, fids[i], 0, 0, 0);
		ret[1] = smccc_call(CONDUIT_HVC, fids[i], self, 0, 0);
		exc = exc_catch_disarm();
		if (exc.taken) {
			say("manage: HVC 0x%08x raised an exception at EL1 (EC 0x%02x)", fids[i],
			    esr_ec(exc.esr));
			ok = false;
			continue;
		}
		say("manage: HVC 0x%08x (VM 0) returned %lld, (VM %llu) returned %lld", fids[i],
		    (long long)ret[0], (unsigned long long)self, (long long)ret[1]);
		ok = ok && ret[0] == SMCCC_RET_NOT_SUPPORTED && ret[1] == SMCCC_RET_NOT_SUPPORTED;
	}
	if (ok)
		say("check manage: ok (not the manager: every management call NOT_SUPPORTED)");
	else
		say("check manage: FAILED (a management call from a VM that is not the manager was answered)");
	return ok;
}

/*
 * One system-register read that must arrive as an Undefined Instruction
 * exception at EL1 (EC 0); the handler restores every register, so @val stays
 * as it was when the read UNDEFs.
 */
static bool expect_undef(const char *what, u64 (*read)(u64 val))
{
	u64 val = 0x5a5a5a5a5a5a5a5aULL;
	struct exc_caught exc;

	exc_catch_arm();
	val = read(val);
	exc = exc_catch_disarm();

	if (!exc.taken) {
		say("check undef: FAILED (%s: no exception, the read returned 0x%llx)", what,
		    (unsigned long long)val);
		return false;
	}
	if (esr_ec(exc.esr) != ESR_EC_UNKNOWN) {
		say("check undef: FAILED (%s: EC 0x%02x taken at EL1, ESR 0x%llx, ELR 0x%llx)", what,
		    esr_ec(exc.esr), (unsigned long long)exc.esr, (unsigned long long)exc.elr);
		return false;
	}
	return true;
}

/* S3_1_C15_C0_0: an IMPLEMENTATION DEFINED register (DDI 0487 J.a D19.2.119). */
static u64 read_impdef(u64 val)
{
	__asm__ volatile("mrs %0, s3_1_c15_c0_0" : "+r"(val) : : "memory");
	return val;
}

bool test_undef(void)
{
	if (!expect_undef("S3_1_C15_C0_0", read_impdef))
		return false;
	say("check undef: ok (EC 0x00 taken at EL1)");
	return true;
}

void test_echo(void)
{
	char line[64];
	size_t n = 0;

	uart_enable_rx(); /* Tessera drops input for a VM whose receiver is off */
	say("waiting for a line of input");
	for (;;) {
		char c = uart_getc();

		if (c == '\r' || c == '\n')
			break;
		if (n < sizeof(line) - 1)
			line[n++] = c;
	}
	line[n] = '\0';
	say("got '%s'", line);
}

#define HOG_BYTES SZ_1M /* beyond the guest's image: a span of its own RAM the loop writes */
#define HOG_OFFSET (8 * SZ_1M)

void test_memhog(const struct dt_info *info, u64 seconds)
{
	volatile u64 *buf = (volatile u64 *)(uintptr_t)(info->memory.base + HOG_OFFSET);
	u64 end = seconds ? timer_count() + seconds * timer_freq() : 0, sum = 0, rounds = 0;

	say("memhog: writing %llu KiB at 0x%llx in a loop, %llu s (0: until stopped)", HOG_BYTES / 1024,
	    (unsigned long long)(uintptr_t)buf, (unsigned long long)seconds);
	do {
		for (size_t i = 0; i < HOG_BYTES / sizeof(u64); i += 8) /* one store per 64-byte line */
			buf[i] = sum += i ^ rounds;
		rounds++;
	} while (!end || timer_count() < end);
	say("memhog: done, %llu rounds (checksum 0x%llx)", (unsigned long long)rounds,
	    (unsigned long long)sum);
}
