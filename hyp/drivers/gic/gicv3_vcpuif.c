/* ICH_*_EL2 accessors (IHI 0069H 12.4). LRs are named registers, hence the switch. */
#include <arch/sysregs.h>
#include <drivers/gicv3_vcpuif.h>

#define LR_CASE_READ(n) case n: return read_sysreg(S3_4_C12_C12_##n)
#define LR_CASE_READ8(n) case n + 8: return read_sysreg(S3_4_C12_C13_##n)
#define LR_CASE_WRITE(n) case n: write_sysreg(S3_4_C12_C12_##n, value); break
#define LR_CASE_WRITE8(n) case n + 8: write_sysreg(S3_4_C12_C13_##n, value); break

unsigned int ich_nr_lrs(void)
{
	unsigned int n = ICH_VTR_LISTREGS(read_sysreg(S3_4_C12_C11_1)); /* ICH_VTR_EL2 */

	return n > 16 ? 16 : n;
}

u64 ich_read_lr(unsigned int n)
{
	switch (n) {
	LR_CASE_READ(0); LR_CASE_READ(1); LR_CASE_READ(2); LR_CASE_READ(3);
	LR_CASE_READ(4); LR_CASE_READ(5); LR_CASE_READ(6); LR_CASE_READ(7);
	LR_CASE_READ8(0); LR_CASE_READ8(1); LR_CASE_READ8(2); LR_CASE_READ8(3);
	LR_CASE_READ8(4); LR_CASE_READ8(5); LR_CASE_READ8(6); LR_CASE_READ8(7);
	default: return 0;
	}
}

void ich_write_lr(unsigned int n, u64 value)
{
	switch (n) {
	LR_CASE_WRITE(0); LR_CASE_WRITE(1); LR_CASE_WRITE(2); LR_CASE_WRITE(3);
	LR_CASE_WRITE(4); LR_CASE_WRITE(5); LR_CASE_WRITE(6); LR_CASE_WRITE(7);
	LR_CASE_WRITE8(0); LR_CASE_WRITE8(1); LR_CASE_WRITE8(2); LR_CASE_WRITE8(3);
	LR_CASE_WRITE8(4); LR_CASE_WRITE8(5); LR_CASE_WRITE8(6); LR_CASE_WRITE8(7);
	default: break;
	}
}

u32 ich_elrsr(void)
{
	return (u32)read_sysreg(S3_4_C12_C11_5); /* ICH_ELRSR_EL2 */
}

u32 ich_eisr(void)
{
	return (u32)read_sysreg(S3_4_C12_C11_3); /* ICH_EISR_EL2 */
}

u64 ich_read_hcr(void)
{
	return read_sysreg(S3_4_C12_C11_0); /* ICH_HCR_EL2 */
}

void ich_write_hcr(u64 value)
{
	write_sysreg(S3_4_C12_C11_0, value);
}

void ich_write_vmcr(u64 value)
{
	write_sysreg(S3_4_C12_C11_7, value); /* ICH_VMCR_EL2 */
}

void ich_write_ap1r0(u64 value)
{
	write_sysreg(S3_4_C12_C9_0, value); /* ICH_AP1R0_EL2 */
}

/* ICH_VTR_EL2.PREbits [28:26]: preemption bits minus one; APxR1-3 exist from 6 and 7 bits. */
#define ICH_VTR_PREBITS(v) ((((v) >> 26) & 0x7) + 1)

void ich_reset(void)
{
	unsigned int prebits = ICH_VTR_PREBITS(read_sysreg(S3_4_C12_C11_1));

	write_sysreg(S3_4_C12_C11_0, 0); /* ICH_HCR_EL2: virtual CPU interface off */
	write_sysreg(S3_4_C12_C11_7, 0); /* ICH_VMCR_EL2 */
	write_sysreg(S3_4_C12_C8_0, 0);  /* ICH_AP0R0_EL2 */
	write_sysreg(S3_4_C12_C9_0, 0);  /* ICH_AP1R0_EL2 */
	if (prebits >= 6) {
		write_sysreg(S3_4_C12_C8_1, 0); /* ICH_AP0R1_EL2 */
		write_sysreg(S3_4_C12_C9_1, 0); /* ICH_AP1R1_EL2 */
	}
	if (prebits == 7) {
		write_sysreg(S3_4_C12_C8_2, 0);
		write_sysreg(S3_4_C12_C8_3, 0);
		write_sysreg(S3_4_C12_C9_2, 0);
		write_sysreg(S3_4_C12_C9_3, 0);
	}
	for (unsigned int n = 0; n < ich_nr_lrs(); n++)
		ich_write_lr(n, 0);
}
