/*
 * The management interface (docs/management.md): the VM the config marks
 * `manager` lists the VMs, stops, starts and restarts them, and reads their
 * figures. Two ways in, one implementation (core/manage.c):
 *  - HVC/SMC function IDs in the SMCCC vendor-specific hypervisor service
 *    range (Arm DEN 0028, owner 6), results in x0-x3, for kernels and
 *    bare-metal guests;
 *  - the management page, an emulated MMIO page in the manager VM that Linux
 *    user space maps through /dev/mem (an EL0 HVC is UNDEFINED): argument
 *    registers, a command register, a status, and a data window Tessera
 *    writes the results into. Tessera never writes guest memory on a
 *    guest's say-so.
 * Every other VM gets NOT_SUPPORTED and nothing changes. This header is
 * also the ABI the CLI (guests/linux/tessera) is built against.
 */
#ifndef TESSERA_MANAGE_H
#define TESSERA_MANAGE_H

#ifdef TESSERA_MANAGE_USER
#include <stdint.h>
typedef uint8_t u8;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
#else
#include <tessera/types.h>
#endif

#define MANAGE_VERSION 1
#define MANAGE_PAGE_SIZE 0x1000ULL

/* Results (x0, or the page's STATUS): SMCCC's NOT_SUPPORTED, then our own. */
#define MANAGE_OK 0
#define MANAGE_NOT_SUPPORTED (-1) /* the caller is not the manager, or no such call */
#define MANAGE_EINVAL (-2)        /* an argument out of range (command, field) */
#define MANAGE_ENOVM (-3)         /* no VM with that ID */
#define MANAGE_ESTATE (-4)        /* the VM's state does not allow it (start a running VM) */
#define MANAGE_ESELF (-5)         /* the manager acts on itself through PSCI only */
#define MANAGE_EFAILED (-6)       /* it could not be rebuilt: it stays stopped */

/* Commands: the page's CMD register and the low byte of the HVC function ID. */
#define MANAGE_CMD_VERSION 0x00 /* -> MANAGE_VERSION, the caller's ID, the VM count */
#define MANAGE_CMD_INFO 0x01    /* ARG0 = id -> struct manage_vm_info */
#define MANAGE_CMD_STOP 0x02    /* ARG0 = id */
#define MANAGE_CMD_START 0x03   /* ARG0 = id */
#define MANAGE_CMD_RESTART 0x04 /* ARG0 = id */
#define MANAGE_CMD_STATS 0x05   /* ARG0 = id -> struct manage_vm_stats */
#define MANAGE_CMD_NET 0x06     /* ARG0 = id -> struct manage_vm_net */
#define MANAGE_CMD_COUNT 0x07

/* HVC: SMC64 fast call, owner 6 (vendor-specific hypervisor service), functions 0x100 + cmd. */
#define MANAGE_FID_BASE 0xc6000100u
#define MANAGE_FID(cmd) (MANAGE_FID_BASE + (cmd))

/* enum manage_state: manage_vm_info.state. */
#define MANAGE_STATE_RUNNING 0
#define MANAGE_STATE_STOPPED 1
#define MANAGE_STATE_RESTARTING 2
#define MANAGE_STATE_FAULTED 3
#define MANAGE_STATE_REFUSED 4 /* the config refused it: it never ran */

#define MANAGE_NAME_MAX 32
#define MANAGE_REASON_MAX 48

/* The data window after MANAGE_CMD_INFO: little-endian, naturally aligned. */
struct manage_vm_info {
	u32 id;
	u32 state;         /* MANAGE_STATE_* */
	u32 cpus;          /* vCPUs */
	u32 restart_count; /* restarts so far */
	u64 memory;        /* bytes */
	u64 uptime_ms;     /* since its last (re)start; 0 when not running */
	char name[MANAGE_NAME_MAX];      /* NUL-terminated */
	char stop_reason[MANAGE_REASON_MAX]; /* last stop; "" when none or not recorded */
};

/* Figures after MANAGE_CMD_STATS; a figure Tessera does not count yet has its bit clear in valid. */
#define MANAGE_EC_COUNT 64 /* exits by ESR_EL2.EC */
#define MANAGE_STAT_EXITS (1u << 0)
#define MANAGE_STAT_IRQS (1u << 1)
#define MANAGE_STAT_CONSOLE (1u << 2)
#define MANAGE_STAT_FAULTS (1u << 3)
#define MANAGE_STAT_WATCHDOG (1u << 4)
#define MANAGE_STAT_RESTARTS (1u << 5)
struct manage_vm_stats {
	u32 id;
	u32 valid; /* MANAGE_STAT_*: which figures below are counted */
	u64 restarts;
	u64 irqs_injected;
	u64 console_bytes;
	u64 faults;
	u64 watchdog_expiries;
	u64 exits[MANAGE_EC_COUNT];
};

/*
 * After MANAGE_CMD_NET: the VM's network devices (docs/networks.md), one per
 * network it is on, with their counters since its last (re)start.
 */
#define MANAGE_NET_PORTS 4 /* CONFIG_MAX_NETWORKS: one device per network */
#define MANAGE_NET_DOWN 0   /* its driver has not set it running */
#define MANAGE_NET_UP 1     /* running: it sends and receives */
#define MANAGE_NET_FAILED 2 /* the driver broke a rule (or gave up): stopped until it resets the device */
struct manage_net_port {
	char network[MANAGE_NAME_MAX]; /* NUL-terminated */
	u32 state;                     /* MANAGE_NET_* */
	u32 reserved0;                 /* 0 */
	u8 mac[6];
	u8 reserved1[2]; /* 0 */
	u64 tx_frames;  /* sent and delivered to at least one member */
	u64 tx_dropped; /* sent and delivered to none: malformed, forged source, unknown unicast, no taker */
	u64 rx_frames;  /* received into its buffers */
	u64 rx_dropped; /* meant for it but not received: not running, no buffer posted, an offload not taken */
};
struct manage_vm_net {
	u32 id;
	u32 count; /* ports[0..count) are filled */
	struct manage_net_port port[MANAGE_NET_PORTS];
};

/* The management page (32-bit registers; the data window also reads as 64-bit). */
#define MANAGE_REG_MAGIC 0x000   /* RO: MANAGE_MAGIC */
#define MANAGE_REG_VERSION 0x004 /* RO: MANAGE_VERSION */
#define MANAGE_REG_ARG0 0x010    /* RW */
#define MANAGE_REG_ARG1 0x014    /* RW, reserved: write 0 */
#define MANAGE_REG_CMD 0x020     /* WO: runs the command, synchronously */
#define MANAGE_REG_STATUS 0x024  /* RO: the last command's result (MANAGE_OK or an error) */
#define MANAGE_REG_RESULT 0x028  /* RO: its scalar result (MANAGE_CMD_VERSION: the VM count) */
#define MANAGE_REG_LEN 0x02c     /* RO: bytes of the data window it wrote */
#define MANAGE_DATA 0x100        /* RO: the data window */
#define MANAGE_DATA_SIZE (MANAGE_PAGE_SIZE - MANAGE_DATA)
#define MANAGE_MAGIC 0x41525354u /* "TSRA" */

#ifndef TESSERA_MANAGE_USER
struct vm;
struct mmio_access;

/* The page's state: one, in the manager VM; under manage.c's page_lock. */
struct manage_page {
	struct vm *owner; /* the manager */
	u32 arg0, arg1;
	s32 status;
	u32 result;
	u32 len;
	union {
		u8 bytes[MANAGE_DATA_SIZE];
		u64 words[MANAGE_DATA_SIZE / 8];
	} data;
};

/*
 * Runs management command @cmd for @caller with @arg0. The result's data
 * (struct manage_vm_info, manage_vm_stats or manage_vm_net) lands in @out (@out_size
 * bytes, *@out_len set); *@result gets the scalar result. Returns MANAGE_*.
 */
int manage_call(struct vm *caller, u32 cmd, u64 arg0, void *out, u32 out_size, u32 *out_len,
		u64 *result);
/* The HVC path: true when @fid is a management call (answered in regs). */
struct guest_regs;
bool manage_hvc(struct vm *caller, struct guest_regs *regs, u32 fid);
/* An access to the management page (emul_device.access). */
enum mmio_result manage_page_access(void *dev, struct mmio_access *acc);
/* Adds the management page to @vm when its config asks for one (boot). */
bool manage_page_create(struct vm *vm);
#endif

#endif
