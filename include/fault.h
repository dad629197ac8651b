/*
 * fault.h - allocation failures on demand, for the unit tests.
 *
 * A module includes this header after its system headers. Built with
 * -DKR_FAULTS (the Makefile does so only for the copies of the modules
 * that build/check_unit links, see FAULT_MODS), its malloc, calloc and
 * realloc calls first ask kr_fault_fail(): while kr_fault_countdown is
 * negative every allocation goes through; at N >= 0, N more succeed, the
 * one after them fails (returns NULL, as when a big allocation does not
 * fit) and the countdown is -1 again. One failure, not all after it: a
 * caller that ignores it would go on and succeed, which a test can see.
 * kr_fault_injected counts the failures. While kr_fault_random is set,
 * the system's random source fails (visitor.c). The test runner defines
 * these variables. In the program itself
 * this header defines nothing.
 */
#ifndef KR_FAULT_H
#define KR_FAULT_H

#ifdef KR_FAULTS
#include <stdatomic.h>
#include <stdlib.h>

extern _Atomic long kr_fault_countdown;
extern _Atomic long kr_fault_injected;
extern _Atomic int kr_fault_random;
/* While set, renameat2(2) RENAME_EXCHANGE fails with EINVAL, as on a file
 * system without it (output.c's fallback; defined in check_site.c). */
extern _Atomic int kr_fault_no_exchange;

static inline int kr_fault_fail(void)
{
	long c = atomic_load(&kr_fault_countdown);
	while (c >= 0 && !atomic_compare_exchange_weak(&kr_fault_countdown, &c, c - 1))
		;
	if (c != 0)
		return 0;
	atomic_fetch_add(&kr_fault_injected, 1);
	return 1;
}

/* a function-like macro does not expand inside itself: the inner name is
 * the C library's */
#define malloc(n) (kr_fault_fail() ? NULL : malloc(n))
#define calloc(n, s) (kr_fault_fail() ? NULL : calloc(n, s))
#define realloc(p, n) (kr_fault_fail() ? NULL : realloc(p, n))
#endif

#endif
