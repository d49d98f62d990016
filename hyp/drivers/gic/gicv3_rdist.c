/*
 * Which redistributor frame is a CPU's: the one whose GICR_TYPER.Affinity_Value
 * equals the CPU's MPIDR affinity (IHI 0069H 12.10.33). Frames are walked, not
 * indexed: their order need not follow CPU numbers, floorswept cores leave
 * holes (Jetson Orin Nano: frames 0-3 and 6-7 for MPIDRs 0x0-0x300,
 * 0x10200, 0x10300), a frame with VLPIs is twice as long (9.1.1), and a region
 * ends at its size or at the frame with GICR_TYPER.Last. Pure: the caller
 * reads the registers, so the host tests run it against modelled layouts.
 */
#include <drivers/gicv3.h>

u64 gicr_find(const struct platform *plat, u64 mpidr, u64 (*read_typer)(u64 rd_base))
{
	u64 aff = gicr_typer_affinity(mpidr);

	for (unsigned int r = 0; r < plat->gicr_count; r++) {
		u64 base = plat->gicr[r].base;
		u64 end = base + plat->gicr[r].size;

		while (base + GICR_FRAME_SIZE <= end) {
			u64 typer = read_typer(base);

			if ((typer >> GICR_TYPER_AFF_SHIFT) == aff)
				return base;
			if (typer & GICR_TYPER_LAST)
				break;
			base += (typer & GICR_TYPER_VLPIS) ? GICR_FRAME_SIZE_VLPI : GICR_FRAME_SIZE;
		}
	}
	return 0;
}
