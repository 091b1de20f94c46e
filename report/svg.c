/* svg.c - makes gnuplot's SVG files fit for inline use (see svg.h). */
#include "svg.h"

#include "html.h"

#include <string.h>
#include <strings.h>

/* The first occurrence of needle (ASCII, any case) in s[0..n), or NULL. */
static const char *find_nocase(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Refuses content that would run code in a browser: script elements and
 * on... event attributes (" onload=" and the like). */
static int looks_active(const char *s, size_t n)
{
	if (find_nocase(s, n, "<script") || find_nocase(s, n, "javascript:"))
		return 1;
	for (size_t i = 0; i + 3 < n; i++) {
		if (!is_space(s[i]) || (s[i + 1] != 'o' && s[i + 1] != 'O') ||
		    (s[i + 2] != 'n' && s[i + 2] != 'N'))
			continue;
		size_t j = i + 3;
		while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
			j++;
		while (j < n && is_space(s[j]))
			j++;
		if (j > i + 3 && j < n && s[j] == '=')
			return 1;
	}
	return 0;
}

static int starts(const char *p, const char *end, const char *lit)
{
	size_t k = strlen(lit);
	return (size_t)(end - p) >= k && memcmp(p, lit, k) == 0;
}

enum pk_status pk_svg_inline(struct pk_buf *out, const char *svg, size_t len,
                             const char *prefix, const char *label,
                             struct pk_buf *err)
{
	const char *begin = find_nocase(svg, len, "<svg");
	const char *close = begin ? find_nocase(begin, len - (size_t)(begin - svg), "</svg>") : NULL;
	if (!begin || !close || (begin[4] != ' ' && !is_space(begin[4]) && begin[4] != '>')) {
		pk_buf_puts(err, "chart file holds no <svg> element");
		return PK_ERR_EXTERNAL;
	}
	const char *end = close + strlen("</svg>");
	if (looks_active(begin, (size_t)(end - begin))) {
		pk_buf_puts(err, "chart file holds a script or an event attribute");
		return PK_ERR_EXTERNAL;
	}

	size_t old = out->len;
	enum pk_status st = pk_buf_puts(out, "<svg class=\"chart-svg\" role=\"img\"");
	if (st == PK_OK && label) {
		st = pk_buf_puts(out, " aria-label=\"");
		if (st == PK_OK)
			st = pk_html_escape(out, label, strlen(label));
		if (st == PK_OK)
			st = pk_buf_putc(out, '"');
	}
	const char *p = begin + 4;
	const char *run = p;   /* start of bytes not yet copied */
	while (p < end && st == PK_OK) {
		const char *ins = NULL;   /* insert prefix after this many bytes */
		size_t skip = 0;
		if (is_space(*p) && (starts(p + 1, end, "id=\"") || starts(p + 1, end, "id='")))
			skip = 5;
		else if (starts(p, end, "url(#"))
			skip = 5;
		else if (starts(p, end, "href=\"#") || starts(p, end, "href='#"))
			skip = 7;
		if (skip) {
			ins = p + skip;
			st = pk_buf_append(out, run, (size_t)(ins - run));
			if (st == PK_OK)
				st = pk_buf_puts(out, prefix);
			run = p = ins;
			continue;
		}
		p++;
	}
	if (st == PK_OK)
		st = pk_buf_append(out, run, (size_t)(end - run));
	if (st == PK_OK)
		st = pk_buf_putc(out, '\n');
	if (st != PK_OK) {
		out->len = old;
		if (out->data)
			out->data[old] = '\0';
		pk_buf_puts(err, "out of memory while inlining a chart");
	}
	return st;
}
