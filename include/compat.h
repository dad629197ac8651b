/*
 * compat.h - what one system's compiler or C library has and another's
 * lacks, in one place, so the modules need no #ifdef of their own.
 *
 * KR_FALLTHROUGH; ends a case that falls through to the next label on
 * purpose: gcc also reads a comment, clang only the attribute.
 * kr_memrchr is memrchr, a GNU and BSD extension (macOS lacks it).
 * kr_qsort_r is qsort with a context pointer: glibc's and the BSDs'
 * qsort_r take their arguments in different orders, so klantreis has its
 * own (a heapsort: no allocation, O(n log n); not stable).
 */
#ifndef KR_COMPAT_H
#define KR_COMPAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__has_attribute)
#if __has_attribute(fallthrough)
#define KR_FALLTHROUGH __attribute__((fallthrough))
#endif
#endif
#ifndef KR_FALLTHROUGH
#define KR_FALLTHROUGH do { } while (0)
#endif

/* The last byte c in [s, s + n), or NULL. */
static inline void *kr_memrchr(const void *s, int c, size_t n)
{
#if defined(__GLIBC__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
	return memrchr(s, c, n);
#else
	const unsigned char *p = s;
	while (n-- > 0)
		if (p[n] == (unsigned char)c)
			return (void *)(uintptr_t)(p + n); /* as memrchr: the caller's own bytes */
	return NULL;
#endif
}

/* Sorts n elements of size bytes at base in the order of cmp, which gets
 * ctx as its third argument. */
void kr_qsort_r(void *base, size_t n, size_t size,
                int (*cmp)(const void *, const void *, const void *), const void *ctx);

#endif
