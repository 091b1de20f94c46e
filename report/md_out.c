/* md_out.c - sticky-error Markdown appends (see md_out.h). */
#include "md_out.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "../core/timeutil.h"
#include "markdown.h"

void pk_mo_put(struct pk_md_out *o, const char *s)
{
	if (o->st == PK_OK)
		o->st = pk_buf_puts(o->b, s ? s : "");
}

void pk_mo_putf(struct pk_md_out *o, const char *fmt, ...)
{
	if (o->st != PK_OK)
		return;
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof small)
		o->st = PK_ERR_NOMEM; /* only short fixed texts come through here */
	else
		o->st = pk_buf_append(o->b, small, (size_t)n);
}

void pk_mo_esc(struct pk_md_out *o, const char *s)
{
	if (o->st == PK_OK)
		o->st = pk_md_escape(o->b, s ? s : "");
}

void pk_mo_txt(struct pk_md_out *o, const char *s)
{
	if (o->st == PK_OK)
		o->st = pk_md_text(o->b, s ? s : "");
}

void pk_mo_num(struct pk_md_out *o, double x, int sig, const char *unit)
{
	char n[PK_NUM_MAX];
	pk_mo_put(o, pk_md_sig(n, x, sig));
	if (n[0] != '-' || n[1] != '\0') {
		if (unit && unit[0]) {
			pk_mo_put(o, " ");
			pk_mo_txt(o, unit);
		}
	}
}

void pk_mo_whole(struct pk_md_out *o, double x)
{
	char n[PK_NUM_MAX];
	if (isfinite(x) && x == floor(x) && fabs(x) < 1e15)
		pk_mo_put(o, pk_md_fixed(n, x, 0));
	else
		pk_mo_put(o, pk_md_sig(n, x, 6));
}

void pk_mo_p(struct pk_md_out *o, double p)
{
	char n[PK_NUM_MAX];
	pk_mo_put(o, pk_md_p(n, p));
}

void pk_mo_count(struct pk_md_out *o, size_t n)
{
	char s[PK_NUM_MAX];
	pk_mo_put(o, pk_md_count(s, n));
}

void pk_mo_time(struct pk_md_out *o, int64_t us)
{
	if (us == INT64_MIN) {
		pk_mo_put(o, "-");
		return;
	}
	char t[PK_TIME_ISO_MAX];
	pk_time_format_iso(us, t);
	pk_mo_put(o, t);
}
