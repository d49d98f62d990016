/*
 * System-register accesses and SMCCC calls with encodings chosen at run
 * time: each is one generated instruction and a RET in a stub page, called
 * through stub_call() (access.h).
 */
#ifndef HOSTILE_CALLS_H
#define HOSTILE_CALLS_H

#include "guest.h"

/* True when @pc lies in the stub page (the hook resumes an exception there). */
bool stub_holds(u64 pc);

#endif
