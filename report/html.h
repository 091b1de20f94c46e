/* html.h - HTML from a report's Markdown: cmark with its safe default (raw
 * HTML is not passed through), pipe tables as <table>, chart images as inline
 * SVG, all poured into the page template. */
#ifndef PK_HTML_H
#define PK_HTML_H

#include <stddef.h>
#include "../core/buf.h"

/* Appends s[0..n) with & < > " ' escaped. */
enum pk_status pk_html_escape(struct pk_buf *out, const char *s, size_t n);

/* When lines[0..len) (no blank line) are a pipe table - a header row, a
 * delimiter row of ---, :--, --: or :-: cells, body rows - appends it to out
 * as <table> with each cell's inline Markdown rendered by cmark (safe) and
 * right/center alignment as class="num"/"center", and returns PK_OK;
 * PK_NODATA when the text is not a pipe table (out unchanged). */
enum pk_status pk_html_pipe_table(const char *lines, size_t len, struct pk_buf *out);

/* A chart that replaces the Markdown image whose URL is src. */
struct pk_html_figure {
	const char *src;     /* "report_charts/cpu_percent_total_time.svg" */
	const char *svg;     /* the SVG file's contents */
	size_t len;
};

/* Renders markdown md[0..len) as an HTML fragment into out: cmark with
 * CMARK_OPT_DEFAULT; each top-level paragraph that is a pipe table becomes a
 * <table>; each top-level paragraph that holds only an image whose URL is one
 * of figs[].src becomes <figure class="chart"> with that SVG inline (ids
 * prefixed "c1-", "c2-", ... in document order).  Returns PK_OK, or an error
 * with a message in err. */
enum pk_status pk_html_body(const char *md, size_t len,
                            const struct pk_html_figure *figs, size_t nfigs,
                            struct pk_buf *out, struct pk_buf *err);

/* The template values; NULL counts as "". */
struct pk_html_page {
	const char *title;       /* plain text, HTML-escaped on the way in */
	const char *css;         /* inserted as it is (inside <style>) */
	const char *body;        /* HTML from pk_html_body, as it is */
	const char *generator;   /* plain text: "perfreport 0.1.0", escaped */
};

/* Fills tmpl: {{title}}, {{css}}, {{body}}, {{generator}}.  Values are not
 * scanned for placeholders again.  PK_ERR_INPUT for any other {{name}}
 * (message in err). */
enum pk_status pk_html_fill(const char *tmpl, const struct pk_html_page *page,
                            struct pk_buf *out, struct pk_buf *err);

#endif
