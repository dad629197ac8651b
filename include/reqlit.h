/*
 * reqlit.h - required literals of PCRE2 patterns, and one scan that finds
 * which of many literals a target contains.
 *
 * reqlit_extract reads a pattern's text (PCRE2 syntax, compiled without
 * options, as match.c compiles catalogue patterns) and gives a byte string
 * that every match must contain, or must begin with when the literal is
 * anchored. It is conservative: when in doubt it finds none, and a pattern
 * without a required literal is simply run.
 *
 * A reqlit_set holds distinct literals under small integer ids. It is
 * built once (reqlit_set_add, then reqlit_set_build) and read-only after
 * that, so threads may scan it at the same time.
 */
#ifndef KR_REQLIT_H
#define KR_REQLIT_H

#include <stddef.h>
#include <stdint.h>

enum {
	REQLIT_MIN = 4,  /* shorter runs of literal bytes are not used */
	REQLIT_MAX = 64, /* longer runs are cut (what remains is required too) */
	REQLIT_IDS = 65535, /* most distinct literals in a set (ids fit 16 bits) */
};

typedef struct {
	int anchored;          /* every match starts at offset 0 with s */
	size_t n;              /* REQLIT_MIN..REQLIT_MAX */
	char s[REQLIT_MAX];
} reqlit;

/* Fills *out with a literal every match of pattern must contain (the
 * longest run, or the run that starts the match when the pattern starts
 * with '^' and that run is long enough) and returns 1; returns 0 when it
 * finds none of REQLIT_MIN bytes or more. Only the top-level sequence is
 * read: groups, classes and quantified items end a run. It gives up on a
 * top-level '|', option settings and verbs ("(?i)", "(*UTF)"), \Q...\E,
 * back references, recursion, conditions, comments, and any escape or
 * construct it does not know. */
int reqlit_extract(const char *pattern, reqlit *out);

typedef struct reqlit_set reqlit_set;

/* An empty set; NULL when out of memory. */
reqlit_set *reqlit_set_new(void);
void reqlit_set_free(reqlit_set *set);

/* Adds a literal (copied); returns its provisional index, -1 when out of
 * memory or full. Adding the same literal twice is fine: reqlit_set_build
 * gives both one id. */
int reqlit_set_add(reqlit_set *set, const reqlit *lit);

/* Dedupes the literals and builds the scan index. After it, reqlit_set_id
 * maps a provisional index to its id (0..reqlit_set_count - 1), or to -1
 * for literals past the first REQLIT_IDS distinct ones (then treat the
 * pattern as having none). -1 when out of memory. */
int reqlit_set_build(reqlit_set *set);
int reqlit_set_id(const reqlit_set *set, int provisional);
int reqlit_set_count(const reqlit_set *set);

/* Writes to ids (distinct, in no particular order) the ids of the
 * literals that occur in s[0..n) (anchored ones only at offset 0) and
 * returns how many; -1 when there are more than max. */
int reqlit_scan(const reqlit_set *set, const char *s, size_t n, uint16_t *ids, int max);

/* Does literal id occur in s[0..n) (at offset 0 when anchored)? */
int reqlit_in(const reqlit_set *set, int id, const char *s, size_t n);

#endif
