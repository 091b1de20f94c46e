/* sadf_rows.c - F10 sadf -j statistics turned into sys_sample, sys_disk and
 * sys_net rows, and a host's restarts and comments into sys_restart and
 * sys_comment rows (or rejected whole), as read_sadf_json.c walks them.
 * Every table merges: a second export of the same recording fills in what
 * the first lacked; other values at a stored time are a conflict. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/buf.h"
#include "../../core/table.h"
#include "../../core/timeutil.h"
#include "../../core/utf8.h"
#include "../pipeline/ingest.h"
#include "sadf_json.h"
#include "../pipeline/sink.h"
#include "../engines/tz.h"

static const struct pk_column sample_cols[] = {
	{ "profile", PK_COL_TEXT }, { "ts_us", PK_COL_TIME }, { "interval_s", PK_COL_REAL },
	{ "cpu_user", PK_COL_REAL }, { "cpu_nice", PK_COL_REAL }, { "cpu_system", PK_COL_REAL },
	{ "cpu_iowait", PK_COL_REAL }, { "cpu_steal", PK_COL_REAL }, { "cpu_idle", PK_COL_REAL },
	{ "mem_free_kb", PK_COL_REAL }, { "mem_avail_kb", PK_COL_REAL },
	{ "mem_used_kb", PK_COL_REAL }, { "mem_used_percent", PK_COL_REAL },
	{ "mem_buffers_kb", PK_COL_REAL }, { "mem_cached_kb", PK_COL_REAL },
	{ "mem_commit_percent", PK_COL_REAL }, { "runq_sz", PK_COL_REAL },
	{ "plist_sz", PK_COL_REAL }, { "ldavg_1", PK_COL_REAL }, { "ldavg_5", PK_COL_REAL },
	{ "ldavg_15", PK_COL_REAL }, { "blocked", PK_COL_REAL },
	{ "cpu_usr", PK_COL_REAL }, { "cpu_nice_noguest", PK_COL_REAL }, { "cpu_sys", PK_COL_REAL },
	{ "cpu_irq", PK_COL_REAL }, { "cpu_soft", PK_COL_REAL }, { "cpu_guest", PK_COL_REAL },
	{ "cpu_gnice", PK_COL_REAL }, { "extra", PK_COL_JSON },
};
static const struct pk_column disk_cols[] = {
	{ "profile", PK_COL_TEXT }, { "ts_us", PK_COL_TIME }, { "device", PK_COL_TEXT },
	{ "tps", PK_COL_REAL }, { "rkb_s", PK_COL_REAL }, { "wkb_s", PK_COL_REAL },
	{ "await_ms", PK_COL_REAL }, { "util_percent", PK_COL_REAL }, { "extra", PK_COL_JSON },
};
static const struct pk_column net_cols[] = {
	{ "profile", PK_COL_TEXT }, { "ts_us", PK_COL_TIME }, { "iface", PK_COL_TEXT },
	{ "rxpck_s", PK_COL_REAL }, { "txpck_s", PK_COL_REAL }, { "rxkb_s", PK_COL_REAL },
	{ "txkb_s", PK_COL_REAL }, { "ifutil_percent", PK_COL_REAL }, { "extra", PK_COL_JSON },
};
static const struct pk_column restart_cols[] = {
	{ "profile", PK_COL_TEXT }, { "ts_us", PK_COL_TIME }, { "cpu_count", PK_COL_INT },
	{ "extra", PK_COL_JSON },
};
static const struct pk_column comment_cols[] = {
	{ "profile", PK_COL_TEXT }, { "ts_us", PK_COL_TIME }, { "comment", PK_COL_TEXT },
	{ "extra", PK_COL_JSON },
};
#define NSAMPLE (sizeof sample_cols / sizeof sample_cols[0])
static const struct pk_table sample_table = { "sys_sample", sample_cols, NSAMPLE, 0 };
static const struct pk_table disk_table = { "sys_disk", disk_cols, 9, 0 };
static const struct pk_table net_table = { "sys_net", net_cols, 9, 0 };
static const struct pk_table restart_table = { "sys_restart", restart_cols, 4, 0 };
static const struct pk_table comment_table = { "sys_comment", comment_cols, 4, 0 };

void pk_sadf_begin_stat(struct sadf_state *st, int64_t g, int64_t line)
{
	pk_sadf_begin_hold(st, g);
	st->in_stat = 1;
	st->stat_start = g;
	st->stat_line = line;
	st->stat_bad = NULL;
	pk_buf_reset(&st->date);
	pk_buf_reset(&st->time);
	st->have_date = st->have_time = 0;
	st->utc = -1;
	st->interval = NAN;
	for (int i = 0; i < NSV; i++)
		st->sv[i] = NAN;
	pk_buf_reset(&st->stat_extra);
	pk_buf_reset(&st->cpu_list);
	pk_buf_reset(&st->arena);
	st->nentries = 0;
	st->have_all = 0;
	st->in_event = 0;
}

void pk_sadf_begin_event(struct sadf_state *st, int comment, int64_t g, int64_t line)
{
	pk_sadf_begin_stat(st, g, line);
	st->in_event = 1;
	st->event_comment = comment;
	st->event_cpus = NAN;
	st->have_com = 0;
	pk_buf_reset(&st->com);
}

void pk_sadf_begin_entry(struct sadf_state *st, enum frame kind, int64_t g, int64_t line)
{
	st->in_entry = 1;
	st->cur = (struct entry){ .net = kind == FR_NET_ENTRY, .line = line, .g0 = g };
	for (int i = 0; i < NEV; i++)
		st->cur.v[i] = NAN;
	pk_buf_reset(&st->entry_name);
	pk_buf_reset(&st->entry_extra);
	st->is_all = 0;
}

void pk_sadf_finish_entry(struct sadf_state *st, enum frame kind, int64_t g)
{
	st->in_entry = 0;
	if (kind == FR_CPU_ENTRY) {
		if (st->is_all && !st->have_all) {
			st->have_all = 1;
			const double *v = st->cur.v;
			/* -u ALL's form (usr, sys ...): its nice is without guest nice */
			int all_form = !isnan(v[6]) || !isnan(v[7]);
			for (int i = 0; i < 6; i++)
				st->sv[i] = v[i];
			st->sv[1] = all_form ? NAN : v[1];
			st->sv[19] = v[6];
			st->sv[20] = all_form ? v[1] : NAN;
			for (int i = 7; i < 12; i++)
				st->sv[21 + i - 7] = v[i];
			if (st->entry_extra.len &&
			    pk_sadf_put_key_s(st, &st->stat_extra, NULL, "cpu-load.all", 12) &&
			    pk_sadf_fail_mem(st, pk_buf_putc(&st->stat_extra, '{')) &&
			    pk_sadf_fail_mem(st, pk_buf_append(&st->stat_extra, st->entry_extra.data,
			                                       st->entry_extra.len)))
				pk_sadf_fail_mem(st, pk_buf_putc(&st->stat_extra, '}'));
		} else if (!st->cpu_list.len ||
		           pk_sadf_fail_mem(st, pk_buf_putc(&st->cpu_list, ','))) {
			pk_sadf_span(st, st->cur.g0, g, &st->cpu_list);
		}
		return;
	}
	if (st->nentries == st->capentries) {
		size_t cap = st->capentries ? st->capentries * 2 : 16;
		struct entry *e = realloc(st->entries, cap * sizeof *e);
		if (!e) {
			pk_sadf_fail_mem(st, PK_ERR_NOMEM);
			return;
		}
		st->entries = e;
		st->capentries = cap;
	}
	struct entry *e = &st->entries[st->nentries++];
	*e = st->cur;
	e->g1 = g;
	e->name_off = st->arena.len;
	e->name_n = st->entry_name.len;
	pk_sadf_fail_mem(st, pk_buf_append(&st->arena,
	                                   st->entry_name.data ? st->entry_name.data : "",
	                                   st->entry_name.len));
	e->ex_off = st->arena.len;
	e->ex_n = st->entry_extra.len;
	pk_sadf_fail_mem(st, pk_buf_append(&st->arena,
	                                   st->entry_extra.data ? st->entry_extra.data : "",
	                                   st->entry_extra.len));
}

/* 1 when the timezone field names a zone, not an abbreviation: UTC, an
 * offset, or an IANA name with a '/' ("EST" is fixed -05:00 in zoneinfo,
 * but a New York host writes it in winter and summer alike). */
static int names_zone(const struct pk_buf *z)
{
	const char *p = z->data;
	return z->len && (strcmp(p, "UTC") == 0 || p[0] == '+' || p[0] == '-' ||
	                  memchr(p, '/', z->len) != NULL);
}

/* The zone of this host's local (utc 0) times, or NULL: --tz wins. */
static const struct pk_tz *host_zone(struct sadf_state *st)
{
	const char *opt = st->sink->opts ? st->sink->opts->tz : NULL;
	if (opt) {
		if (!st->opt_tz_tried) {
			st->opt_tz_tried = 1;
			pk_sadf_fail_mem(st, pk_tz_open(opt, &st->opt_tz, &st->opt_tz_why) ==
			                     PK_ERR_NOMEM ? PK_ERR_NOMEM : PK_OK);
		}
		return st->opt_tz;
	}
	if (!st->host_tz_tried) {
		st->host_tz_tried = 1;
		if (st->tzname.len && st->tzname.len < 200 &&
		    !memchr(st->tzname.data, 0, st->tzname.len) && names_zone(&st->tzname))
			pk_sadf_fail_mem(st, pk_tz_open(st->tzname.data, &st->host_tz,
			                                &st->host_tz_why) == PK_ERR_NOMEM
			                     ? PK_ERR_NOMEM : PK_OK);
	}
	return st->host_tz;
}

/* Local time local_us in zone z as UTC.  A time that occurs twice (clocks
 * set back) is its first occurrence, unless the host's previous statistic
 * is already at or after it: then the times went back with the clock and
 * this is the second occurrence, so no sample of the repeated hour lands on
 * another's instant. */
static int64_t local_to_utc(struct sadf_state *st, const struct pk_tz *z, int64_t local_us)
{
	int64_t utc = pk_tz_local_to_utc(z, local_us);
	if (st->have_last_utc && utc <= st->last_utc) {
		/* the offset a few hours later (after the change), if it fits */
		int64_t later = local_us - (int64_t)pk_tz_offset_at(z, utc / 1000000 + 4 * 3600) *
		                1000000;
		if (later > utc && later > st->last_utc &&
		    local_us - later == (int64_t)pk_tz_offset_at(z, later / 1000000) * 1000000)
			utc = later;
	}
	st->last_utc = utc;
	st->have_last_utc = 1;
	return utc;
}

static const char *nodename_problem(const struct sadf_state *st)
{
	const char *p = st->nodename.data;
	size_t n = st->nodename.len;
	if (!st->have_nodename)
		return "no nodename before the statistics of this host";
	if (n == 0)
		return "nodename is empty";
	if (n > 256)
		return "nodename longer than 256 bytes";
	if (pk_utf8_has_control(p, n))
		return "nodename contains control characters";
	return NULL;
}

/* The statistic's time, or a reason. */
static const char *stat_time(struct sadf_state *st, int64_t *us)
{
	if (!st->have_date || !st->have_time)
		return "statistic without timestamp date and time";
	char t[32];
	if (st->date.len != 10 || st->time.len != 8)
		return "timestamp: expected date YYYY-MM-DD and time HH:MM:SS";
	memcpy(t, st->date.data, 10);
	t[10] = 'T';
	memcpy(t + 11, st->time.data, 8);
	const char *why = NULL;
	if (pk_time_parse_iso(t, 19, us, &why) != PK_OK)
		return strcmp(why, "impossible date") == 0 ? "timestamp: impossible date"
		       : strcmp(why, "not an ISO-8601 time") == 0
		       ? "timestamp: expected date YYYY-MM-DD and time HH:MM:SS"
		       : "timestamp: impossible time";
	if (st->utc == 0) {
		const struct pk_tz *z = host_zone(st);
		if (!z) {
			pk_buf_reset(&st->msg);
			if (st->tzname.len && !names_zone(&st->tzname))
				pk_buf_printf(&st->msg, "local time (utc 0) in '%.64s', an abbreviation "
				              "that does not say the zone's summer time: give --tz with the "
				              "zone's IANA name, or run sadf without -t/-T",
				              st->tzname.data);
			else
				pk_buf_printf(&st->msg, "local time (utc 0) in time zone '%.64s', which is "
				              "not UTC, +HH:MM or a zone in /usr/share/zoneinfo: run sadf "
				              "without -t, or give --tz",
				              st->tzname.len ? st->tzname.data : "");
			return st->msg.data ? st->msg.data : "local time in an unknown time zone";
		}
		*us = local_to_utc(st, z, *us);
	}
	return NULL;
}

static void stat_reject(struct sadf_state *st, int64_t line, const char *why, int64_t g0,
                        int64_t g1)
{
	pk_buf_reset(&st->raw);
	pk_sadf_span(st, g0, g1, &st->raw);
	pk_sadf_reject(st, line, why, st->raw.data ? st->raw.data : "", st->raw.len);
}

static void emit_entry(struct sadf_state *st, const struct entry *e, int64_t ts)
{
	const char *name = st->arena.data + e->name_off;
	const char *why = NULL;
	if (e->name_n == 0)
		why = e->net ? "net-dev entry without iface" : "disk entry without disk-device";
	else if (memchr(name, '\0', e->name_n))
		why = e->net ? "iface contains a NUL byte" : "disk-device contains a NUL byte";
	if (why) {
		stat_reject(st, e->line, why, e->g0, e->g1);
		return;
	}
	struct pk_value v[9];
	v[0] = pk_v_text(st->nodename.data, st->nodename.len);
	v[1] = pk_v_int(ts);
	v[2] = pk_v_text(name, e->name_n);
	double d[5];
	memcpy(d, e->v, sizeof d);
	if (!e->net && isnan(d[1]) && !isnan(e->v[5]))
		d[1] = e->v[5] / 2;
	if (!e->net && isnan(d[2]) && !isnan(e->v[6]))
		d[2] = e->v[6] / 2;
	for (int i = 0; i < 5; i++)
		v[3 + i] = pk_v_real(d[i]);
	v[8] = pk_v_null();
	pk_buf_reset(&st->rowextra);
	if (e->ex_n) {
		if (!pk_sadf_fail_mem(st, pk_buf_putc(&st->rowextra, '{')) ||
		    !pk_sadf_fail_mem(st, pk_buf_append(&st->rowextra, st->arena.data + e->ex_off,
		                                        e->ex_n)) ||
		    !pk_sadf_fail_mem(st, pk_buf_putc(&st->rowextra, '}')))
			return;
		v[8] = pk_v_text(st->rowextra.data, st->rowextra.len);
	}
	pk_sadf_fail_mem(st, pk_sink_row(st->sink, e->net ? &net_table : &disk_table, e->line, v));
}

/* 1 when the statistic from st->stat_start to g is an empty object: the
 * {} sadf -s/-e writes after the last statistic of the window. */
static int stat_empty(struct sadf_state *st, int64_t g)
{
	if (st->have_date || st->have_time || st->stat_bad)
		return 0;
	pk_buf_reset(&st->raw);
	if (!pk_sadf_span(st, st->stat_start, g, &st->raw) || !st->raw.data)
		return 0;
	for (size_t i = 0; i < st->raw.len; i++)
		if (!strchr("{} \t\r\n", st->raw.data[i]))
			return 0;
	return 1;
}

/* A restart or comment ends at g: its row, or its reject.  Its time is
 * read as a statistic's (utc 0 in the host's zone, --tz first); it does
 * not move the clock the statistics' summer-time check follows. */
static void event_finish(struct sadf_state *st, int64_t g)
{
	st->in_event = 0;
	const char *what = st->event_comment ? "comment" : "restart";
	int64_t ts = 0, last = st->last_utc;
	int have_last = st->have_last_utc;
	const char *why = st->host_bad ? st->host_bad : st->stat_bad;
	if (!why)
		why = nodename_problem(st);
	pk_buf_reset(&st->msg);
	if (!why && (!st->have_date || !st->have_time))
		why = st->event_comment ? "comment without date and time"
		      : "restart without date and time";
	if (!why && st->event_comment && !st->have_com)
		why = "comment without its text (com)";
	if (!why && (why = stat_time(st, &ts)) != NULL && strncmp(why, "timestamp", 9) == 0) {
		pk_buf_reset(&st->raw);
		pk_buf_printf(&st->raw, "%s%s", what, why + 9);
		pk_buf_reset(&st->msg);
		pk_sadf_fail_mem(st, pk_buf_puts(&st->msg, st->raw.data));
		why = st->msg.data;
	}
	st->last_utc = last;
	st->have_last_utc = have_last;
	if (why) {
		stat_reject(st, st->stat_line, why, st->stat_start, g);
		pk_sadf_end_hold(st);
		return;
	}
	struct pk_buf *x = &st->rowextra;
	pk_buf_reset(x);
	if (st->stat_extra.len && (!pk_sadf_fail_mem(st, pk_buf_putc(x, '{')) ||
	                           !pk_sadf_fail_mem(st, pk_buf_append(x, st->stat_extra.data,
	                                                               st->stat_extra.len)) ||
	                           !pk_sadf_fail_mem(st, pk_buf_putc(x, '}'))))
		return;
	struct pk_value v[4];
	v[0] = pk_v_text(st->nodename.data, st->nodename.len);
	v[1] = pk_v_int(ts);
	if (st->event_comment)
		v[2] = pk_v_text(st->com.data ? st->com.data : "", st->com.len);
	else
		v[2] = isfinite(st->event_cpus) && st->event_cpus >= 0 && st->event_cpus < 1e9
		       ? pk_v_int((int64_t)st->event_cpus) : pk_v_null();
	v[3] = x->len ? pk_v_text(x->data, x->len) : pk_v_null();
	pk_sadf_fail_mem(st, pk_sink_row(st->sink, st->event_comment ? &comment_table
	                                 : &restart_table, st->stat_line, v));
	pk_sadf_end_hold(st);
}

void pk_sadf_stat_finish(struct sadf_state *st, int64_t g)
{
	st->in_stat = 0;
	if (st->in_event) {
		event_finish(st, g);
		return;
	}
	if (stat_empty(st, g)) {
		pk_sadf_end_hold(st);
		return;
	}
	int64_t ts = 0;
	const char *why = st->host_bad ? st->host_bad : st->stat_bad;
	if (!why)
		why = nodename_problem(st);
	if (!why)
		why = stat_time(st, &ts);
	if (why) {
		stat_reject(st, st->stat_line, why, st->stat_start, g);
		pk_sadf_end_hold(st);
		return;
	}
	struct pk_buf *x = &st->rowextra;
	pk_buf_reset(x);
	enum pk_status rc = pk_buf_puts(x, "{\"host\":{");
	if (rc == PK_OK && st->host_info.len)
		rc = pk_buf_append(x, st->host_info.data, st->host_info.len);
	if (rc == PK_OK)
		rc = pk_buf_putc(x, '}');
	if (rc == PK_OK && st->stat_extra.len && (rc = pk_buf_putc(x, ',')) == PK_OK)
		rc = pk_buf_append(x, st->stat_extra.data, st->stat_extra.len);
	if (rc == PK_OK && st->cpu_list.len && (rc = pk_buf_puts(x, ",\"cpu-load\":[")) == PK_OK &&
	    (rc = pk_buf_append(x, st->cpu_list.data, st->cpu_list.len)) == PK_OK)
		rc = pk_buf_putc(x, ']');
	if (rc == PK_OK)
		rc = pk_buf_putc(x, '}');
	if (!pk_sadf_fail_mem(st, rc))
		return;
	struct pk_value v[NSAMPLE];
	v[0] = pk_v_text(st->nodename.data, st->nodename.len);
	v[1] = pk_v_int(ts);
	v[2] = pk_v_real(st->interval);
	for (int i = 0; i < NSV; i++)
		v[3 + i] = pk_v_real(st->sv[i]);
	v[NSAMPLE - 1] = pk_v_text(x->data, x->len);
	if (!pk_sadf_fail_mem(st, pk_sink_row(st->sink, &sample_table, st->stat_line, v)))
		return;
	for (size_t i = 0; i < st->nentries && st->rc == PK_OK; i++)
		emit_entry(st, &st->entries[i], ts);
	pk_sadf_end_hold(st);
}
