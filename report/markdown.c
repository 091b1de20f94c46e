/* markdown.c - Markdown escaping and number formatting (see markdown.h). */
#include "markdown.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/utf8.h"

static int is_ascii_punct(unsigned char c)
{
	return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) ||
	       (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

static int is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

enum pk_status pk_md_escape(struct pk_buf *b, const char *s)
{
	static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */
	size_t old = b->len;
	size_t n = strlen(s);
	enum pk_status st = PK_OK;
	for (size_t i = 0; i < n && st == PK_OK;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			size_t ok = pk_utf8_valid_prefix(s + i, n - i, 1);
			if (ok == 0 || pk_utf8_is_c1(s + i, ok)) {   /* C1: a control too */
				st = pk_buf_append(b, replacement, 3);
				i += ok ? ok : 1;
			} else {
				st = pk_buf_append(b, s + i, ok);
				i += ok;
			}
			continue;
		}
		if (is_ascii_punct(c)) {
			char pair[2] = { '\\', (char)c };
			st = pk_buf_append(b, pair, 2);
		} else if (is_control(c)) {
			st = pk_buf_append(b, replacement, 3);
		} else {
			st = pk_buf_putc(b, (char)c);
		}
		i++;
	}
	if (st != PK_OK && b->data) {
		b->len = old;
		b->data[old] = '\0';
	}
	return st;
}

enum pk_status pk_md_text(struct pk_buf *b, const char *s)
{
	size_t old = b->len;
	enum pk_status st = PK_OK;
	for (const char *p = s; *p && st == PK_OK; p++) {
		int esc = strchr("\\`*_[]<>|&", *p) != NULL ||
		          (p == s && (*p == '!' || *p == '#'));
		if (esc)
			st = pk_buf_putc(b, '\\');
		if (st == PK_OK)
			st = pk_buf_putc(b, is_control((unsigned char)*p) ? ' ' : *p);
	}
	if (st != PK_OK && b->data) {
		b->len = old;
		b->data[old] = '\0';
	}
	return st;
}

enum pk_status pk_md_url_path(struct pk_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t old = b->len;
	enum pk_status st = PK_OK;
	for (const unsigned char *p = (const unsigned char *)s; *p && st == PK_OK; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~' || c == '/') {
			st = pk_buf_putc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			st = pk_buf_append(b, e, 3);
		}
	}
	if (st != PK_OK && b->data) {
		b->len = old;
		b->data[old] = '\0';
	}
	return st;
}

/* Turns "-0", "-0.00" and the like into their unsigned form. */
static void drop_negative_zero(char *s)
{
	if (s[0] != '-')
		return;
	for (const char *p = s + 1; *p; p++)
		if (*p != '0' && *p != '.')
			return;
	memmove(s, s + 1, strlen(s));
}

const char *pk_md_sig(char *out, double x, int sig)
{
	if (!isfinite(x)) {
		snprintf(out, PK_NUM_MAX, "-");
		return out;
	}
	if (sig < 1)
		sig = 1;
	double ax = fabs(x);
	if (ax == 0.0) {
		snprintf(out, PK_NUM_MAX, "0");
	} else if (ax >= 1e-3 && ax < 1e9) {
		int e = (int)floor(log10(ax));
		int dec = sig - 1 - e;
		if (dec < 0)
			dec = 0;
		snprintf(out, PK_NUM_MAX, "%.*f", dec, x);
	} else {
		snprintf(out, PK_NUM_MAX, "%.*e", sig - 1, x);
	}
	drop_negative_zero(out);
	return out;
}

const char *pk_md_fixed(char *out, double x, int decimals)
{
	if (!isfinite(x) || fabs(x) >= 1e15) {
		if (isfinite(x))
			snprintf(out, PK_NUM_MAX, "%.3e", x);
		else
			snprintf(out, PK_NUM_MAX, "-");
		return out;
	}
	snprintf(out, PK_NUM_MAX, "%.*f", decimals < 0 ? 0 : decimals, x);
	drop_negative_zero(out);
	return out;
}

const char *pk_md_p(char *out, double p)
{
	if (!isfinite(p) || p < 0.0)
		snprintf(out, PK_NUM_MAX, "-");
	else if (p >= 0.001)
		snprintf(out, PK_NUM_MAX, "%.3f", p);
	else if (p >= 1e-300)
		snprintf(out, PK_NUM_MAX, "%.1e", p);
	else
		snprintf(out, PK_NUM_MAX, "< 1e-300");
	return out;
}

const char *pk_md_count(char *out, size_t n)
{
	snprintf(out, PK_NUM_MAX, "%zu", n);
	return out;
}
