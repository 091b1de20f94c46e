/* read_sadf_json.c - format F10, sysstat `sadf -j` JSON (tables sys_sample,
 * sys_disk, sys_net).  One document per file, streamed through the
 * JSON-document engine's events (json_doc.h; strings checked here, so that a
 * bad one rejects its statistic only): each statistic's rows are emitted
 * when its object closes, so memory holds one statistic, not the day.  Layout read:
 *   sysstat.hosts[] {nodename (-> profile), timezone, statistics[]}
 *   statistic: timestamp {date, time, utc, interval}, cpu-load[] (sysstat
 *   <= 11.1: cpu-load-all[]; the "all" entry -> cpu_* columns, -u's user,
 *   nice, system apart from -u ALL's usr, nice, sys, irq, soft, guest,
 *   gnice; per-CPU entries kept whole in extra."cpu-load"), memory, queue,
 *   disk[] -> sys_disk, network.net-dev[] -> sys_net;
 *   restarts[] {boot {date, time, utc, cpu_count}} -> sys_restart,
 *   comments[] {comment {date, time, utc, com}} -> sys_comment.
 * Every other field is kept in the row's extra: unknown scalars under
 * "section.key", unknown sections (paging, io, kernel ...) as their JSON
 * text, and the host's header fields under "host".  utc 1 (or absent) is
 * UTC; utc 0 (sadf -t, -T) is local time in --tz, else in the host's
 * timezone field when that names a zone (UTC, +HH:MM or an IANA name with a
 * '/'); an abbreviation such as EST says nothing of summer time, so those
 * times need --tz.  Across a change to winter time the repeated hour is
 * read as its second occurrence once the times go back.  A bad statistic is rejected whole
 * with its raw text; the rest of the document is still read.  A bare NaN or
 * Infinity (the engine reads them as null) is a missing value. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/buf.h"
#include "../../core/json_write.h"
#include "../../core/number.h"
#include "../../core/utf8.h"
#include "../engines/json_doc.h"
#include "../engines/json_space.h"
#include "../pipeline/reader.h"
#include "sadf_json.h"
#include "../pipeline/sink.h"
#include "../engines/tz.h"

#define HOLD_MAX ((size_t)64 << 20)
#define RAW_NEAR 256

struct keymap {
	const char *key;
	int slot;
};

/* Slots of the cpu "all" entry (entry v[], NEV in sadf_json.h): -u writes
 * user, nice, system (with irq and softirq); -u ALL and -A usr, nice, sys
 * (without), irq, soft, guest, gnice; sadf_rows.c files each under its
 * meaning. */
static const struct keymap cpu_keys[] = {
	{ "user", 0 }, { "nice", 1 }, { "system", 2 }, { "iowait", 3 }, { "steal", 4 },
	{ "idle", 5 }, { "usr", 6 }, { "sys", 7 }, { "irq", 8 }, { "soft", 9 },
	{ "guest", 10 }, { "gnice", 11 }, { NULL, 0 } };
/* Slots of a statistic's values (sv[], NSV in sadf_json.h): memory 6-12,
 * queue 13-18. */
static const struct keymap mem_keys[] = {
	{ "memfree", 6 }, { "avail", 7 }, { "memused", 8 }, { "memused-percent", 9 },
	{ "buffers", 10 }, { "cached", 11 }, { "commit-percent", 12 }, { NULL, 0 } };
static const struct keymap queue_keys[] = {
	{ "runq-sz", 13 }, { "plist-sz", 14 }, { "ldavg-1", 15 }, { "ldavg-5", 16 },
	{ "ldavg-15", 17 }, { "blocked", 18 }, { NULL, 0 } };
/* Slots of an entry's values (v[], NEV in sadf_json.h). */
static const struct keymap disk_keys[] = {
	{ "tps", 0 }, { "rkB", 1 }, { "wkB", 2 }, { "await", 3 }, { "util-percent", 4 },
	{ NULL, 0 } };
static const struct keymap disk_keep[] = { { "rd_sec", 5 }, { "wr_sec", 6 }, { NULL, 0 } };
static const struct keymap net_keys[] = {
	{ "rxpck", 0 }, { "txpck", 1 }, { "rxkB", 2 }, { "txkB", 3 }, { "ifutil-percent", 4 },
	{ NULL, 0 } };


static void sadf_close(void *state)
{
	struct sadf_state *st = state;
	if (!st)
		return;
	pk_jdoc_free(&st->doc);
	struct pk_buf *bufs[] = { &st->key, &st->hold, &st->doc_info, &st->host_info, &st->com,
	                          &st->nodename, &st->tzname, &st->date, &st->time,
	                          &st->stat_extra, &st->cpu_list, &st->entry_name,
	                          &st->entry_extra, &st->arena, &st->msg, &st->rowextra,
	                          &st->raw, &st->pend_why, &st->pend_raw };
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		pk_buf_free(bufs[i]);
	pk_tz_free(&st->host_tz);
	pk_tz_free(&st->opt_tz);
	free(st->entries);
	free(st);
}

/* The line of the current token (a token never spans lines, so any offset
 * off inside it names the same line). */
static int64_t line_at(struct sadf_state *st, size_t off)
{
	(void)off;
	return pk_jdoc_line(st->doc);
}

static size_t consumed(struct sadf_state *st)
{
	return st->at;
}

int pk_sadf_fail_mem(struct sadf_state *st, enum pk_status rc)
{
	if (rc != PK_OK && st->rc == PK_OK)
		st->rc = rc;
	return rc == PK_OK;
}

void pk_sadf_begin_hold(struct sadf_state *st, int64_t g)
{
	if (st->hold_active)
		return;
	st->hold_active = 1;
	st->hold_broken = 0;
	st->hold_start = g;
	pk_buf_reset(&st->hold);
	pk_jdoc_hold(st->doc, &st->hold, g);
}

void pk_sadf_end_hold(struct sadf_state *st)
{
	st->hold_active = 0;
	pk_jdoc_hold(st->doc, NULL, 0);
}

/* Appends document bytes [a, b) to out: the held part, then the chunk's. */
int pk_sadf_span(struct sadf_state *st, int64_t a, int64_t b, struct pk_buf *out)
{
	if (!st->hold_active || st->hold_broken || pk_jdoc_hold_broken(st->doc) ||
	    a < st->hold_start)
		return 0;
	if (a < st->chunk_base) {
		int64_t e = b < st->chunk_base ? b : st->chunk_base;
		if (!pk_sadf_fail_mem(st, pk_buf_append(out, st->hold.data + (a - st->hold_start),
		                                        (size_t)(e - a))))
			return 0;
		a = e;
	}
	return a >= b ||
	       pk_sadf_fail_mem(st, pk_buf_append(out, st->chunk + (a - st->chunk_base),
	                                          (size_t)(b - a)));
}

/* Rejects are held back one step: the reject table keeps one per line, so
 * those of one line (a document on one line) are merged, reasons joined
 * with "; " and raw texts with a newline. */
static int flush_reject(struct sadf_state *st)
{
	if (!st->pend_n)
		return 1;
	st->pend_n = 0;
	return pk_sadf_fail_mem(st, pk_sink_reject(st->sink, st->pend_line, 0, st->pend_why.data,
	                                           st->pend_raw.data ? st->pend_raw.data : "",
	                                           st->pend_raw.len));
}

int pk_sadf_reject(struct sadf_state *st, int64_t line, const char *why, const char *raw,
                   size_t n)
{
	if (st->pend_n && st->pend_line != line && !flush_reject(st))
		return 0;
	if (!st->pend_n) {
		pk_buf_reset(&st->pend_why);
		pk_buf_reset(&st->pend_raw);
		st->pend_line = line;
	}
	if (st->pend_n && st->pend_why.len < 1000) {
		pk_sadf_fail_mem(st, pk_buf_puts(&st->pend_why, "; "));
		pk_sadf_fail_mem(st, pk_buf_puts(&st->pend_why, why));
	} else if (!st->pend_n) {
		pk_sadf_fail_mem(st, pk_buf_puts(&st->pend_why, why));
	}
	if (st->pend_raw.len < PK_REJECT_RAW_MAX) {
		size_t room = PK_REJECT_RAW_MAX - st->pend_raw.len;
		if (st->pend_n)
			pk_sadf_fail_mem(st, pk_buf_putc(&st->pend_raw, '\n'));
		pk_sadf_fail_mem(st, pk_buf_append(&st->pend_raw, raw, n < room ? n : room));
	}
	st->pend_n++;
	return st->rc == PK_OK;
}

/* A reject about the value at chunk offset off, outside any statistic. */
static int reject_here(struct sadf_state *st, size_t off, const char *why)
{
	size_t n = st->chunk_len - off < RAW_NEAR ? st->chunk_len - off : RAW_NEAR;
	return pk_sadf_reject(st, line_at(st, off), why, st->chunk + off, n);
}

static const char *bad_string(struct sadf_state *st, const char *s, size_t n)
{
	(void)st;
	return pk_utf8_valid(s, n) ? NULL : "invalid UTF-8 in a string";
}

/* Marks the enclosing statistic (or host) bad; first reason wins. */
static void mark_bad(struct sadf_state *st, const char *why)
{
	if (st->in_stat) {
		if (!st->stat_bad)
			st->stat_bad = why;
	} else if (st->nframes >= 4) {
		if (!st->host_bad)
			st->host_bad = why;
	} else {
		reject_here(st, consumed(st) > 0 ? consumed(st) - 1 : 0, why);
	}
}

/* Appends `,"<prefix><key>":` to b (the comma when b is not empty). */
int pk_sadf_put_key_s(struct sadf_state *st, struct pk_buf *b, const char *prefix,
                      const char *k, size_t kn)
{
	enum pk_status rc = b->len ? pk_buf_putc(b, ',') : PK_OK;
	pk_buf_reset(&st->msg);
	if (rc == PK_OK && prefix)
		rc = pk_buf_puts(&st->msg, prefix);
	if (rc == PK_OK)
		rc = pk_buf_append(&st->msg, k ? k : "", kn);
	if (rc == PK_OK)
		rc = pk_json_string(b, st->msg.data ? st->msg.data : "", st->msg.len);
	if (rc == PK_OK)
		rc = pk_buf_putc(b, ':');
	return pk_sadf_fail_mem(st, rc);
}

static int put_key(struct sadf_state *st, struct pk_buf *b, const char *prefix)
{
	return pk_sadf_put_key_s(st, b, prefix, st->key.data, st->key.len);
}

enum sk { SK_NULL, SK_BOOL, SK_NUM, SK_STR };

static int put_scalar(struct sadf_state *st, struct pk_buf *b, enum sk k, const char *s,
                      size_t n)
{
	return pk_sadf_fail_mem(st, k == SK_STR ? pk_json_string(b, s, n) : pk_buf_append(b, s, n));
}

static int key_is(const struct sadf_state *st, const char *k)
{
	size_t n = strlen(k);
	return st->key.len == n && memcmp(st->key.data, k, n) == 0;
}

static int slot_of(const struct sadf_state *st, const struct keymap *m)
{
	for (; m->key; m++)
		if (key_is(st, m->key))
			return m->slot;
	return -1;
}

/* A number for a known field; anything else (and 1e999) goes to extra. */
static int number_or_extra(struct sadf_state *st, double *slot, enum sk k, const char *s,
                           size_t n, struct pk_buf *extra, const char *prefix)
{
	if (k == SK_NULL)
		return 1;
	if (k == SK_NUM && pk_parse_double(s, n, slot) == 0)
		return 1;
	*slot = NAN;
	return put_key(st, extra, prefix) && put_scalar(st, extra, k, s, n);
}

static const char *kind_name(enum sk k)
{
	return k == SK_NULL ? "null" : k == SK_BOOL ? "a boolean" : k == SK_NUM ? "a number"
	       : "a string";
}

static void reset_host(struct sadf_state *st)
{
	pk_buf_reset(&st->host_info);
	if (st->doc_info.len)
		pk_sadf_fail_mem(st, pk_buf_append(&st->host_info, st->doc_info.data,
		                                   st->doc_info.len));
	pk_buf_reset(&st->nodename);
	pk_buf_reset(&st->tzname);
	st->have_nodename = 0;
	st->host_bad = NULL;
	pk_tz_free(&st->host_tz);
	st->host_tz_tried = 0;
	st->have_last_utc = 0;
}


static void skip(struct sadf_state *st, struct pk_buf *dest, int64_t g)
{
	st->skip_depth = 1;
	st->cap = dest;
	st->cap_start = g;
	st->skip_is_stat = 0;
	if (dest)
		pk_sadf_begin_hold(st, g);
}

static void push(struct sadf_state *st, enum frame f)
{
	st->stack[st->nframes++] = f;
}

/* A scalar value: k its kind, s[0..n) its text (decoded for strings). */
static int on_scalar(struct sadf_state *st, enum sk k, const char *s, size_t n)
{
	const char *bad = k == SK_STR ? bad_string(st, s, n) : NULL;
	if (st->skip_depth) {
		if (bad && (st->cap || st->in_stat))
			mark_bad(st, bad);
		return st->rc == PK_OK;
	}
	if (bad) {
		mark_bad(st, bad);
		return st->rc == PK_OK;
	}
	size_t off = consumed(st) > n ? consumed(st) - n : 0;
	if (st->nframes == 0) {
		pk_buf_reset(&st->msg);
		pk_buf_printf(&st->msg, "expected a JSON object with a sysstat member, got %s",
		              kind_name(k));
		return reject_here(st, off, st->msg.data ? st->msg.data : "not sysstat JSON");
	}
	pk_buf_reset(&st->msg);
	struct pk_buf *sx = &st->stat_extra;
	int slot;
	switch (st->stack[st->nframes - 1]) {
	case FR_ROOT:
		if (key_is(st, "sysstat")) {
			pk_buf_printf(&st->msg, "sysstat is %s, expected an object", kind_name(k));
			return reject_here(st, off, st->msg.data);
		}
		return 1;
	case FR_SYSSTAT:
		if (key_is(st, "hosts")) {
			pk_buf_printf(&st->msg, "sysstat.hosts is %s, expected an array", kind_name(k));
			return reject_here(st, off, st->msg.data);
		}
		return put_key(st, &st->doc_info, NULL) && put_scalar(st, &st->doc_info, k, s, n);
	case FR_HOSTS:
		pk_buf_printf(&st->msg, "a host is %s, expected an object", kind_name(k));
		return reject_here(st, off, st->msg.data);
	case FR_HOST:
		if (key_is(st, "statistics")) {
			pk_buf_printf(&st->msg, "statistics is %s, expected an array", kind_name(k));
			return reject_here(st, off, st->msg.data);
		}
		if (key_is(st, "nodename")) {
			pk_buf_reset(&st->nodename);
			st->have_nodename = k == SK_STR &&
			                    pk_sadf_fail_mem(st, pk_buf_append(&st->nodename, s, n));
			if (k != SK_STR)
				st->host_bad = "nodename is not a string";
		} else if (key_is(st, "timezone") && k == SK_STR) {
			pk_buf_reset(&st->tzname);
			pk_sadf_fail_mem(st, pk_buf_append(&st->tzname, s, n));
		} else if (key_is(st, "date") && !st->host_bad) {
			/* sadf writes file-date; "date" is iostat/mpstat -o JSON, whose
			 * statistics carry no date (iostat) or only a time of day */
			st->host_bad = "iostat/mpstat -o JSON, not sadf: its statistics have no "
			               "full time; record with sadc (sar) and export with sadf -j";
		}
		return put_key(st, &st->host_info, NULL) && put_scalar(st, &st->host_info, k, s, n);
	case FR_STATS:
	case FR_EVENTS:
		pk_buf_printf(&st->msg, "a %s is %s, expected an object",
		              st->stack[st->nframes - 1] == FR_STATS ? "statistic" :
		              st->event_comment ? "comment" : "restart", kind_name(k));
		return pk_sadf_reject(st, line_at(st, off), st->msg.data, s, n);
	case FR_EVENT:
		return put_key(st, sx, NULL) && put_scalar(st, sx, k, s, n);
	case FR_EVENT_BODY:
		if (key_is(st, "cpu_count") && !st->event_comment)
			return number_or_extra(st, &st->event_cpus, k, s, n, sx, NULL);
		if (key_is(st, "com") && st->event_comment && k == SK_STR) {
			pk_buf_reset(&st->com);
			st->have_com = 1;
			return pk_sadf_fail_mem(st, pk_buf_append(&st->com, s, n));
		}
		if (key_is(st, "date") || key_is(st, "time") || key_is(st, "utc"))
			break;   /* as a statistic's timestamp, below */
		return put_key(st, sx, NULL) && put_scalar(st, sx, k, s, n);
	case FR_STAT:
		if (key_is(st, "timestamp")) {
			mark_bad(st, "timestamp is not an object");
			return 1;
		}
		return put_key(st, sx, NULL) && put_scalar(st, sx, k, s, n);
	default:
		break;
	}
	switch (st->stack[st->nframes - 1]) {
	case FR_TS:
	case FR_EVENT_BODY:
		if ((key_is(st, "date") || key_is(st, "time")) && k == SK_STR) {
			int d = key_is(st, "date");
			struct pk_buf *b = d ? &st->date : &st->time;
			pk_buf_reset(b);
			*(d ? &st->have_date : &st->have_time) = 1;
			return pk_sadf_fail_mem(st, pk_buf_append(b, s, n));
		}
		if (key_is(st, "utc") && k != SK_NULL) {
			st->utc = k == SK_NUM && n == 1 && (*s == '0' || *s == '1') ? *s - '0' : -1;
			if (st->utc < 0)
				mark_bad(st, "timestamp: utc is not 0 or 1");
			return 1;
		}
		if (key_is(st, "interval"))
			return number_or_extra(st, &st->interval, k, s, n, sx, "timestamp.");
		return put_key(st, sx, "timestamp.") && put_scalar(st, sx, k, s, n);
	case FR_CPU:
		return (!st->cpu_list.len ||
		        pk_sadf_fail_mem(st, pk_buf_putc(&st->cpu_list, ','))) &&
		       put_scalar(st, &st->cpu_list, k, s, n);
	case FR_CPU_ENTRY:
		if (key_is(st, "cpu") && k == SK_STR) {
			st->is_all = n == 3 && memcmp(s, "all", 3) == 0;
			return 1;
		}
		if ((slot = slot_of(st, cpu_keys)) >= 0)
			return number_or_extra(st, &st->cur.v[slot], k, s, n, &st->entry_extra, NULL);
		return put_key(st, &st->entry_extra, NULL) && put_scalar(st, &st->entry_extra, k, s, n);
	case FR_DISK_ENTRY:
	case FR_NET_ENTRY: {
		int net = st->stack[st->nframes - 1] == FR_NET_ENTRY;
		if (key_is(st, net ? "iface" : "disk-device") && k == SK_STR) {
			pk_buf_reset(&st->entry_name);
			return pk_sadf_fail_mem(st, pk_buf_append(&st->entry_name, s, n));
		}
		if ((slot = slot_of(st, net ? net_keys : disk_keys)) >= 0)
			return number_or_extra(st, &st->cur.v[slot], k, s, n, &st->entry_extra, NULL);
		if (!net && (slot = slot_of(st, disk_keep)) >= 0 && k == SK_NUM &&
		    pk_parse_double(s, n, &st->cur.v[slot]) != 0)
			st->cur.v[slot] = NAN;
		return put_key(st, &st->entry_extra, NULL) && put_scalar(st, &st->entry_extra, k, s, n);
	}
	case FR_MEM:
	case FR_QUEUE: {
		int mem = st->stack[st->nframes - 1] == FR_MEM;
		const char *prefix = mem ? "memory." : "queue.";
		if ((slot = slot_of(st, mem ? mem_keys : queue_keys)) >= 0)
			return number_or_extra(st, &st->sv[slot], k, s, n, sx, prefix);
		return put_key(st, sx, prefix) && put_scalar(st, sx, k, s, n);
	}
	case FR_DISK:
		return pk_sadf_put_key_s(st, sx, NULL, "disk[]", 6) && put_scalar(st, sx, k, s, n);
	case FR_NET:
		return put_key(st, sx, "network.") && put_scalar(st, sx, k, s, n);
	case FR_NETDEV:
		return pk_sadf_put_key_s(st, sx, NULL, "network.net-dev[]", 17) &&
		       put_scalar(st, sx, k, s, n);
	default:
		break;
	}
	return 1;
}

/* Where a container value opening at g goes. */
static int on_start(struct sadf_state *st, int is_map)
{
	size_t off = consumed(st) ? consumed(st) - 1 : 0;
	int64_t g = st->chunk_base + (int64_t)off;
	if (st->skip_depth) {
		st->skip_depth++;
		return 1;
	}
	struct pk_buf *sx = &st->stat_extra;
	const char *what = is_map ? "an object" : "an array";
	pk_buf_reset(&st->msg);
	if (st->nframes == 0) {
		if (is_map) {
			st->root_map = 1;
			push(st, FR_ROOT);
			return 1;
		}
		skip(st, NULL, g);
		return reject_here(st, off, "expected a JSON object with a sysstat member, got an array");
	}
	switch (st->stack[st->nframes - 1]) {
	case FR_ROOT:
		if (key_is(st, "sysstat") && is_map) {
			st->saw_sysstat = 1;
			push(st, FR_SYSSTAT);
			return 1;
		}
		skip(st, NULL, g);
		return key_is(st, "sysstat") ? reject_here(st, off, "sysstat is an array, expected an object") : 1;
	case FR_SYSSTAT:
		if (key_is(st, "hosts") && !is_map) {
			push(st, FR_HOSTS);
			return 1;
		}
		skip(st, NULL, g);
		return key_is(st, "hosts") ? reject_here(st, off, "sysstat.hosts is an object, expected an array") : 1;
	case FR_HOSTS:
		if (is_map) {
			push(st, FR_HOST);
			reset_host(st);
			return st->rc == PK_OK;
		}
		skip(st, NULL, g);
		return reject_here(st, off, "a host is an array, expected an object");
	case FR_HOST:
		if (key_is(st, "statistics")) {
			if (!is_map) {
				push(st, FR_STATS);
				return 1;
			}
			skip(st, NULL, g);
			return reject_here(st, off, "statistics is an object, expected an array");
		}
		if ((key_is(st, "restarts") || key_is(st, "comments")) && !is_map) {
			st->event_comment = key_is(st, "comments");
			push(st, FR_EVENTS);
			return 1;
		}
		if (!put_key(st, &st->host_info, NULL))
			return 0;
		skip(st, &st->host_info, g);
		return 1;
	case FR_STATS:
	case FR_EVENTS: {
		int stat = st->stack[st->nframes - 1] == FR_STATS;
		if (stat)
			pk_sadf_begin_stat(st, g, line_at(st, off));
		else
			pk_sadf_begin_event(st, st->event_comment, g, line_at(st, off));
		if (is_map) {
			push(st, stat ? FR_STAT : FR_EVENT);
			return 1;
		}
		st->stat_bad = stat ? "a statistic is an array, expected an object"
		               : st->event_comment ? "a comment is an array, expected an object"
		               : "a restart is an array, expected an object";
		skip(st, NULL, g);
		st->skip_is_stat = 1;
		return 1;
	}
	case FR_EVENT:
		if (key_is(st, st->event_comment ? "comment" : "boot") && is_map) {
			push(st, FR_EVENT_BODY);
			return 1;
		}
		return put_key(st, sx, NULL) && (skip(st, sx, g), 1);
	case FR_EVENT_BODY:
		return put_key(st, sx, NULL) && (skip(st, sx, g), 1);
	case FR_STAT: {
		static const struct { const char *key; int map; enum frame f; } sect[] = {
			{ "timestamp", 1, FR_TS }, { "cpu-load", 0, FR_CPU }, { "memory", 1, FR_MEM },
			/* sysstat <= 11.1 (RHEL/CentOS 7, Debian 8) */
			{ "cpu-load-all", 0, FR_CPU },
			{ "queue", 1, FR_QUEUE }, { "disk", 0, FR_DISK }, { "network", 1, FR_NET } };
		for (size_t i = 0; i < sizeof sect / sizeof sect[0]; i++)
			if (key_is(st, sect[i].key) && sect[i].map == is_map) {
				push(st, sect[i].f);
				return 1;
			}
		if (key_is(st, "timestamp"))
			mark_bad(st, "timestamp is not an object");
		break;
	}
	case FR_TS:
		(void)what;
		return put_key(st, sx, "timestamp.") && (skip(st, sx, g), 1);
	case FR_MEM:
		return put_key(st, sx, "memory.") && (skip(st, sx, g), 1);
	case FR_QUEUE:
		return put_key(st, sx, "queue.") && (skip(st, sx, g), 1);
	case FR_CPU:
		if (is_map) {
			pk_sadf_begin_entry(st, FR_CPU_ENTRY, g, line_at(st, off));
			push(st, FR_CPU_ENTRY);
			return 1;
		}
		if (st->cpu_list.len && !pk_sadf_fail_mem(st, pk_buf_putc(&st->cpu_list, ',')))
			return 0;
		skip(st, &st->cpu_list, g);
		return 1;
	case FR_CPU_ENTRY:
	case FR_DISK_ENTRY:
	case FR_NET_ENTRY:
		return put_key(st, &st->entry_extra, NULL) && (skip(st, &st->entry_extra, g), 1);
	case FR_DISK:
	case FR_NETDEV: {
		int net = st->stack[st->nframes - 1] == FR_NETDEV;
		if (is_map) {
			pk_sadf_begin_entry(st, net ? FR_NET_ENTRY : FR_DISK_ENTRY, g,
			                    line_at(st, off));
			push(st, net ? FR_NET_ENTRY : FR_DISK_ENTRY);
			return 1;
		}
		return pk_sadf_put_key_s(st, sx, NULL, net ? "network.net-dev[]" : "disk[]",
		                         net ? 17 : 6) &&
		       (skip(st, sx, g), 1);
	}
	case FR_NET:
		if (key_is(st, "net-dev") && !is_map) {
			push(st, FR_NETDEV);
			return 1;
		}
		return put_key(st, sx, "network.") && (skip(st, sx, g), 1);
	}
	/* an unknown section of a statistic: kept whole */
	return put_key(st, sx, NULL) && (skip(st, sx, g), 1);
}

static int on_end(struct sadf_state *st)
{
	int64_t g = st->chunk_base + (int64_t)consumed(st);
	if (st->skip_depth) {
		if (--st->skip_depth)
			return 1;
		if (st->cap && !pk_sadf_span(st, st->cap_start, g, st->cap) && st->rc == PK_OK) {
			mark_bad(st, "statistic larger than 64 MiB");
			pk_sadf_fail_mem(st, pk_buf_puts(st->cap, "null"));
		}
		if (st->skip_is_stat)
			pk_sadf_stat_finish(st, g);
		else if (!st->in_stat)
			pk_sadf_end_hold(st);
		st->cap = NULL;
		st->skip_is_stat = 0;
		return st->rc == PK_OK;
	}
	if (st->nframes == 0)
		return 1;
	enum frame f = st->stack[--st->nframes];
	if (f == FR_CPU_ENTRY || f == FR_DISK_ENTRY || f == FR_NET_ENTRY)
		pk_sadf_finish_entry(st, f, g);
	else if (f == FR_STAT || f == FR_EVENT)
		pk_sadf_stat_finish(st, g);
	return st->rc == PK_OK;
}

/* One event of the engine: the key of a map member first (checked here, as
 * strings are), then the walk above. */
static enum pk_status on_event(void *ctx, struct pk_jdoc *d, enum pk_jev ev, const char *s,
                               size_t n)
{
	struct sadf_state *st = ctx;
	st->chunk = pk_jdoc_chunk(d, &st->chunk_base, &st->chunk_len, &st->at);
	int ok = 1;
	if (ev == PK_JEV_END) {
		ok = on_end(st);
	} else {
		size_t kn;
		const char *k = pk_jdoc_key(d, pk_jdoc_depth(d), &kn);
		if (k) {
			const char *bad = bad_string(st, k, kn);
			if (bad && (!st->skip_depth || st->cap || st->in_stat))
				mark_bad(st, "invalid UTF-8 in a key");
			if (!st->skip_depth) {
				pk_buf_reset(&st->key);
				ok = pk_sadf_fail_mem(st, pk_buf_append(&st->key, bad ? "" : k,
				                                        bad ? 0 : kn));
			}
		}
		if (ok) {
			switch (ev) {
			case PK_JEV_MAP: ok = on_start(st, 1); break;
			case PK_JEV_ARRAY: ok = on_start(st, 0); break;
			case PK_JEV_NULL: ok = on_scalar(st, SK_NULL, s, n); break;
			case PK_JEV_BOOL: ok = on_scalar(st, SK_BOOL, s, n); break;
			case PK_JEV_NUMBER: ok = on_scalar(st, SK_NUM, s, n); break;
			default: ok = on_scalar(st, SK_STR, s, n); break;
			}
		}
	}
	if (st->rc != PK_OK)
		return st->rc;
	return ok ? PK_OK : pk_jdoc_fail(d, "stopped by the reader");
}

static void *sadf_open(struct pk_sink *sink)
{
	struct sadf_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->sink = sink;
	st->hold.limit = HOLD_MAX;
	st->doc = pk_jdoc_new(on_event, st);
	if (!st->doc) {
		sadf_close(st);
		return NULL;
	}
	pk_jdoc_raw_strings(st->doc);
	return st;
}

/* The document stopped (invalid JSON, nested too deep, empty): one
 * reject, the rest is unreadable. */
static void doc_error(struct sadf_state *st)
{
	const char *why, *raw;
	int64_t line, col;
	size_t rawn;
	if (st->dead || !pk_jdoc_error(st->doc, &why, &line, &col, &raw, &rawn))
		return;
	st->dead = 1;
	if (strncmp(why, "JSON nested deeper", 18) == 0) {
		/* sadf nests 7 deep; the parser's stack must not grow with the input */
		pk_sadf_reject(st, line, "JSON nested deeper than 64 levels: the rest of the "
		               "document is not read", raw, rawn);
		return;
	}
	if (strcmp(why, "empty document") == 0) {
		pk_sadf_reject(st, 1, "empty document: expected the JSON of sadf -j", "", 0);
		return;
	}
	pk_buf_reset(&st->msg);
	pk_buf_puts(&st->msg, pk_jdoc_truncated(st->doc) ? "invalid JSON: premature EOF" : why);
	if (st->in_event && st->event_comment)
		pk_buf_puts(&st->msg, " (in a comment: sadf 12.6 writes a comment's quotes "
		            "unescaped; the comments after it and the rest of the document are "
		            "not read)");
	if (st->in_stat && st->hold_active && !st->hold_broken &&
	    !pk_jdoc_hold_broken(st->doc) && st->stat_start >= st->hold_start) {
		/* the statistic read so far (the engine held it up to the failure) */
		size_t o = (size_t)(st->stat_start - st->hold_start);
		o = o < st->hold.len ? o : st->hold.len;
		pk_sadf_reject(st, line, st->msg.data, st->hold.data ? st->hold.data + o : "",
		               st->hold.len - o);
	} else {
		pk_sadf_reject(st, line, st->msg.data, raw, rawn);
	}
}

static enum pk_status sadf_chunk(void *state, struct pk_sink *sink, const char *p, size_t n)
{
	struct sadf_state *st = state;
	st->sink = sink;
	if (!st->dead) {
		enum pk_status rc = pk_jdoc_feed(st->doc, p, n);
		if (st->rc != PK_OK)
			return st->rc;
		if (rc != PK_OK)
			return rc;
		doc_error(st);
	}
	return st->rc;
}

static enum pk_status sadf_finish(void *state, struct pk_sink *sink)
{
	struct sadf_state *st = state;
	st->sink = sink;
	if (!st->dead) {
		enum pk_status rc = pk_jdoc_end(st->doc);
		if (st->rc != PK_OK)
			return st->rc;
		if (rc != PK_OK)
			return rc;
		doc_error(st);
		if (!st->dead && st->root_map && !st->saw_sysstat)
			pk_sadf_reject(st, 1, "no sysstat object in the document", "", 0);
	}
	flush_reject(st);
	return st->rc;
}

/* sadf -j output is redirected to any name: detected by its first bytes,
 * an object whose first member is "sysstat". */
static int sadf_detect(const char *base, const char *head, size_t n)
{
	(void)base;
	size_t i = pk_json_skip_space(head, 0, n);
	if (i >= n || head[i++] != '{')
		return 0;
	i = pk_json_skip_space(head, i, n);
	if (n - i < 9 || memcmp(head + i, "\"sysstat\"", 9) != 0)
		return 0;
	i = pk_json_skip_space(head, i + 9, n);
	return i < n && head[i] == ':';
}

const struct pk_reader pk_reader_sadf_json = {
	.name = "sadf_json",
	.description = "F10 sysstat sadf -j JSON (a document whose first member is \"sysstat\")",
	.detect = sadf_detect,
	.open = sadf_open,
	.chunk = sadf_chunk,
	.finish = sadf_finish,
	.close = sadf_close,
};
