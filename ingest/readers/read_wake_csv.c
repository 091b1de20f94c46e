/* read_wake_csv.c - format F4, wake-word audit: logs/wake_word_audit.csv,
 * one row per wake-word decision (ts as epoch seconds; latency_ms in some
 * deployments).  Parsed by the shared CSV engine (csv_rows.c): columns found
 * by header name, unknown columns kept in `extra`.
 * Identity: (ts as UTC microseconds, session_id, word, variant). */
#include <math.h>
#include <string.h>

#include "../engines/csv_rows.h"
#include "../pipeline/reader.h"
#include "../pipeline/sink.h"

static const struct pk_column wake_cols[] = {
	{ "ts_us", PK_COL_TIME }, { "session_id", PK_COL_TEXT },
	{ "source", PK_COL_TEXT }, { "word", PK_COL_TEXT },
	{ "variant", PK_COL_TEXT }, { "phonetic", PK_COL_REAL },
	{ "lev", PK_COL_REAL }, { "decoder", PK_COL_REAL },
	{ "fused", PK_COL_REAL }, { "decision", PK_COL_TEXT },
	{ "latency_ms", PK_COL_REAL }, { "extra", PK_COL_JSON },
};

static const struct pk_table wake_table = {
	"wake_event", wake_cols, sizeof wake_cols / sizeof wake_cols[0], 0
};

/* The documented column order (used before a header is seen, e.g. when a
 * run resumes after the header); latency_ms is the optional 11th. */
static const struct pk_csv_field wake_fields[] = {
	{ "ts", PK_CSV_TIME_EPOCH, 0, 0, 0 },
	{ "session_id", PK_CSV_KEY, 1, 0, 0 },
	{ "source", PK_CSV_TEXT, 2, 0, 0 },
	{ "word", PK_CSV_KEY, 3, 0, 0 },
	{ "variant", PK_CSV_KEY, 4, 0, 0 },
	{ "phonetic", PK_CSV_REAL, 5, 0, 1 },
	{ "lev", PK_CSV_REAL, 6, 0, 1 },
	{ "decoder", PK_CSV_REAL, 7, 0, 1 },
	{ "fused", PK_CSV_REAL, 8, 0, 1 },
	{ "decision", PK_CSV_TEXT, 9, 0, 0 },
	{ "latency_ms", PK_CSV_REAL, 10, 0, INFINITY },
};

static const struct pk_csv_format wake_format = {
	&wake_table, wake_fields, sizeof wake_fields / sizeof wake_fields[0], 11
};

static void *wake_open(struct pk_sink *sink)
{
	(void)sink;
	return pk_csv_open(&wake_format);
}

static int wake_detect(const char *base, const char *head, size_t n)
{
	static const char *const first[] = { "ts", "session_id", "source", "word", NULL };
	return pk_csv_name_matches(base, "wake_word_audit", ".csv") ||
	       pk_csv_head_starts_with(head, n, first);
}

const struct pk_reader pk_reader_wake_csv = {
	.name = "wake_csv",
	.description = "F4 wake-word audit, CSV (wake_word_audit.csv)",
	.detect = wake_detect,
	.open = wake_open,
	.line = pk_csv_line,
	.close = pk_csv_close,
	.in_record = pk_csv_in_record,
	.raw_lines = 1,
};
