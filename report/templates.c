/* templates.c - loads the page template and CSS (see templates.h). */
#include "templates.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/diag.h"
#include "../core/embedded.h"
#include "files.h"

#define TEMPLATE_MAX (16u << 20)

static enum pk_status load_one(const char *dir, const char *name, char **out,
                               struct pk_buf *err)
{
	struct pk_buf b = PK_BUF_INIT;
	enum pk_status st;
	if (dir) {
		struct pk_buf path = PK_BUF_INIT;
		st = pk_buf_printf(&path, "%s/%s", dir, name);
		if (st != PK_OK) {
			pk_buf_puts(err, "out of memory");
			return st;
		}
		struct pk_buf why = PK_BUF_INIT;
		int missing = 0;
		st = pk_file_read(path.data, TEMPLATE_MAX, &b, &missing, &why);
		pk_buf_free(&path);
		if (st == PK_OK) {
			pk_buf_free(&why);
			*out = pk_buf_steal(&b);
			return PK_OK;
		}
		if (!missing) {
			pk_buf_puts(err, "--templates: ");
			pk_buf_append(err, why.data, why.len);
			pk_buf_free(&why);
			pk_buf_free(&b);
			return st;
		}
		pk_buf_free(&why);
	}
	struct pk_buf key = PK_BUF_INIT;
	size_t len = 0;
	const char *text = NULL;
	st = pk_buf_printf(&key, "templates/%s", name);
	if (st == PK_OK)
		text = pk_embedded(key.data, &len);
	pk_buf_free(&key);
	if (!text) {
		pk_buf_printf(err, "no embedded templates/%s in this build", name);
		return PK_ERR_IO;
	}
	st = pk_buf_append(&b, text, len);
	if (st != PK_OK) {
		pk_buf_free(&b);
		pk_buf_puts(err, "out of memory");
		return st;
	}
	*out = pk_buf_steal(&b);
	return PK_OK;
}

enum pk_status pk_templates_load(const char *dir, struct pk_templates *t,
                                 struct pk_buf *err)
{
	memset(t, 0, sizeof *t);
	if (dir) {
		struct stat sb;
		const char *why = NULL;
		if (stat(dir, &sb) != 0)
			why = strerror(errno);
		else if (!S_ISDIR(sb.st_mode))
			why = "not a folder";
		if (why) {
			pk_buf_puts(err, "--templates ");
			pk_buf_put_printable(err, dir, strlen(dir));
			pk_buf_printf(err, ": %s", why);
			return PK_ERR_IO;
		}
	}
	enum pk_status st = load_one(dir, "report.html", &t->html, err);
	if (st == PK_OK)
		st = load_one(dir, "report.css", &t->css, err);
	if (st != PK_OK)
		pk_templates_free(t);
	return st;
}

void pk_templates_free(struct pk_templates *t)
{
	free(t->html);
	free(t->css);
	t->html = t->css = NULL;
}
