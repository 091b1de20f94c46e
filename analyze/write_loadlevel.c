/* write_loadlevel.c - load levels (perfanalyze --load-levels) as text, JSON or
 * CSV (write_loadlevel.h). */
#include "write_loadlevel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/csv_write.h"
#include "../core/diag.h"
#include "../core/json_write.h"
#include "../core/timeutil.h"
#include "cmd_common.h"
#include "loadlevel.h"

static enum pk_status write_json(struct pk_buf *o, const struct pk_loadlevels *l)
{
	const struct pk_session_modules *r = &l->rows;
	enum pk_status rc = pk_buf_printf(o, "{\"schema\":%d", PK_JSON_SCHEMA);
	if (rc == PK_OK) rc = pk_json_text_member(o, "session_id", r->session_id, 1);
	if (rc == PK_OK) rc = pk_json_key(o, "export", 1);
	if (rc == PK_OK && r->export_us != INT64_MIN) {
		char t[PK_TIME_ISO_MAX];
		pk_time_format_iso(r->export_us, t);
		rc = pk_json_string(o, t, strlen(t));
	} else if (rc == PK_OK) {
		rc = pk_buf_puts(o, "null");
	}
	if (rc == PK_OK) rc = pk_json_text_member(o, "overall", pk_load_level_str(l->overall), 1);
	if (rc == PK_OK) rc = pk_json_text_member(o, "overall_rule", "worst module", 1);
	if (rc == PK_OK) rc = pk_json_key(o, "app_level", 1);
	if (rc == PK_OK) rc = r->app_level ? pk_json_string(o, r->app_level, strlen(r->app_level))
	                                   : pk_buf_puts(o, "null");
	if (rc == PK_OK) rc = pk_json_num_member(o, "total_execution_time_s", l->total_time_s, 1);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",\"module_count\":%zu,\"levels\":{", l->n);
	for (int v = 0; v < PK_NLEVELS && rc == PK_OK; v++) {
		rc = pk_json_key(o, pk_load_level_str((enum pk_load_level)v), v > 0);
		if (rc == PK_OK) rc = pk_buf_printf(o, "{\"modules\":%zu", l->count[v]);
		if (rc == PK_OK) rc = pk_json_num_member(o, "time_share", l->level_share[v], 1);
		if (rc == PK_OK) rc = pk_buf_putc(o, '}');
	}
	if (rc == PK_OK) rc = pk_buf_puts(o, "},\"modules\":[");
	for (size_t i = 0; i < l->n && rc == PK_OK; i++) {
		const struct pk_module_level *ml = &l->modules[i];
		rc = pk_buf_puts(o, i ? ",{" : "{");
		if (rc == PK_OK) rc = pk_json_text_member(o, "module", ml->m->module, 0);
		if (rc == PK_OK) rc = pk_json_text_member(o, "level", pk_load_level_str(ml->level), 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "cpu_impact", ml->m->cpu_impact, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "memory_impact", ml->m->memory_impact, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "call_count", ml->m->call_count, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "total_execution_time_s", ml->m->total_time_s, 1);
		if (rc == PK_OK) rc = pk_json_num_member(o, "time_share", ml->share, 1);
		if (rc == PK_OK) rc = pk_buf_putc(o, '}');
	}
	return rc == PK_OK ? pk_buf_puts(o, "]}\n") : rc;
}

/* One row per module, then a row with module "(overall)". */
static enum pk_status write_csv(struct pk_buf *o, const struct pk_loadlevels *l)
{
	enum pk_status rc = pk_buf_puts(o, "session_id,module,level,cpu_impact,memory_impact,"
	                                "call_count,total_execution_time_s,time_share\n");
	for (size_t i = 0; i < l->n && rc == PK_OK; i++) {
		const struct pk_module_level *ml = &l->modules[i];
		rc = pk_csv_text(o, l->rows.session_id);
		if (rc == PK_OK) rc = pk_buf_putc(o, ',');
		if (rc == PK_OK) rc = pk_csv_text(o, ml->m->module);
		if (rc == PK_OK) rc = pk_buf_printf(o, ",%s", pk_load_level_str(ml->level));
		double v[] = { ml->m->cpu_impact, ml->m->memory_impact, ml->m->call_count,
		               ml->m->total_time_s, ml->share };
		for (size_t k = 0; k < sizeof v / sizeof v[0] && rc == PK_OK; k++)
			rc = pk_csv_num(o, v[k]);
		if (rc == PK_OK) rc = pk_buf_putc(o, '\n');
	}
	if (rc == PK_OK) rc = pk_csv_text(o, l->rows.session_id);
	if (rc == PK_OK) rc = pk_buf_printf(o, ",(overall),%s,,,", pk_load_level_str(l->overall));
	if (rc == PK_OK) rc = pk_csv_num(o, l->total_time_s);
	if (rc == PK_OK)
		rc = pk_csv_num(o, l->n && !isnan(l->total_time_s) && l->total_time_s > 0 ? 1.0 : NAN);
	return rc == PK_OK ? pk_buf_putc(o, '\n') : rc;
}

static enum pk_status write_text(struct pk_buf *o, const struct pk_loadlevels *l)
{
	const struct pk_session_modules *r = &l->rows;
	char s1[32], s2[32], s3[32], s4[32];
	enum pk_status rc = pk_buf_puts(o, "session     ");
	if (rc == PK_OK) rc = pk_buf_put_printable(o, r->session_id, strlen(r->session_id));
	if (rc == PK_OK && r->export_us != INT64_MIN) {
		char t[PK_TIME_ISO_MAX];
		pk_time_format_iso(r->export_us, t);
		rc = pk_buf_printf(o, " (exported %s)", t);
	}
	if (rc == PK_OK)
		rc = pk_buf_printf(o, "\noverall     %s (the worst module's level)", pk_load_level_str(l->overall));
	if (rc == PK_OK && r->app_level) {
		rc = pk_buf_puts(o, "; the app says ");
		if (rc == PK_OK) rc = pk_buf_put_printable(o, r->app_level, strlen(r->app_level));
	}
	if (rc == PK_OK) rc = pk_buf_puts(o, "\ntime share ");
	for (int v = 0; v < PK_NLEVELS && rc == PK_OK; v++) {
		pk_fmt_stat(100 * l->level_share[v], s1, sizeof s1);
		rc = pk_buf_printf(o, "%s%s %s %% (%zu)", v ? ", " : "",
		                   pk_load_level_str((enum pk_load_level)v), s1, l->count[v]);
	}
	if (rc == PK_OK)
		rc = pk_buf_puts(o, "\nlevels      green: cpu < 25 % and memory < 50 MB; yellow: cpu 25-50 % "
		                 "or memory 50-100 MB; red: cpu > 50 % or memory > 100 MB\n\n");
	if (rc == PK_OK)
		rc = pk_buf_printf(o, "%-32s %-7s %8s %10s %8s %10s %8s\n", "module", "level", "cpu_%",
		                   "memory_MB", "calls", "time_s", "share_%");
	for (size_t i = 0; i < l->n && rc == PK_OK; i++) {
		const struct pk_module_level *ml = &l->modules[i];
		char calls[32];
		pk_fmt_stat(ml->m->cpu_impact, s1, sizeof s1);
		pk_fmt_stat(ml->m->memory_impact, s2, sizeof s2);
		pk_fmt_stat(ml->m->total_time_s, s3, sizeof s3);
		pk_fmt_stat(100 * ml->share, s4, sizeof s4);
		if (isnan(ml->m->call_count))
			strcpy(calls, "-");
		else
			snprintf(calls, sizeof calls, "%.0f", ml->m->call_count);
		size_t w = strlen(ml->m->module);
		rc = pk_buf_put_printable(o, ml->m->module, w);
		if (rc == PK_OK)
			rc = pk_buf_printf(o, "%*s %-7s %8s %10s %8s %10s %8s\n", w < 32 ? (int)(32 - w) : 0,
			                   "", pk_load_level_str(ml->level), s1, s2, calls, s3, s4);
	}
	return rc;
}

enum pk_status pk_write_loadlevel(struct pk_buf *out, enum pk_format f,
                                  const struct pk_loadlevels *r)
{
	if (f == PK_FMT_JSON)
		return write_json(out, r);
	if (f == PK_FMT_CSV)
		return write_csv(out, r);
	return write_text(out, r);
}
