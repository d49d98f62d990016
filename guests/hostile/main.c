/*
 * The hostile guest: a seeded campaign of accesses and calls a well-behaved
 * guest never makes (README.md). Bootargs: seed=N (1), ops=N (20000),
 * seeds=K (1: seed, seed+1, ..., one per boot, the VM restarting itself with
 * PSCI SYSTEM_RESET between them), classes=a,b,... (all), progress=N (0),
 * wait_input=1 (at the end, read a line from the console before powering off),
 * trace=N (a line for every operation from the Nth on: to find the one that
 * breaks something).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "boot.h"
#include "campaign.h"
#include "psci.h"
#include "sysreg.h"
#include "timer.h"
#include "uart.h"

const char say_prefix[] = "hostile: ";

struct args {
	u64 seed, ops, seeds, progress, trace_from;
	u32 classes;
	bool wait_input;
};

static u64 arg_number(const char *cmdline, const char *key, u64 dflt)
{
	size_t len;
	const char *v = arg_find(cmdline, key, &len);

	return v ? strtoul(v, NULL, 0) : dflt;
}

/* "gicd,wild,..." (or "all") as a mask of enum op_class; unknown names are said and skipped. */
static u32 arg_classes(const char *cmdline)
{
	size_t len;
	const char *v = arg_find(cmdline, "classes", &len);
	u32 mask = 0;

	if (!v || (len == 3 && !strncmp(v, "all", 3)))
		return (1U << OP_CLASSES) - 1;
	while (len) {
		size_t n = 0;
		unsigned int c;

		while (n < len && v[n] != ',')
			n++;
		for (c = 0; c < OP_CLASSES; c++)
			if (strlen(op_class_names[c]) == n && !strncmp(v, op_class_names[c], n))
				break;
		if (c < OP_CLASSES)
			mask |= 1U << c;
		else
			say("unknown class \"%.*s\" ignored", (int)n, v);
		v += n < len ? n + 1 : n;
		len -= n < len ? n + 1 : n;
	}
	return mask;
}

static void args_parse(const char *cmdline, struct args *a)
{
	a->seed = arg_number(cmdline, "seed", 1);
	a->ops = arg_number(cmdline, "ops", 20000);
	a->seeds = arg_number(cmdline, "seeds", 1);
	a->progress = arg_number(cmdline, "progress", 0);
	a->trace_from = arg_number(cmdline, "trace", 0);
	a->wait_input = arg_number(cmdline, "wait_input", 0) != 0;
	a->classes = arg_classes(cmdline);
}

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown/UNDEFINED";
	case 0x01: return "WFx";
	case 0x07: return "FP/SIMD";
	case 0x0e: return "illegal state";
	case ESR_EC_HVC64: return "HVC";
	case ESR_EC_SMC64: return "SMC";
	case ESR_EC_SYS64: return "MSR/MRS";
	case 0x19: return "SVE";
	case ESR_EC_IABT_CUR: return "instruction abort";
	case 0x22: return "PC alignment";
	case ESR_EC_DABT_CUR: return "data abort";
	case 0x26: return "SP alignment";
	default: return "other";
	}
}

/* Appends to @buf (of @size) at *@pos, as far as it fits. */
static void __attribute__((format(printf, 4, 5)))
append(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
	va_list ap;

	if (*pos >= size)
		return;
	va_start(ap, fmt);
	*pos += (size_t)vsnprintf(buf + *pos, size - *pos, fmt, ap);
	va_end(ap);
}

/* The seed's figures: operations by class, exceptions by class, abort status codes, verdict. */
static void summary(u64 seed, u64 ops, u64 us)
{
	char line[SAY_LINE_MAX - 64];
	size_t pos = 0;
	u64 total = 0, isr;

	for (unsigned int c = 0; c < OP_CLASSES; c++)
		append(line, sizeof(line), &pos, "%s%s %llu", c ? ", " : "", op_class_names[c],
		       (unsigned long long)stats.ops[c]);
	say("seed %llu: %llu operations in %llu ms: %s", (unsigned long long)seed,
	    (unsigned long long)ops, (unsigned long long)(us / 1000), line);

	pos = 0;
	for (unsigned int ec = 0; ec < ARRAY_SIZE(stats.exc_ec); ec++) {
		if (!stats.exc_ec[ec])
			continue;
		total += stats.exc_ec[ec];
		append(line, sizeof(line), &pos, "%sEC 0x%02x (%s) %llu", pos ? ", " : "", ec,
		       ec_name(ec), (unsigned long long)stats.exc_ec[ec]);
	}
	say("seed %llu: %llu exceptions: %s", (unsigned long long)seed, (unsigned long long)total,
	    pos ? line : "none");

	pos = 0;
	for (unsigned int fsc = 0; fsc < ARRAY_SIZE(stats.abort_fsc); fsc++)
		if (stats.abort_fsc[fsc])
			append(line, sizeof(line), &pos, "%sFSC 0x%02x %llu", pos ? ", " : "", fsc,
			       (unsigned long long)stats.abort_fsc[fsc]);
	say("seed %llu: aborts by fault status: %s", (unsigned long long)seed, pos ? line : "none");
	if (stats.architected_undef)
		say("seed %llu: %llu reads of architected registers were UNDEFINED, the first %s",
		    (unsigned long long)seed, (unsigned long long)stats.architected_undef,
		    stats.architected_undef_first);
	/* Masked throughout, so never taken: what is left pending (ISR_EL1, D19.2.80: A, I, F). */
	isr = read_sysreg(isr_el1);
	say("seed %llu: pending at the end (ISR_EL1): SError %s, IRQ %s, FIQ %s",
	    (unsigned long long)seed, isr & ISR_EL1_A ? "yes" : "no", isr & ISR_EL1_I ? "yes" : "no",
	    isr & ISR_EL1_F ? "yes" : "no");
	say("seed %llu: %s: %llu wrong answers (%llu wild accesses did not fault), %llu IRQ/FIQ/SError taken",
	    (unsigned long long)seed, stats.wrong ? "FAILED" : "ok", (unsigned long long)stats.wrong,
	    (unsigned long long)stats.wild_unfaulted, (unsigned long long)stats.exc_other);
}

void guest_main(u64 dtb)
{
	struct dt_info info = { 0 };
	struct targets t;
	struct args a;
	u64 seed, t0, us;

	guest_boot(dtb, &info);
	args_parse(info.bootargs, &a);
	seed = a.seed + info.restart_count;
	say("hello: seed %llu (%u of %llu), %llu operations, memory 0x%llx-0x%llx",
	    (unsigned long long)seed, info.restart_count + 1, (unsigned long long)a.seeds,
	    (unsigned long long)a.ops, (unsigned long long)info.memory.base,
	    (unsigned long long)(info.memory.base + info.memory.size - 1));
	targets_read(&info, &t);
	say("targets: GICD 0x%llx, GICR 0x%llx+0x%llx, vPL011 0x%llx, PCI ECAM 0x%llx+0x%llx, "
	    "window 0x%llx+0x%llx, doorbell 0x%llx; %u ranges never wild",
	    (unsigned long long)t.gicd.base, (unsigned long long)t.gicr.base,
	    (unsigned long long)t.gicr.size, (unsigned long long)t.uart.base,
	    (unsigned long long)t.pci_ecam.base, (unsigned long long)t.pci_ecam.size,
	    (unsigned long long)t.pci_window.base, (unsigned long long)t.pci_window.size,
	    (unsigned long long)t.doorbell.base, t.avoid_count);
	wild_map_normal(&t);
	campaign_hook_install();
	rnd_seed(seed);

	t0 = timer_count();
	campaign_run(&t, a.ops, a.classes, a.progress, a.trace_from);
	us = timer_ticks_to_us(timer_count() - t0);
	summary(seed, a.ops, us);

	if (info.restart_count + 1 < a.seeds) {
		say("seed %llu done; restarting the VM for seed %llu", (unsigned long long)seed,
		    (unsigned long long)seed + 1);
		psci_system_reset();
	}
	say("campaign finished: %llu seed(s) of %llu operations", (unsigned long long)a.seeds,
	    (unsigned long long)a.ops);
	if (a.wait_input) {
		char buf[64];
		unsigned int n = 0;

		uart_enable_rx();
		say("waiting for a line of input");
		for (char c = uart_getc(); c != '\r' && c != '\n'; c = uart_getc())
			if (n < sizeof(buf) - 1)
				buf[n++] = c;
		buf[n] = 0;
		say("got '%s'", buf);
	}
	say("done, powering off");
	psci_system_off();
}
