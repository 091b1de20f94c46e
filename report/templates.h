/* templates.h - the HTML page template and its CSS: the copies compiled into
 * the tool (templates/report.html, templates/report.css), or the files of the
 * same names in a folder given with --templates. */
#ifndef PK_TEMPLATES_H
#define PK_TEMPLATES_H

#include "../core/buf.h"

struct pk_templates {
	char *html;   /* owned, NUL-terminated */
	char *css;    /* owned, NUL-terminated */
};

/* Loads report.html and report.css from dir, or the embedded ones when dir is
 * NULL.  A file missing from dir falls back to its embedded copy; a dir that
 * does not exist, or a file that cannot be read, is PK_ERR_IO with a message
 * in err.  Free with pk_templates_free. */
enum pk_status pk_templates_load(const char *dir, struct pk_templates *t,
                                 struct pk_buf *err);
void pk_templates_free(struct pk_templates *t);

#endif
