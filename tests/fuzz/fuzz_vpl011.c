/*
 * The emulated PL011 (hyp/virt/vpl011.c) through the fake arch, under a
 * guest's accesses of any offset, width and value, with console input
 * arriving between them. Checked after every step, from the PL011 TRM
 * (DDI 0183G) and the bus rule that a narrower access is a byte lane of
 * the 32-bit register (TRM 3.2: the PL011 decodes PADDR[11:2]):
 *  - a read is zero-extended; the lanes of any register without read side
 *    effects read as the lanes of its 32-bit read;
 *  - a write of a byte or halfword to a read/write register leaves its
 *    other lanes as they were;
 *  - only a read of UARTDR's character lane (offset 0) takes a character;
 *    only a write there sends one, the byte written;
 *  - the interrupt line (INTID 33) is (RIS & IMSC) != 0, and MIS reads so.
 *
 * Input: steps [op u8][fields]: op & 3: 0 read, 1 write ([offset u16]
 * [width u8], value u64 for a write), 2 a character arrives ([char u8]),
 * 3 lane checks of the register at [offset u16].
 */
#include "fuzz.h"

#include <drivers/pl011.h>
#include <tessera/vm.h>
#include <virt/vpl011.h>

#include "fake_arch.h"

#define INPUT_MAX 4096

static struct vm vm;
static struct vpl011 uart;
static unsigned char input[INPUT_MAX];
static unsigned int in_head, in_tail, taken, sent, last_sent;
static int line = -1;

/* The VM's console, as console.c gives it to the vPL011 (strong: the fake arch's are weak). */
int console_vm_getc(struct vm *v)
{
	FUZZ_CHECK(v == &vm);
	if (in_head == in_tail)
		return -1;
	taken++;
	return input[in_head++];
}

bool console_vm_rx_ready(struct vm *v)
{
	FUZZ_CHECK(v == &vm);
	return in_head != in_tail;
}

bool console_vm_rx_pending(struct vm *v)
{
	return console_vm_rx_ready(v);
}

void console_vm_putc(struct vm *v, char c)
{
	FUZZ_CHECK(v == &vm);
	sent++;
	last_sent = (unsigned char)c;
}

void vgic_set_level(struct vm *v, u32 intid, bool level)
{
	FUZZ_CHECK(v == &vm && intid == VPL011_INTID);
	line = level;
}

static enum mmio_result io(u64 off, unsigned int size, bool wr, u64 *value)
{
	struct mmio_access a = { .offset = off, .size = size, .is_write = wr,
				 .value = wr ? *value : 0x5a5a5a5a5a5a5a5aULL };
	enum mmio_result res = vpl011_access(&uart, &a);

	FUZZ_CHECK(res == MMIO_OK || res == MMIO_BAD_ACCESS);
	if (res == MMIO_OK && !wr) {
		FUZZ_CHECK(size == 8 || a.value >> (size * 8) == 0);
		*value = a.value;
	}
	return res;
}

static u32 rd32(u64 off)
{
	u64 v = 0;

	FUZZ_CHECK(io(off, 4, false, &v) == MMIO_OK);
	return (u32)v;
}

static bool plain(u64 reg)
{
	return reg == UARTILPR || reg == UARTIBRD || reg == UARTFBRD || reg == UARTLCR_H ||
	       reg == UARTCR || reg == UARTIFLS || reg == UARTIMSC || reg == UARTDMACR;
}

static void check_line(void)
{
	u32 ris = rd32(UARTRIS), imsc = rd32(UARTIMSC);

	FUZZ_CHECK(rd32(UARTMIS) == (ris & imsc));
	FUZZ_CHECK(line == -1 || line == ((ris & imsc) != 0));
}

/* Every lane of the register at @reg (not UARTDR: reading takes a character) reads as its word. */
static void check_lanes(u64 reg)
{
	u32 word = rd32(reg);

	for (unsigned int size = 1; size < 4; size *= 2)
		for (unsigned int lane = 0; lane < 4; lane += size) {
			u64 v = 0;

			if (io(reg + lane, size, false, &v) != MMIO_OK)
				continue;
			if (v != ((word >> (8 * lane)) & ((1ULL << (8 * size)) - 1))) {
				fprintf(stderr, "invariant broken: register 0x%llx reads 0x%08x, its %u-byte lane at +%u "
						"0x%llx\n", (unsigned long long)reg, word, size, lane,
					(unsigned long long)v);
				abort();
			}
		}
}

static void step(struct fuzz_input *in)
{
	u8 op = fuzz_u8(in);
	u64 off, value = 0, reg;
	unsigned int size, taken_before = taken, sent_before = sent;
	u32 before = 0;
	bool avail;

	switch (op & 3) {
	case 2:
		if (in_tail < INPUT_MAX)
			input[in_tail++] = fuzz_u8(in);
		vpl011_update_irq(&uart); /* as console.c does when input arrives */
		break;
	case 3:
		reg = (fuzz_u16(in) % 0x1000) & ~3ULL;
		if (reg != UARTDR)
			check_lanes(reg);
		break;
	default:
		off = fuzz_u16(in) % 0x1000;
		size = fuzz_width(in);
		reg = off & ~3ULL;
		if (op & 1)
			value = fuzz_u64(in);
		if ((op & 1) && plain(reg))
			before = rd32(reg);
		avail = in_head != in_tail;
		if (io(off, size, op & 1, &value) != MMIO_OK)
			break;
		/* Only a read of DR's character lane takes one. */
		FUZZ_CHECK(taken == taken_before + (!(op & 1) && off == UARTDR && avail));
		FUZZ_CHECK(sent == sent_before + ((op & 1) && off == UARTDR));
		if ((op & 1) && off == UARTDR)
			FUZZ_CHECK(last_sent == (value & 0xff));
		if ((op & 1) && plain(reg) && size < 4) {
			u32 lanes = (u32)(((1ULL << (8 * size)) - 1) << (8 * (off & 3)));
			u32 after = rd32(reg);

			if ((after & ~lanes) != (before & ~lanes)) {
				fprintf(stderr, "invariant broken: a %u-byte write at 0x%llx changed register 0x%llx "
						"outside its lane: 0x%08x -> 0x%08x\n", size,
					(unsigned long long)off, (unsigned long long)reg, before, after);
				abort();
			}
		}
		break;
	}
	check_line();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };

	fake_arch_reset();
	memset(&vm, 0, sizeof(vm));
	vm.vcpu_count = 1;
	vm.vcpus[0].vm = &vm;
	fake_run_on(0, &vm.vcpus[0]);
	in_head = in_tail = taken = sent = 0;
	line = -1;
	vpl011_init(&uart, &vm);
	while (in.left)
		step(&in);
	return 0;
}

/* Linux's amba-pl011 probe and a line of output and input, then earlycon's byte accesses. */
static void seeds(const char *dir)
{
	struct fuzz_seed s = { .len = 0 };
	static const u16 probe[] = { 0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc };

	for (unsigned int i = 0; i < ARRAY_SIZE(probe); i++)
		seed_put(&s, 0, 1), seed_put(&s, probe[i], 2), seed_put(&s, 2, 1);
	seed_put(&s, 1, 1), seed_put(&s, UARTCR, 2), seed_put(&s, 1, 1), seed_put(&s, 0x301, 8);
	seed_put(&s, 1, 1), seed_put(&s, UARTLCR_H, 2), seed_put(&s, 1, 1), seed_put(&s, 0x70, 8);
	seed_put(&s, 1, 1), seed_put(&s, UARTIMSC, 2), seed_put(&s, 1, 1), seed_put(&s, 0x50, 8);
	for (const char *c = "ok\n"; *c; c++)
		seed_put(&s, 1, 1), seed_put(&s, UARTDR, 2), seed_put(&s, 0, 1), seed_put(&s, *c, 8);
	seed_put(&s, 2, 1), seed_put(&s, 'x', 1), seed_put(&s, 2, 1), seed_put(&s, '\r', 1);
	seed_put(&s, 0, 1), seed_put(&s, UARTFR, 2), seed_put(&s, 1, 1);
	seed_put(&s, 0, 1), seed_put(&s, UARTDR, 2), seed_put(&s, 1, 1);
	seed_put(&s, 0, 1), seed_put(&s, UARTDR + 1, 2), seed_put(&s, 0, 1);
	seed_put(&s, 3, 1), seed_put(&s, UARTCR, 2);
	seed_put(&s, 1, 1), seed_put(&s, UARTCR + 1, 2), seed_put(&s, 0, 1), seed_put(&s, 0x03, 8);
	fuzz_write_seed(dir, "linux-probe", s.b, s.len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(seeds);
	return 0;
}
