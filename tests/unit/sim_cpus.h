/*
 * Simulated CPUs for host tests of cross-CPU code: each CPU is a coroutine
 * (ucontext) and only one runs at a time, so a run is deterministic. A CPU
 * gives way to another at a *race point* (every lock acquisition, through
 * tests/unit/fake_spinlock.h, and whatever else the test marks: shared
 * reads and atomics) when the schedule says so, and whenever it waits (a
 * lock held elsewhere, a busy-wait loop, a message). sim_explore() runs a
 * scenario under every schedule with at most two preemptions at race
 * points: the interleavings that expose check-then-act races.
 *
 * Include after cmocka and fake_spinlock.h, in one translation unit.
 */
#ifndef SIM_CPUS_H
#define SIM_CPUS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#define SIM_MAX_CPUS 4
#define SIM_STACK (256 * 1024)
#define SIM_SPIN_LIMIT 100000 /* waits in a row with no progress: a livelock */
#define SIM_NO_POINT (~0u)

enum sim_cpu_state { SIM_IDLE, SIM_READY, SIM_BLOCKED, SIM_DONE };

struct sim_cpu {
	ucontext_t ctx;
	enum sim_cpu_state state;
	void (*fn)(unsigned int cpu);
	u32 *msgs; /* blocked until this word is non-zero (sim_wait_msg) */
};

static struct sim_cpu sim_cpu[SIM_MAX_CPUS];
static char sim_stack[SIM_MAX_CPUS][SIM_STACK];
static ucontext_t sim_main;
static unsigned int sim_current;
static unsigned int sim_points;     /* race points passed in this run */
static unsigned int sim_preempt[2]; /* the race points where this run switches CPU */
static unsigned int sim_spins;
static bool sim_running;
static void (*sim_resumed)(void); /* the test's per-CPU fakes follow the CPU that runs */

static int sim_this_cpu(void)
{
	return (int)sim_current;
}

/* To the next CPU after this one that can run, if any; false when none can. */
static bool sim_switch(void)
{
	for (unsigned int k = 1; k < SIM_MAX_CPUS; k++) {
		unsigned int next = (sim_current + k) % SIM_MAX_CPUS;
		struct sim_cpu *c = &sim_cpu[next];

		if (c->state == SIM_BLOCKED && c->msgs && __atomic_load_n(c->msgs, __ATOMIC_RELAXED))
			c->state = SIM_READY;
		if (c->state == SIM_READY) {
			unsigned int prev = sim_current;

			sim_current = next;
			swapcontext(&sim_cpu[prev].ctx, &c->ctx);
			if (sim_resumed)
				sim_resumed(); /* back on this CPU */
			return true;
		}
	}
	return false;
}

static void sim_race_point(void)
{
	unsigned int n;

	if (!sim_running)
		return;
	n = sim_points++;
	if (n == sim_preempt[0] || n == sim_preempt[1])
		sim_switch();
}

/* This CPU spins on something another CPU must change. */
static void sim_wait(void)
{
	assert_true(sim_running);
	if (++sim_spins > SIM_SPIN_LIMIT)
		fail_msg("CPU %u: livelock", sim_current);
	if (!sim_switch())
		fail_msg("CPU %u waits and no other CPU can run: deadlock", sim_current);
}

/* Ends this CPU's part in the run (it never resumes). */
static void __attribute__((noreturn)) sim_exit(void)
{
	sim_cpu[sim_current].state = SIM_DONE;
	sim_spins = 0;
	if (!sim_switch())
		setcontext(&sim_main);
	abort(); /* a finished CPU is never switched back to */
}

/*
 * Blocks until *@msgs is non-zero (an SGI arrives); ends this CPU's part
 * when no other CPU could ever send one (every other one done or blocked).
 */
static void sim_wait_msg(u32 *msgs)
{
	while (!__atomic_load_n(msgs, __ATOMIC_RELAXED)) {
		sim_cpu[sim_current].state = SIM_BLOCKED;
		sim_cpu[sim_current].msgs = msgs;
		if (!sim_switch())
			sim_exit();
		sim_spins = 0; /* a message arrived: progress */
	}
	sim_cpu[sim_current].state = SIM_READY;
}

static void sim_trampoline(void)
{
	if (sim_resumed)
		sim_resumed();
	sim_cpu[sim_current].fn(sim_current);
	sim_exit();
}

/* A CPU that runs @fn (on its own stack) in the next sim_run. */
static void sim_add_cpu(unsigned int cpu, void (*fn)(unsigned int cpu))
{
	struct sim_cpu *c = &sim_cpu[cpu];

	assert_true(cpu < SIM_MAX_CPUS);
	*c = (struct sim_cpu){ .state = SIM_READY, .fn = fn };
	getcontext(&c->ctx);
	c->ctx.uc_stack.ss_sp = sim_stack[cpu];
	c->ctx.uc_stack.ss_size = SIM_STACK;
	c->ctx.uc_link = NULL;
	makecontext(&c->ctx, sim_trampoline, 0);
}

/*
 * One run: @setup (on the main stack: builds the state and sim_add_cpu's
 * the CPUs), then CPU 0 first, switching at race points @p0 and @p1, until
 * no CPU can go on; then @check. The number of race points passed.
 */
static unsigned int sim_run(void (*setup)(void), void (*check)(void), unsigned int p0, unsigned int p1)
{
	struct fake_spin_sim *hooks = fake_spin_sim();

	memset(sim_cpu, 0, sizeof(sim_cpu));
	setup();
	*hooks = (struct fake_spin_sim){ sim_this_cpu, sim_wait, sim_race_point };
	sim_points = 0;
	sim_spins = 0;
	sim_preempt[0] = p0;
	sim_preempt[1] = p1;
	sim_current = 0;
	sim_running = true;
	swapcontext(&sim_main, &sim_cpu[0].ctx);
	sim_running = false;
	*hooks = (struct fake_spin_sim){ 0 };
	sim_current = 0;
	check();
	return sim_points;
}

/* Every schedule with up to two preemptions; the number of runs. */
static unsigned int sim_explore(void (*setup)(void), void (*check)(void))
{
	unsigned int runs = 1, points = sim_run(setup, check, SIM_NO_POINT, SIM_NO_POINT);

	for (unsigned int i = 0; i < points; i++) {
		unsigned int after_i = sim_run(setup, check, i, SIM_NO_POINT);

		runs++;
		for (unsigned int j = i + 1; j < after_i; j++) {
			unsigned int n = sim_run(setup, check, i, j);

			runs++;
			if (n > after_i)
				after_i = n; /* a later switch can reach more points */
		}
	}
	return runs;
}

#endif
