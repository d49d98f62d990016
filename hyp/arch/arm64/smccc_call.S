/* SMCCC calls from EL2: arguments in x0-x3, result in x0 (DEN 0028 2.6). */
#include "asm_macros.h"

	.text
func smccc_smc
	smc	#0
	ret
endfunc smccc_smc
