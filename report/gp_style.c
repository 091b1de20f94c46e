/* gp_style.c - the opening of perfkit gnuplot scripts (see gp_style.h). */
#include "gp_style.h"

#include "charts.h"
#include "version.h"

const char *const pk_gp_okabe_ito[PK_GP_NCOLOURS] = {
	"#0072B2", "#D55E00", "#009E73", "#E69F00",
	"#CC79A7", "#56B4E9", "#F0E442", "#000000"
};

static enum pk_status put_comment_text(struct pk_buf *b, const char *s)
{
	enum pk_status st = PK_OK;
	for (const unsigned char *p = (const unsigned char *)s; *p && st == PK_OK; p++)
		st = pk_buf_putc(b, (*p < 0x20 || *p == 0x7f) ? '?' : (char)*p);
	return st;
}

enum pk_status pk_gp_header(struct pk_buf *b, const char *what,
                            const char *script_name)
{
	enum pk_status st = pk_buf_printf(b, "# %s, written by perfreport %s.\n"
	                                  "# Re-run it in the folder it is in:  gnuplot ",
	                                  what, PERFKIT_VERSION);
	if (st == PK_OK)
		st = put_comment_text(b, script_name ? script_name : "charts.gp");
	if (st == PK_OK)
		st = pk_buf_puts(b, "\n# Only numbers below; names are in the report.\n"
		                    "set encoding utf8\n"
		                    "set terminal svg size 800,360 fixed noenhanced font 'sans,11' "
		                    "background '#ffffff'\n"
		                    "set grid\n"
		                    "set key outside bottom center horizontal\n"
		                    "set format x '%g'\nset format y '%g'\n");
	for (int i = 0; i < PK_GP_NCOLOURS && st == PK_OK; i++)
		st = pk_buf_printf(b, "set style line %d lc rgb '%s' lw 1.4\n", i + 1,
		                   pk_gp_okabe_ito[i]);
	if (st == PK_OK)
		st = pk_buf_putc(b, '\n');
	return st;
}

enum pk_status pk_gp_output(struct pk_buf *b, const char *dir, const char *file)
{
	struct pk_buf t = PK_BUF_INIT;
	enum pk_status st = pk_buf_printf(&t, "%s/%s", dir, file);
	if (st == PK_OK)
		st = pk_buf_puts(b, "set output ");
	if (st == PK_OK)
		st = pk_gp_quote(b, t.data);
	if (st == PK_OK)
		st = pk_buf_putc(b, '\n');
	pk_buf_free(&t);
	return st;
}
