/* html.c - Markdown to HTML with cmark, pipe tables, inline charts and the
 * page template (see html.h). */
#include "html.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/diag.h"
#include "svg.h"

#define MAX_COLUMNS 64

enum pk_status pk_html_escape(struct pk_buf *out, const char *s, size_t n)
{
	enum pk_status st = PK_OK;
	size_t run = 0;
	for (size_t i = 0; i < n && st == PK_OK; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		st = pk_buf_append(out, s + run, i - run);
		if (st == PK_OK)
			st = pk_buf_puts(out, rep);
		run = i + 1;
	}
	if (st == PK_OK)
		st = pk_buf_append(out, s + run, n - run);
	return st;
}

/* ---- pipe tables ---- */

struct cell {
	const char *s;
	size_t n;
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static struct cell trim(const char *s, size_t n)
{
	while (n && is_blank(*s)) {
		s++;
		n--;
	}
	while (n && is_blank(s[n - 1]))
		n--;
	struct cell c = { s, n };
	return c;
}

/* Splits one row at the pipes that are not backslash-escaped, without the
 * optional outer pipes.  Returns the number of cells, or 0 when there are
 * more than max or the row holds no pipe at all. */
static size_t split_row(const char *line, size_t len, struct cell *cells, size_t max)
{
	struct cell t = trim(line, len);
	const char *s = t.s;
	size_t n = t.n;
	int pipes = 0;
	if (n && s[0] == '|') {
		s++;
		n--;
		pipes++;
	}
	/* a trailing pipe that is not escaped */
	if (n && s[n - 1] == '|') {
		size_t bs = 0;
		while (bs + 1 < n && s[n - 2 - bs] == '\\')
			bs++;
		if (bs % 2 == 0) {
			n--;
			pipes++;
		}
	}
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i + 1 < n && s[i] == '\\') {
			i++;
			continue;
		}
		if (i < n && s[i] != '|')
			continue;
		if (i < n)
			pipes++;
		if (k == max)
			return 0;
		cells[k++] = trim(s + start, i - start);
		start = i + 1;
	}
	return pipes ? k : 0;
}

enum align { ALIGN_NONE, ALIGN_LEFT, ALIGN_RIGHT, ALIGN_CENTER };

/* Reads a delimiter row; 0 when it is not one. */
static size_t delimiter_row(const char *line, size_t len, enum align *al, size_t max)
{
	struct cell cells[MAX_COLUMNS];
	size_t k = split_row(line, len, cells, max < MAX_COLUMNS ? max : MAX_COLUMNS);
	for (size_t i = 0; i < k; i++) {
		const char *s = cells[i].s;
		size_t n = cells[i].n;
		int left = n && s[0] == ':';
		int right = n && s[n - 1] == ':';
		size_t a = left ? 1 : 0, b = n - (right && n > (size_t)left ? 1 : 0);
		if (b <= a)
			return 0;
		for (size_t j = a; j < b; j++)
			if (s[j] != '-')
				return 0;
		al[i] = left && right ? ALIGN_CENTER : right ? ALIGN_RIGHT
		        : left ? ALIGN_LEFT : ALIGN_NONE;
	}
	return k;
}

/* Appends a cell's inline Markdown as HTML.  The cell goes to cmark behind
 * an escaped '&' so that it is always one paragraph (a lone "-" or "1." is
 * not a list there), and the paragraph tags and the '&' are taken off. */
static enum pk_status put_cell_html(struct pk_buf *out, struct cell c)
{
	static const char lead[] = "<p>&amp;", tail[] = "</p>\n";
	struct pk_buf src = PK_BUF_INIT;
	enum pk_status st = pk_buf_puts(&src, "\\&");
	if (st == PK_OK)
		st = pk_buf_append(&src, c.s, c.n);
	if (st != PK_OK) {
		pk_buf_free(&src);
		return st;
	}
	char *html = cmark_markdown_to_html(src.data, src.len, CMARK_OPT_DEFAULT);
	pk_buf_free(&src);
	if (!html)
		return PK_ERR_NOMEM;
	size_t n = strlen(html);
	if (n >= sizeof lead - 1 + sizeof tail - 1 &&
	    memcmp(html, lead, sizeof lead - 1) == 0 &&
	    memcmp(html + n - (sizeof tail - 1), tail, sizeof tail - 1) == 0)
		st = pk_buf_append(out, html + sizeof lead - 1,
		                   n - (sizeof lead - 1) - (sizeof tail - 1));
	else
		st = pk_html_escape(out, c.s, c.n);
	free(html);
	return st;
}

static enum pk_status put_row(struct pk_buf *out, const struct cell *cells,
                              size_t k, const enum align *al, size_t ncols,
                              const char *tag)
{
	enum pk_status st = pk_buf_puts(out, "<tr>\n");
	for (size_t i = 0; i < ncols && st == PK_OK; i++) {
		const char *cls = al[i] == ALIGN_RIGHT ? " class=\"num\""
		                  : al[i] == ALIGN_CENTER ? " class=\"center\"" : "";
		st = pk_buf_printf(out, "<%s%s>", tag, cls);
		if (st == PK_OK && i < k)
			st = put_cell_html(out, cells[i]);
		if (st == PK_OK)
			st = pk_buf_printf(out, "</%s>\n", tag);
	}
	if (st == PK_OK)
		st = pk_buf_puts(out, "</tr>\n");
	return st;
}

/* The length of the line at s (up to '\n' or end). */
static size_t line_len(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	return (size_t)((nl ? nl : end) - s);
}

enum pk_status pk_html_pipe_table(const char *lines, size_t len, struct pk_buf *out)
{
	const char *end = lines + len;
	const char *l1 = lines;
	size_t n1 = line_len(l1, end);
	if (l1 + n1 >= end)
		return PK_NODATA;
	const char *l2 = l1 + n1 + 1;
	size_t n2 = line_len(l2, end);

	struct cell head[MAX_COLUMNS], cells[MAX_COLUMNS];
	enum align al[MAX_COLUMNS];
	size_t ncols = split_row(l1, n1, head, MAX_COLUMNS);
	if (ncols == 0 || delimiter_row(l2, n2, al, MAX_COLUMNS) != ncols)
		return PK_NODATA;

	size_t old = out->len;
	enum pk_status st = pk_buf_puts(out, "<table>\n<thead>\n");
	if (st == PK_OK)
		st = put_row(out, head, ncols, al, ncols, "th");
	if (st == PK_OK)
		st = pk_buf_puts(out, "</thead>\n");
	const char *p = l2 + n2;
	int body = 0;
	while (st == PK_OK && p < end) {
		p++; /* the newline */
		if (p >= end)
			break;
		size_t n = line_len(p, end);
		size_t k = split_row(p, n, cells, MAX_COLUMNS);
		if (k == 0) {
			/* a row without pipes is still a row with one cell */
			cells[0] = trim(p, n);
			k = 1;
		}
		if (!body)
			st = pk_buf_puts(out, "<tbody>\n");
		body = 1;
		if (st == PK_OK)
			st = put_row(out, cells, k, al, ncols, "td");
		p += n;
	}
	if (st == PK_OK && body)
		st = pk_buf_puts(out, "</tbody>\n");
	if (st == PK_OK)
		st = pk_buf_puts(out, "</table>\n");
	if (st != PK_OK) {
		out->len = old;
		if (out->data)
			out->data[old] = '\0';
	}
	return st;
}

/* ---- the body ---- */

/* Offsets of the start of each line of md; off[i] is line i + 1. */
static size_t *line_offsets(const char *md, size_t len, size_t *nlines)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		if (md[i] == '\n')
			n++;
	size_t *off = malloc((n + 1) * sizeof *off);
	if (!off)
		return NULL;
	size_t k = 0;
	off[k++] = 0;
	for (size_t i = 0; i < len; i++)
		if (md[i] == '\n')
			off[k++] = i + 1;
	off[k] = len;
	*nlines = n;
	return off;
}

/* Replaces node by a custom block that prints html as it is. */
static enum pk_status replace_with_html(cmark_node *node, const char *html)
{
	cmark_node *cb = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
	if (!cb)
		return PK_ERR_NOMEM;
	if (!cmark_node_set_on_enter(cb, html) || !cmark_node_set_on_exit(cb, "") ||
	    !cmark_node_insert_before(node, cb)) {
		cmark_node_free(cb);
		return PK_ERR_NOMEM;
	}
	cmark_node_free(node); /* unlinks it */
	return PK_OK;
}

static const struct pk_html_figure *find_figure(cmark_node *para,
                                                const struct pk_html_figure *figs,
                                                size_t nfigs)
{
	cmark_node *img = cmark_node_first_child(para);
	if (!img || cmark_node_get_type(img) != CMARK_NODE_IMAGE || cmark_node_next(img))
		return NULL;
	const char *url = cmark_node_get_url(img);
	for (size_t i = 0; url && i < nfigs; i++)
		if (strcmp(figs[i].src, url) == 0)
			return &figs[i];
	return NULL;
}

/* The text of an image's description (its alt text). */
static enum pk_status alt_text(cmark_node *img, struct pk_buf *out)
{
	enum pk_status st = pk_buf_puts(out, "");
	cmark_iter *it = cmark_iter_new(img);
	if (!it)
		return PK_ERR_NOMEM;
	cmark_event_type ev;
	while (st == PK_OK && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
		                                cmark_node_get_type(n) == CMARK_NODE_CODE)) {
			const char *lit = cmark_node_get_literal(n);
			st = pk_buf_puts(out, lit ? lit : "");
		}
	}
	cmark_iter_free(it);
	return st;
}

static enum pk_status figure_html(const struct pk_html_figure *f, cmark_node *para,
                                  size_t index, struct pk_buf *html,
                                  struct pk_buf *err)
{
	char prefix[32];
	snprintf(prefix, sizeof prefix, "c%zu-", index);
	struct pk_buf label = PK_BUF_INIT;
	enum pk_status st = alt_text(cmark_node_first_child(para), &label);
	if (st == PK_OK)
		st = pk_buf_puts(html, "<figure class=\"chart\">\n");
	if (st == PK_OK) {
		st = pk_svg_inline(html, f->svg, f->len, prefix, label.data, err);
		if (st != PK_OK && st != PK_ERR_NOMEM) {
			pk_buf_puts(err, ": ");
			pk_buf_put_printable(err, f->src, strlen(f->src));
		}
	}
	if (st == PK_OK)
		st = pk_buf_puts(html, "</figure>");
	pk_buf_free(&label);
	return st;
}

enum pk_status pk_html_body(const char *md, size_t len,
                            const struct pk_html_figure *figs, size_t nfigs,
                            struct pk_buf *out, struct pk_buf *err)
{
	size_t nlines = 0;
	size_t *off = line_offsets(md, len, &nlines);
	cmark_node *doc = off ? cmark_parse_document(md, len, CMARK_OPT_DEFAULT) : NULL;
	if (!doc) {
		free(off);
		pk_buf_puts(err, "out of memory while rendering HTML");
		return PK_ERR_NOMEM;
	}
	enum pk_status st = PK_OK;
	struct pk_buf html = PK_BUF_INIT;
	size_t nfig = 0;
	cmark_node *next;
	for (cmark_node *n = cmark_node_first_child(doc); n && st == PK_OK; n = next) {
		next = cmark_node_next(n);
		if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
			continue;
		pk_buf_reset(&html);
		const struct pk_html_figure *f = find_figure(n, figs, nfigs);
		if (f) {
			st = figure_html(f, n, ++nfig, &html, err);
			if (st == PK_OK)
				st = replace_with_html(n, html.data);
			continue;
		}
		int a = cmark_node_get_start_line(n), b = cmark_node_get_end_line(n);
		if (a < 1 || b < a || (size_t)b > nlines)
			continue;
		size_t from = off[a - 1], to = off[b];
		if (to > from && md[to - 1] == '\n')
			to--;
		enum pk_status t = pk_html_pipe_table(md + from, to - from, &html);
		if (t == PK_OK)
			st = replace_with_html(n, html.data);
		else if (t != PK_NODATA)
			st = t;
	}
	if (st == PK_OK) {
		char *r = cmark_render_html(doc, CMARK_OPT_DEFAULT);
		st = r ? pk_buf_puts(out, r) : PK_ERR_NOMEM;
		free(r);
	}
	if (st == PK_ERR_NOMEM)
		pk_buf_puts(err, "out of memory while rendering HTML");
	pk_buf_free(&html);
	cmark_node_free(doc);
	free(off);
	return st;
}

/* ---- the template ---- */

enum pk_status pk_html_fill(const char *tmpl, const struct pk_html_page *page,
                            struct pk_buf *out, struct pk_buf *err)
{
	const char *p = tmpl;
	enum pk_status st = PK_OK;
	while (st == PK_OK) {
		const char *open = strstr(p, "{{");
		const char *close = open ? strstr(open + 2, "}}") : NULL;
		if (!open || !close) {
			st = pk_buf_puts(out, p);
			break;
		}
		st = pk_buf_append(out, p, (size_t)(open - p));
		if (st != PK_OK)
			break;
		const char *name = open + 2;
		size_t n = (size_t)(close - name);
		const char *v;
		if (n == 5 && memcmp(name, "title", 5) == 0) {
			v = page->title ? page->title : "";
			st = pk_html_escape(out, v, strlen(v));
		} else if (n == 9 && memcmp(name, "generator", 9) == 0) {
			v = page->generator ? page->generator : "";
			st = pk_html_escape(out, v, strlen(v));
		} else if (n == 3 && memcmp(name, "css", 3) == 0) {
			st = pk_buf_puts(out, page->css ? page->css : "");
		} else if (n == 4 && memcmp(name, "body", 4) == 0) {
			st = pk_buf_puts(out, page->body ? page->body : "");
		} else {
			pk_buf_puts(err, "template: unknown placeholder {{");
			pk_buf_put_printable(err, name, n > 40 ? 40 : n);
			pk_buf_puts(err, "}} (known: title, css, body, generator)");
			return PK_ERR_INPUT;
		}
		p = close + 2;
	}
	if (st == PK_ERR_NOMEM)
		pk_buf_puts(err, "out of memory while filling the template");
	return st;
}
