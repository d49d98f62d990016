/*
 * The virtual BPMP against a restart or stop on another CPU: a guest rings
 * with a request on one CPU while its VM restarts (or stops) on another.
 * Each CPU is simulated (sim_cpus.h) and every schedule with up to two
 * preemptions at lock acquisitions is run, so the restart can fall between
 * the request's check and its hand-over to the BPMP driver. After each run,
 * the new life must see nothing of the old one's request: no answer in its
 * channel, and its own requests answered (the VM is not left busy).
 * Old scheme (#include of the files under test): the simulated CPUs' race
 * points are the fake spinlock's, which a linked file would not share.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <tessera/types.h>

#include "fake_spinlock.h"
#include "sim_cpus.h"

#include <arch/sysregs.h>
#undef read_sysreg
#undef write_sysreg
#undef isb
#undef dsb
#define read_sysreg(reg) fake_read_sysreg(#reg)
#define write_sysreg(reg, v) ((void)(v))
#define isb() ((void)0)
#define dsb(opt) ((void)0)

static u64 fake_read_sysreg(const char *name)
{
	if (!strcmp(name, "cntfrq_el0"))
		return 1000000;
	return 1000; /* cntpct_el0: time stands still, nothing times out */
}

#include <tessera/vm.h>

#include "../../hyp/core/emul.c"
#include "../../hyp/drivers/bpmp/ivc.c"
#include "../../hyp/virt/vbpmp_filter.c"
#include "../../hyp/virt/vhsp.c"
#include "../../hyp/drivers/bpmp/bpmp.c"
#include "../../hyp/virt/vbpmp.c"
#include "bpmp_model.c"

#define HSP_IPA 0x0c000000ULL
#define SRAM_IPA 0x0c100000ULL
#define INTID 40U
#define CLK 0x130U

static struct vm vm;
static struct vm_config cfg;
static u8 *sram;
static struct ivc chan[VBPMP_CHANNELS];
static struct platform plat;
static bool stop_instead; /* the other CPU stops the VM rather than restarting it */
static const char *scenario;

/* ---- the rest of Tessera, as far as these files reach */

void printk(const char *fmt, ...) { (void)fmt; }
void dcache_clean_poc(u64 start, u64 end) { (void)start; (void)end; }
void dcache_inval_poc(u64 start, u64 end) { (void)start; (void)end; }
void vgic_set_level(struct vm *v, u32 intid, bool level) { (void)v; (void)intid; (void)level; }
int mmu_map_device(u64 base, u64 size) { (void)base; (void)size; return 0; }
int mmu_map_ram(u64 base, u64 size) { (void)base; (void)size; return 0; }
void gic_set_spi_trigger(u32 intid, bool edge) { (void)intid; (void)edge; }
void gic_enable_spi(u32 intid, u64 mpidr) { (void)intid; (void)mpidr; }
void gic_enable_private(u32 intid) { (void)intid; }
/* Time stands still: the EL2 timer service (not included) never fires. */
u64 el2_timer_now(void) { return fake_read_sysreg("cntpct_el0"); }
void el2_timer_arm(struct el2_timer *timer, u64 deadline) { (void)timer; (void)deadline; }

int pt_map(struct pgtable *pt, u64 va, u64 pa, u64 size, unsigned int prot)
{
	(void)pt; (void)va; (void)size; (void)prot;
	sram = (u8 *)(uintptr_t)pa;
	return 0;
}

bool vm_add_emul(struct vm *v, const char *name, u64 base, u64 size, void *dev,
		 enum mmio_result (*access)(void *dev, struct mmio_access *acc))
{
	v->emul[v->emul_count++] = (struct emul_device){ name, base, size, dev, access };
	return true;
}

/* ---- the guest (test_vbpmp.c says how it stands for Linux) */

static void hsp_write(u32 offset, u32 value)
{
	struct mmio_access acc = { HSP_IPA + offset, offset, 4, true, value };

	assert_int_equal(vm.emul[0].access(vm.emul[0].dev, &acc), MMIO_OK);
}

static void guest_ring(void)
{
	hsp_write(VHSP_DB_REG(HSP_DB_BPMP, HSP_DB_TRIGGER), 1);
}

static void guest_boot(void)
{
	hsp_write(VHSP_DB_REG(HSP_DB_CCPLEX, HSP_DB_ENABLE), 1U << HSP_MASTER_BPMP);
	for (unsigned int c = 0; c < VBPMP_CHANNELS; c++) {
		u32 off = (c < VBPMP_REQUEST_CHANNELS ? c : VBPMP_CPU_RX_CHANNEL) * VBPMP_CHANNEL_STRIDE;

		assert_true(ivc_init(&chan[c], sram + off, sram + VBPMP_SRAM_POOL_SIZE + off,
				     VBPMP_CHANNEL_STRIDE, 1, BPMP_MSG_SIZE));
		guest_ring();
		for (unsigned int polls = 0; !ivc_established(&chan[c]); polls++) {
			if (ivc_notified(&chan[c]))
				guest_ring();
			assert_true(polls < 4);
		}
	}
}

static void guest_post(unsigned int c, u32 clk)
{
	u32 frame[BPMP_MSG_SIZE / 4] = { MRQ_CLK, BPMP_MSG_ACK | BPMP_MSG_RING,
					 CMD_CLK_GET_RATE << 24 | clk };

	assert_int_equal(ivc_write_frame(&chan[c], frame, sizeof(frame)), IVC_OK);
}

/* The BPMP answers what it took, the doorbell interrupt delivers it. */
static void bpmp_answers_all(void)
{
	while (bpmp_model_answer_one())
		while (bpmp_model.ccplex_raw & bpmp_model.ccplex_enable)
			assert_true(bpmp_irq(MODEL_DB_INTID));
}

/* ---- the race */

static void cpu_guest_rings(unsigned int cpu)
{
	(void)cpu;
	guest_ring();
}

static void cpu_restart(unsigned int cpu)
{
	(void)cpu;
	if (stop_instead)
		vbpmp_vm_stop(&vm);
	else
		vbpmp_vm_reset(&vm);
}

static void setup_race(void)
{
	bpmp_model_reset(MODEL_LATE, &plat);
	assert_true(bpmp_init(&plat, 0));
	memset(&vm, 0, sizeof(vm));
	cfg.vbpmp = (struct vbpmp_config){
		.present = true, .hsp_ipa = HSP_IPA, .sram_ipa = SRAM_IPA, .intid = INTID,
		.allow = { .clocks = { { CLK }, 1 } },
	};
	vm.cfg = &cfg;
	assert_true(vbpmp_vm_create(&vm));
	vbpmp_vm_reset(&vm);
	guest_boot();
	guest_post(0, CLK);
	sim_add_cpu(0, cpu_guest_rings);
	sim_add_cpu(1, cpu_restart);
}

static void check_race(void)
{
	u32 frame[BPMP_MSG_SIZE / 4];
	struct vbpmp *vb = vbpmp_of(&vm);

	if (!stop_instead)
		guest_boot(); /* the new life's probe, before the old request's answer comes */
	bpmp_answers_all(); /* the old life's request, if it went: its answer comes now */
	if (stop_instead) {
		if (vb->busy || bpmp.head || bpmp.on_channel)
			fail_msg("%s, preempted at %d and %d: the stopped VM's request is still out",
				 scenario, (int)sim_preempt[0], (int)sim_preempt[1]);
		return;
	}
	if (ivc_read_frame(&chan[0], frame, sizeof(frame)) != IVC_EMPTY)
		fail_msg("%s, preempted at %d and %d: the new life got the old life's answer", scenario,
			 (int)sim_preempt[0], (int)sim_preempt[1]);
	/* The new life's own request is taken and answered: nothing was left busy. */
	guest_post(1, CLK);
	guest_ring();
	bpmp_answers_all();
	assert_int_equal(ivc_read_frame(&chan[1], frame, sizeof(frame)), IVC_OK);
	assert_int_equal(frame[0], 0);
	assert_int_equal(frame[2], CLK * 1000);
}

static void test_request_vs_restart(void **state)
{
	(void)state;
	scenario = "a request against a restart";
	stop_instead = false;
	printf("  %u schedules\n", sim_explore(setup_race, check_race));
}

static void test_request_vs_stop(void **state)
{
	(void)state;
	scenario = "a request against a stop";
	stop_instead = true;
	printf("  %u schedules\n", sim_explore(setup_race, check_race));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_vs_restart),
		cmocka_unit_test(test_request_vs_stop),
	};

	(void)sim_wait_msg; /* no CPU here waits for a message */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
