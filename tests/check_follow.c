/*
 * check_follow.c - the poll decision of --follow (pure), and following
 * real files in a temporary directory: appends, a partial last line, a
 * copytruncate, a rename rotation with lines written to the old file
 * after it, a late file and a compressed one; a copytruncate'd file that
 * grew past the old offset before the next poll (the remembered bytes
 * before the offset differ), next to plain appends that must not be read
 * again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_suites.h"
#include "follow.h"
#include "msg.h"

static follow_stat fst(int exists, int ino, long size)
{
	follow_stat s = { exists, 1, (ino_t)ino, (off_t)size };
	return s;
}

START_TEST(test_decide)
{
	follow_stat none = fst(0, 0, 0);
	follow_stat a10 = fst(1, 7, 10), a20 = fst(1, 7, 20), b5 = fst(1, 8, 5);
	/* waiting for a file */
	ck_assert_int_eq(follow_decide(&none, &none, 0), FOLLOW_NONE);
	ck_assert_int_eq(follow_decide(&none, &a10, 0), FOLLOW_APPEARED);
	/* the same file: grown, unchanged, shrunk below the offset */
	ck_assert_int_eq(follow_decide(&a20, &a20, 10), FOLLOW_GREW);
	ck_assert_int_eq(follow_decide(&a10, &a10, 10), FOLLOW_NONE);
	ck_assert_int_eq(follow_decide(&a10, &a10, 20), FOLLOW_TRUNCATED);
	ck_assert_int_eq(follow_decide(&a10, &a10, 11), FOLLOW_TRUNCATED);
	/* renamed away, with or without a successor; a successor wins over
	 * the old file's growth (the old one is drained either way) */
	ck_assert_int_eq(follow_decide(&a20, &none, 10), FOLLOW_GONE);
	ck_assert_int_eq(follow_decide(&a20, &b5, 10), FOLLOW_REPLACED);
	ck_assert_int_eq(follow_decide(&a10, &b5, 10), FOLLOW_REPLACED);
	/* another device, same inode number: another file */
	follow_stat other = a10;
	other.dev = 2;
	ck_assert_int_eq(follow_decide(&a10, &other, 10), FOLLOW_REPLACED);
}
END_TEST

static char dir[64];

static void put(const char *name, const char *mode, const char *text)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *fp = fopen(p, mode);
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Polls until nothing new comes for a while; returns what came. */
static char *poll_all(follow_input *fi, follow_chunk *ch)
{
	ch->len = 0;
	for (int quiet = 0; quiet <= FOLLOW_DRAIN_POLLS + 1;) {
		ch->more = 0;
		int r = follow_poll(fi, ch, 8);
		ck_assert_int_ge(r, 0);
		quiet = r || ch->more ? 0 : quiet + 1;
	}
	static char text[4096];
	ck_assert_uint_lt(ch->len, sizeof text);
	if (ch->len)
		memcpy(text, ch->buf, ch->len);
	text[ch->len] = '\0';
	return text;
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/check_follow.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	msg_set_level(MSG_QUIET);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	msg_set_level(MSG_NORMAL);
}

START_TEST(test_files)
{
	char path[128], old[128];
	follow_chunk ch = { 0 };
	snprintf(path, sizeof path, "%s/access.log", dir);
	snprintf(old, sizeof old, "%s/access.log.1", dir);
	follow_input *fi = follow_input_new(path);
	ck_assert_ptr_nonnull(fi);
	/* late: waited for, no error */
	ck_assert_int_eq(follow_start(fi), 0);
	ck_assert_str_eq(poll_all(fi, &ch), "");
	/* appears, with a partial last line that waits (small max: several
	 * reads per poll) */
	put("access.log", "w", "one\ntwo\nthr");
	ck_assert_str_eq(poll_all(fi, &ch), "one\ntwo\n");
	ck_assert_uint_eq(follow_pending(fi), 3);
	put("access.log", "a", "ee\nfour\n");
	ck_assert_str_eq(poll_all(fi, &ch), "three\nfour\n");
	ck_assert_uint_eq(follow_pending(fi), 0);
	/* copytruncate: shorter than read so far, from the start again */
	put("access.log", "w", "five\n");
	ck_assert_str_eq(poll_all(fi, &ch), "five\n");
	/* rename rotation: a line to the old file after the rename (the
	 * server has not reopened yet), then the new file; the old file's
	 * unterminated last line goes out when it is closed */
	ck_assert_int_eq(rename(path, old), 0);
	put("access.log.1", "a", "six\n");
	ck_assert_str_eq(poll_all(fi, &ch), "six\n");
	put("access.log.1", "a", "seven\neig");
	put("access.log", "w", "nine\n");
	ck_assert_str_eq(poll_all(fi, &ch), "seven\nnine\neig\n");
	/* an old file written again after its drain is not read again */
	put("access.log.1", "a", "ten\n");
	put("access.log", "a", "eleven\n");
	ck_assert_str_eq(poll_all(fi, &ch), "eleven\n");
	ck_assert(!follow_done(fi));
	follow_input_free(fi);
	free(ch.buf);
}
END_TEST

/* Truncates and rewrites the followed file in one go, between two polls:
 * the poll sees no smaller size. */
START_TEST(test_regrown)
{
	char path[128];
	follow_chunk ch = { 0 };
	snprintf(path, sizeof path, "%s/access.log", dir);
	put("access.log", "w", "alpha\nbravo\n");
	follow_input *fi = follow_input_new(path);
	ck_assert_int_eq(follow_start(fi), 0);
	ck_assert_str_eq(poll_all(fi, &ch), "alpha\nbravo\n");
	/* longer than the 12 bytes read: every new line once, from its start */
	put("access.log", "w", "charlie\ndelta\necho\n");
	ck_assert_str_eq(poll_all(fi, &ch), "charlie\ndelta\necho\n");
	/* a plain append after it is not read again */
	put("access.log", "a", "foxtrot\n");
	ck_assert_str_eq(poll_all(fi, &ch), "foxtrot\n");
	/* rewritten to exactly the size read: no growth, yet new lines */
	put("access.log", "w", "golf\nhotel\nindia\nnovember\n");
	ck_assert_str_eq(poll_all(fi, &ch), "golf\nhotel\nindia\nnovember\n");
	/* with a partial line waiting: the cut-off start does not count */
	put("access.log", "a", "jul");
	ck_assert_str_eq(poll_all(fi, &ch), "");
	ck_assert_uint_eq(follow_pending(fi), 3);
	put("access.log", "w", "kilo\nlima\nmike\noscar\npapa\nquebec\n");
	ck_assert_str_eq(poll_all(fi, &ch), "kilo\nlima\nmike\noscar\npapa\nquebec\n");
	ck_assert_uint_eq(follow_pending(fi), 0);
	follow_input_free(fi);
	free(ch.buf);
}
END_TEST

/* Lines longer than the bytes remembered before the offset (64), read in
 * pieces of 8 bytes (poll_all): appends are never read twice, and a
 * rewrite is noticed on its last bytes before the old offset. */
START_TEST(test_regrown_long)
{
	char path[128], line[200], text[1024];
	follow_chunk ch = { 0 };
	snprintf(path, sizeof path, "%s/access.log", dir);
	follow_input *fi = follow_input_new(path);
	ck_assert_int_eq(follow_start(fi), 0);
	text[0] = '\0';
	for (int i = 0; i < 5; i++) {
		memset(line, 'a' + i, 99);
		line[99] = '\n';
		line[100] = '\0';
		put("access.log", i ? "a" : "w", line);
		strcat(text, line);
		ck_assert_str_eq(poll_all(fi, &ch), line);
	}
	/* the same first line, then others: 500 bytes read, 600 now */
	memset(text + 100, 'z', 499);
	text[599] = '\n';
	text[600] = '\0';
	put("access.log", "w", text);
	ck_assert_str_eq(poll_all(fi, &ch), text);
	follow_input_free(fi);
	free(ch.buf);
}
END_TEST

/* Files shorter than the remembered bytes; and the limit: a rewrite whose
 * bytes before the old offset equal the old ones is an append. */
START_TEST(test_regrown_short)
{
	char path[128];
	follow_chunk ch = { 0 };
	snprintf(path, sizeof path, "%s/access.log", dir);
	put("access.log", "w", "x\n");
	follow_input *fi = follow_input_new(path);
	ck_assert_int_eq(follow_start(fi), 0);
	ck_assert_str_eq(poll_all(fi, &ch), "x\n");
	put("access.log", "a", "y\n");
	ck_assert_str_eq(poll_all(fi, &ch), "y\n");
	put("access.log", "w", "z\nw\nv\n");
	ck_assert_str_eq(poll_all(fi, &ch), "z\nw\nv\n");
	/* emptied, nothing new yet: nothing, and nothing twice later */
	put("access.log", "w", "");
	ck_assert_str_eq(poll_all(fi, &ch), "");
	put("access.log", "a", "u\n");
	ck_assert_str_eq(poll_all(fi, &ch), "u\n");
	/* the limit: "u\n" again at the start reads as an append of "t\n" */
	put("access.log", "w", "u\nt\n");
	ck_assert_str_eq(poll_all(fi, &ch), "t\n");
	follow_input_free(fi);
	free(ch.buf);
}
END_TEST

START_TEST(test_compressed_whole)
{
	char path[128];
	follow_chunk ch = { 0 };
	snprintf(path, sizeof path, "%s/old.log.gz", dir);
	/* gzip magic: handed out once as a stream, not as lines */
	FILE *fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite("\x1f\x8b\x08\x00rest of it", 1, 14, fp), 14);
	fclose(fp);
	follow_input *fi = follow_input_new(path);
	ck_assert_int_eq(follow_start(fi), 0);
	ck_assert_int_eq(follow_poll(fi, &ch, 1 << 20), 1);
	ck_assert_ptr_nonnull(ch.whole);
	ck_assert_uint_eq(ch.len, 0);
	char buf[8];
	ck_assert_uint_eq(fread(buf, 1, 2, ch.whole), 2);
	ck_assert_int_eq((unsigned char)buf[0], 0x1f);
	fclose(ch.whole);
	ch.whole = NULL;
	ck_assert(follow_done(fi));
	ck_assert_int_eq(follow_poll(fi, &ch, 1 << 20), 0);
	follow_input_free(fi);
	free(ch.buf);
}
END_TEST

START_TEST(test_unreadable)
{
	char path[128];
	snprintf(path, sizeof path, "%s/secret.log", dir);
	put("secret.log", "w", "x\n");
	ck_assert_int_eq(chmod(path, 0), 0);
	if (access(path, R_OK) == 0)
		return; /* root reads anything */
	follow_input *fi = follow_input_new(path);
	ck_assert_int_eq(follow_start(fi), -1);
	ck_assert(follow_done(fi));
	follow_input_free(fi);
}
END_TEST

Suite *follow_suite(void)
{
	Suite *s = suite_create("follow");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_decide);
	suite_add_tcase(s, tc);
	TCase *tf = tcase_create("files");
	tcase_add_checked_fixture(tf, setup, teardown);
	tcase_add_test(tf, test_files);
	tcase_add_test(tf, test_regrown);
	tcase_add_test(tf, test_regrown_long);
	tcase_add_test(tf, test_regrown_short);
	tcase_add_test(tf, test_compressed_whole);
	tcase_add_test(tf, test_unreadable);
	suite_add_tcase(s, tf);
	return s;
}
