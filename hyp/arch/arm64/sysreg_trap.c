/*
 * Trapped system-register accesses (EC 0x18): one table of the registers
 * Tessera answers. Anything else becomes an Undefined Instruction exception
 * in the guest (traps.c). DDI 0487 D19.2.40 gives the ISS layout.
 */
#include <arch/esr.h>
#include <arch/traps.h>
#include <tessera/cpu.h>
#include <tessera/vm.h>
#include <virt/vgic.h>

#define SYSREG(op0, op1, crn, crm, op2) ((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))

struct sysreg_trap {
	u32 enc;
	u64 (*read)(struct vcpu *vcpu);         /* NULL: reads as zero */
	void (*write)(struct vcpu *vcpu, u64 v); /* NULL: writes ignored */
};

static void write_sgi1r(struct vcpu *vcpu, u64 v)
{
	vgic_send_sgi(vcpu, v);
}

static const struct sysreg_trap sysreg_traps[] = {
	/* GIC SGI generation traps with HCR_EL2.IMO (IHI 0069H 12.2.22); group 0 and the
	 * other-security-state alias have nowhere to go in a VM with one security state. */
	{ SYSREG(3, 0, 12, 11, 5), NULL, write_sgi1r }, /* ICC_SGI1R_EL1 */
	{ SYSREG(3, 0, 12, 11, 6), NULL, NULL },        /* ICC_ASGI1R_EL1 */
	{ SYSREG(3, 0, 12, 11, 7), NULL, NULL },        /* ICC_SGI0R_EL1 */
	/* No CNTP_* rows: the EL1 physical timer is the guest's, untrapped (el2_init.c). */
};

bool sysreg_trap_emulate(struct guest_regs *regs, u64 esr)
{
	u32 enc = (u32)SYSREG(ESR_SYS_OP0(esr), ESR_SYS_OP1(esr), ESR_SYS_CRN(esr),
			      ESR_SYS_CRM(esr), ESR_SYS_OP2(esr));
	unsigned int rt = (unsigned int)ESR_SYS_RT(esr);
	struct vcpu *vcpu = this_cpu()->vcpu;

	for (size_t i = 0; i < ARRAY_SIZE(sysreg_traps); i++) {
		const struct sysreg_trap *t = &sysreg_traps[i];

		if (t->enc != enc)
			continue;
		if (ESR_SYS_READ(esr)) {
			u64 v = t->read ? t->read(vcpu) : 0;

			if (rt != 31)
				regs->x[rt] = v;
		} else if (t->write) {
			t->write(vcpu, rt == 31 ? 0 : regs->x[rt]);
		}
		return true;
	}
	return false;
}
