/*
 * Finding each CPU's GICv3 redistributor (hyp/drivers/gic/gicv3_rdist.c)
 * against modelled GICR regions: Jetson Orin's 16-frame region with
 * floorswept cores, frames out of CPU order, VLPI frames (twice as long),
 * several regions, and a CPU that has no frame. GICR_TYPER values are built
 * from IHI 0069H 12.10.33: Affinity_Value [63:32], Last [4], VLPIS [1].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <drivers/gicv3.h>

#define MAX_FRAMES 32

/* The modelled GIC: GICR_TYPER at each RD_base, and which frames were read. */
static struct {
	u64 rd_base;
	u64 typer;
} frames[MAX_FRAMES];
static unsigned int frame_count, reads;

static u64 model_read_typer(u64 rd_base)
{
	reads++;
	for (unsigned int i = 0; i < frame_count; i++)
		if (frames[i].rd_base == rd_base)
			return frames[i].typer;
	fail_msg("GICR_TYPER read at 0x%llx, where no frame is", (unsigned long long)rd_base);
	return 0;
}

static void add_frame(u64 rd_base, u32 affinity, u64 flags)
{
	assert_true(frame_count < MAX_FRAMES);
	frames[frame_count].rd_base = rd_base;
	frames[frame_count].typer = (u64)affinity << 32 | flags;
	frame_count++;
}

static struct platform one_region(u64 base, u64 size)
{
	struct platform p = { .gicr_count = 1 };

	p.gicr[0] = (struct mem_range){ base, size };
	return p;
}

/*
 * Orin (tegra234.dtsi): GICR at 0x0f440000, 2 MiB, 16 frames of 128 KiB, one
 * per possible core at index 4 * cluster + core, Last on the final frame.
 * Orin Nano's DT keeps six CPUs: 0x0, 0x100, 0x200, 0x300, 0x10200, 0x10300.
 */
static void test_orin_nano_floorswept(void **state)
{
	static const u64 nano[] = { 0x0, 0x100, 0x200, 0x300, 0x10200, 0x10300 };
	static const unsigned int index[] = { 0, 1, 2, 3, 6, 7 };
	struct platform p = one_region(0x0f440000, 0x200000);

	(void)state;
	frame_count = 0;
	for (unsigned int f = 0; f < 16; f++) {
		u32 cluster = f / 4, core = f % 4;

		add_frame(0x0f440000 + f * 0x20000ULL, cluster << 16 | core << 8,
			  f == 15 ? GICR_TYPER_LAST : 0);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(nano); i++)
		assert_int_equal(gicr_find(&p, nano[i], model_read_typer),
				 0x0f440000 + index[i] * 0x20000ULL);
	/* A floorswept core's MPIDR is not the next frame's: 0x10000 is frame 4, not 5. */
	assert_int_equal(gicr_find(&p, 0x10000, model_read_typer), 0x0f440000 + 4 * 0x20000ULL);
	/* MPIDR.MT/U bits and RES1 bit 31 are not affinity: 0x80010300 is 0x10300. */
	assert_int_equal(gicr_find(&p, 0x80010300, model_read_typer), 0x0f440000 + 7 * 0x20000ULL);
	/* No frame has core 4: the walk ends at Last, reading no frame past it. */
	reads = 0;
	assert_int_equal(gicr_find(&p, 0x400, model_read_typer), 0);
	assert_int_equal(reads, 16);
}

/* Frames whose order is not CPU order, and only the present cores' frames. */
static void test_out_of_order(void **state)
{
	struct platform p = one_region(0x0f440000, 0x200000);

	(void)state;
	frame_count = 0;
	add_frame(0x0f440000, 0x10300, 0);
	add_frame(0x0f460000, 0x10200, 0);
	add_frame(0x0f480000, 0x300, 0);
	add_frame(0x0f4a0000, 0x0, GICR_TYPER_LAST);
	assert_int_equal(gicr_find(&p, 0x0, model_read_typer), 0x0f4a0000);
	assert_int_equal(gicr_find(&p, 0x10200, model_read_typer), 0x0f460000);
	assert_int_equal(gicr_find(&p, 0x100, model_read_typer), 0);
}

/* GICv4 frames with VLPIs are 256 KiB; a region without Last ends at its size. */
static void test_vlpi_frames_and_region_end(void **state)
{
	struct platform p = one_region(0x08000000, 0x80000); /* room for two VLPI frames */

	(void)state;
	frame_count = 0;
	add_frame(0x08000000, 0x0, GICR_TYPER_VLPIS);
	add_frame(0x08040000, 0x1, GICR_TYPER_VLPIS);
	assert_int_equal(gicr_find(&p, 0x1, model_read_typer), 0x08040000);
	reads = 0;
	assert_int_equal(gicr_find(&p, 0x2, model_read_typer), 0);
	assert_int_equal(reads, 2); /* nothing read past the region */
}

/* Several regions (#redistributor-regions), and Aff3 in GICR_TYPER [63:56]. */
static void test_several_regions_aff3(void **state)
{
	struct platform p = { .gicr_count = 2 };

	(void)state;
	p.gicr[0] = (struct mem_range){ 0x08000000, 0x40000 };
	p.gicr[1] = (struct mem_range){ 0x09000000, 0x40000 };
	frame_count = 0;
	add_frame(0x08000000, 0x0, 0);
	add_frame(0x08020000, 0x1, GICR_TYPER_LAST);
	add_frame(0x09000000, 0x01000000, 0);           /* Aff3 = 1: MPIDR 0x100000000 */
	add_frame(0x09020000, 0x01000001, GICR_TYPER_LAST);
	assert_int_equal(gicr_find(&p, 0x100000001ULL, model_read_typer), 0x09020000);
	assert_int_equal(gicr_find(&p, 0x1, model_read_typer), 0x08020000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orin_nano_floorswept),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_vlpi_frames_and_region_end),
		cmocka_unit_test(test_several_regions_aff3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
