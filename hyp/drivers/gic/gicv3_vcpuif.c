/* ICH_*_EL2 accessors (IHI 0069H 12.4), by their names. LRs are named registers, hence the switch. */
#include <arch/sysregs.h>
#include <drivers/gicv3_vcpuif.h>

#define LR_CASE_READ(n) case n: return read_sysreg(ich_lr##n##_el2)
#define LR_CASE_WRITE(n) case n: write_sysreg(ich_lr##n##_el2, value); break

unsigned int ich_nr_lrs(void)
{
	unsigned int n = ICH_VTR_LISTREGS(read_sysreg(ich_vtr_el2));

	return n > 16 ? 16 : n;
}

u64 ich_read_lr(unsigned int n)
{
	switch (n) {
	LR_CASE_READ(0); LR_CASE_READ(1); LR_CASE_READ(2); LR_CASE_READ(3);
	LR_CASE_READ(4); LR_CASE_READ(5); LR_CASE_READ(6); LR_CASE_READ(7);
	LR_CASE_READ(8); LR_CASE_READ(9); LR_CASE_READ(10); LR_CASE_READ(11);
	LR_CASE_READ(12); LR_CASE_READ(13); LR_CASE_READ(14); LR_CASE_READ(15);
	default: return 0;
	}
}

void ich_write_lr(unsigned int n, u64 value)
{
	switch (n) {
	LR_CASE_WRITE(0); LR_CASE_WRITE(1); LR_CASE_WRITE(2); LR_CASE_WRITE(3);
	LR_CASE_WRITE(4); LR_CASE_WRITE(5); LR_CASE_WRITE(6); LR_CASE_WRITE(7);
	LR_CASE_WRITE(8); LR_CASE_WRITE(9); LR_CASE_WRITE(10); LR_CASE_WRITE(11);
	LR_CASE_WRITE(12); LR_CASE_WRITE(13); LR_CASE_WRITE(14); LR_CASE_WRITE(15);
	default: break;
	}
}

u32 ich_elrsr(void)
{
	return (u32)read_sysreg(ich_elrsr_el2);
}

u32 ich_eisr(void)
{
	return (u32)read_sysreg(ich_eisr_el2);
}

u64 ich_read_hcr(void)
{
	return read_sysreg(ich_hcr_el2);
}

void ich_write_hcr(u64 value)
{
	write_sysreg(ich_hcr_el2, value);
}

u64 ich_read_vmcr(void)
{
	return read_sysreg(ich_vmcr_el2);
}

void ich_write_vmcr(u64 value)
{
	write_sysreg(ich_vmcr_el2, value);
}

void ich_write_ap1r0(u64 value)
{
	write_sysreg(ich_ap1r0_el2, value);
}

/* ICH_VTR_EL2.PREbits [28:26]: preemption bits minus one; APxR1-3 exist from 6 and 7 bits. */
#define ICH_VTR_PREBITS(v) ((((v) >> 26) & 0x7) + 1)

void ich_reset(void)
{
	unsigned int prebits = ICH_VTR_PREBITS(read_sysreg(ich_vtr_el2));

	write_sysreg(ich_hcr_el2, 0); /* virtual CPU interface off */
	write_sysreg(ich_vmcr_el2, 0);
	write_sysreg(ich_ap0r0_el2, 0);
	write_sysreg(ich_ap1r0_el2, 0);
	if (prebits >= 6) {
		write_sysreg(ich_ap0r1_el2, 0);
		write_sysreg(ich_ap1r1_el2, 0);
	}
	if (prebits == 7) {
		write_sysreg(ich_ap0r2_el2, 0);
		write_sysreg(ich_ap0r3_el2, 0);
		write_sysreg(ich_ap1r2_el2, 0);
		write_sysreg(ich_ap1r3_el2, 0);
	}
	for (unsigned int n = 0; n < ich_nr_lrs(); n++)
		ich_write_lr(n, 0);
}
