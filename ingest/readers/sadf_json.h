/* sadf_json.h - the state of the F10 sadf -j reader, shared by its two
 * files: read_sadf_json.c walks the document's events from the JSON-document
 * engine (frames, rejects, the held bytes of a statistic) and sadf_rows.c
 * turns a statistic into rows. */
#ifndef PK_SADF_JSON_H
#define PK_SADF_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "../../core/buf.h"
#include "../pipeline/sink.h"
#include "../engines/json_doc.h"
#include "../engines/tz.h"

#define MAX_FRAMES 16

/* The open containers of the walk, innermost last (sadf_state.stack). */
enum frame { FR_ROOT, FR_SYSSTAT, FR_HOSTS, FR_HOST, FR_STATS, FR_STAT, FR_TS, FR_CPU,
             FR_CPU_ENTRY, FR_MEM, FR_QUEUE, FR_DISK, FR_DISK_ENTRY, FR_NET, FR_NETDEV,
             FR_NET_ENTRY, FR_EVENTS, FR_EVENT, FR_EVENT_BODY };

/* Values of a statistic: cpu 0-5 (-u's meaning), memory 6-12, queue
 * 13-18, cpu 19-25 (-u ALL's meaning) (sample_cols in sadf_rows.c + 3). */
#define NSV 26

/* Entry values: 0-4 the table's columns; disk 5, 6 rd_sec, wr_sec (also kept
 * in extra; sectors of 512 bytes: rkB/s = rd_sec / 2 when rkB is absent);
 * the cpu "all" entry: user, nice, system, iowait, steal, idle, usr, sys,
 * irq, soft, guest, gnice (cpu_keys in read_sadf_json.c). */
#define NEV 12

struct entry {
	int net;
	int64_t line, g0, g1;        /* its line and bytes (in the hold buffer) */
	size_t name_off, name_n, ex_off, ex_n;
	int has_name;
	double v[NEV];
};

struct sadf_state {
	struct pk_jdoc *doc;
	struct pk_sink *sink;
	enum pk_status rc;          /* of sink calls made from callbacks */
	const char *chunk;          /* the chunk being parsed, its length, */
	size_t chunk_len, at;       /* the place after the current token and */
	int64_t chunk_base;         /* the chunk's offset in the document */
	int dead, saw_sysstat;
	enum frame stack[MAX_FRAMES];
	int nframes;
	struct pk_buf key;
	int64_t skip_depth;         /* inside a container skipped or captured */
	struct pk_buf *cap;         /* its destination, or NULL */
	int64_t cap_start;
	int skip_is_stat;
	int hold_active, hold_broken;
	int64_t hold_start;
	struct pk_buf hold;         /* document bytes from hold_start */
	struct pk_buf doc_info, host_info, nodename, tzname;
	int have_nodename;
	const char *host_bad;
	struct pk_tz *host_tz, *opt_tz;
	const char *host_tz_why, *opt_tz_why;
	int host_tz_tried, opt_tz_tried;
	int64_t last_utc;        /* the host's previous local statistic, in UTC */
	int have_last_utc;
	int in_stat;
	int64_t stat_start, stat_line;
	const char *stat_bad;
	struct pk_buf date, time;
	int have_date, have_time, utc;
	double interval, sv[NSV];
	struct pk_buf stat_extra, cpu_list;
	int in_entry, is_all, have_all;
	struct entry cur;
	struct pk_buf entry_name, entry_extra;
	struct entry *entries;
	size_t nentries, capentries;
	struct pk_buf arena, msg, rowextra, raw;
	int root_map;
	int in_event, event_comment;  /* in a restart or comment (1) of the host */
	double event_cpus;            /* a restart's cpu_count */
	int have_com;
	struct pk_buf com;            /* a comment's text */
	struct pk_buf pend_why, pend_raw;   /* the reject held back */
	int64_t pend_line;
	size_t pend_n;
};

/* ---- read_sadf_json.c ---- */

/* Keeps the first failure of rc in st->rc; 1 when rc is PK_OK. */
int pk_sadf_fail_mem(struct sadf_state *st, enum pk_status rc);
/* Starts holding document bytes from offset g on (unless already). */
void pk_sadf_begin_hold(struct sadf_state *st, int64_t g);
/* Stops holding document bytes. */
void pk_sadf_end_hold(struct sadf_state *st);
/* Appends document bytes [a, b) to out; 0 when they are not held. */
int pk_sadf_span(struct sadf_state *st, int64_t a, int64_t b, struct pk_buf *out);
/* A reject at line (merged with the others of that line). */
int pk_sadf_reject(struct sadf_state *st, int64_t line, const char *why, const char *raw,
                   size_t n);
/* Appends `,"<prefix><key>":` to b (the comma when b is not empty). */
int pk_sadf_put_key_s(struct sadf_state *st, struct pk_buf *b, const char *prefix,
                      const char *k, size_t kn);

/* ---- sadf_rows.c ---- */

/* A statistic starts at offset g, on line. */
void pk_sadf_begin_stat(struct sadf_state *st, int64_t g, int64_t line);
/* A cpu-load, disk or net-dev entry starts at g, on line; it ends at g. */
void pk_sadf_begin_entry(struct sadf_state *st, enum frame kind, int64_t g, int64_t line);
void pk_sadf_finish_entry(struct sadf_state *st, enum frame kind, int64_t g);
/* The statistic ends at g: its rows, or its reject. */
void pk_sadf_stat_finish(struct sadf_state *st, int64_t g);
/* A restart (comment 0) or comment (1) of the host starts at g, on line;
 * it ends with pk_sadf_stat_finish. */
void pk_sadf_begin_event(struct sadf_state *st, int comment, int64_t g, int64_t line);

#endif
