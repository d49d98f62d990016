/*
 * kvmvmm: boots one arm64 guest under KVM for the benchmark's KVM column.
 *
 *   kvmvmm --kernel IMAGE [--initrd FILE] [--bootargs "..."] [--cpus N]
 *          [--mem-mib M] [--first-cpu C] [--no-pmu]
 *
 * vCPU i runs on its own thread pinned to host CPU C + i. The guest's console
 * is on stdout (each line prefixed, pl011.c), this program's own messages on
 * stderr. Exit status: 0 when the guest powered off (PSCI SYSTEM_OFF), 3 when
 * it asked for a reset, 1 on any error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmm.h"

#define ME "kvmvmm"
#define EXIT_RESET 3

void die(const char *fmt, ...)
{
	va_list ap;

	console_flush();
	fprintf(stderr, ME ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* A KVM ioctl that must succeed; its name in the message when it does not. */
static int kvm_ioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int ret;

	do
		ret = ioctl(fd, req, arg);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		die("%s: %s", what, strerror(errno));
	return ret;
}
#define KVM_IOCTL(fd, req, arg) kvm_ioctl((fd), (req), (arg), #req)

static void set_device_attr(int fd, uint32_t group, uint64_t attr, void *val, const char *what)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)val };

	kvm_ioctl(fd, KVM_SET_DEVICE_ATTR, &a, what);
}

static void set_core_reg(const struct vcpu *v, uint64_t id, uint64_t val, const char *what)
{
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | id,
		.addr = (uint64_t)(uintptr_t)&val,
	};

	kvm_ioctl(v->fd, KVM_SET_ONE_REG, &reg, what);
}

static void create_vm(struct vm *vm)
{
	struct kvm_userspace_memory_region region;
	int api;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		die("/dev/kvm: %s (is the host at EL2 with KVM initialised?)", strerror(errno));
	api = KVM_IOCTL(vm->kvm_fd, KVM_GET_API_VERSION, NULL);
	if (api != KVM_API_VERSION)
		die("KVM API version %d, this VMM knows %d", api, KVM_API_VERSION);
	vm->fd = KVM_IOCTL(vm->kvm_fd, KVM_CREATE_VM, NULL); /* type 0: 40-bit IPA */
	vm->run_size = (size_t)KVM_IOCTL(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, NULL);
	if (vm->pmu && ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PMU_V3) <= 0) {
		fprintf(stderr, ME ": KVM offers no guest PMU (KVM_CAP_ARM_PMU_V3); none given\n");
		vm->pmu = false;
	}

	vm->ram = mmap(NULL, vm->ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED)
		die("guest RAM (%llu bytes): %s", (unsigned long long)vm->ram_size, strerror(errno));
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = GUEST_RAM_BASE,
		.memory_size = vm->ram_size,
		.userspace_addr = (uint64_t)(uintptr_t)vm->ram,
	};
	KVM_IOCTL(vm->fd, KVM_SET_USER_MEMORY_REGION, &region);
}

/* vCPUs first, then the vGICv3 (its redistributors are sized by the vCPU count), then
 * each vCPU's PMU, which needs an initialised vGIC (Linux Documentation/virt/kvm/devices/
 * arm-vgic-v3.rst and vcpu.rst). */
static void create_vcpus_and_gic(struct vm *vm)
{
	struct kvm_vcpu_init init;
	struct kvm_create_device gic = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = GUEST_GICD_BASE, redist = GUEST_GICR_BASE;
	uint32_t nr_irqs = 64; /* SGIs, PPIs and 32 SPIs: the UART's is SPI 1 */

	KVM_IOCTL(vm->fd, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (vm->pmu)
		init.features[0] |= 1u << KVM_ARM_VCPU_PMU_V3;
	for (int i = 0; i < vm->ncpus; i++) {
		struct vcpu *v = &vm->vcpu[i];
		struct kvm_vcpu_init vinit = init;

		v->vm = vm;
		v->index = i;
		v->fd = kvm_ioctl(vm->fd, KVM_CREATE_VCPU, (void *)(uintptr_t)i, "KVM_CREATE_VCPU");
		v->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED)
			die("vCPU %d: mmap of kvm_run: %s", i, strerror(errno));
		/* Secondaries wait powered off for the guest's PSCI CPU_ON (KVM answers it). */
		if (i > 0)
			vinit.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
		KVM_IOCTL(v->fd, KVM_ARM_VCPU_INIT, &vinit);
	}

	KVM_IOCTL(vm->fd, KVM_CREATE_DEVICE, &gic);
	vm->gic_fd = (int)gic.fd;
	set_device_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs, "vGIC NR_IRQS");
	set_device_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist,
			"vGIC distributor address");
	set_device_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist,
			"vGIC redistributor address");
	set_device_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL,
			"vGIC init");

	for (int i = 0; vm->pmu && i < vm->ncpus; i++) {
		int irq = 16 + GUEST_PMU_PPI;

		set_device_attr(vm->vcpu[i].fd, KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, &irq,
				"vPMU interrupt");
		set_device_attr(vm->vcpu[i].fd, KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT, NULL,
				"vPMU init");
	}
}

static void pin_to(const struct vcpu *v)
{
	cpu_set_t set;
	int err;

	if (v->host_cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(v->host_cpu, &set);
	err = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (err)
		die("vCPU %d: pinning to host CPU %d: %s", v->index, v->host_cpu, strerror(err));
}

static void handle_mmio(const struct vcpu *v)
{
	struct kvm_run *run = v->run;

	if (pl011_mmio(run->mmio.phys_addr, run->mmio.data, run->mmio.len, run->mmio.is_write))
		return;
	/* Nothing else is in the guest's DT: a stray access is the guest's bug. Reads get 0
	 * (the guest has no device there to answer), writes are dropped; said once. */
	static int warned;
	if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		fprintf(stderr, ME ": vCPU %d: %s of %u bytes at 0x%llx: no device there (ignored; "
			"said once)\n", v->index, run->mmio.is_write ? "write" : "read", run->mmio.len,
			(unsigned long long)run->mmio.phys_addr);
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct kvm_run *run = v->run;

	pin_to(v);
	for (;;) {
		if (ioctl(v->fd, KVM_RUN, NULL) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("vCPU %d: KVM_RUN: %s", v->index, strerror(errno));
		}
		switch (run->exit_reason) {
		case KVM_EXIT_MMIO:
			handle_mmio(v);
			break;
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			/* PSCI SYSTEM_OFF / SYSTEM_RESET, which KVM passes up (PSCI DEN0022, 5.10-5.11). */
			console_flush();
			switch (run->system_event.type) {
			case KVM_SYSTEM_EVENT_SHUTDOWN:
				fprintf(stderr, ME ": guest powered off (PSCI SYSTEM_OFF by vCPU %d)\n", v->index);
				exit(0);
			case KVM_SYSTEM_EVENT_RESET:
				fprintf(stderr, ME ": guest asked for a reset (PSCI SYSTEM_RESET by vCPU %d); "
					"stopping\n", v->index);
				exit(EXIT_RESET);
			default:
				die("vCPU %d: system event %u", v->index, run->system_event.type);
			}
		case KVM_EXIT_FAIL_ENTRY:
			die("vCPU %d: entry failed, hardware reason 0x%llx", v->index,
			    (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		case KVM_EXIT_INTERNAL_ERROR:
			die("vCPU %d: KVM internal error %u", v->index, run->internal.suberror);
		default:
			die("vCPU %d: unexpected exit reason %u", v->index, run->exit_reason);
		}
	}
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: " ME " --kernel IMAGE [--initrd FILE] [--bootargs \"...\"] [--cpus N]\n"
			"       [--mem-mib M] [--first-cpu C] [--no-pmu]\n");
	exit(2);
}

static long number(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, ME ": %s wants a number from %ld to %ld, not '%s'\n", opt, lo, hi, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static struct vm vm = { .ncpus = 1, .pmu = true, .gic_fd = -1 };
	struct guest_images img = { .bootargs = "" };
	long mem_mib = 256, first_cpu = 1, host_cpus = sysconf(_SC_NPROCESSORS_ONLN);

	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "--no-pmu")) {
			vm.pmu = false;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(opt, "--kernel"))
			img.kernel = argv[++i];
		else if (!strcmp(opt, "--initrd"))
			img.initrd = argv[++i];
		else if (!strcmp(opt, "--bootargs"))
			img.bootargs = argv[++i];
		else if (!strcmp(opt, "--cpus"))
			vm.ncpus = (int)number(opt, argv[++i], 1, MAX_VCPUS);
		else if (!strcmp(opt, "--mem-mib"))
			mem_mib = number(opt, argv[++i], 16, 1 << 16);
		else if (!strcmp(opt, "--first-cpu"))
			first_cpu = number(opt, argv[++i], -1, 1023);
		else
			usage();
	}
	if (!img.kernel)
		usage();
	vm.ram_size = (uint64_t)mem_mib << 20;
	/* One host CPU per vCPU, from first-cpu up; -1 or too few host CPUs: unpinned. */
	for (int i = 0; i < vm.ncpus; i++)
		vm.vcpu[i].host_cpu = first_cpu < 0 || first_cpu + i >= host_cpus ? -1 : (int)first_cpu + i;
	if (first_cpu >= 0 && first_cpu + vm.ncpus > host_cpus)
		fprintf(stderr, ME ": %d vCPUs from host CPU %ld need %ld CPUs, the host has %ld: "
			"the ones beyond are not pinned\n", vm.ncpus, first_cpu, first_cpu + vm.ncpus, host_cpus);

	create_vm(&vm);
	create_vcpus_and_gic(&vm);
	load_guest(&vm, &img);
	/* booting.rst: x0 = the DT's physical address, x1-x3 = 0, MMU off, EL1h (KVM's reset state). */
	set_core_reg(&vm.vcpu[0], KVM_REG_ARM_CORE_REG(regs.pc), vm.entry, "vCPU 0 PC");
	set_core_reg(&vm.vcpu[0], KVM_REG_ARM_CORE_REG(regs.regs[0]), vm.dtb_ipa, "vCPU 0 x0");
	fprintf(stderr, ME ": %d vCPU(s), %ld MiB, kernel at 0x%llx, DT at 0x%llx, PMU %s; starting\n",
		vm.ncpus, mem_mib, (unsigned long long)vm.entry, (unsigned long long)vm.dtb_ipa,
		vm.pmu ? "on" : "off");

	for (int i = 0; i < vm.ncpus; i++) {
		int err = pthread_create(&vm.vcpu[i].thread, NULL, vcpu_thread, &vm.vcpu[i]);

		if (err)
			die("vCPU %d: thread: %s", i, strerror(err));
	}
	for (int i = 0; i < vm.ncpus; i++)
		pthread_join(vm.vcpu[i].thread, NULL);
	return 1; /* not reached: a vCPU thread exits the process */
}
