/* test_report_render.c - the report written to files: gnuplot started as one
 * process on the script beside the output (tests/fake-gnuplot.sh records
 * it), no text from logs in the script, gnuplot failures as PK_ERR_EXTERNAL,
 * same input same bytes, --templates, and the whole way from a database. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/compare.h"
#include "core/store.h"
#include "report/files.h"
#include "report/report_compare.h"

#define FAKE "../fake-gnuplot.sh"
#define T0 INT64_C(1700000000000000)
#define MINUTE INT64_C(60000000)

static const char name_a[] = "MARK-A <script>alert(1)</script> [x](javascript:alert(1))";
static const char name_b[] = "MARK-B \"; system(\"rm -rf /\") `id` *bold* ../../etc";

/* Pieces of the names that must never reach a gnuplot script. */
static const char *const name_parts[] = {
	"MARK-", "<script", "javascript", "system(", "rm -rf", "`id`", "*bold*", "../../etc",
};

static double lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005u + 1442695040888963407u;
	return (double)(*s >> 11) / 9007199254740992.0;
}

/* n samples a minute apart from t0; metric 3 always missing, and a gap of
 * missing values in the middle of every metric. */
static struct pk_hw_series *series_new(size_t n, int64_t t0, double level)
{
	struct pk_hw_series *s = calloc(1, sizeof *s);
	assert_non_null(s);
	s->n = n;
	s->ts_us = calloc(n ? n : 1, sizeof *s->ts_us);
	s->v = calloc(pk_hw_nmetrics, sizeof *s->v);
	assert_non_null(s->ts_us);
	assert_non_null(s->v);
	uint64_t seed = (uint64_t)level;
	for (size_t i = 0; i < n; i++)
		s->ts_us[i] = t0 + (int64_t)i * MINUTE;
	for (size_t m = 0; m < pk_hw_nmetrics; m++) {
		s->v[m] = malloc((n ? n : 1) * sizeof *s->v[m]);
		assert_non_null(s->v[m]);
		for (size_t i = 0; i < n; i++) {
			int gap = i > n / 2 && i < n / 2 + n / 10;
			s->v[m][i] = m == 3 || gap ? NAN
			           : level * (double)(m + 1) + 10.0 * sin((double)i / 50.0) + lcg(&seed);
		}
	}
	return s;
}

struct fixture {
	char dir[64];
	struct pk_hw_series *a, *b;
	struct pk_compare c;
	char out[128], log[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/pk_test_report_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->a = series_new(2000, T0, 10.0);
	f->b = series_new(900, T0 + 86400 * INT64_C(1000000), 20.0);
	struct pk_window wa = { T0 - 10 * MINUTE, T0 + 1999 * MINUTE };
	struct pk_window wb = { f->b->ts_us[0], f->b->ts_us[899] };
	assert_int_equal(pk_compare_series(name_a, &wa, f->a, name_b, &wb, f->b, &f->c), PK_OK);
	snprintf(f->log, sizeof f->log, "%s/fake.log", f->dir);
	setenv("FAKE_GNUPLOT_LOG", f->log, 1);
	unsetenv("FAKE_GNUPLOT_EXIT");
	unsetenv("PERFKIT_GNUPLOT");
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	*state = f;
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	pk_compare_free(&f->c);
	pk_hw_series_free(f->a);
	pk_hw_series_free(f->b);
	free(f->a);
	free(f->b);
	free(f);
	return 0;
}

static char *slurp(const char *path)
{
	struct pk_buf b = PK_BUF_INIT, err = PK_BUF_INIT;
	if (pk_file_read(path, 1u << 30, &b, NULL, &err) != PK_OK)
		fail_msg("%s", err.data);
	pk_buf_free(&err);
	return pk_buf_steal(&b);
}

static enum pk_status render(struct fixture *f, const char *file,
                             const char *gnuplot, const char *templates,
                             struct pk_buf *err)
{
	snprintf(f->out, sizeof f->out, "%s/%s", f->dir, file);
	struct pk_report_opts o;
	memset(&o, 0, sizeof o);
	o.output = f->out;
	o.gnuplot = gnuplot;
	o.templates = templates;
	pk_buf_reset(err);
	struct pk_series_view va = pk_hw_view(f->a), vb = pk_hw_view(f->b);
	return pk_report_compare_write(&f->c, &va, &vb, &o, err);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static size_t main_metrics(void)
{
	size_t n = 0;
	for (size_t m = 0; m < pk_hw_nmetrics; m++)
		n += (pk_hw_metrics[m].flags & PK_METRIC_MAIN) != 0;
	return n;
}

/* One gnuplot process, run in the output's folder on the script beside the
 * output; the script holds numbers, registry labels and "A"/"B" only. */
static void test_fake_gnuplot_html(void **state)
{
	struct fixture *f = *state;
	struct pk_buf err = PK_BUF_INIT;
	if (render(f, "r.html", FAKE, NULL, &err) != PK_OK)
		fail_msg("%s", err.data);
	char *log = slurp(f->log);
	assert_int_equal(count(log, "argc: "), 1);
	assert_non_null(strstr(log, "argc: 1\nargv: r.gp\n"));
	char cwd[128];
	snprintf(cwd, sizeof cwd, "cwd: %s\n", f->dir);
	assert_non_null(strstr(log, cwd));
	assert_non_null(strstr(log, "set output 'r_charts/cpu_percent_total_time.svg'"));
	assert_non_null(strstr(log, "set terminal svg size 800,360 fixed"));
	for (size_t i = 0; i < sizeof name_parts / sizeof name_parts[0]; i++)
		if (strstr(log, name_parts[i]))
			fail_msg("the gnuplot script holds '%s'", name_parts[i]);
	/* the script on disk is the one gnuplot got */
	char gp[160];
	snprintf(gp, sizeof gp, "%s/r.gp", f->dir);
	char *script = slurp(gp);
	assert_non_null(strstr(log, script));
	free(script);
	free(log);

	char *html = slurp(f->out);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<SCRIPT"));
	assert_null(strstr(html, "<?xml"));
	assert_null(strstr(html, "<!DOCTYPE svg"));
	assert_null(strstr(html, "{{"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	size_t nfig = 2 * main_metrics();
	assert_int_equal(count(html, "<figure class=\"chart\">"), nfig);
	char id[64];
	for (size_t i = 1; i <= nfig; i++) {
		snprintf(id, sizeof id, "id='c%zu-gpPt0'", i);
		assert_int_equal(count(html, id), 1);
		snprintf(id, sizeof id, "href='#c%zu-gpPt0'", i);
		assert_int_equal(count(html, id), 1);
	}
	assert_int_equal(count(html, "id='gpPt0'"), 0);
	/* nothing to fetch */
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "@import"));
	free(html);
	pk_buf_free(&err);
}

static void test_fake_gnuplot_md(void **state)
{
	struct fixture *f = *state;
	struct pk_buf err = PK_BUF_INIT;
	if (render(f, "r.md", FAKE, NULL, &err) != PK_OK)
		fail_msg("%s", err.data);
	char *md = slurp(f->out);
	assert_non_null(strstr(md, "![CPU utilisation over time](r_charts/cpu_percent_total_time.svg)"));
	assert_non_null(strstr(md, "![CPU utilisation: distribution](r_charts/cpu_percent_total_cdf.svg)"));
	assert_null(strstr(md, name_a));
	assert_null(strstr(md, "<svg"));
	free(md);
	char svg[192];
	snprintf(svg, sizeof svg, "%s/r_charts/memory_percent_cdf.svg", f->dir);
	assert_int_equal(access(svg, R_OK), 0);
	pk_buf_free(&err);
}

static void test_gnuplot_failures(void **state)
{
	struct fixture *f = *state;
	struct pk_buf err = PK_BUF_INIT;
	char gp[160];
	snprintf(gp, sizeof gp, "%s/r.gp", f->dir);

	assert_int_equal(render(f, "r.html", "false", NULL, &err), PK_ERR_EXTERNAL);
	assert_non_null(strstr(err.data, gp));
	assert_non_null(strstr(err.data, "exit status 1"));
	assert_null(strchr(err.data, '\n'));

	assert_int_equal(render(f, "r.md", "/nonexistent/gnuplot", NULL, &err), PK_ERR_EXTERNAL);
	assert_non_null(strstr(err.data, "/nonexistent/gnuplot"));

	assert_int_equal(render(f, "r.md", "no-such-gnuplot-program-here", NULL, &err),
	                 PK_ERR_EXTERNAL);

	setenv("PERFKIT_GNUPLOT", "false", 1);
	assert_int_equal(render(f, "r.html", NULL, NULL, &err), PK_ERR_EXTERNAL);
	unsetenv("PERFKIT_GNUPLOT");

	setenv("FAKE_GNUPLOT_EXIT", "3", 1);
	assert_int_equal(render(f, "r.html", FAKE, NULL, &err), PK_ERR_EXTERNAL);
	assert_non_null(strstr(err.data, "exit status 3"));
	assert_non_null(strstr(err.data, "fake failure for the test"));
	assert_non_null(strstr(err.data, gp));
	assert_null(strchr(err.data, '\n'));
	unsetenv("FAKE_GNUPLOT_EXIT");

	/* a gnuplot that succeeds but writes no chart */
	assert_int_equal(render(f, "r.html", "true", NULL, &err), PK_ERR_IO);
	assert_non_null(strstr(err.data, "did not write"));
	pk_buf_free(&err);
}

static int have_program(const char *name)
{
	const char *path = getenv("PATH");
	if (!path)
		return 0;
	char *copy = strdup(path), *save = NULL;
	int found = 0;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", d, name);
		found = access(p, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* Same input, same bytes: HTML, Markdown, script and charts, with the real
 * gnuplot when there is one. */
static void test_deterministic(void **state)
{
	struct fixture *f = *state;
	const char *prog = have_program("gnuplot") ? "gnuplot" : FAKE;
	const char *files[] = { "r.html", "r.md" };
	struct pk_buf err = PK_BUF_INIT;
	for (size_t i = 0; i < 2; i++) {
		if (render(f, files[i], prog, NULL, &err) != PK_OK)
			fail_msg("%s", err.data);
		char *first = slurp(f->out);
		char gp[160], svg[192];
		snprintf(gp, sizeof gp, "%s/r.gp", f->dir);
		snprintf(svg, sizeof svg, "%s/r_charts/gpu_temperature_celsius_time.svg", f->dir);
		char *gp1 = slurp(gp), *svg1 = slurp(svg);
		if (render(f, files[i], prog, NULL, &err) != PK_OK)
			fail_msg("%s", err.data);
		char *second = slurp(f->out);
		char *gp2 = slurp(gp), *svg2 = slurp(svg);
		assert_string_equal(first, second);
		assert_string_equal(gp1, gp2);
		assert_string_equal(svg1, svg2);
		assert_non_null(strstr(first, "Generated 2023-11-14T22:13:20Z"));
		free(first);
		free(second);
		free(gp1);
		free(gp2);
		free(svg1);
		free(svg2);
	}
	pk_buf_free(&err);
}

static void test_templates(void **state)
{
	struct fixture *f = *state;
	struct pk_buf err = PK_BUF_INIT;
	if (render(f, "r.html", FAKE, "../fixtures/report/templates", &err) != PK_OK)
		fail_msg("%s", err.data);
	char *html = slurp(f->out);
	assert_non_null(strstr(html, "custom-template-marker"));
	assert_non_null(strstr(html, "<footer>perfreport "));
	assert_non_null(strstr(html, "figure.chart")); /* the embedded CSS */
	assert_non_null(strstr(html, "<title>Comparison: MARK-A &lt;script&gt;"));
	free(html);
	assert_int_equal(render(f, "r.html", FAKE, "../fixtures/report/bad-template", &err),
	                 PK_ERR_INPUT);
	assert_non_null(strstr(err.data, "{{unknown_placeholder}}"));
	assert_int_equal(render(f, "r.html", FAKE, "../fixtures/report/no-such-dir", &err),
	                 PK_ERR_IO);
	assert_int_equal(render(f, "r.txt", FAKE, NULL, &err), PK_USAGE);
	pk_buf_free(&err);
}

/* A database with profiles name_a and "plain", then pk_report_compare. */
static void test_from_database(void **state)
{
	struct fixture *f = *state;
	char db_path[128];
	snprintf(db_path, sizeof db_path, "%s/t.db", f->dir);
	struct pk_db *db = NULL;
	struct pk_buf err = PK_BUF_INIT;
	if (pk_db_open(db_path, PK_DB_READWRITE, &db, &err) != PK_OK)
		fail_msg("pk_db_open: %s", err.data);
	struct pk_source_state st;
	memset(&st, 0, sizeof st);
	assert_int_equal(pk_db_begin(db), PK_OK);
	assert_int_equal(pk_store_source_put(db, "/x/hw.jsonl", "", "hw_jsonl", &st, 0), PK_OK);
	const char *names[2] = { name_a, "plain" };
	double *v = malloc(pk_hw_nmetrics * sizeof *v);
	assert_non_null(v);
	uint64_t seed = 7;
	for (int p = 0; p < 2; p++) {
		int64_t pid;
		assert_int_equal(pk_store_profile(db, names[p], &pid), PK_OK);
		for (int i = 0; i < 300; i++) {
			for (size_t m = 0; m < pk_hw_nmetrics; m++)
				v[m] = (m + (size_t)i) % 7 == 0 ? NAN : 10.0 * (p + 1) + lcg(&seed);
			struct pk_hw_record r;
			memset(&r, 0, sizeof r);
			r.ts_us = T0 + (int64_t)p * 7200 * INT64_C(1000000) + (int64_t)i * MINUTE;
			r.line = i + 1;
			r.v = v;
			int added;
			assert_int_equal(pk_store_hw_sample(db, pid, st.id, &r, &added), PK_OK);
		}
	}
	free(v);
	assert_int_equal(pk_db_commit(db), PK_OK);
	pk_db_close(&db);

	snprintf(f->out, sizeof f->out, "%s/db.html", f->dir);
	struct pk_report_opts o;
	memset(&o, 0, sizeof o);
	o.db_path = db_path;
	o.a = name_a;
	o.b = "plain";
	o.hours = 2;
	o.until_us = INT64_MIN;
	o.output = f->out;
	o.gnuplot = FAKE;
	pk_buf_reset(&err);
	if (pk_report_compare(&o, &err) != PK_OK)
		fail_msg("%s", err.data);
	char *html = slurp(f->out);
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "121 samples"));
	assert_non_null(strstr(html, "(2 h)"));
	free(html);

	o.hours = 0; /* all samples */
	pk_buf_reset(&err);
	if (pk_report_compare(&o, &err) != PK_OK)
		fail_msg("%s", err.data);
	html = slurp(f->out);
	assert_non_null(strstr(html, "300 samples"));
	assert_non_null(strstr(html, "(4.983 h)"));
	free(html);

	o.b = "nobody";
	pk_buf_reset(&err);
	assert_int_equal(pk_report_compare(&o, &err), PK_NODATA);
	assert_non_null(strstr(err.data, "'nobody'"));

	o.b = "plain";
	o.hours = 1;
	o.until_us = T0 - 3600 * INT64_C(1000000);
	pk_buf_reset(&err);
	assert_int_equal(pk_report_compare(&o, &err), PK_NODATA);
	assert_non_null(strstr(err.data, "no samples"));
	/* the hostile name is printable and on one line */
	assert_null(strchr(err.data, '\n'));
	pk_buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fake_gnuplot_html, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fake_gnuplot_md, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gnuplot_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_templates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_from_database, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
