/* all_index.c - the state file and the index page of perfreport --all
 * (see all_index.h). */
#include "all_index.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"
#include "files.h"
#include "markdown.h"
#include "version.h"

#define STATE_MAGIC "perfkit-index 1\n"
#define STATE_MAX (64u << 20)

static const char *const kind_title[PK_ALL_NKINDS] = {
	[PK_ALL_REQUIREMENTS] = "Hardware requirements",
	[PK_ALL_COMPARE] = "Profile comparisons (consecutive profiles in name order, last 168 h each)",
	[PK_ALL_THROTTLING] = "Throttling (profiles with episodes in the last 168 h)",
	[PK_ALL_EXPERIMENT] = "Experiments",
	[PK_ALL_SESSION] = "Sessions",
	[PK_ALL_SUITE] = "Benchmark regressions (one report per suite)",
};

/* Appends s with tabs, line ends and other control bytes as spaces, so
 * that it stays one field of one line. */
static enum pk_status put_field(struct pk_buf *b, const char *s)
{
	enum pk_status st = PK_OK;
	for (; *s && st == PK_OK; s++)
		st = pk_buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
	return st;
}

enum pk_status pk_all_state_text(const struct pk_all_item *items, size_t n, struct pk_buf *b)
{
	enum pk_status st = pk_buf_puts(b, STATE_MAGIC);
	for (size_t i = 0; i < n && st == PK_OK; i++) {
		st = pk_buf_printf(b, "%016" PRIx64 "\t", items[i].fingerprint);
		if (st == PK_OK)
			st = put_field(b, items[i].file);
		if (st == PK_OK)
			st = pk_buf_puts(b, items[i].written ? "\twritten\t" : "\tnodata\t");
		if (st == PK_OK)
			st = put_field(b, items[i].summary ? items[i].summary : "");
		if (st == PK_OK)
			st = pk_buf_putc(b, '\n');
	}
	return st;
}

/* Parses one line "FP\tFILE\tSTATE\tSUMMARY" (NUL-terminated, tabs split
 * in place) into e; 0 when it is malformed. */
static int parse_line(char *line, struct pk_all_state *e)
{
	char *f[4];
	f[0] = line;
	for (int i = 1; i < 4; i++) {
		char *t = strchr(f[i - 1], '\t');
		if (!t)
			return 0;
		*t = '\0';
		f[i] = t + 1;
	}
	if (strlen(f[0]) != 16 || !*f[1])
		return 0;
	uint64_t fp = 0;
	for (const char *p = f[0]; *p; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			return 0;
		fp = fp << 4 | (uint64_t)d;
	}
	int written = strcmp(f[2], "written") == 0;
	if (!written && strcmp(f[2], "nodata") != 0)
		return 0;
	e->file = strdup(f[1]);
	e->summary = strdup(f[3]);
	e->fingerprint = fp;
	e->written = written;
	return 1;
}

enum pk_status pk_all_state_read(const char *path, struct pk_all_state **out, size_t *n,
                                 struct pk_buf *err)
{
	*out = NULL;
	*n = 0;
	struct pk_buf text = PK_BUF_INIT;
	int missing = 0;
	enum pk_status st = pk_file_read(path, STATE_MAX, &text, &missing, err);
	if (st != PK_OK && missing) {
		pk_buf_reset(err);
		return PK_OK;
	}
	if (st != PK_OK || !text.data || strncmp(text.data, STATE_MAGIC, strlen(STATE_MAGIC)) != 0) {
		pk_buf_free(&text);
		return st;   /* an unknown file: every report is written again */
	}
	size_t cap = 0;
	char *p = text.data + strlen(STATE_MAGIC), *end = text.data + text.len;
	while (p < end && st == PK_OK) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;   /* a last line without its end: written half */
		*nl = '\0';
		if (memchr(p, '\0', (size_t)(nl - p)) == NULL) {
			struct pk_all_state e = { NULL, 0, 0, NULL };
			if (parse_line(p, &e)) {
				if (*n == cap) {
					cap = cap ? 2 * cap : 64;
					struct pk_all_state *g = realloc(*out, cap * sizeof *g);
					if (!g)
						st = PK_ERR_NOMEM;
					else
						*out = g;
				}
				if (st == PK_OK && e.file && e.summary)
					(*out)[(*n)++] = e;
				else {
					free(e.file);
					free(e.summary);
					st = PK_ERR_NOMEM;
				}
			}
		}
		p = nl + 1;
	}
	pk_buf_free(&text);
	if (st != PK_OK) {
		pk_all_state_free(*out, *n);
		*out = NULL;
		*n = 0;
		if (err->len == 0)
			pk_buf_puts(err, "out of memory while reading " ".perfkit-index");
	}
	return st;
}

void pk_all_state_free(struct pk_all_state *s, size_t n)
{
	for (size_t i = 0; i < n && s; i++) {
		free(s[i].file);
		free(s[i].summary);
	}
	free(s);
}

/* The link text of an item: what it covers, escaped (ids are data). */
static enum pk_status put_label(struct pk_buf *md, const struct pk_all_item *it)
{
	if (it->kind == PK_ALL_REQUIREMENTS)
		return pk_buf_puts(md, "weekly requirements");
	enum pk_status st = pk_md_escape(md, it->id ? it->id : "");
	if (st == PK_OK && it->id2) {
		st = pk_buf_puts(md, " vs ");
		if (st == PK_OK)
			st = pk_md_escape(md, it->id2);
	}
	return st;
}

static enum pk_status put_row(struct pk_buf *md, const struct pk_all_item *it)
{
	enum pk_status st = pk_buf_puts(md, "| ");
	if (st == PK_OK && it->written) {
		st = pk_buf_putc(md, '[');
		if (st == PK_OK)
			st = put_label(md, it);
		if (st == PK_OK)
			st = pk_buf_puts(md, "](");
		if (st == PK_OK)
			st = pk_md_url_path(md, it->file);
		if (st == PK_OK)
			st = pk_buf_putc(md, ')');
	} else if (st == PK_OK) {
		st = put_label(md, it);
		if (st == PK_OK)
			st = pk_buf_puts(md, " (no report)");
	}
	if (st == PK_OK)
		st = pk_buf_puts(md, " | ");
	if (st == PK_OK)
		st = pk_md_escape(md, it->summary ? it->summary : "");
	if (st == PK_OK)
		st = pk_buf_puts(md, " |\n");
	return st;
}

enum pk_status pk_all_index_md(const struct pk_all_item *items, size_t n,
                               int64_t generated_us, struct pk_buf *md)
{
	char when[40];
	pk_time_format_iso(generated_us, when);
	size_t written = 0;
	for (size_t i = 0; i < n; i++)
		written += items[i].written != 0;
	enum pk_status st = pk_buf_printf(md, "# perfkit reports\n\n%zu report%s", written,
	                                  written == 1 ? "" : "s");
	if (st == PK_OK && written < n)
		st = pk_buf_printf(md, " (and %zu without data, listed with the reason)", n - written);
	if (st == PK_OK)
		st = pk_buf_printf(md, ". Generated %s by perfreport %s.\n", when, PERFKIT_VERSION);
	for (int k = 0; k < PK_ALL_NKINDS && st == PK_OK; k++) {
		size_t count = 0;
		for (size_t i = 0; i < n; i++)
			count += items[i].kind == (enum pk_all_kind)k;
		if (count == 0)
			continue;
		st = pk_buf_printf(md, "\n## %s\n\n| report | summary |\n|---|---|\n", kind_title[k]);
		for (size_t i = 0; i < n && st == PK_OK; i++)
			if (items[i].kind == (enum pk_all_kind)k)
				st = put_row(md, &items[i]);
	}
	return st;
}
