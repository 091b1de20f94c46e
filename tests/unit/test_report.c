/* test_report.c - the report stage's pure parts: Markdown escaping of hostile
 * profile names (checked through cmark), number formatting, the min/max and
 * CDF reductions, SVG inlining, pipe tables, the HTML body and template. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cmark.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/compare.h"
#include "core/metrics.h"
#include "report/files.h"
#include "report/html.h"
#include "report/markdown.h"
#include "report/reduce.h"
#include "report/report_md.h"
#include "report/svg.h"

static const char *const hostile[] = {
	"\"; system(\"rm -rf /\")",
	"<script>alert(1)</script>",
	"<SCRIPT src=//evil.example/x.js></SCRIPT>",
	"*bold* and **strong** and _em_",
	"[x](javascript:alert(1))",
	"![img](http://evil.example/x.png)",
	"<http://evil.example>",
	"`code` and ``more``",
	"../../etc/passwd",
	"# heading",
	"1. list",
	"- item",
	"> quote",
	"a | b | c",
	"&amp; &lt;script&gt;",
	"back\\slash\\",
	"{{body}} {{title}}",
	"<img src=x onerror=alert(1)>",
	"    indented code",
	"---",
	"caf\xc3\xa9 \xe2\x9c\x93",
};

/* cmark's HTML for the paragraph "x NAME y" with NAME escaped. */
static char *render_escaped(const char *name)
{
	struct pk_buf md = PK_BUF_INIT;
	assert_int_equal(pk_buf_puts(&md, "x "), PK_OK);
	assert_int_equal(pk_md_escape(&md, name), PK_OK);
	assert_int_equal(pk_buf_puts(&md, " y\n"), PK_OK);
	char *html = cmark_markdown_to_html(md.data, md.len, CMARK_OPT_DEFAULT);
	pk_buf_free(&md);
	assert_non_null(html);
	return html;
}

/* Every hostile name renders as exactly its own text, HTML-escaped. */
static void test_md_escape_hostile(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		char *html = render_escaped(hostile[i]);
		struct pk_buf want = PK_BUF_INIT;
		pk_buf_puts(&want, "<p>x ");
		pk_html_escape(&want, hostile[i], strlen(hostile[i]));
		pk_buf_puts(&want, " y</p>\n");
		/* cmark writes " as &quot; and leaves ' alone */
		struct pk_buf want2 = PK_BUF_INIT;
		for (size_t k = 0; k < want.len; k++) {
			if (strncmp(want.data + k, "&#39;", 5) == 0) {
				pk_buf_putc(&want2, '\'');
				k += 4;
			} else {
				pk_buf_putc(&want2, want.data[k]);
			}
		}
		if (strcmp(html, want2.data) != 0)
			fail_msg("name %zu: got %s want %s", i, html, want2.data);
		assert_null(strstr(html, "<script"));
		assert_null(strstr(html, "<SCRIPT"));
		assert_null(strstr(html, "<a "));
		assert_null(strstr(html, "<img"));
		assert_null(strstr(html, "<em>"));
		assert_null(strstr(html, "<code>"));
		free(html);
		pk_buf_free(&want);
		pk_buf_free(&want2);
	}
}

static void test_md_escape_every_punct(void **state)
{
	(void)state;
	const char *punct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
	struct pk_buf b = PK_BUF_INIT;
	assert_int_equal(pk_md_escape(&b, punct), PK_OK);
	assert_int_equal(b.len, 2 * strlen(punct));
	for (size_t i = 0; i < strlen(punct); i++) {
		assert_int_equal(b.data[2 * i], '\\');
		assert_int_equal(b.data[2 * i + 1], punct[i]);
	}
	pk_buf_reset(&b);
	assert_int_equal(pk_md_escape(&b, "plain name 42"), PK_OK);
	assert_string_equal(b.data, "plain name 42");
	pk_buf_free(&b);
}

/* Control characters and invalid UTF-8 become U+FFFD: a name cannot end a
 * line, a heading or a table row. */
static void test_md_escape_control(void **state)
{
	(void)state;
	struct pk_buf b = PK_BUF_INIT;
	assert_int_equal(pk_md_escape(&b, "a\nb\r\tc\x7f" "d\xff" "e\xc3\xa9\xc2\x9b" "f"), PK_OK);
	assert_string_equal(b.data, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd"
	                    "c\xef\xbf\xbd" "d\xef\xbf\xbd" "e\xc3\xa9\xef\xbf\xbd" "f");
	assert_null(strchr(b.data, '\n'));
	pk_buf_free(&b);

	char *html = render_escaped("evil\n# heading\n<script>");
	assert_null(strstr(html, "<h1>"));
	assert_null(strstr(html, "<script"));
	free(html);
}

static void test_md_text_and_url(void **state)
{
	(void)state;
	struct pk_buf b = PK_BUF_INIT;
	assert_int_equal(pk_md_text(&b, "CPU (%) a*b_c [x] <y> |z| & #1"), PK_OK);
	assert_string_equal(b.data, "CPU (%) a\\*b\\_c \\[x\\] \\<y\\> \\|z\\| \\& #1");
	pk_buf_reset(&b);
	assert_int_equal(pk_md_text(&b, "# top"), PK_OK);
	assert_string_equal(b.data, "\\# top");
	pk_buf_reset(&b);
	assert_int_equal(pk_md_url_path(&b, "my report (1)_charts/a b.svg"), PK_OK);
	assert_string_equal(b.data, "my%20report%20%281%29_charts/a%20b.svg");
	pk_buf_free(&b);
}

static void test_format_numbers(void **state)
{
	(void)state;
	char n[PK_NUM_MAX];
	assert_string_equal(pk_md_sig(n, NAN, 4), "-");
	assert_string_equal(pk_md_sig(n, INFINITY, 4), "-");
	assert_string_equal(pk_md_sig(n, 0.0, 4), "0");
	assert_string_equal(pk_md_sig(n, -0.0, 4), "0");
	assert_string_equal(pk_md_sig(n, 45.678, 4), "45.68");
	assert_string_equal(pk_md_sig(n, 2400.4, 4), "2400");
	assert_string_equal(pk_md_sig(n, 0.012345, 3), "0.0123");
	assert_string_equal(pk_md_sig(n, -8.2249, 3), "-8.22");
	assert_string_equal(pk_md_sig(n, 1.5e-7, 2), "1.5e-07");
	assert_string_equal(pk_md_fixed(n, -0.001, 2), "0.00");
	assert_string_equal(pk_md_fixed(n, NAN, 2), "-");
	assert_string_equal(pk_md_fixed(n, 1.2345, 3), "1.234");
	assert_string_equal(pk_md_p(n, NAN), "-");
	assert_string_equal(pk_md_p(n, 0.5), "0.500");
	assert_string_equal(pk_md_p(n, 0.0312), "0.031");
	assert_string_equal(pk_md_p(n, 0.00012), "1.2e-04");
	assert_string_equal(pk_md_p(n, 0.0), "< 1e-300");
	assert_string_equal(pk_md_count(n, 10080), "10080");
}

/* ---- reduction ---- */

static int is_break(const struct pk_chart_col *p)
{
	return p->n == 0;
}

/* No break first, last, or twice in a row. */
static void check_breaks(const struct pk_chart_col *p, size_t k)
{
	if (k == 0)
		return;
	assert_false(is_break(&p[0]));
	assert_false(is_break(&p[k - 1]));
	for (size_t i = 1; i < k; i++)
		assert_false(is_break(&p[i]) && is_break(&p[i - 1]));
}

static void test_reduce_small_keeps_points(void **state)
{
	(void)state;
	double x[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	double y[] = { NAN, 1, 2, NAN, NAN, 5, 6, NAN };
	struct pk_chart_col out[16];
	int reduced = -1;
	size_t k = pk_chart_reduce(x, y, 8, 0, 7, 10, out, &reduced);
	assert_int_equal(reduced, 0);
	assert_int_equal(k, 5);
	check_breaks(out, k);
	assert_true(out[0].x == 1 && out[0].min == 1 && out[0].max == 1 && out[0].mean == 1);
	assert_true(out[1].x == 2 && out[1].mean == 2 && out[1].n == 1);
	assert_true(is_break(&out[2]));
	assert_true(out[3].x == 5 && out[3].mean == 5);
	assert_true(out[4].x == 6 && out[4].mean == 6);

	double none[] = { NAN, NAN, NAN };
	assert_int_equal(pk_chart_reduce(x, none, 3, 0, 2, 10, out, NULL), 0);
	assert_int_equal(pk_chart_reduce(x, y, 0, 0, 7, 10, out, NULL), 0);
}

/* A deterministic pseudo-random value in [0, 1). */
static double lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005u + 1442695040888963407u;
	return (double)(*s >> 11) / 9007199254740992.0;
}

static void test_reduce_minmax_per_column(void **state)
{
	(void)state;
	const size_t n = 200000, ncols = 100;
	double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
	assert_non_null(x);
	assert_non_null(y);
	uint64_t seed = 42;
	for (size_t i = 0; i < n; i++) {
		x[i] = (double)i / (double)n * 50.0;       /* 0 .. 50, 0.5 a column */
		y[i] = lcg(&seed) * 100.0 - 50.0;
	}
	/* a gap of missing values over columns 40..44 (x 20 .. 22.5) */
	for (size_t i = 80000; i < 90000; i++)
		y[i] = NAN;
	/* a lone missing value inside a column only drops out of it */
	y[1234] = NAN;

	size_t cap = pk_chart_reduce_cap(n, ncols);
	assert_int_equal(cap, 2 * ncols);
	struct pk_chart_col *out = malloc(cap * sizeof *out);
	assert_non_null(out);
	int reduced = 0;
	size_t k = pk_chart_reduce(x, y, n, 0.0, 50.0, ncols, out, &reduced);
	assert_int_equal(reduced, 1);
	assert_int_equal(k, ncols - 5 + 1);
	check_breaks(out, k);
	assert_true(is_break(&out[40]));

	/* each column's true min, max and mean, at the column's centre */
	size_t j = 0;
	for (size_t c = 0; c < ncols; c++) {
		if (c >= 40 && c < 45)
			continue;
		double lo = INFINITY, hi = -INFINITY, sum = 0.0;
		size_t cnt = 0;
		for (size_t i = 0; i < n; i++) {
			if ((size_t)(x[i] / 0.5) != c || isnan(y[i]))
				continue;
			lo = y[i] < lo ? y[i] : lo;
			hi = y[i] > hi ? y[i] : hi;
			sum += y[i];
			cnt++;
		}
		if (is_break(&out[j]))
			j++;
		assert_true(out[j].x == ((double)c + 0.5) * 0.5);
		assert_true(out[j].min == lo);
		assert_true(out[j].max == hi);
		assert_int_equal(out[j].n, cnt);
		assert_true(fabs(out[j].mean - sum / (double)cnt) < 1e-9);
		j++;
	}
	assert_int_equal(j, k);
	assert_int_equal(out[0].n, 1999); /* column 0 holds the lone NAN */
	free(out);
	free(x);
	free(y);
}

static void test_cdf(void **state)
{
	(void)state;
	double v[] = { 1, 2, 2, 3 };
	struct pk_chart_pt out[11];
	size_t k = pk_chart_cdf(v, 4, 10, out);
	assert_int_equal(k, 4);
	assert_true(out[0].x == 1 && out[0].y == 0.0);
	assert_true(out[1].x == 1 && out[1].y == 0.25);
	assert_true(out[2].x == 2 && out[2].y == 0.75);
	assert_true(out[3].x == 3 && out[3].y == 1.0);
	assert_int_equal(pk_chart_cdf(v, 0, 10, out), 0);

	const size_t n = 10000;
	double *s = malloc(n * sizeof *s);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = (double)i * 0.5;
	struct pk_chart_pt q[PK_CHART_QUANTILES + 1];
	k = pk_chart_cdf(s, n, PK_CHART_QUANTILES, q);
	assert_int_equal(k, PK_CHART_QUANTILES);
	assert_true(q[0].x == 0.0 && q[0].y == 0.0);
	assert_true(q[k - 1].x == s[n - 1] && q[k - 1].y == 1.0);
	for (size_t i = 1; i < k; i++)
		assert_true(q[i].x >= q[i - 1].x && q[i].y > q[i - 1].y);
	free(s);
}

/* ---- SVG ---- */

static const char gnuplot_like_svg[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"  standalone=\"no\"?>\n"
	"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n"
	"<svg \n width=\"800\" height=\"360\"\n viewBox=\"0 0 800 360\">\n"
	"<g id=\"gnuplot_canvas\">\n<defs>\n\t<path id='gpPt0' d='M0,0'/>\n"
	"\t<use xlink:href='#gpPt0' id='gpPt6'/>\n"
	"<filter id='textbox'/></defs>\n"
	"<g filter=\"url(#textbox)\"><use href=\"#gpPt6\"/></g></g>\n</svg>\n"
	"trailing junk";

static void test_svg_inline(void **state)
{
	(void)state;
	struct pk_buf out = PK_BUF_INIT, err = PK_BUF_INIT;
	assert_int_equal(pk_svg_inline(&out, gnuplot_like_svg, strlen(gnuplot_like_svg),
	                               "c7-", "A <b>", &err), PK_OK);
	assert_int_equal(strncmp(out.data, "<svg class=\"chart-svg\" role=\"img\" "
	                         "aria-label=\"A &lt;b&gt;\"", 56), 0);
	assert_null(strstr(out.data, "<?xml"));
	assert_null(strstr(out.data, "DOCTYPE"));
	assert_null(strstr(out.data, "junk"));
	assert_non_null(strstr(out.data, "id=\"c7-gnuplot_canvas\""));
	assert_non_null(strstr(out.data, "id='c7-gpPt0'"));
	assert_non_null(strstr(out.data, "xlink:href='#c7-gpPt0'"));
	assert_non_null(strstr(out.data, "url(#c7-textbox)"));
	assert_non_null(strstr(out.data, "href=\"#c7-gpPt6\""));
	assert_null(strstr(out.data, "'#gp"));
	assert_int_equal(strcmp(out.data + out.len - 7, "</svg>\n"), 0);

	const char *bad[] = {
		"<svg><script>alert(1)</script></svg>",
		"<svg onload=\"alert(1)\"></svg>",
		"<svg><a href=\"javascript:alert(1)\">x</a></svg>",
		"no svg here",
		"<svgfoo></svgfoo>",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pk_buf_reset(&out);
		pk_buf_reset(&err);
		assert_int_equal(pk_svg_inline(&out, bad[i], strlen(bad[i]), "c1-", NULL, &err),
		                 PK_ERR_EXTERNAL);
		assert_true(err.len > 0);
	}
	pk_buf_free(&out);
	pk_buf_free(&err);
}

/* ---- HTML ---- */

static void test_pipe_table(void **state)
{
	(void)state;
	const char *t = "| Metric | Mean | Verdict |\n|---|--:|:-:|\n"
	                "| CPU \\| x | - | 1. |\n| *em* | 2 |\n";
	struct pk_buf out = PK_BUF_INIT;
	assert_int_equal(pk_html_pipe_table(t, strlen(t), &out), PK_OK);
	assert_string_equal(out.data,
		"<table>\n<thead>\n<tr>\n<th>Metric</th>\n<th class=\"num\">Mean</th>\n"
		"<th class=\"center\">Verdict</th>\n</tr>\n</thead>\n<tbody>\n"
		"<tr>\n<td>CPU | x</td>\n<td class=\"num\">-</td>\n<td class=\"center\">1.</td>\n</tr>\n"
		"<tr>\n<td><em>em</em></td>\n<td class=\"num\">2</td>\n<td class=\"center\"></td>\n</tr>\n"
		"</tbody>\n</table>\n");
	pk_buf_reset(&out);
	const char *not_tables[] = {
		"just a paragraph",
		"a | b\nc | d",
		"| a | b |\n|---|\n",
		"| a |\n| x-y |",
	};
	for (size_t i = 0; i < sizeof not_tables / sizeof not_tables[0]; i++)
		assert_int_equal(pk_html_pipe_table(not_tables[i], strlen(not_tables[i]), &out),
		                 PK_NODATA);
	assert_int_equal(out.len, 0);
	pk_buf_free(&out);
}

static void test_html_body(void **state)
{
	(void)state;
	struct pk_buf md = PK_BUF_INIT, out = PK_BUF_INIT, err = PK_BUF_INIT;
	pk_buf_puts(&md, "# Title ");
	pk_md_escape(&md, "<script>alert(1)</script>");
	pk_buf_puts(&md, "\n\n| a | b |\n|---|--:|\n| ");
	pk_md_escape(&md, "<img src=x onerror=alert(1)>|x");
	pk_buf_puts(&md, " | 1 |\n\n![chart](r_charts/one.svg)\n\n"
	                 "![chart](r_charts/two.svg)\n\n![other](elsewhere.svg)\n\n"
	                 "<script>raw()</script>\n\nend\n");
	struct pk_html_figure figs[2] = {
		{ "r_charts/one.svg", gnuplot_like_svg, strlen(gnuplot_like_svg) },
		{ "r_charts/two.svg", gnuplot_like_svg, strlen(gnuplot_like_svg) },
	};
	assert_int_equal(pk_html_body(md.data, md.len, figs, 2, &out, &err), PK_OK);
	assert_null(strstr(out.data, "<script"));
	assert_null(strstr(out.data, "<img src=x"));
	assert_non_null(strstr(out.data, "<h1>Title &lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
	assert_non_null(strstr(out.data, "<td>&lt;img src=x onerror=alert(1)&gt;|x</td>"));
	assert_non_null(strstr(out.data, "<figure class=\"chart\">\n<svg class=\"chart-svg\" "
	                                 "role=\"img\" aria-label=\"chart\""));
	assert_non_null(strstr(out.data, "id=\"c1-gnuplot_canvas\""));
	assert_non_null(strstr(out.data, "id=\"c2-gnuplot_canvas\""));
	assert_non_null(strstr(out.data, "<img src=\"elsewhere.svg\""));
	assert_non_null(strstr(out.data, "<!-- raw HTML omitted -->"));
	pk_buf_free(&md);
	pk_buf_free(&out);
	pk_buf_free(&err);
}

static void test_html_fill(void **state)
{
	(void)state;
	struct pk_buf out = PK_BUF_INIT, err = PK_BUF_INIT;
	struct pk_html_page pg = { "A <b> & \"q\" {{body}}", "p{}", "<p>{{title}}</p>", "gen 1" };
	assert_int_equal(pk_html_fill("<title>{{title}}</title><style>{{css}}</style>"
	                              "{{body}}<i>{{generator}}</i>{{ unclosed",
	                              &pg, &out, &err), PK_OK);
	assert_string_equal(out.data,
		"<title>A &lt;b&gt; &amp; &quot;q&quot; {{body}}</title><style>p{}</style>"
		"<p>{{title}}</p><i>gen 1</i>{{ unclosed");
	pk_buf_reset(&out);
	assert_int_equal(pk_html_fill("x {{nope}} y", &pg, &out, &err), PK_ERR_INPUT);
	assert_non_null(strstr(err.data, "{{nope}}"));
	pk_buf_free(&out);
	pk_buf_free(&err);
}

static void test_report_paths(void **state)
{
	(void)state;
	struct pk_report_paths p;
	struct pk_buf err = PK_BUF_INIT;
	assert_int_equal(pk_report_paths("out/r.md", &p, &err), PK_OK);
	assert_false(p.html);
	assert_string_equal(p.dir, "out");
	assert_string_equal(p.script, "out/r.gp");
	assert_string_equal(p.script_name, "r.gp");
	assert_string_equal(p.charts, "out/r_charts");
	assert_string_equal(p.charts_name, "r_charts");
	pk_report_paths_free(&p);
	assert_int_equal(pk_report_paths("R.HTML", &p, &err), PK_OK);
	assert_true(p.html);
	assert_string_equal(p.dir, ".");
	assert_string_equal(p.script, "R.gp");
	pk_report_paths_free(&p);
	assert_int_equal(pk_report_paths("/r.htm", &p, &err), PK_OK);
	assert_string_equal(p.dir, "/");
	assert_string_equal(p.charts, "/r_charts");
	pk_report_paths_free(&p);
	const char *bad[] = { "r.txt", "r", "out/.md", ".html", "a\nb.md", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pk_buf_reset(&err);
		assert_int_equal(pk_report_paths(bad[i], &p, &err), PK_USAGE);
		assert_true(err.len > 0);
		assert_null(strchr(err.data, '\n'));
	}
	pk_buf_free(&err);
}

/* ---- the Markdown report ---- */

static struct pk_hw_series *series_new(size_t n, int64_t t0, double level)
{
	struct pk_hw_series *s = calloc(1, sizeof *s);
	assert_non_null(s);
	s->n = n;
	s->ts_us = calloc(n ? n : 1, sizeof *s->ts_us);
	s->v = calloc(pk_hw_nmetrics, sizeof *s->v);
	assert_non_null(s->ts_us);
	assert_non_null(s->v);
	uint64_t seed = (uint64_t)(level * 1000);
	for (size_t i = 0; i < n; i++)
		s->ts_us[i] = t0 + (int64_t)i * 60000000;
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		s->v[m] = malloc((n ? n : 1) * sizeof *s->v[m]);
		assert_non_null(s->v[m]);
		for (size_t i = 0; i < n; i++)
			s->v[m][i] = m == 3 ? NAN : level * (double)(m + 1) + 10.0 * lcg(&seed);
	}
	return s;
}

static void series_free(struct pk_hw_series *s)
{
	pk_hw_series_free(s);
	free(s);
}

static void test_report_md_hostile(void **state)
{
	(void)state;
	const int64_t t0 = 1700000000000000;
	struct pk_hw_series *a = series_new(300, t0, 10.0);
	struct pk_hw_series *b = series_new(200, t0 + 3600000000, 20.0);
	struct pk_window wa = { t0, t0 + 299 * (int64_t)60000000 };
	struct pk_window wb = { t0 + 3600000000, t0 + 3600000000 + 199 * (int64_t)60000000 };
	const char *na = "<script>alert(1)</script> [x](javascript:alert(1))";
	const char *nb = "\"; system(\"rm -rf /\") `x` *b* ../";
	struct pk_compare c;
	assert_int_equal(pk_compare_series(na, &wa, a, nb, &wb, b, &c), PK_OK);

	struct pk_report_doc d = { 1700000000000000, "r_charts", "r.gp", NULL };
	struct pk_buf md = PK_BUF_INIT, html = PK_BUF_INIT, err = PK_BUF_INIT;
	assert_int_equal(pk_report_compare_md(&c, &d, &md), PK_OK);
	assert_null(strstr(md.data, na));
	assert_null(strstr(md.data, nb));
	/* every '<' is escaped, or is the "< 1e-300" of a tiny p */
	for (const char *p = strchr(md.data, '<'); p; p = strchr(p + 1, '<'))
		assert_true((p > md.data && p[-1] == '\\') || p[1] == ' ');
	assert_non_null(strstr(md.data, "\\<script\\>alert\\(1\\)"));
	assert_non_null(strstr(md.data, "Generated 2023-11-14T22:13:20Z"));
	assert_non_null(strstr(md.data, "## Findings"));
	assert_non_null(strstr(md.data, "## All metrics"));
	assert_non_null(strstr(md.data, "## Methods"));
	assert_non_null(strstr(md.data, "| RAM used | GB | - | - | - | - | - | - | - | - | undefined |"));
	assert_null(strstr(md.data, "nan"));
	assert_null(strstr(md.data, "NaN"));
	assert_int_equal(pk_html_body(md.data, md.len, NULL, 0, &html, &err), PK_OK);
	assert_null(strstr(html.data, "<script"));
	assert_null(strstr(html.data, "<a "));
	assert_null(strstr(html.data, "<code>"));
	assert_non_null(strstr(html.data, "&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))"));
	assert_non_null(strstr(html.data, "&quot;; system(&quot;rm -rf /&quot;) `x` *b* ../"));
	/* three tables: every metric, the evidence, the data quality (both
	 * series regular: no time-weighted means) */
	size_t tables = 0;
	for (const char *p = html.data; (p = strstr(p, "<table>")); p++)
		tables++;
	assert_int_equal(tables, 3);
	assert_non_null(strstr(md.data, "## Data quality"));
	assert_non_null(strstr(md.data, "| Source files | - | - |"));

	struct pk_buf title = PK_BUF_INIT;
	assert_int_equal(pk_report_compare_title(&c, &title), PK_OK);
	assert_int_equal(strncmp(title.data, "Comparison: <script>", 20), 0);
	pk_buf_free(&title);
	pk_buf_free(&md);
	pk_buf_free(&html);
	pk_buf_free(&err);
	pk_compare_free(&c);
	series_free(a);
	series_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md_escape_hostile),
		cmocka_unit_test(test_md_escape_every_punct),
		cmocka_unit_test(test_md_escape_control),
		cmocka_unit_test(test_md_text_and_url),
		cmocka_unit_test(test_format_numbers),
		cmocka_unit_test(test_reduce_small_keeps_points),
		cmocka_unit_test(test_reduce_minmax_per_column),
		cmocka_unit_test(test_cdf),
		cmocka_unit_test(test_svg_inline),
		cmocka_unit_test(test_pipe_table),
		cmocka_unit_test(test_html_body),
		cmocka_unit_test(test_html_fill),
		cmocka_unit_test(test_report_paths),
		cmocka_unit_test(test_report_md_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
