/* read_tes_csv.c - format F3, agent task efficiency: logs/agent_metrics.csv,
 * one row per agent run (schema 3, 19 columns; older files have a 14-column
 * header up to `hint` followed by 19-field rows).  Parsed by the shared CSV
 * engine (csv_rows.c): columns found by header name, quoted commas, quotes
 * and newlines in `hint`, non-numbers in numeric columns kept in `extra`.
 * Identity: (iso_ts as UTC microseconds, run_dir ('' when empty)). */
#include <math.h>
#include <string.h>

#include "../engines/csv_rows.h"
#include "../pipeline/reader.h"
#include "../pipeline/sink.h"

static const struct pk_column tes_cols[] = {
	{ "ts_us", PK_COL_TIME }, { "run_dir", PK_COL_TEXT },
	{ "tes", PK_COL_REAL }, { "stability", PK_COL_REAL },
	{ "velocity", PK_COL_REAL }, { "footprint", PK_COL_REAL },
	{ "duration_s", PK_COL_REAL }, { "status", PK_COL_TEXT },
	{ "applied", PK_COL_INT }, { "changed_files", PK_COL_INT },
	{ "run_tests", PK_COL_INT }, { "autonomy_mode", PK_COL_TEXT },
	{ "model_id", PK_COL_TEXT }, { "hint", PK_COL_TEXT },
	{ "compliance", PK_COL_REAL }, { "ethics", PK_COL_REAL },
	{ "coherence", PK_COL_REAL }, { "tes_v3", PK_COL_REAL },
	{ "tes_schema", PK_COL_INT }, { "extra", PK_COL_JSON },
};

static const struct pk_table tes_table = {
	"agent_run", tes_cols, sizeof tes_cols / sizeof tes_cols[0], 0
};

/* Schema 3, in the writer's column order (the order used before a header
 * is seen, e.g. when a run resumes after the header). */
static const struct pk_csv_field tes_fields[] = {
	{ "iso_ts", PK_CSV_TIME_ISO, 0, 0, 0 },
	{ "tes", PK_CSV_REAL, 2, 0, 100 },
	{ "stability", PK_CSV_REAL, 3, 0, 1 },
	{ "velocity", PK_CSV_REAL, 4, 0, 1 },
	{ "footprint", PK_CSV_REAL, 5, 0, 1 },
	{ "duration_s", PK_CSV_REAL, 6, 0, INFINITY },
	{ "status", PK_CSV_TEXT, 7, 0, 0 },
	{ "applied", PK_CSV_INT, 8, 0, 1 },
	{ "changed_files", PK_CSV_INT, 9, 0, INFINITY },
	{ "run_tests", PK_CSV_INT, 10, 0, 1 },
	{ "autonomy_mode", PK_CSV_TEXT, 11, 0, 0 },
	{ "model_id", PK_CSV_TEXT, 12, 0, 0 },
	{ "run_dir", PK_CSV_KEY, 1, 0, 0 },
	{ "hint", PK_CSV_TEXT, 13, 0, 0 },
	{ "compliance", PK_CSV_REAL, 14, 0, 1 },
	{ "ethics", PK_CSV_REAL, 15, 0, 1 },
	{ "coherence", PK_CSV_REAL, 16, 0, 1 },
	{ "tes_v3", PK_CSV_REAL, 17, 0, 0 },
	{ "tes_schema", PK_CSV_INT, 18, 0, 0 },
};

static const struct pk_csv_format tes_format = {
	&tes_table, tes_fields, sizeof tes_fields / sizeof tes_fields[0], 19
};

static void *tes_open(struct pk_sink *sink)
{
	(void)sink;
	return pk_csv_open(&tes_format);
}

static int tes_detect(const char *base, const char *head, size_t n)
{
	static const char *const first[] = { "iso_ts", "tes", "stability", "velocity", NULL };
	return pk_csv_name_matches(base, "agent_metrics", ".csv") ||
	       pk_csv_head_starts_with(head, n, first);
}

const struct pk_reader pk_reader_tes_csv = {
	.name = "tes_csv",
	.description = "F3 agent task efficiency, CSV (agent_metrics.csv)",
	.detect = tes_detect,
	.open = tes_open,
	.line = pk_csv_line,
	.close = pk_csv_close,
	.in_record = pk_csv_in_record,
	.raw_lines = 1,
};
