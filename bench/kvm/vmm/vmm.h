/*
 * kvmvmm: a minimal VMM for the benchmark's KVM column (bench/kvm/README.md).
 * One arm64 guest, its RAM at GUEST_RAM_BASE, the in-kernel vGICv3 and arch
 * timer, PSCI 0.2 by HVC (in KVM), a PL011 console emulated on MMIO exits.
 */
#ifndef KVMVMM_H
#define KVMVMM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/kvm.h>

/* The guest's physical map: QEMU virt's, so guests written for it need no change. */
#define GUEST_GICD_BASE 0x08000000ULL
#define GUEST_GICD_SIZE 0x10000ULL
#define GUEST_GICR_BASE 0x080a0000ULL
#define GUEST_GICR_SIZE_PER_CPU 0x20000ULL /* RD_base + SGI_base frames (GICv3 12.10) */
#define GUEST_UART_BASE 0x09000000ULL
#define GUEST_UART_SIZE 0x1000ULL
#define GUEST_UART_SPI 1
#define GUEST_RAM_BASE 0x40000000ULL
#define GUEST_PMU_PPI 7 /* INTID 23, QEMU virt's */
#define MAX_VCPUS 8

struct vcpu {
	struct vm *vm;
	int index;
	int host_cpu; /* -1: not pinned */
	int fd;
	struct kvm_run *run;
	pthread_t thread;
};

struct vm {
	int kvm_fd;
	int fd;
	int gic_fd;
	uint8_t *ram;
	uint64_t ram_size;
	size_t run_size;
	int ncpus;
	bool pmu;
	struct vcpu vcpu[MAX_VCPUS];
	uint64_t entry; /* the kernel's entry IPA */
	uint64_t dtb_ipa;
};

struct guest_images {
	const char *kernel;
	const char *initrd;
	const char *bootargs;
};

/* main.c: the message on stderr, exit 1 */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* load.c: kernel and initrd into RAM, the DT after them; sets vm->entry, vm->dtb_ipa */
void load_guest(struct vm *vm, const struct guest_images *img);
/* The host address of guest RAM [ipa, ipa + len); dies when it is not all RAM. */
void *guest_ptr(const struct vm *vm, uint64_t ipa, uint64_t len);

/* fdt.c: the guest's device tree into buf; returns its size */
size_t build_guest_fdt(const struct vm *vm, void *buf, size_t size, const char *bootargs,
		       uint64_t initrd_start, uint64_t initrd_end);

/* pl011.c */
bool pl011_mmio(uint64_t addr, uint8_t *data, uint32_t len, bool is_write);
void console_flush(void);

#endif
