/*
 * state.c - partial results: the tally, encoding, checking and merging
 * (see state.h for what a state holds and its file layout).
 *
 * Payload of version 1, in this order (v: varint, z: zigzag varint,
 * s: string, u64: 8 bytes little-endian):
 *   v flags; v builtin; s catalogue CSV ("" when built-in)
 *   v ninputs; per input: s name, s format ("" none), v lines, v compression
 *     (an index into compressions[])
 *   v lines, blank, skipped, bytes; v malformed, method, status, bot
 *   v ngem; per gemeente: s name, u64 key fingerprint, v method, status, bot
 *   v ntally; per entry: z wall - the previous entry's wall (0 first),
 *     v gem + 1, v row + 1, v n[0], n[1], n[2]
 *   v nentries; per entry: z day, v gem, v row, u64 visitor, v nevents;
 *     per event: v sod << 2 | step, z instant_us - wall * 1000000
 * Every count is checked against the bytes left before anything is
 * allocated for it, so a damaged file (whose checksum happens to pass)
 * cannot make the reader run off its buffer or allocate wildly.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "catalog.h"
#include "state.h"

/* ---- the tally -------------------------------------------------------- */

/* An array of counter records, appended to and summed when compacted:
 * records come nearly in time order and nearly all with distinct keys
 * (a second of one gemeente), so appending is cheaper than hashing them
 * into a table, and the sums never depend on duplicates being combined. */
typedef struct {
	int64_t wall;
	int32_t gem, row;
	uint64_t n[3];
} tslot;

struct state_tally {
	tslot *s;
	size_t used, cap;
	int sorted;                /* s[0..used) ascending by key */
};

state_tally *state_tally_new(void)
{
	state_tally *t = calloc(1, sizeof *t);
	if (t)
		t->sorted = 1;
	return t;
}

void state_tally_free(state_tally *t)
{
	if (!t)
		return;
	free(t->s);
	free(t);
}

static int cmp_key(const tslot *x, const tslot *y)
{
	if (x->wall != y->wall)
		return x->wall < y->wall ? -1 : 1;
	if (x->gem != y->gem)
		return x->gem < y->gem ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

static int cmp_tslot(const void *a, const void *b)
{
	return cmp_key(a, b);
}

static int tally_push(state_tally *t, const tslot *r)
{
	if (t->used && t->s[t->used - 1].wall == r->wall && t->s[t->used - 1].gem == r->gem &&
	    t->s[t->used - 1].row == r->row) {
		for (int k = 0; k < 3; k++)
			t->s[t->used - 1].n[k] += r->n[k];
		return 0;
	}
	if (t->used == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		tslot *n = realloc(t->s, cap * sizeof *n);
		if (!n)
			return -1;
		t->s = n;
		t->cap = cap;
	}
	if (t->used && cmp_key(&t->s[t->used - 1], r) > 0)
		t->sorted = 0;
	t->s[t->used++] = *r;
	return 0;
}

int state_tally_add(state_tally *t, int64_t wall, int gem, int row, int k, uint64_t v)
{
	tslot r = { wall, gem, row, { 0, 0, 0 } };
	r.n[k] = v;
	return tally_push(t, &r);
}

int state_tally_merge(state_tally *dst, const state_tally *src)
{
	for (size_t i = 0; i < src->used; i++)
		if (tally_push(dst, &src->s[i]) < 0)
			return -1;
	return 0;
}

void state_tally_compact(state_tally *t)
{
	if (!t->sorted)
		qsort(t->s, t->used, sizeof *t->s, cmp_tslot);
	size_t w = 0;
	for (size_t i = 0; i < t->used; i++) {
		if (w && cmp_key(&t->s[w - 1], &t->s[i]) == 0) {
			for (int k = 0; k < 3; k++)
				t->s[w - 1].n[k] += t->s[i].n[k];
		} else {
			t->s[w++] = t->s[i];
		}
	}
	t->used = w;
	t->sorted = 1;
}

/* ---- the state in memory ------------------------------------------------ */

state *state_new(int nparts)
{
	state *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->fun = funnel_new(1, nparts);
	s->tally = state_tally_new();
	if (!s->fun || !s->tally) {
		state_free(s);
		return NULL;
	}
	return s;
}

void state_free(state *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->ninputs; i++) {
		free(s->inputs[i].name);
		free(s->inputs[i].format);
	}
	free(s->inputs);
	free(s->catalog_csv);
	free(s->gem_excluded);
	free(s->gem_fp);
	funnel_free(s->fun);
	state_tally_free(s->tally);
	free(s);
}

uint64_t state_key_fingerprint(const visitor_key *k)
{
	static const char c[] = "klantreis visitor key fingerprint, state format 1";
	uint64_t h = visitor_siphash(k, c, sizeof c - 1);
	return h ? h : 1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int state_key_parse(const char *text, size_t n, visitor_key *k)
{
	if (n > 0 && text[n - 1] == '\n')
		n--;
	if (n > 0 && text[n - 1] == '\r')
		n--;
	if (n != 32)
		return -1;
	uint64_t w[2] = { 0, 0 };
	for (size_t i = 0; i < 32; i++) {
		int v = hexval((unsigned char)text[i]);
		if (v < 0)
			return -1;
		w[i / 16] = w[i / 16] << 4 | (uint64_t)v;
	}
	k->k0 = w[0];
	k->k1 = w[1];
	return 0;
}

/* Room for gemeente ids below ngem. */
static int gem_reserve(state *s, int ngem)
{
	if (ngem <= s->capgem) {
		if (ngem > s->ngem)
			s->ngem = ngem;
		return 0;
	}
	int cap = s->capgem ? s->capgem : 16;
	while (cap < ngem)
		cap *= 2;
	uint64_t *ex = realloc(s->gem_excluded, (size_t)cap * FILTER_NREASONS * sizeof *ex);
	if (!ex)
		return -1;
	s->gem_excluded = ex;
	uint64_t *fp = realloc(s->gem_fp, (size_t)cap * sizeof *fp);
	if (!fp)
		return -1;
	s->gem_fp = fp;
	memset(ex + (size_t)s->capgem * FILTER_NREASONS, 0,
	       (size_t)(cap - s->capgem) * FILTER_NREASONS * sizeof *ex);
	memset(fp + s->capgem, 0, (size_t)(cap - s->capgem) * sizeof *fp);
	s->capgem = cap;
	s->ngem = ngem;
	return 0;
}

/* input_compression's names, in the order of their number in a state
 * (append only: the number is part of the format). */
static const char *const compressions[] = {
	"plain", "gzip", "xz", "bzip2", "zstd", "lz4", "lzip", "lzop", "compress", "zip", "7-zip",
};
#define NCOMPRESSIONS (sizeof compressions / sizeof compressions[0])

/* The number of compression name c (0, "plain", for NULL or an unknown
 * name). */
static unsigned compression_id(const char *c)
{
	for (unsigned i = 0; c != NULL && i < NCOMPRESSIONS; i++)
		if (strcmp(compressions[i], c) == 0)
			return i;
	return 0;
}

int state_add_input(state *s, const char *name, const char *format, uint64_t lines,
                    const char *compression)
{
	if (s->ninputs == s->capinputs) {
		int cap = s->capinputs ? 2 * s->capinputs : 8;
		state_input *n = realloc(s->inputs, (size_t)cap * sizeof *n);
		if (!n)
			return -1;
		s->inputs = n;
		s->capinputs = cap;
	}
	state_input *in = &s->inputs[s->ninputs];
	in->name = strdup(name);
	in->format = format ? strdup(format) : NULL;
	if (!in->name || (format && !in->format)) {
		free(in->name);
		free(in->format);
		return -1;
	}
	in->lines = lines;
	in->compression = compressions[compression_id(compression)];
	s->ninputs++;
	return 0;
}

int state_take_scan(state *s, scan_result *res, const matcher *m, uint64_t fp)
{
	int ngem = match_ngemeenten(m);
	if (gem_reserve(s, ngem) < 0)
		return -1;
	s->lines += res->lines;
	s->blank += res->blank;
	s->skipped += res->skipped;
	s->bytes += res->bytes;
	for (int k = FILTER_MALFORMED; k <= FILTER_BOT; k++)
		s->excluded[k] += res->excluded[k];
	for (int g = 0; g < res->ngem && g < ngem; g++) {
		const uint64_t *x = res->gem_excluded + (size_t)g * FILTER_NREASONS;
		uint64_t *d = s->gem_excluded + (size_t)g * FILTER_NREASONS;
		for (int k = FILTER_METHOD; k <= FILTER_BOT; k++)
			d[k] += x[k];
		/* requests that passed the method, status and bot rules are
		 * in gem_qualified (the scan's one side covers all time) */
		if (x[FILTER_METHOD] + x[FILTER_STATUS] + x[FILTER_BOT] + res->gem_qualified[g] > 0)
			s->gem_fp[g] = fp;
	}
	/* into an empty state: take res's tables rather than copy them */
	if (res->fun[0] && funnel_size(s->fun) == 0) {
		funnel *t = s->fun;
		s->fun = res->fun[0];
		res->fun[0] = t;
	} else if (res->fun[0] && funnel_merge(s->fun, res->fun[0]) < 0) {
		return -1;
	}
	if (res->tally && s->tally->used == 0) {
		state_tally *t = s->tally;
		s->tally = res->tally;
		res->tally = t;
	} else if (res->tally && state_tally_merge(s->tally, res->tally) < 0) {
		return -1;
	}
	return 0;
}

/* ---- encoding ------------------------------------------------------------ */

typedef struct {
	unsigned char *p;
	size_t n, cap;
	int oom;
} wbuf;

static void put_bytes(wbuf *b, const void *p, size_t n)
{
	if (b->oom || n == 0)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n)
			cap *= 2;
		unsigned char *q = realloc(b->p, cap);
		if (!q) {
			b->oom = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void put_v(wbuf *b, uint64_t v)
{
	unsigned char t[10];
	size_t n = 0;
	do {
		t[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			t[n] |= 0x80;
		n++;
	} while (v);
	put_bytes(b, t, n);
}

static void put_z(wbuf *b, int64_t v)
{
	put_v(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_le(wbuf *b, uint64_t v, int bytes)
{
	unsigned char t[8];
	for (int i = 0; i < bytes; i++)
		t[i] = (unsigned char)(v >> (8 * i));
	put_bytes(b, t, (size_t)bytes);
}

static void put_s(wbuf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_v(b, n);
	put_bytes(b, s, n);
}

static int put_entry(void *arg, const funnel_key *k, const funnel_event *ev, size_t n)
{
	wbuf *b = arg;
	put_z(b, k->day);
	put_v(b, (uint64_t)k->gem);
	put_v(b, (uint64_t)k->row);
	put_le(b, k->visitor, 8);
	put_v(b, n);
	for (size_t i = 0; i < n; i++) {
		int64_t wall = (int64_t)k->day * 86400 + ev[i].sod;
		put_v(b, (uint64_t)ev[i].sod << 2 | (uint64_t)ev[i].step);
		put_z(b, ev[i].instant_us - wall * 1000000);
	}
	return b->oom ? -1 : 0;
}

int state_write(const state *s, const matcher *m, FILE *fp)
{
	wbuf b = { NULL, 0, 0, 0 };
	int rc = -1;
	put_bytes(&b, STATE_MAGIC, STATE_MAGIC_LEN);
	put_le(&b, STATE_VERSION, 4);
	put_le(&b, 0, 8);                       /* the length, filled in below */
	size_t start = b.n;
	put_v(&b, s->flags);
	put_v(&b, (uint64_t)s->builtin);
	put_s(&b, s->builtin ? NULL : s->catalog_csv);
	put_v(&b, (uint64_t)s->ninputs);
	for (int i = 0; i < s->ninputs; i++) {
		put_s(&b, s->inputs[i].name);
		put_s(&b, s->inputs[i].format);
		put_v(&b, s->inputs[i].lines);
		put_v(&b, compression_id(s->inputs[i].compression));
	}
	put_v(&b, s->lines);
	put_v(&b, s->blank);
	put_v(&b, s->skipped);
	put_v(&b, s->bytes);
	for (int k = FILTER_MALFORMED; k <= FILTER_BOT; k++)
		put_v(&b, s->excluded[k]);
	put_v(&b, (uint64_t)s->ngem);
	for (int g = 0; g < s->ngem; g++) {
		const char *name = match_gemeente_name(m, g);
		put_s(&b, name ? name : "");
		put_le(&b, s->gem_fp[g], 8);
		for (int k = FILTER_METHOD; k <= FILTER_BOT; k++)
			put_v(&b, s->gem_excluded[(size_t)g * FILTER_NREASONS + k]);
	}
	put_v(&b, s->tally->used);
	int64_t prev = 0;
	for (size_t i = 0; i < s->tally->used; i++) {
		const tslot *t = &s->tally->s[i];
		put_z(&b, t->wall - prev);
		prev = t->wall;
		put_v(&b, (uint64_t)(t->gem + 1));
		put_v(&b, (uint64_t)(t->row + 1));
		for (int k = 0; k < 3; k++)
			put_v(&b, t->n[k]);
	}
	put_v(&b, funnel_size(s->fun));
	if (funnel_walk(s->fun, put_entry, &b) < 0 && !b.oom) {
		errno = ENOMEM;
		goto out;
	}
	if (b.oom) {
		errno = ENOMEM;
		goto out;
	}
	uint64_t len = b.n - start;
	for (int i = 0; i < 8; i++)
		b.p[STATE_MAGIC_LEN + 4 + i] = (unsigned char)(len >> (8 * i));
	uLong crc = crc32(0L, Z_NULL, 0);
	/* zlib's crc32 takes uInt lengths: feed it in pieces */
	for (size_t off = STATE_MAGIC_LEN; off < b.n;) {
		size_t n = b.n - off > (1u << 30) ? (1u << 30) : b.n - off;
		crc = crc32(crc, b.p + off, (uInt)n);
		off += n;
	}
	put_le(&b, (uint64_t)crc, 4);
	if (b.oom) {
		errno = ENOMEM;
		goto out;
	}
	if (fwrite(b.p, 1, b.n, fp) != b.n)
		goto out;
	rc = 0;
out:
	free(b.p);
	return rc;
}

/* ---- decoding ------------------------------------------------------------ */

int state_detect(const void *p, size_t n)
{
	return n >= STATE_DETECT_LEN && memcmp(p, STATE_MAGIC, STATE_DETECT_LEN) == 0;
}

struct state_file {
	char *name;
	unsigned char *buf;
	size_t len;
	size_t body;               /* offset of the inputs (after the catalogue) */
	size_t end;                /* end of the payload */
	unsigned flags;
	int builtin;
	char *catalog;
};

typedef struct {
	const unsigned char *p;
	size_t off, end;
	int bad;
} rbuf;

static uint64_t get_v(rbuf *r)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->off >= r->end) {
			r->bad = 1;
			return 0;
		}
		unsigned char c = r->p[r->off++];
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	r->bad = 1;
	return 0;
}

static int64_t get_z(rbuf *r)
{
	uint64_t v = get_v(r);
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static uint64_t get_le(rbuf *r, int bytes)
{
	if (r->end - r->off < (size_t)bytes) {
		r->bad = 1;
		r->off = r->end;
		return 0;
	}
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)r->p[r->off + (size_t)i] << (8 * i);
	r->off += (size_t)bytes;
	return v;
}

/* A count of items of at least min_bytes each: no more than the bytes
 * left allow. */
static uint64_t get_count(rbuf *r, size_t min_bytes)
{
	uint64_t n = get_v(r);
	if (n > (r->end - r->off) / min_bytes) {
		r->bad = 1;
		return 0;
	}
	return n;
}

/* A string, malloc'ed and NUL-terminated (NULL when r is bad or OOM). */
static char *get_s(rbuf *r)
{
	uint64_t n = get_v(r);
	if (r->bad || n > r->end - r->off) {
		r->bad = 1;
		return NULL;
	}
	if (memchr(r->p + r->off, '\0', (size_t)n)) {
		r->bad = 1;
		return NULL;
	}
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	memcpy(s, r->p + r->off, (size_t)n);
	s[n] = '\0';
	r->off += (size_t)n;
	return s;
}

void state_file_free(state_file *f)
{
	if (!f)
		return;
	free(f->name);
	free(f->buf);
	free(f->catalog);
	free(f);
}

unsigned state_file_flags(const state_file *f) { return f->flags; }
int state_file_builtin(const state_file *f) { return f->builtin; }
const char *state_file_catalog(const state_file *f) { return f->catalog; }
const char *state_file_name(const state_file *f) { return f->name; }

/* Reads fp to its end into f->buf (cap bytes so far, grown as needed),
 * f->len bytes. Returns 0, or -1 with err set (a read error, or out of
 * memory). */
static int read_whole(state_file *f, size_t cap, FILE *fp, const char *name, char *err,
                      size_t errlen)
{
	for (;;) {
		if (f->len == cap) {
			unsigned char *n = realloc(f->buf, cap * 2);
			if (!n) {
				snprintf(err, errlen, "out of memory reading state '%s'", name);
				return -1;
			}
			f->buf = n;
			cap *= 2;
		}
		size_t r = fread(f->buf + f->len, 1, cap - f->len, fp);
		f->len += r;
		if (r == 0) {
			if (ferror(fp)) {
				snprintf(err, errlen, "cannot read state '%s': %s", name, strerror(errno));
				return -1;
			}
			return 0;
		}
	}
}

/* Checks the frame of the state in f->buf[0..f->len): magic number,
 * format version, length field, nothing after the end, checksum. The
 * body's length in *lenp. Returns 0, or -1 with err saying what is wrong
 * (cut short, damaged, or a newer version). */
static int check_frame(const state_file *f, const char *name, uint64_t *lenp, char *err,
                       size_t errlen)
{
	const size_t head = STATE_MAGIC_LEN + 4 + 8;
	if (f->len < STATE_MAGIC_LEN || memcmp(f->buf, STATE_MAGIC, STATE_MAGIC_LEN) != 0) {
		if (f->len < STATE_MAGIC_LEN && memcmp(f->buf, STATE_MAGIC, f->len) == 0)
			snprintf(err, errlen, "state '%s' is cut short: %zu bytes, not even the "
			         "header", name, f->len);
		else
			snprintf(err, errlen, "state '%s' is damaged: its magic number is wrong", name);
		return -1;
	}
	if (f->len < head) {
		snprintf(err, errlen, "state '%s' is cut short: %zu bytes, not even the header",
		         name, f->len);
		return -1;
	}
	rbuf r = { f->buf, STATE_MAGIC_LEN, f->len, 0 };
	uint64_t version = get_le(&r, 4), len = get_le(&r, 8);
	if (version > STATE_VERSION) {
		snprintf(err, errlen, "state '%s' has format version %" PRIu64 "; this klantreis "
		         "reads version %d: use a newer klantreis", name, version, STATE_VERSION);
		return -1;
	}
	if (version == 0) {
		snprintf(err, errlen, "state '%s' is damaged: format version 0", name);
		return -1;
	}
	if (len > f->len - head || f->len - head - len < 4) {
		if (len <= (uint64_t)1 << 50 && f->len < head + len + 4)
			snprintf(err, errlen, "state '%s' is cut short: %zu of %" PRIu64 " bytes",
			         name, f->len, head + len + 4);
		else
			snprintf(err, errlen, "state '%s' is damaged: its length field is wrong", name);
		return -1;
	}
	if (f->len - head - len > 4) {
		snprintf(err, errlen, "state '%s' is damaged: %zu bytes after its end", name,
		         (size_t)(f->len - head - len - 4));
		return -1;
	}
	uLong crc = crc32(0L, NULL, 0);
	for (size_t off = STATE_MAGIC_LEN; off < head + len;) {
		size_t n = head + len - off > (1u << 30) ? (1u << 30) : head + len - off;
		crc = crc32(crc, f->buf + off, (uInt)n);
		off += n;
	}
	r.off = head + len;
	if ((uint64_t)crc != get_le(&r, 4)) {
		snprintf(err, errlen, "state '%s' is damaged: checksum mismatch", name);
		return -1;
	}
	*lenp = len;
	return 0;
}

state_file *state_file_read(FILE *fp, const char *name, char *err, size_t errlen)
{
	state_file *f = calloc(1, sizeof *f);
	size_t cap = 1 << 16;
	uint64_t len;
	if (!f || !(f->name = strdup(name)) || !(f->buf = malloc(cap)))
		goto oom;
	if (read_whole(f, cap, fp, name, err, errlen) < 0 ||
	    check_frame(f, name, &len, err, errlen) < 0)
		goto fail;
	const size_t head = STATE_MAGIC_LEN + 4 + 8;
	rbuf r = { f->buf, head, head + len, 0 };
	f->end = head + len;
	f->flags = (unsigned)get_v(&r);
	f->builtin = get_v(&r) != 0;
	f->catalog = get_s(&r);
	if (r.bad || !f->catalog) {
		if (!r.bad)
			goto oom;
		snprintf(err, errlen, "state '%s' is damaged: bad header", name);
		goto fail;
	}
	if (f->builtin) {
		free(f->catalog);
		f->catalog = NULL;
	}
	f->body = r.off;
	return f;
oom:
	snprintf(err, errlen, "out of memory reading state '%s'", name);
fail:
	state_file_free(f);
	return NULL;
}

/* Days and wall times beyond +-MAX_DAYS days of 1970 are damage: within
 * it every instant in microseconds fits an int64_t. */
#define MAX_DAYS ((int64_t)100000000)

/* The state's inputs, added to s, and the run's counters, added to s's.
 * Returns 0 (r->bad set when the data is damaged), or -1 when out of
 * memory. */
static int fold_inputs(state *s, rbuf *r)
{
	uint64_t n = get_count(r, 4);
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		char *str = get_s(r);
		char *fmt = get_s(r);
		uint64_t lines = get_v(r);
		uint64_t comp = get_v(r);
		int ok = 1;
		if (comp >= NCOMPRESSIONS)
			r->bad = 1;
		if (!r->bad && (!str || !fmt ||
		                state_add_input(s, str, fmt[0] ? fmt : NULL, lines,
		                                compressions[comp]) < 0))
			ok = 0;
		free(str);
		free(fmt);
		if (!ok)
			return -1;
	}
	s->lines += get_v(r);
	s->blank += get_v(r);
	s->skipped += get_v(r);
	s->bytes += get_v(r);
	for (int k = FILTER_MALFORMED; k <= FILTER_BOT; k++)
		s->excluded[k] += get_v(r);
	return 0;
}

/* The state's ngem gemeenten: ids[i] gets the matcher's id of the i-th,
 * and their visitor-key fingerprints and exclusions go to s. Returns 0
 * (r->bad set when the data is damaged), -1 when out of memory, or -2
 * (message in err) for a gemeente the catalogue lacks or one counted
 * under another visitor key. */
static int fold_gemeenten(state *s, const state_file *f, rbuf *r, matcher *m, int *ids,
                          uint64_t ngem, char *err, size_t errlen)
{
	char *str = NULL;
	int rc = 0;
	for (uint64_t i = 0; i < ngem && !r->bad; i++) {
		str = get_s(r);
		if (!str)
			return r->bad ? 0 : -1;
		uint64_t fp = get_le(r, 8);
		uint64_t ex[FILTER_NREASONS] = { 0 };
		for (int k = FILTER_METHOD; k <= FILTER_BOT; k++)
			ex[k] = get_v(r);
		if (r->bad)
			break;
		int g = match_gemeente_id(m, str);
		if (g < 0) {
			snprintf(err, errlen, "state '%s' holds gemeente '%s', which the catalogue "
			         "lacks", f->name, str);
			rc = -2;
			break;
		}
		if (gem_reserve(s, g + 1) < 0 || gem_reserve(s, match_ngemeenten(m)) < 0) {
			rc = -1;
			break;
		}
		if (fp && s->gem_fp[g] && s->gem_fp[g] != fp) {
			snprintf(err, errlen, "gemeente '%s' has requests in states (or logs) under "
			         "different visitor keys; give every part of a gemeente the same "
			         "--key-file (state '%s')", str, f->name);
			rc = -2;
			break;
		}
		if (fp)
			s->gem_fp[g] = fp;
		for (int k = FILTER_METHOD; k <= FILTER_BOT; k++)
			s->gem_excluded[(size_t)g * FILTER_NREASONS + k] += ex[k];
		ids[i] = g;
		free(str);
		str = NULL;
	}
	free(str);
	return rc;
}

/* The state's counts per second of wall time (tally slots) for the
 * gemeenten ids[0..ngem), added to s->tally. Returns 0 (r->bad set when
 * the data is damaged), or -1 when out of memory. */
static int fold_tally(state *s, rbuf *r, const int *ids, uint64_t ngem)
{
	uint64_t nt = get_count(r, 6);
	int64_t wall = 0;
	for (uint64_t i = 0; i < nt && !r->bad; i++) {
		int64_t d = get_z(r);
		if (d < -2 * MAX_DAYS * 86400 || d > 2 * MAX_DAYS * 86400 ||
		    wall + d < -MAX_DAYS * 86400 || wall + d > MAX_DAYS * 86400) {
			r->bad = 1;
			break;
		}
		wall += d;
		uint64_t gem1 = get_v(r), row1 = get_v(r);
		uint64_t v[3];
		for (int k = 0; k < 3; k++)
			v[k] = get_v(r);
		if (r->bad || gem1 > ngem || row1 > (uint64_t)INT32_MAX) {
			r->bad = 1;
			break;
		}
		tslot t = { wall, gem1 ? ids[gem1 - 1] : -1, (int)row1 - 1, { v[0], v[1], v[2] } };
		if (tally_push(s->tally, &t) < 0)
			return -1;
	}
	return 0;
}

/* The state's funnel events (per day, gemeente, product and visitor) for
 * the gemeenten ids[0..ngem), added to s->fun. Returns 0 (r->bad set when
 * the data is damaged), or -1 when out of memory. */
static int fold_events(state *s, rbuf *r, const int *ids, uint64_t ngem)
{
	uint64_t ne = get_count(r, 12);
	for (uint64_t i = 0; i < ne && !r->bad; i++) {
		int64_t day = get_z(r);
		uint64_t gem = get_v(r), row = get_v(r);
		uint64_t visitor = get_le(r, 8);
		uint64_t nev = get_count(r, 2);
		if (r->bad || gem >= ngem || row > (uint64_t)INT32_MAX || day < -MAX_DAYS ||
		    day > MAX_DAYS) {
			r->bad = 1;
			break;
		}
		for (uint64_t e = 0; e < nev && !r->bad; e++) {
			uint64_t x = get_v(r);
			int64_t off = get_z(r);
			int64_t sod = (int64_t)(x >> 2);
			int step = (int)(x & 3);
			if (r->bad || sod >= 86400 || step > STEP_DONE || off < -((int64_t)1 << 50) ||
			    off > (int64_t)1 << 50) {
				r->bad = 1;
				break;
			}
			int64_t instant = (day * 86400 + sod) * 1000000 + off;
			if (funnel_add_at(s->fun, visitor, (int32_t)day, (int32_t)sod, instant,
			                  ids[gem], (int)row, step) < 0)
				return -1;
		}
	}
	return 0;
}

int state_fold(state *s, const state_file *f, matcher *m, char *err, size_t errlen)
{
	rbuf r = { f->buf, f->body, f->end, 0 };
	int *ids = NULL, rc = -1;

	if (fold_inputs(s, &r) < 0)
		goto oom;
	uint64_t ngem = get_count(&r, 12);
	ids = malloc((size_t)(ngem + 1) * sizeof *ids);
	if (!ids)
		goto oom;
	int g = fold_gemeenten(s, f, &r, m, ids, ngem, err, errlen);
	if (g == -2) {
		rc = -2;
		goto out;
	}
	if (g < 0 || fold_tally(s, &r, ids, ngem) < 0 || fold_events(s, &r, ids, ngem) < 0)
		goto oom;
	if (r.bad || r.off != r.end) {
		snprintf(err, errlen, "state '%s' is damaged: bad data at byte %zu", f->name, r.off);
		goto out;
	}
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory reading state '%s'", f->name);
out:
	free(ids);
	return rc;
}

/* ---- from a state to the report's input ---------------------------------- */

/* state_result's funnel of side i: with take, one side over all time and
 * funnels of s's parts, s's own (s keeps an empty one; without events
 * when keep_events is not set: funnel_drop_events), else a copy of the
 * events in side i's range (funnel_filter). NULL when out of memory. */
static funnel *result_funnel(state *s, int take, const scan_range *side, int keep_events,
                             int nparts)
{
	if (take) {
		funnel *f = s->fun, *empty = funnel_new(1, nparts);
		if (!empty)
			return NULL;
		s->fun = empty;
		if (!keep_events)
			funnel_drop_events(f);
		return f;
	}
	funnel *f = funnel_new(keep_events, nparts);
	if (f && funnel_filter(f, s->fun, side->from, side->to) < 0) {
		funnel_free(f);
		return NULL;
	}
	return f;
}

int state_result(state *s, const matcher *m, int nsides, const scan_range *sides,
                 int keep_events, int nparts, int take, scan_result *res)
{
	memset(res, 0, sizeof *res);
	res->time_min = INT64_MAX;
	res->time_max = INT64_MIN;
	res->ngem = match_ngemeenten(m);
	res->inputs = calloc((size_t)s->ninputs + 1, sizeof *res->inputs);
	res->gem_excluded = calloc((size_t)res->ngem * FILTER_NREASONS + 1, sizeof *res->gem_excluded);
	res->gem_qualified = calloc((size_t)res->ngem + 1, sizeof *res->gem_qualified);
	if (!res->inputs || !res->gem_excluded || !res->gem_qualified)
		return -1;
	res->ninputs = s->ninputs;
	for (int i = 0; i < s->ninputs; i++) {
		scan_input *in = &res->inputs[i];
		in->name = s->inputs[i].name;
		in->format = s->inputs[i].format;
		in->lines = s->inputs[i].lines;
		in->compression = s->inputs[i].compression;
		snprintf(in->why, sizeof in->why, "from a state");
	}
	res->lines = s->lines;
	res->blank = s->blank;
	res->skipped = s->skipped;
	res->bytes = s->bytes;
	for (int k = FILTER_MALFORMED; k <= FILTER_BOT; k++)
		res->excluded[k] = s->excluded[k];
	for (int g = 0; g < s->ngem && g < res->ngem; g++)
		for (int k = FILTER_METHOD; k <= FILTER_BOT; k++)
			res->gem_excluded[(size_t)g * FILTER_NREASONS + k] =
				s->gem_excluded[(size_t)g * FILTER_NREASONS + k];
	take = take && nsides == 1 && sides[0].from == INT64_MIN && sides[0].to == INT64_MAX &&
	       funnel_nparts(s->fun) == nparts;
	for (int i = 0; i < nsides; i++)
		if (!(res->fun[i] = result_funnel(s, take, &sides[i], keep_events, nparts)))
			return -1;
	for (size_t i = 0; i < s->tally->used; i++) {
		const tslot *t = &s->tally->s[i];
		int row = t->row;
		int in = 0;
		for (int k = 0; k < nsides; k++)
			if (t->wall >= sides[k].from && t->wall < sides[k].to) {
				in = 1;
				if (row >= 0)
					for (int st = 0; st < 3; st++)
						if (t->n[st] && funnel_add_errors(res->fun[k], ktime_day(t->wall),
						                                  t->gem, row, st, t->n[st]) < 0)
							return -1;
			}
		if (row >= 0)
			continue;
		if (t->gem >= res->ngem)
			continue;
		uint64_t *gx = t->gem >= 0 ? res->gem_excluded + (size_t)t->gem * FILTER_NREASONS : NULL;
		if (!in) {
			res->excluded[FILTER_TIME] += t->n[0];
			if (gx)
				gx[FILTER_TIME] += t->n[0];
			if (t->n[0] && t->wall < res->time_min)
				res->time_min = t->wall;
			if (t->n[0] && t->wall > res->time_max)
				res->time_max = t->wall;
		} else if (t->gem < 0) {
			res->excluded[FILTER_HOST] += t->n[0];
		} else {
			res->qualified += t->n[0];
			res->gem_qualified[t->gem] += t->n[0];
			res->matched += t->n[1];
		}
	}
	return 0;
}
