/*
 * The test guest's flow: read the DT, say hello, run what the bootargs ask
 * for (test=selftest|escape|smccc|manage|undef|hwregs|faults|echo|rt|channel|channel-ro|dma|canary|level|
 *      suspend|suspend-reset|hog|memhog|net|nethostile,
 * ticks=N, escape=0xADDR, wild=0xADDR, period_us=N, seconds=S, messages=N, handshake_s=S,
 * corrupt=K, victim=0xADDR, reboot=1, canary=0xADDR, busy_us=N, work=N,
 * net_ip=, net_peer=, net_frames=, net_every_us=, net_seconds=), power off.
 */
#include <string.h>
#include <stdlib.h>

#include "args.h"
#include "boot.h"
#include "chanproto.h"
#include "chantest.h"
#include "checks.h"
#include "dmatest.h"
#include "dt.h"
#include "faults.h"
#include "hog.h"
#include "hwregs.h"
#include "leveltest.h"
#include "mmu.h"
#include "nettest.h"
#include "psci.h"
#include "rt.h"
#include "sysreg.h"
#include "tests.h"
#include "timer.h"

#define TICK_US 20000

const char say_prefix[] = "testguest: ";

struct args {
	const char *test; /* not NUL-terminated: test_len bytes */
	size_t test_len;
	unsigned long ticks;
	u64 escape;
	bool escape_given;
	u64 wild; /* test=faults; 0 when not given */
	u64 period_us; /* test=rt */
	u64 seconds;
	u32 messages; /* test=channel */
	u32 handshake_s;
	u32 corrupt;  /* CHPROTO_NO_CORRUPT when not given */
	u64 victim;   /* test=dma */
	bool reboot;  /* test=dma */
	u64 canary;   /* test=canary */
	u64 busy_us;  /* test=hog */
	u64 work;
	struct net_args net; /* test=net, test=nethostile, test=rt's frames */
};

static void args_parse(const char *cmdline, struct args *a)
{
	size_t len;
	const char *v;

	a->test = arg_find(cmdline, "test", &a->test_len);
	if (!a->test) {
		a->test = "selftest";
		a->test_len = strlen(a->test);
	}
	v = arg_find(cmdline, "ticks", &len);
	a->ticks = v ? strtoul(v, NULL, 0) : 0;
	v = arg_find(cmdline, "escape", &len);
	a->escape_given = v != NULL;
	a->escape = v ? strtoul(v, NULL, 0) : 0;
	v = arg_find(cmdline, "wild", &len);
	a->wild = v ? strtoul(v, NULL, 0) : 0;
	v = arg_find(cmdline, "period_us", &len);
	a->period_us = v ? strtoul(v, NULL, 0) : RT_PERIOD_US_DEFAULT;
	v = arg_find(cmdline, "seconds", &len);
	a->seconds = v ? strtoul(v, NULL, 0) : RT_SECONDS_DEFAULT;
	v = arg_find(cmdline, "messages", &len);
	a->messages = v ? (u32)strtoul(v, NULL, 0) : CHANNEL_MESSAGES_DEFAULT;
	v = arg_find(cmdline, "handshake_s", &len);
	a->handshake_s = v ? (u32)strtoul(v, NULL, 0) : CHANNEL_HANDSHAKE_S_DEFAULT;
	v = arg_find(cmdline, "corrupt", &len);
	a->corrupt = v ? (u32)strtoul(v, NULL, 0) : CHPROTO_NO_CORRUPT;
	v = arg_find(cmdline, "victim", &len);
	a->victim = v ? strtoul(v, NULL, 0) : 0;
	v = arg_find(cmdline, "reboot", &len);
	a->reboot = v && strtoul(v, NULL, 0);
	v = arg_find(cmdline, "canary", &len);
	a->canary = v ? strtoul(v, NULL, 0) : 0;
	v = arg_find(cmdline, "busy_us", &len);
	a->busy_us = v ? strtoul(v, NULL, 0) : 0;
	v = arg_find(cmdline, "work", &len);
	a->work = v ? strtoul(v, NULL, 0) : 0;
	net_args_parse(cmdline, &a->net);
}

static bool test_is(const struct args *a, const char *name)
{
	return a->test_len == strlen(name) && !strncmp(a->test, name, a->test_len);
}

static void run_selftest(const struct dt_info *info)
{
	bool ok = true;

	ok = check_memory(info) && ok;
	ok = check_uart() && ok;
	ok = check_timer() && ok;
	ok = check_gic(info) && ok;
	ok = check_psci(info) && ok;
	say(ok ? "all checks passed" : "some checks FAILED");
}

/* Ticks on absolute deadlines, 20 ms apart: no drift from printing. */
static void run_ticks(unsigned long n)
{
	u64 period = timer_us_to_ticks(TICK_US), deadline = timer_count();

	for (unsigned long k = 1; k <= n; k++) {
		deadline += period;
		if (timer_wait_until(deadline, timer_freq(), NULL) != TIMER_FIRED) {
			say("tick %lu: FAILED (the virtual timer did not fire on time)", k);
			return;
		}
		say("tick %lu", k);
	}
}

void guest_main(u64 dtb)
{
	struct dt_info info = { 0 };
	unsigned int el = (unsigned int)(read_sysreg(CurrentEL) >> CURRENTEL_EL_SHIFT) &
			  CURRENTEL_EL_MASK;
	struct args args;

	guest_boot(dtb, &info);
	say("hello (EL%u, dtb at 0x%llx, memory 0x%llx-0x%llx)", el, (unsigned long long)dtb,
	    (unsigned long long)info.memory.base,
	    (unsigned long long)(info.memory.base + info.memory.size - 1));
	if (info.restart_count) /* /chosen/tessera,restart-count: this is not its first life */
		say("restarted by Tessera: restart count %u", info.restart_count);
	if (mmu_is_normal(info.uart.base))
		say("warning: the PL011 at 0x%llx shares a 1 GiB block with RAM and is mapped Normal",
		    (unsigned long long)info.uart.base);

	args_parse(info.bootargs, &args);
	if (test_is(&args, "selftest"))
		run_selftest(&info);
	else if (test_is(&args, "escape"))
		test_escape(args.escape_given ? args.escape
					      : info.memory.base + info.memory.size + SZ_16M);
	else if (test_is(&args, "smccc"))
		test_smccc();
	else if (test_is(&args, "manage")) {
		test_manage(1); /* the second VM of its scenario: its own ID */
		test_rt(&info, args.period_us, args.seconds, NULL);
	} else if (test_is(&args, "undef"))
		test_undef();
	else if (test_is(&args, "hwregs"))
		test_hwregs();
	else if (test_is(&args, "faults"))
		test_faults(&info, args.wild ? args.wild : info.memory.base + info.memory.size + SZ_16M);
	else if (test_is(&args, "memhog"))
		test_memhog(&info, args.seconds);
	else if (test_is(&args, "echo"))
		test_echo();
	else if (test_is(&args, "rt"))
		test_rt(&info, args.period_us, args.seconds, &args.net);
	else if (test_is(&args, "channel"))
		test_channel(&info, args.messages, args.handshake_s, args.corrupt);
	else if (test_is(&args, "channel-ro"))
		test_channel_ro(&info);
	else if (test_is(&args, "dma"))
		test_dma(&info, args.victim, args.reboot);
	else if (test_is(&args, "canary"))
		test_canary(&info, args.canary, args.seconds);
	else if (test_is(&args, "level"))
		test_level(&info);
	else if (test_is(&args, "suspend"))
		test_suspend(&info);
	else if (test_is(&args, "suspend-reset"))
		test_suspend_reset(&info);
	else if (test_is(&args, "hog"))
		test_hog(&info, args.period_us, args.busy_us, args.work, args.seconds);
	else if (test_is(&args, "net"))
		test_net(&info, &args.net);
	else if (test_is(&args, "nethostile"))
		test_nethostile(&info, &args.net);
	else
		say("unknown test \"%.*s\" (selftest, escape, smccc, manage, undef, hwregs, faults, memhog, hog, echo, rt, "
		    "channel, channel-ro, dma, canary, level, suspend, suspend-reset, net, nethostile)",
		    (int)args.test_len, args.test);

	run_ticks(args.ticks);
	say("done, powering off");
	psci_system_off();
}
