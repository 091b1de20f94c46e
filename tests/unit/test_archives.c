/* test_archives.c - archives and compressed files read in place: .gz, .tar,
 * .tar.gz and .zip made at run time (libarchive's writer, zlib), members
 * detected and stored with their provenance, unchanged archives and
 * members skipped, grown .gz read again, and damaged archives: truncated,
 * bad CRC, trailing garbage (members read whole before the damage kept,
 * the damaged one not stored, the run goes on). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/db.h"
#include "core/hash.h"
#include "ingest/pipeline/byte_source.h"
#include "ingest/pipeline/ingest.h"
#include "tests/unit/testutil.h"

static int setup(void **state)
{
	return tu_setup(state, "archives");
}

/* An F1 line of profile p at minute m. */
static const char *hw(char *buf, size_t n, const char *p, int m)
{
	snprintf(buf, n, "{\"timestamp\": \"2025-12-14T%02d:%02d:00Z\", \"profile_name\": \"%s\", "
	         "\"cpu\": {\"percent_total\": %d.5}}\n", m / 60 % 24, m % 60, p, m % 100);
	return buf;
}

/* Lines from minute m0 to m1 (exclusive) of profile p, in a malloc'd string. */
static char *hw_lines(const char *p, int m0, int m1)
{
	struct pk_buf b = PK_BUF_INIT;
	char line[256];
	for (int m = m0; m < m1; m++)
		pk_buf_puts(&b, hw(line, sizeof line, p, m));
	return pk_buf_steal(&b);
}

struct entry {
	const char *name;
	const char *data;   /* NULL: a folder; "->target": a symbolic link */
};

enum kind { TGZ, TAR, ZIP };

static void write_archive(const char *path, enum kind k, const struct entry *e, size_t n)
{
	struct archive *a = archive_write_new();
	if (k == TGZ)
		archive_write_add_filter_gzip(a);
	if (k == ZIP)
		archive_write_set_format_zip(a);
	else
		archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *ae = archive_entry_new();
		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_mtime(ae, 1765670400, 0);
		if (!e[i].data) {
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, 0755);
		} else if (e[i].data[0] == '-' && e[i].data[1] == '>') {
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_symlink(ae, e[i].data + 2);
			archive_entry_set_perm(ae, 0777);
		} else {
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_size(ae, (la_int64_t)strlen(e[i].data));
		}
		assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
		if (e[i].data && !(e[i].data[0] == '-' && e[i].data[1] == '>'))
			assert_int_equal(archive_write_data(a, e[i].data, strlen(e[i].data)),
			                 (la_ssize_t)strlen(e[i].data));
		archive_entry_free(ae);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

/* Writes (mode "wb") or appends a gzip member ("ab") holding text. */
static void write_gz(const char *path, const char *mode, const char *text)
{
	gzFile g = gzopen(path, mode);
	assert_non_null(g);
	if (*text)
		assert_int_equal(gzwrite(g, text, (unsigned)strlen(text)), (int)strlen(text));
	assert_int_equal(gzclose(g), Z_OK);
}

static enum pk_status ingest(struct tu_fx *f, struct pk_ingest_result *res, int dry)
{
	pk_buf_reset(&f->diags);
	return tu_ingest(f, NULL, (struct pk_ingest_opts){ .dry_run = dry, .run_time_us = INT64_MIN }, res);
}

static void truncate_to(const char *path, long keep_permille)
{
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(truncate(path, sb.st_size * keep_permille / 1000), 0);
}

/* The outcome whose path ends with suffix, or NULL. */
static const struct pk_file_outcome *find(const struct pk_ingest_result *r, const char *suffix)
{
	size_t n = strlen(suffix);
	for (size_t i = 0; i < r->nfiles; i++) {
		size_t pl = strlen(r->files[i].path);
		if (pl >= n && strcmp(r->files[i].path + pl - n, suffix) == 0)
			return &r->files[i];
	}
	return NULL;
}

static void test_tgz_members(void **state)
{
	struct tu_fx *f = *state;
	char *a = hw_lines("pa", 0, 3);
	a[strlen(a) - 1] = '\0';   /* last line without newline: read, the member is complete */
	char *b = hw_lines("pb", 0, 2);
	char *bad = malloc(strlen(b) + 32);
	sprintf(bad, "%s{\"timestamp\": \"nope\"}\n", b);
	struct entry e[] = {
		{ "logs", NULL },
		{ "logs/hardware_profile_pa.jsonl", a },
		{ "logs/sub/hardware_profile_pb.jsonl", bad },
		{ "logs/notes.txt", "not a log\n" },
		{ "logs/.hidden.jsonl", "{}\n" },
		{ "logs/link.jsonl", "->hardware_profile_pa.jsonl" },
		{ "logs/empty.jsonl", "" },
	};
	write_archive(tu_path(f, "old.tar.gz"), TGZ, e, 7);
	struct pk_ingest_result r;
	assert_int_equal(ingest(f, &r, 0), PK_PARTIAL);
	assert_int_equal(r.files_read, 2);
	assert_int_equal(r.files_skipped, 3);
	assert_int_equal(r.lines, 6);
	assert_int_equal(r.counts.added, 5);
	assert_int_equal(r.counts.rejects, 1);
	assert_int_equal(r.pending, 0);
	const struct pk_file_outcome *o = find(&r, "old.tar.gz:logs/notes.txt");
	assert_non_null(o);
	assert_int_equal(o->action, PK_FILE_SKIPPED);
	assert_string_equal(o->note, "no reader claims this file");
	assert_string_equal(find(&r, "old.tar.gz:logs/link.jsonl")->note, "not a regular file");
	assert_string_equal(find(&r, "old.tar.gz:logs/empty.jsonl")->note, "empty file");
	assert_null(find(&r, ".hidden.jsonl"));
	assert_non_null(strstr(f->diags.data, "old.tar.gz:logs/sub/hardware_profile_pb.jsonl:3: "));
	pk_ingest_result_free(&r);
	/* provenance: the archive's absolute path and the member path */
	assert_string_equal(tu_q(f, "SELECT (source_path = (SELECT path FROM source_file WHERE member = '')) "
	                         "|| ' ' || source_member || ' ' || source_line FROM hw_samples "
	                         "WHERE profile = 'pa' ORDER BY time_utc DESC"),
	                    "1 logs/hardware_profile_pa.jsonl 3");
	assert_string_equal(tu_q(f, "SELECT source_member || ':' || line FROM rejects"),
	                    "logs/sub/hardware_profile_pb.jsonl:3");
	assert_string_equal(tu_q(f, "SELECT format || ' ' || (path LIKE '/%/old.tar.gz') FROM source_file "
	                         "WHERE member = ''"), "archive 1");

	/* unchanged: skipped without reading */
	assert_int_equal(ingest(f, &r, 0), PK_OK);
	assert_int_equal(r.files_unchanged, 1);
	assert_int_equal(r.files_read, 0);
	assert_int_equal(r.lines, 0);
	pk_ingest_result_free(&r);

	/* re-made with one more member: the unchanged members are skipped */
	char *c = hw_lines("pc", 0, 4);
	struct entry e2[] = {
		{ "logs/hardware_profile_pa.jsonl", a },
		{ "logs/sub/hardware_profile_pb.jsonl", bad },
		{ "logs/hardware_profile_pc.jsonl", c },
	};
	write_archive(tu_path(f, "old.tar.gz"), TGZ, e2, 3);
	assert_int_equal(ingest(f, &r, 0), PK_OK);
	assert_int_equal(r.files_unchanged, 2);
	assert_int_equal(r.files_read, 1);
	assert_int_equal(find(&r, "old.tar.gz:logs/hardware_profile_pc.jsonl")->action, PK_FILE_READ);
	assert_int_equal(r.counts.added, 4);
	pk_ingest_result_free(&r);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_sample"), "9");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM reject"), "1");
	free(a);
	free(b);
	free(bad);
	free(c);
}

static void test_gz_plain_and_grown(void **state)
{
	struct tu_fx *f = *state;
	/* no profile_name: the profile comes from the member's name */
	write_gz(tu_path(f, "hardware_profile_g.jsonl.gz"), "wb",
	         "{\"timestamp\": \"2025-12-14T00:00:00Z\", \"cpu\": {\"percent_total\": 1}}\n"
	         "{\"timestamp\": \"2025-12-14T00:01:00Z\", \"cpu\": {\"percent_total\": 2}}\n");
	struct pk_ingest_result r;
	assert_int_equal(ingest(f, &r, 0), PK_OK);
	assert_non_null(find(&r, "hardware_profile_g.jsonl.gz:hardware_profile_g.jsonl"));
	assert_int_equal(r.counts.added, 2);
	pk_ingest_result_free(&r);
	assert_string_equal(tu_q(f, "SELECT profile || ' ' || source_member FROM hw_samples"),
	                    "g hardware_profile_g.jsonl");
	/* grown by an appended gzip member: read again whole, rows dedupe */
	write_gz(tu_path(f, "hardware_profile_g.jsonl.gz"), "ab",
	         "{\"timestamp\": \"2025-12-14T00:02:00Z\", \"cpu\": {\"percent_total\": 3}}\n");
	assert_int_equal(ingest(f, &r, 0), PK_OK);
	assert_int_equal(r.lines, 3);
	assert_int_equal(r.counts.added, 1);
	assert_int_equal(r.counts.duplicates, 2);
	pk_ingest_result_free(&r);
	assert_string_equal(tu_q(f, "SELECT count(*) || ' ' || max(line) FROM hw_sample"), "3 3");
	assert_string_equal(tu_q(f, "SELECT size FROM source_file WHERE member <> ''"), "201");   /* 3 lines of 67 bytes */
}

static void test_zip_and_tar_detect_by_content(void **state)
{
	struct tu_fx *f = *state;
	char *a = hw_lines("pz", 0, 3);
	char *b = hw_lines("pt", 0, 2);
	struct entry ez[] = { { "run 1/samples.txt", a }, { "run 1/readme.md", "# hi\n" } };
	struct entry et[] = { { "./x/data.log", b } };
	write_archive(tu_path(f, "a.zip"), ZIP, ez, 2);
	write_archive(tu_path(f, "b.tar"), TAR, et, 1);
	struct pk_ingest_result r;
	assert_int_equal(ingest(f, &r, 0), PK_OK);
	assert_int_equal(find(&r, "a.zip:run 1/samples.txt")->action, PK_FILE_READ);
	assert_int_equal(find(&r, "a.zip:run 1/readme.md")->action, PK_FILE_SKIPPED);
	assert_int_equal(find(&r, "b.tar:./x/data.log")->action, PK_FILE_READ);
	assert_int_equal(r.counts.added, 5);
	pk_ingest_result_free(&r);
	assert_string_equal(tu_q(f, "SELECT group_concat(member, '|') FROM (SELECT member FROM "
	                         "source_file WHERE member <> '' ORDER BY member)"),
	                    "./x/data.log|run 1/samples.txt");
	free(a);
	free(b);
}

static void test_truncated_gz(void **state)
{
	struct tu_fx *f = *state;
	char *a = hw_lines("ptr", 0, 500);
	write_gz(tu_path(f, "hardware_profile_ptr.jsonl.gz"), "wb", a);
	truncate_to(tu_path(f, "hardware_profile_ptr.jsonl.gz"), 700);
	char *b = hw_lines("plain", 0, 2);
	tu_write_text(tu_path(f, "hardware_profile_plain.jsonl"), "w", b);
	struct pk_ingest_result r;
	assert_int_equal(ingest(f, &r, 0), PK_ERR_IO);
	const struct pk_file_outcome *o = find(&r, "hardware_profile_ptr.jsonl.gz:hardware_profile_ptr.jsonl");
	assert_non_null(o);
	assert_int_equal(o->action, PK_FILE_FAILED);
	assert_non_null(strstr(o->note, "truncated gzip data"));
	assert_int_equal(r.files_read, 1);   /* the plain file: the run went on */
	pk_ingest_result_free(&r);
	assert_non_null(strstr(f->diags.data, "hardware_profile_ptr.jsonl.gz:hardware_profile_ptr.jsonl: "
	                                      "damaged, not stored: truncated gzip data"));
	/* nothing of the damaged member, the plain file whole */
	assert_string_equal(tu_q(f, "SELECT group_concat(name) FROM profile"), "plain");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_sample"), "2");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM source_file WHERE path LIKE '%.gz'"), "0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM reject"), "0");
	free(a);
	free(b);
}

static void test_truncated_tgz_keeps_whole_members(void **state)
{
	struct tu_fx *f = *state;
	char *a = hw_lines("first", 0, 5);
	/* a second member big enough (and varied enough) to be cut in its middle */
	struct pk_buf big = PK_BUF_INIT;
	char line[256];
	for (int m = 0; m < 4000; m++) {
		hw(line, sizeof line, "second", m);
		pk_buf_printf(&big, "%.*s, \"n\": %u}\n", (int)strlen(line) - 2, line,
		              (unsigned)(m * 2654435761u));
	}
	struct entry e[] = { { "hardware_profile_first.jsonl", a },
	                     { "hardware_profile_second.jsonl", big.data } };
	write_archive(tu_path(f, "s.tgz"), TGZ, e, 2);
	truncate_to(tu_path(f, "s.tgz"), 600);
	struct pk_ingest_result r;
	assert_int_equal(ingest(f, &r, 0), PK_ERR_IO);
	assert_int_equal(find(&r, "s.tgz:hardware_profile_first.jsonl")->action, PK_FILE_READ);
	const struct pk_file_outcome *o = find(&r, "s.tgz:hardware_profile_second.jsonl");
	assert_int_equal(o->action, PK_FILE_FAILED);
	assert_non_null(strstr(o->note, "damaged, not stored: truncated gzip data"));
	pk_ingest_result_free(&r);
	assert_string_equal(tu_q(f, "SELECT group_concat(name) FROM profile"), "first");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_sample"), "5");
	/* the archive is not remembered: tried (and reported) again, the whole
	 * member skipped as unchanged */
	assert_int_equal(ingest(f, &r, 0), PK_ERR_IO);
	assert_int_equal(find(&r, "s.tgz:hardware_profile_first.jsonl")->action, PK_FILE_UNCHANGED);
	assert_int_equal(find(&r, "s.tgz:hardware_profile_second.jsonl")->action, PK_FILE_FAILED);
	pk_ingest_result_free(&r);
	free(a);
	pk_buf_free(&big);
}

static void test_corrupt_gz(void **state)
{
	struct tu_fx *f = *state;
	char *a = hw_lines("crc", 0, 3);
	const char *p = tu_path(f, "hardware_profile_crc.jsonl.gz");
	write_gz(p, "wb", a);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	FILE *fp = fopen(p, "r+b");   /* one byte of the CRC-32 in the trailer */
	fseek(fp, sb.st_size - 8, SEEK_SET);
	int c = fgetc(fp);
	fseek(fp, sb.st_size - 8, SEEK_SET);
	fputc(c ^ 0xff, fp);
	fclose(fp);
	const char *g = tu_path(f, "hardware_profile_tg.jsonl.gz");
	write_gz(g, "wb", a);
	fp = fopen(g, "ab");
	fputs("garbage", fp);
	fclose(fp);
	const char *z = tu_path(f, "hardware_profile_zero.jsonl.gz");
	write_gz(z, "wb", a);
	fp = fopen(z, "ab");
	fwrite("\0\0\0\0\0\0\0\0", 1, 8, fp);   /* zero padding is allowed */
	fclose(fp);
	struct pk_ingest_result r;
	assert_int_equal(ingest(f, &r, 0), PK_ERR_IO);
	assert_non_null(strstr(find(&r, "crc.jsonl.gz:hardware_profile_crc.jsonl")->note,
	                       "corrupt gzip data: incorrect data check"));
	assert_non_null(strstr(find(&r, "tg.jsonl.gz:hardware_profile_tg.jsonl")->note,
	                       "data after the end of the gzip data"));
	assert_int_equal(find(&r, "zero.jsonl.gz:hardware_profile_zero.jsonl")->action, PK_FILE_READ);
	pk_ingest_result_free(&r);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_sample"), "3");
	free(a);
}

static void test_dry_run_lists_members(void **state)
{
	struct tu_fx *f = *state;
	char *a = hw_lines("d", 0, 2);
	struct entry e[] = { { "logs/hardware_profile_d.jsonl", a }, { "logs/x.bin", "\1\2" } };
	write_archive(tu_path(f, "d.tgz"), TGZ, e, 2);
	struct pk_ingest_result r;
	assert_int_equal(ingest(f, &r, 1), PK_OK);
	const struct pk_file_outcome *o = find(&r, "d.tgz:logs/hardware_profile_d.jsonl");
	assert_int_equal(o->action, PK_FILE_PLANNED);
	assert_string_equal(o->format, "hw_jsonl");
	assert_string_equal(o->note, "new");
	assert_int_equal(find(&r, "d.tgz:logs/x.bin")->action, PK_FILE_SKIPPED);
	pk_ingest_result_free(&r);
	assert_string_equal(tu_q(f, "SELECT count(*) FROM source_file"), "0");
	assert_string_equal(tu_q(f, "SELECT count(*) FROM hw_sample"), "0");
	free(a);
}

static void test_hostile_names_and_fakes(void **state)
{
	struct tu_fx *f = *state;
	char *a = hw_lines("h", 0, 2);
	struct entry e[] = { { "../../etc/hardware_profile_h.jsonl", a },
	                     { "evil\n\033[31mname.jsonl", a } };
	write_archive(tu_path(f, "h.tar"), TAR, e, 2);
	tu_write_text(tu_path(f, "notes.gz"), "w", "plain text, not gzip\n");
	write_gz(tu_path(f, "nothing.gz"), "wb", "");
	struct pk_ingest_result r;
	assert_int_equal(ingest(f, &r, 0), PK_OK);
	assert_int_equal(find(&r, "h.tar:../../etc/hardware_profile_h.jsonl")->action, PK_FILE_READ);
	/* control characters never reach a terminal through the display name */
	assert_int_equal(find(&r, "h.tar:evil??[31mname.jsonl")->action, PK_FILE_READ);
	assert_string_equal(find(&r, "notes.gz")->note, "no reader claims this file");
	assert_string_equal(find(&r, "nothing.gz:nothing")->note, "empty file");
	pk_ingest_result_free(&r);
	/* the member path is stored as it is; nothing was extracted */
	assert_string_equal(tu_q(f, "SELECT count(*) FROM source_file WHERE member = "
	                         "'../../etc/hardware_profile_h.jsonl'"), "1");
	assert_int_equal(access("/tmp/etc/hardware_profile_h.jsonl", F_OK), -1);
	free(a);
}

/* A member with a line over 8 MiB (rejected, its first bytes kept) and a
 * good line after it. */
static void test_long_line_in_member(void **state)
{
	struct tu_fx *f = *state;
	size_t big = ((size_t)9 << 20);
	char *text = malloc(big + 256);
	memset(text, 'x', big);
	text[0] = '{';
	text[big] = '\n';
	hw(text + big + 1, 255, "long", 1);
	write_gz(tu_path(f, "hardware_profile_long.jsonl.gz"), "wb", text);
	struct pk_ingest_result r;
	assert_int_equal(ingest(f, &r, 0), PK_PARTIAL);
	assert_int_equal(r.lines, 2);
	assert_int_equal(r.counts.added, 1);
	pk_ingest_result_free(&r);
	assert_string_equal(tu_q(f, "SELECT line || ' ' || reason || ' ' || length(raw) FROM reject"),
	                    "1 line longer than 8 MiB 65536");
	assert_non_null(strstr(f->diags.data, "hardware_profile_long.jsonl.gz:"
	                                      "hardware_profile_long.jsonl:1: line longer"));
	free(text);
}

struct chunks {
	const char *p;
	size_t n, at;
};

/* Gives at most 3 bytes a call; fails past "!". */
static ptrdiff_t small_reads(void *ctx, char *buf, size_t n, const char **why)
{
	struct chunks *c = ctx;
	if (c->at < c->n && c->p[c->at] == '!') {
		*why = "broken";
		return -1;
	}
	size_t k = c->n - c->at < 3 ? c->n - c->at : 3;
	k = k < n ? k : n;
	const char *stop = memchr(c->p + c->at, '!', k);
	if (stop)
		k = (size_t)(stop - (c->p + c->at));
	memcpy(buf, c->p + c->at, k);
	c->at += k;
	return (ptrdiff_t)k;
}

/* A stream byte source: head first, then the stream; an offset is reached
 * by skipping; it cannot go back; hashes of head and tail; errors kept. */
static void test_stream_source(void **state)
{
	(void)state;
	const char *text = "0123456789abcdef";
	struct chunks c = { text + 4, strlen(text) - 4, 0 };
	struct pk_byte_source *s = malloc(sizeof *s);
	pk_bs_stream(s, small_reads, &c, text, 4);
	assert_int_equal(pk_bs_seek(s, 6), PK_OK);
	char buf[32];
	assert_int_equal(pk_bs_read(s, buf, 2), 2);
	assert_memory_equal(buf, "67", 2);
	assert_int_equal(pk_bs_seek(s, 1), PK_ERR_IO);
	ptrdiff_t r;
	size_t got = 0;
	while ((r = pk_bs_read(s, buf + got, sizeof buf - got)) > 0)
		got += (size_t)r;
	assert_int_equal(r, 0);
	assert_int_equal(got, 8);
	assert_memory_equal(buf, "89abcdef", 8);
	uint64_t h, t;
	assert_int_equal(pk_bs_hashes(s, 16, &h, &t), -1);   /* head shorter than 4 KiB of 16 */
	pk_bs_stream(s, small_reads, &c, text, 16);
	c.at = c.n;
	while (pk_bs_read(s, buf, sizeof buf) > 0)
		;
	assert_int_equal(pk_bs_hashes(s, 16, &h, &t), 0);
	assert_true(h == pk_fnv1a(PK_FNV_INIT, text, 16) && t == h);
	struct chunks bad = { "ab!", 3, 0 };
	pk_bs_stream(s, small_reads, &bad, "", 0);
	assert_int_equal(pk_bs_read(s, buf, sizeof buf), 2);
	assert_int_equal(pk_bs_read(s, buf, sizeof buf), -1);
	assert_string_equal(pk_bs_error(s), "broken");
	assert_int_equal(pk_bs_seek(s, 10), PK_ERR_IO);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tgz_members, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_gz_plain_and_grown, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_zip_and_tar_detect_by_content, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_truncated_gz, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_truncated_tgz_keeps_whole_members, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_gz, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_lists_members, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_hostile_names_and_fakes, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_long_line_in_member, setup, tu_teardown),
		cmocka_unit_test(test_stream_source),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
