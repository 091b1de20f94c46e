/* gen_formats.c - writes one line-oriented log of the `make bench` format
 * corpus (bench/run.sh compiles it with cc -O2; it is not part of the perfkit
 * build), shaped after FORMATS.md:
 *   tes     F3 agent_metrics.csv, schema-3 header, one run every 20-120 s,
 *           TES computed by the writer's rule, hints with commas, "quotes"
 *           and (rarely) newlines, empty optional scores now and then
 *   wake    F4 wake_word_audit.csv, epoch-float ts, sessions of ~40 events
 *   gjsonl  F8 generic JSONL frame timings (one camera, 33 ms apart, nested
 *           inference object, null OCR, a rare bare NaN)
 *   gcsv    F8 generic CSV stage timings (same shape as columns)
 *   nvsmi   F9 nvidia-smi --format=csv with units, 2 GPUs per timestamp,
 *           [N/A] / [Not Supported] values, header repeated on restarts
 * RECORDS counts data records (an nvsmi record is one GPU row; a tes record
 * with a newline in its hint spans two lines).  Records start at START_EPOCH
 * (UTC seconds) and only move forward, so every record's key is unique.
 * Output depends only on the arguments.
 *
 * Usage: gen_formats KIND OUTFILE RECORDS SEED START_EPOCH [NAME]
 *   NAME: run-dir / session prefix / camera (default "bench"). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state;

static uint64_t rng_next(void)   /* splitmix64 */
{
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static double uni(void)
{
	return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

static double range(double lo, double hi)
{
	return lo + (hi - lo) * uni();
}

static double clampd(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* UTC broken-down time of epoch seconds, cached per second. */
static const struct tm *utc(int64_t s)
{
	static int64_t last = INT64_MIN;
	static struct tm tmv;
	if (s != last) {
		time_t t = (time_t)s;
		struct tm *p = gmtime(&t);
		tmv = *p;
		last = s;
	}
	return &tmv;
}

/* Epoch microseconds as Python's repr of a float with 6 decimals would
 * print it: trailing zeros dropped, at least one decimal. */
static void put_epoch(FILE *f, int64_t us)
{
	char frac[8];
	int n = 6;
	snprintf(frac, sizeof frac, "%06lld", (long long)(us % 1000000));
	while (n > 1 && frac[n - 1] == '0')
		n--;
	fprintf(f, "%lld.%.*s", (long long)(us / 1000000), n, frac);
}

static void put_iso_ms(FILE *f, int64_t ms, const char *zone)
{
	const struct tm *t = utc(ms / 1000);
	fprintf(f, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ%s", t->tm_year + 1900, t->tm_mon + 1,
	        t->tm_mday, t->tm_hour, t->tm_min, t->tm_sec, (int)(ms % 1000), zone);
}

static const char *const hints[] = {
	"add retry to fetch()", "fix flaky test_parser", "bump dependencies",
	"refactor parser, keep \"\"legacy\"\" flag", "rename config keys, update docs",
	"speed up db_query: add index", "", "handle <script> in titles; DROP TABLE x",
	"log rotation for wake_word_audit.csv", "port tool_dispatch to asyncio",
};

static void gen_tes(FILE *f, long long n, int64_t t, const char *name)
{
	static const char *const models[] = { "qwen2.5-coder:7b", "llama3.1:8b",
		"deepseek-coder-v2:16b" };
	static const char *const modes[] = { "safe", "tests", "apply", "apply_tests" };
	long long i;

	fputs("iso_ts,tes,stability,velocity,footprint,duration_s,status,applied,"
	      "changed_files,run_tests,autonomy_mode,model_id,run_dir,hint,compliance,"
	      "ethics,coherence,tes_v3,tes_schema\n", f);
	for (i = 0; i < n; i++) {
		double dur = round(range(20, 1100) * 100) / 100, vel, foot, stab, tes;
		int mode = (int)(rng_next() % 4), applied = mode >= 2, tests = mode == 1 || mode == 3;
		int files = (int)(rng_next() % 14), ok = uni() < 0.8, testfail = !ok && uni() < 0.5;
		int64_t start;
		const struct tm *tm;
		const char *hint = hints[rng_next() % (sizeof hints / sizeof hints[0])];

		t += 20 + (int64_t)(rng_next() % 100);
		start = t - (int64_t)dur;
		vel = dur <= 90 ? 1 : dur >= 900 ? 0 : (900 - dur) / 810;
		foot = files <= 1 ? 1 : files >= 10 ? 0 : (10 - files) / 9.0;
		stab = ok ? 1.0 : testfail && !applied ? 0.6 : applied && testfail ? 0.2 : 0.0;
		tes = round(1000 * (0.5 * stab + 0.3 * vel + 0.2 * foot)) / 10;
		tm = utc(t);
		fprintf(f, "%04d-%02d-%02dT%02d:%02d:%02d+00:00,%.1f,%.1f,%.4g,%.4g,%.2f,%s,%d,%d,%d,%s,%s,",
		        tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min,
		        tm->tm_sec, tes, stab, vel, foot, dur, ok ? "done" : "error", applied,
		        files, tests, modes[mode], models[rng_next() % 3]);
		tm = utc(start);
		fprintf(f, "runs/%s-%04d%02d%02d-%02d%02d%02d,", name, tm->tm_year + 1900,
		        tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
		if (strchr(hint, ',') || strchr(hint, '"'))
			fprintf(f, "\"%s%s\",", hint, rng_next() % 50 == 0 ? "\nthen run the tests" : "");
		else
			fprintf(f, "%s,", hint);
		if (uni() < 0.15)
			fputs(",,,,3\n", f);          /* scores not computed */
		else
			fprintf(f, "%.2f,%.2f,%.2f,%.1f,3\n", range(0.6, 1), range(0.8, 1),
			        range(0.5, 1), clampd(tes + range(-5, 5), 0, 100));
	}
}

static void gen_wake(FILE *f, long long n, int64_t t, const char *name)
{
	static const char *const words[][2] = {
		{ "jarvis", "jarvis" }, { "jarvis", "jarviss" }, { "hey computer", "hey_computer" },
		{ "computer", "komputer" }, { "ok lab", "okay_lab" },
	};
	int64_t us = t * 1000000;
	long long i;
	unsigned sess = 0;

	fputs("ts,session_id,source,word,variant,phonetic,lev,decoder,fused,decision\n", f);
	for (i = 0; i < n; i++) {
		unsigned w = (unsigned)(rng_next() % 5);
		double ph = range(0.3, 1), lev = range(0.4, 1), fused;
		int has_dec = uni() > 0.1;
		double dec = range(0.2, 1);
		const struct tm *tm;

		if (i % 40 == 0) {
			us += (int64_t)(rng_next() % 3600000000ULL);   /* a new session */
			sess++;
		}
		us += 100000 + (int64_t)(rng_next() % 30000000);
		fused = has_dec ? (ph + lev + dec) / 3 : (ph + lev) / 2;
		tm = utc(us / 1000000);
		put_epoch(f, us);
		fprintf(f, ",%s-%04d%02d%02d-%u,%s,%s,%s,%.2f,%.2f,", name, tm->tm_year + 1900,
		        tm->tm_mon + 1, tm->tm_mday, sess, uni() < 0.8 ? "mic" : "file",
		        words[w][0], words[w][1], ph, lev);
		if (has_dec)
			fprintf(f, "%.2f", dec);
		fprintf(f, ",%.2f,%s\n", fused, fused > 0.7 ? "scored" : "rejected");
	}
}

static void gen_generic(FILE *f, long long n, int64_t t, const char *name, int csv)
{
	int64_t ms = t * 1000;
	long long i;

	if (csv)
		fputs("timestamp,camera,capture_ms,preprocessing_ms,inference_ms,"
		      "postprocessing_ms,ocr_ms,fps,note\n", f);
	for (i = 0; i < n; i++) {
		double cap = range(3.5, 5), pre = range(0.8, 1.6), inf = range(25, 45);
		double post = range(0.6, 1.2), tot = cap + pre + inf + post;
		int ocr = uni() < 0.2, nan = i % 100003 == 5000;

		ms += 30 + (int64_t)(rng_next() % 8);
		if (csv) {
			put_iso_ms(f, ms, ",");
			fprintf(f, "%s,%.1f,%.1f,", name, cap, pre);
			if (nan)
				fputs("NaN", f);
			else
				fprintf(f, "%.1f", inf);
			fprintf(f, ",%.1f,", post);
			if (ocr)
				fprintf(f, "%.1f", range(5, 15));
			fprintf(f, ",%.1f,%s\n", 1000 / tot, i % 997 == 0 ? "\"dropped, resync\"" : "ok");
		} else {
			fputs("{\"timestamp\": \"", f);
			put_iso_ms(f, ms, "\"");
			fprintf(f, ", \"camera\": \"%s\", \"capture_ms\": %.1f, \"preprocessing_ms\": %.1f, "
			        "\"inference\": {\"ms\": ", name, cap, pre);
			if (nan)
				fputs("NaN", f);
			else
				fprintf(f, "%.1f", inf);
			fprintf(f, ", \"model\": \"yolov8n\"}, \"postprocessing_ms\": %.1f, \"ocr_ms\": ", post);
			if (ocr)
				fprintf(f, "%.1f", range(5, 15));
			else
				fputs("null", f);
			fprintf(f, ", \"fps\": %.1f, \"boxes\": %u}\n", 1000 / tot,
			        (unsigned)(rng_next() % 6));
		}
	}
}

static void gen_nvsmi(FILE *f, long long n, int64_t t)
{
	static const char header[] = "timestamp, index, name, utilization.gpu [%], "
		"utilization.memory [%], memory.used [MiB], memory.total [MiB], temperature.gpu, "
		"power.draw [W], clocks.sm [MHz]\n";
	int64_t ms = t * 1000;
	double temp[2] = { 40, 38 };
	long long i;

	for (i = 0; i < n; i += 2) {
		const struct tm *tm;
		int g;

		if (i % 20000 == 0)
			fputs(header, f);         /* nvidia-smi restarted into the same file */
		ms += 60000 + (int64_t)(rng_next() % 40);
		tm = utc(ms / 1000);
		for (g = 0; g < 2 && i + g < n; g++) {
			int busy = uni() < 0.4;
			unsigned util = busy ? 40 + (unsigned)(rng_next() % 60) : (unsigned)(rng_next() % 8);
			unsigned total = g ? 8192 : 2048;
			unsigned used = 300 + (unsigned)(util * (total - 400) / 100);

			temp[g] += 0.3 * (35 + 0.4 * util - temp[g]) + range(-1, 1);
			fprintf(f, "%04d/%02d/%02d %02d:%02d:%02d.%03d, %d, %s, %u %%, %u %%, %u MiB, "
			        "%u MiB, %.0f, ", tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
			        tm->tm_hour, tm->tm_min, tm->tm_sec, (int)(ms % 1000), g,
			        g ? "NVIDIA GeForce RTX 3070" : "NVIDIA GeForce MX150", util,
			        util / 2, used, total, temp[g]);
			if (g == 0)
				fputs("[N/A], ", f);
			else
				fprintf(f, "%.2f W, ", 15 + 2 * util + range(0, 5));
			if (g == 1 && !busy && uni() < 0.05)
				fputs("[Not Supported]\n", f);
			else
				fprintf(f, "%u MHz\n", busy ? 1500 + (unsigned)(rng_next() % 400) :
				        139 + (unsigned)(rng_next() % 300));
		}
	}
}

int main(int argc, char **argv)
{
	static char obuf[1 << 20];
	const char *kind, *out, *name;
	long long n;
	int64_t start;
	FILE *f;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: gen_formats tes|wake|gjsonl|gcsv|nvsmi OUTFILE RECORDS "
		        "SEED START_EPOCH [NAME]\n");
		return 2;
	}
	kind = argv[1];
	out = argv[2];
	n = strtoll(argv[3], NULL, 10);
	rng_state = strtoull(argv[4], NULL, 10);
	start = strtoll(argv[5], NULL, 10);
	name = argc == 7 ? argv[6] : "bench";
	if (n <= 0 || strlen(name) > 100) {
		fprintf(stderr, "gen_formats: bad arguments\n");
		return 2;
	}
	f = fopen(out, "wb");
	if (!f) {
		fprintf(stderr, "gen_formats: %s: %s\n", out, strerror(errno));
		return 1;
	}
	setvbuf(f, obuf, _IOFBF, sizeof obuf);
	if (strcmp(kind, "tes") == 0)
		gen_tes(f, n, start, name);
	else if (strcmp(kind, "wake") == 0)
		gen_wake(f, n, start, name);
	else if (strcmp(kind, "gjsonl") == 0)
		gen_generic(f, n, start, name, 0);
	else if (strcmp(kind, "gcsv") == 0)
		gen_generic(f, n, start, name, 1);
	else if (strcmp(kind, "nvsmi") == 0)
		gen_nvsmi(f, n, start);
	else {
		fprintf(stderr, "gen_formats: unknown kind %s\n", kind);
		fclose(f);
		return 2;
	}
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "gen_formats: %s: write error\n", out);
		return 1;
	}
	return 0;
}
