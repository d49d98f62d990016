/* The faulting instructions (access.h), each a single instruction in hostile_ops. */
#include "access.h"

volatile u64 hostile_resume_pc;

unsigned int access_size(enum access_form form)
{
	switch (form) {
	case AF_LDRB: case AF_LDRSB: case AF_LDRSBW: case AF_STRB:
		return 1;
	case AF_LDRH: case AF_LDRSH: case AF_STRH:
		return 2;
	case AF_LDRW: case AF_LDRSW: case AF_STRW: case AF_STR_WZR: case AF_LDARW:
	case AF_LDXRW: case AF_STXRW: case AF_LDADDW: case AF_LDR_POST: case AF_STR_PRE:
		return 4;
	case AF_LDPW: case AF_STPW: case AF_LDRX: case AF_LDR_XZR: case AF_STRX: case AF_STLRX:
	case AF_SWPX: case AF_CASX:
		return 8;
	case AF_LDPX: case AF_STPX:
		return 16;
	default:
		return 0;
	}
}

bool access_is_write(enum access_form form)
{
	switch (form) {
	case AF_STRB: case AF_STRH: case AF_STRW: case AF_STRX: case AF_STR_WZR: case AF_STLRX:
	case AF_STPW: case AF_STPX: case AF_STR_PRE: case AF_STXRW: case AF_LDADDW: case AF_SWPX:
	case AF_CASX:
		return true;
	default:
		return false;
	}
}

/*
 * A faulting instruction resumes at the next one (ELR_EL1 + 4) with its
 * destination unchanged: the "+r" operands make the compiler assume nothing.
 */
HOSTILE_OPS u64 access_do(u64 addr, enum access_form form, u64 val)
{
	u64 a = addr, v = val, w = ~val;
	u32 status = 0;

	switch (form) {
	case AF_LDRB: __asm__ volatile("ldrb %w0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case AF_LDRH: __asm__ volatile("ldrh %w0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case AF_LDRW: __asm__ volatile("ldr %w0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case AF_LDRX: __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case AF_LDRSB: __asm__ volatile("ldrsb %0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case AF_LDRSH: __asm__ volatile("ldrsh %0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case AF_LDRSW: __asm__ volatile("ldrsw %0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case AF_LDRSBW: __asm__ volatile("ldrsb %w0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case AF_LDR_XZR: __asm__ volatile("ldr xzr, [%0]" : : "r"(a) : "memory"); break;
	case AF_STRB: __asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(a) : "memory"); break;
	case AF_STRH: __asm__ volatile("strh %w0, [%1]" : : "r"(v), "r"(a) : "memory"); break;
	case AF_STRW: __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory"); break;
	case AF_STRX: __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory"); break;
	case AF_STR_WZR: __asm__ volatile("str wzr, [%0]" : : "r"(a) : "memory"); break;
	case AF_LDARW: __asm__ volatile("ldar %w0, [%1]" : "+r"(v) : "r"(a) : "memory"); break;
	case AF_STLRX: __asm__ volatile("stlr %0, [%1]" : : "r"(v), "r"(a) : "memory"); break;
	case AF_LDPW:
		__asm__ volatile("ldp %w0, %w1, [%2]" : "+r"(v), "+r"(w) : "r"(a) : "memory");
		v ^= w;
		break;
	case AF_LDPX:
		__asm__ volatile("ldp %0, %1, [%2]" : "+r"(v), "+r"(w) : "r"(a) : "memory");
		v ^= w;
		break;
	case AF_STPW: __asm__ volatile("stp %w0, %w1, [%2]" : : "r"(v), "r"(w), "r"(a) : "memory"); break;
	case AF_STPX: __asm__ volatile("stp %0, %1, [%2]" : : "r"(v), "r"(w), "r"(a) : "memory"); break;
	case AF_LDR_POST:
		__asm__ volatile("ldr %w0, [%1], #4" : "+r"(v), "+r"(a) : : "memory");
		break;
	case AF_STR_PRE:
		__asm__ volatile("str %w1, [%0, #0]!" : "+r"(a) : "r"(v) : "memory");
		break;
	case AF_LDXRW:
		__asm__ volatile("ldxr %w0, [%1]\n\tclrex" : "+r"(v) : "r"(a) : "memory");
		break;
	case AF_STXRW:
		__asm__ volatile("stxr %w0, %w1, [%2]" : "+r"(status) : "r"(v), "r"(a) : "memory");
		v = status;
		break;
	case AF_LDADDW:
		__asm__ volatile("ldadd %w1, %w0, [%2]" : "+r"(w) : "r"(v), "r"(a) : "memory");
		v = w;
		break;
	case AF_SWPX:
		__asm__ volatile("swp %1, %0, [%2]" : "+r"(w) : "r"(v), "r"(a) : "memory");
		v = w;
		break;
	case AF_CASX:
		__asm__ volatile("cas %0, %1, [%2]" : "+r"(w) : "r"(v), "r"(a) : "memory");
		v = w;
		break;
	default:
		break;
	}
	return access_is_write(form) && form != AF_LDADDW && form != AF_SWPX && form != AF_CASX ? 0 : v;
}

HOSTILE_OPS void access_cache(u64 addr, enum cache_form form)
{
	switch (form) {
	case CF_ZVA: __asm__ volatile("dc zva, %0" : : "r"(addr) : "memory"); break;
	case CF_CIVAC: __asm__ volatile("dc civac, %0" : : "r"(addr) : "memory"); break;
	case CF_CVAC: __asm__ volatile("dc cvac, %0" : : "r"(addr) : "memory"); break;
	case CF_IVAC: __asm__ volatile("dc ivac, %0" : : "r"(addr) : "memory"); break;
	default: break;
	}
}

HOSTILE_OPS void access_fetch(u64 target)
{
	/* x16: a scratch register no live value needs across the branch. */
	__asm__ volatile("adr x16, 1f\n\t"
			 "str x16, [%0]\n\t"
			 "dsb nsh\n\t"
			 "br %1\n"
			 "1:"
			 :
			 : "r"(&hostile_resume_pc), "r"(target)
			 : "x16", "x30", "memory");
}
