/* files.c - reading, writing and naming the report's files (see files.h). */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/diag.h"

static void put_path(struct pk_buf *err, const char *path)
{
	pk_buf_put_printable(err, path, strlen(path));
}

enum pk_status pk_file_read(const char *path, size_t max, struct pk_buf *out,
                            int *missing, struct pk_buf *err)
{
	if (missing)
		*missing = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (missing && errno == ENOENT)
			*missing = 1;
		pk_buf_puts(err, "cannot read ");
		put_path(err, path);
		pk_buf_printf(err, ": %s", strerror(errno));
		return PK_ERR_IO;
	}
	size_t start = out->len;
	enum pk_status st = PK_OK;
	for (;;) {
		if (pk_buf_reserve(out, 65536) != PK_OK) {
			pk_buf_puts(err, "out of memory reading ");
			put_path(err, path);
			st = PK_ERR_NOMEM;
			break;
		}
		ssize_t r = read(fd, out->data + out->len, 65536);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			pk_buf_puts(err, "cannot read ");
			put_path(err, path);
			pk_buf_printf(err, ": %s", strerror(errno));
			st = PK_ERR_IO;
			break;
		}
		if (r == 0)
			break;
		out->len += (size_t)r;
		out->data[out->len] = '\0';
		if (out->len - start > max) {
			pk_buf_puts(err, "cannot read ");
			put_path(err, path);
			pk_buf_printf(err, ": larger than %zu bytes", max);
			st = PK_ERR_IO;
			break;
		}
	}
	close(fd);
	if (st != PK_OK) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	return st;
}

static enum pk_status write_failed(struct pk_buf *err, const char *path, int e)
{
	pk_buf_puts(err, "cannot write ");
	put_path(err, path);
	pk_buf_printf(err, ": %s", strerror(e));
	return PK_ERR_IO;
}

enum pk_status pk_file_write(const char *path, const char *data, size_t len,
                             struct pk_buf *err)
{
	struct pk_buf tmp = PK_BUF_INIT;
	if (pk_buf_printf(&tmp, "%s.tmp%ld", path, (long)getpid()) != PK_OK) {
		pk_buf_puts(err, "out of memory");
		return PK_ERR_NOMEM;
	}
	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		enum pk_status st = write_failed(err, path, errno);
		pk_buf_free(&tmp);
		return st;
	}
	size_t done = 0;
	int e = 0;
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			e = errno;
			break;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && rename(tmp.data, path) != 0)
		e = errno;
	if (e)
		unlink(tmp.data);
	pk_buf_free(&tmp);
	return e ? write_failed(err, path, e) : PK_OK;
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static char *concat(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);
	char *p = malloc(an + bn + 1);
	if (p) {
		memcpy(p, a, an);
		memcpy(p + an, b, bn + 1);
	}
	return p;
}

static int ends_with_nocase(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

enum pk_status pk_report_paths(const char *output, struct pk_report_paths *p,
                               struct pk_buf *err)
{
	memset(p, 0, sizeof *p);
	size_t n = strlen(output);
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)output[i] < 0x20 || output[i] == 0x7f) {
			pk_buf_puts(err, "--output: the file name holds control characters");
			return PK_USAGE;
		}
	}
	size_t ext;
	if (ends_with_nocase(output, n, ".md")) {
		ext = 3;
	} else if (ends_with_nocase(output, n, ".html")) {
		ext = 5;
		p->html = 1;
	} else if (ends_with_nocase(output, n, ".htm")) {
		ext = 4;
		p->html = 1;
	} else {
		pk_buf_puts(err, "--output ");
		put_path(err, output);
		pk_buf_puts(err, ": the name must end in .md or .html");
		return PK_USAGE;
	}
	const char *slash = strrchr(output, '/');
	size_t base = slash ? (size_t)(slash - output) + 1 : 0;
	if (n - ext <= base) {
		pk_buf_puts(err, "--output ");
		put_path(err, output);
		pk_buf_puts(err, ": no file name before the extension");
		return PK_USAGE;
	}
	size_t stem = n - ext;
	p->dir = slash ? (base > 1 ? dup_n(output, base - 1) : dup_n("/", 1)) : dup_n(".", 1);
	p->script = concat(output, stem, ".gp");
	p->script_name = concat(output + base, stem - base, ".gp");
	p->charts = concat(output, stem, "_charts");
	p->charts_name = concat(output + base, stem - base, "_charts");
	if (!p->dir || !p->script || !p->script_name || !p->charts || !p->charts_name) {
		pk_report_paths_free(p);
		pk_buf_puts(err, "out of memory");
		return PK_ERR_NOMEM;
	}
	return PK_OK;
}

void pk_report_paths_free(struct pk_report_paths *p)
{
	free(p->dir);
	free(p->script);
	free(p->script_name);
	free(p->charts);
	free(p->charts_name);
	memset(p, 0, sizeof *p);
}
