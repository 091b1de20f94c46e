/* gen_corpus.c - writes one file of the benchmark corpus of `make bench`
 * (bench/run.sh compiles it with cc -O2; it is not part of the perfkit build):
 * F1 hardware samples (FORMATS.md), one line a minute, shaped like the lines
 * the psutil + nvidia-smi sampler writes with json.dumps (same key order and
 * spacing, about 1 KB a line): per-core CPU list, memory, GPU, thermal
 * sensors, processes, wake-word latency, a daily rhythm, a null CPU frequency
 * now and then, wake-word timing sometimes unavailable, and a few bare NaN
 * tokens.  Numbers are formatted by hand (no printf per field) so a year of
 * samples takes a second or two.  Output depends only on the arguments.
 *
 * Usage: gen_corpus OUTFILE PROFILE END_EPOCH MINUTES CORES LATENCY_MS SEED
 *   writes MINUTES lines, the last one just before END_EPOCH (UTC seconds). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rng_next(void)   /* splitmix64 */
{
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static double uni(void)          /* [0, 1) */
{
	return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

static double range(double lo, double hi)
{
	return lo + (hi - lo) * uni();
}

static double gauss(double mu, double sd)   /* Irwin-Hall approximation */
{
	double s = uni() + uni() + uni() + uni() - 2.0;
	return mu + sd * s * 1.7320508075688772;
}

static double clampd(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* Appends an unsigned integer. */
static char *put_u(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Appends x rounded to dec decimals the way Python's repr(round(x, dec))
 * prints it: trailing zeros dropped, at least one decimal ("23.0"). */
static char *put_dec(char *p, double x, int dec)
{
	static const double scale[] = { 1, 10, 100, 1000 };
	int64_t v = llround(x * scale[dec]);
	uint64_t u, ip, fp;
	char frac[4];
	int i, n;

	if (v < 0) {
		*p++ = '-';
		u = (uint64_t)(-v);
	} else {
		u = (uint64_t)v;
	}
	ip = u / (uint64_t)scale[dec];
	fp = u % (uint64_t)scale[dec];
	p = put_u(p, ip);
	*p++ = '.';
	for (i = dec - 1; i >= 0; i--) {
		frac[i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	n = dec;
	while (n > 1 && frac[n - 1] == '0')
		n--;
	if (dec == 0) {
		*p++ = '0';
		return p;
	}
	memcpy(p, frac, (size_t)n);
	return p + n;
}

static char *put_s(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static char *put_2(char *p, unsigned v)
{
	*p++ = (char)('0' + v / 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* Civil date of a day count since 1970-01-01 (H. Hinnant's algorithm). */
static void civil(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

/* Expected activity 0..1 at a local minute of the day: idle nights. */
static double day_curve(int minute)
{
	static const double pt[][2] = {
		{ 0, 0.04 }, { 1, 0.02 }, { 7, 0.02 }, { 9, 0.6 }, { 12, 0.72 },
		{ 12.5, 0.4 }, { 13.5, 0.72 }, { 18, 0.75 }, { 20, 0.35 },
		{ 23, 0.3 }, { 24, 0.04 }
	};
	double h = minute / 60.0;
	size_t i;

	for (i = 0; i + 1 < sizeof pt / sizeof pt[0]; i++)
		if (h >= pt[i][0] && h <= pt[i + 1][0])
			return pt[i][1] + (pt[i + 1][1] - pt[i][1]) *
			       (h - pt[i][0]) / (pt[i + 1][0] - pt[i][0]);
	return 0.02;
}

static unsigned poisson(double lam)
{
	double limit = exp(-lam), prod = uni();
	unsigned k = 0;

	while (prod > limit && k < 50) {
		prod *= uni();
		k++;
	}
	return k;
}

int main(int argc, char **argv)
{
	const char *out, *profile;
	long long end_epoch, minutes, i;
	int cores, c;
	double lat_base, curve_tab[1440];
	FILE *f;
	static char obuf[1 << 20];
	char line[4096], *p;
	int64_t start, cur_day = INT64_MIN;
	char date[11] = "";
	/* state */
	int busy = 0, loaded = 0;
	double gpu_temp = 38.0, cpu_temp = 40.0, ram_walk = 0.0, swap = 0.25;
	double lat_z = 0.0, load = 0.5;

	if (argc != 8) {
		fprintf(stderr, "usage: gen_corpus OUTFILE PROFILE END_EPOCH MINUTES "
		        "CORES LATENCY_MS SEED\n");
		return 2;
	}
	out = argv[1];
	profile = argv[2];
	end_epoch = atoll(argv[3]);
	minutes = atoll(argv[4]);
	cores = atoi(argv[5]);
	lat_base = atof(argv[6]);
	rng_state = strtoull(argv[7], NULL, 10);
	if (minutes <= 0 || cores < 1 || cores > 256 || lat_base <= 0 ||
	    strlen(profile) > 200) {
		fprintf(stderr, "gen_corpus: bad arguments\n");
		return 2;
	}
	for (c = 0; c < 1440; c++)
		curve_tab[c] = day_curve(c);
	f = fopen(out, "wb");
	if (!f) {
		fprintf(stderr, "gen_corpus: %s: %s\n", out, strerror(errno));
		return 1;
	}
	setvbuf(f, obuf, _IOFBF, sizeof obuf);
	start = (int64_t)end_epoch - (int64_t)minutes * 60;

	for (i = 0; i < minutes; i++) {
		/* the sampler wakes each minute and takes ~1 s to sample */
		int64_t t = start + i * 60;
		int64_t day = (t >= 0 ? t : t - 86399) / 86400;
		int sod = (int)(t - day * 86400);
		int local_min = ((sod / 60) + 60) % 1440;         /* UTC+1 */
		int weekday = (int)(((day % 7) + 7 + 3) % 7);    /* 0 = Monday */
		double curve = curve_tab[local_min] * (weekday >= 5 ? 0.6 : 1.0);
		double total = 0, target, spread, freq, used, avail, util, memu;
		double power, tctl, core0, nvme, maxt, py_mem;
		long mem_used;
		unsigned count, procs, pyp;
		int nan_line = (i % 100003) == 50000;

		if (day != cur_day) {
			int y;
			unsigned m, d;
			char *q = date;

			cur_day = day;
			civil(day, &y, &m, &d);
			q = put_u(q, (uint64_t)y);
			*q++ = '-';
			q = put_2(q, m);
			*q++ = '-';
			q = put_2(q, d);
			*q = 0;
		}
		busy = busy ? uni() > 0.06 : uni() < 0.05 * curve;
		if (busy && !loaded)
			loaded = uni() < 0.1;
		else if (!busy && loaded)
			loaded = uni() > 0.012;

		p = line;
		p = put_s(p, "{\"timestamp\": \"");
		p = put_s(p, date);
		*p++ = 'T';
		p = put_2(p, (unsigned)(sod / 3600));
		*p++ = ':';
		p = put_2(p, (unsigned)(sod / 60 % 60));
		*p++ = ':';
		p = put_2(p, (unsigned)(sod % 60));
		{
			unsigned us = 200000 + (unsigned)(rng_next() % 700000);
			char frac[7];
			int k;

			for (k = 5; k >= 0; k--) {
				frac[k] = (char)('0' + us % 10);
				us /= 10;
			}
			*p++ = '.';
			memcpy(p, frac, 6);
			p += 6;
		}
		p = put_s(p, "+00:00\", \"profile_name\": \"");
		p = put_s(p, profile);

		/* CPU */
		target = busy ? range(14, 55) : curve < 0.08 ? range(0.4, 4) : range(2, 16);
		spread = 6.0 + target * 0.35;
		p = put_s(p, "\", \"cpu\": {\"percent_total\": ");
		{
			char cores_txt[256 * 8], *q = cores_txt;

			for (c = 0; c < cores; c++) {
				double v = clampd(gauss(target, spread), 0, 100);
				v = round(v * 10) / 10;
				total += v;
				if (c)
					q = put_s(q, ", ");
				q = put_dec(q, v, 1);
			}
			total /= cores;
			if (nan_line)
				p = put_s(p, "NaN");
			else
				p = put_dec(p, total, 1);
			p = put_s(p, ", \"percent_per_core\": [");
			memcpy(p, cores_txt, (size_t)(q - cores_txt));
			p += q - cores_txt;
		}
		p = put_s(p, "], \"frequency_current_mhz\": ");
		freq = 2200 + 2450 * fmin(1.0, total / 35.0) * range(0.5, 1.0) + range(-80, 80);
		if (uni() < 0.01)
			p = put_s(p, "null");
		else
			p = put_dec(p, freq, 3);
		load = 0.9 * load + 0.1 * (total / 100.0 * cores * range(0.8, 1.25));
		p = put_s(p, ", \"load_average_1min\": ");
		p = put_dec(p, load + 0.3, 2);

		/* memory (32 GB) */
		ram_walk = clampd(ram_walk + gauss(0, 0.03), -0.8, 0.8);
		used = 5.6 + 3.2 * curve + (loaded ? 1.3 : 0) + ram_walk;
		avail = 31.26 - used - range(0.3, 0.8);
		swap = clampd(swap + 0.01 * (0.24 - swap) + gauss(0, 0.005), 0, 1.2);
		p = put_s(p, "}, \"memory\": {\"used_gb\": ");
		p = put_dec(p, used, 2);
		p = put_s(p, ", \"available_gb\": ");
		p = put_dec(p, avail, 2);
		p = put_s(p, ", \"percent\": ");
		p = put_dec(p, (31.26 - avail) / 31.26 * 100, 1);
		p = put_s(p, ", \"swap_used_gb\": ");
		p = put_dec(p, swap, 2);
		p = put_s(p, ", \"swap_percent\": ");
		p = put_dec(p, swap / 2.0 * 100, 1);

		/* GPU (8 GB) */
		util = busy ? (double)(55 + rng_next() % 44) : floor(curve * 14 + range(0, 4));
		memu = floor(clampd(util * 0.45 + range(0, 6), 0, 100));
		mem_used = 520 + (long)(rng_next() % 460) +
		           (loaded ? 5150 + (long)(rng_next() % 300) : 0);
		gpu_temp += 0.25 * (34 + 37 * util / 100 - gpu_temp) + gauss(0, 0.5);
		power = util < 10 ? range(13.5, 22) : fmin(220, 55 + 1.6 * util + gauss(0, 6));
		p = put_s(p, "}, \"gpu\": {\"available\": true, \"utilization_percent\": ");
		p = put_dec(p, util, 0);
		p = put_s(p, ", \"memory_utilization_percent\": ");
		p = put_dec(p, memu, 0);
		p = put_s(p, ", \"memory_used_mb\": ");
		p = put_dec(p, (double)mem_used, 0);
		p = put_s(p, ", \"memory_free_mb\": ");
		p = put_dec(p, (double)(8192 - mem_used), 0);
		p = put_s(p, ", \"temperature_celsius\": ");
		if (nan_line)
			p = put_s(p, "NaN");
		else
			p = put_dec(p, round(gpu_temp), 0);
		p = put_s(p, ", \"power_draw_watts\": ");
		p = put_dec(p, power, 2);

		/* thermal (Linux coretemp + nvme) */
		cpu_temp += 0.2 * (36 + 0.9 * total - cpu_temp) + gauss(0, 0.4);
		tctl = cpu_temp + range(-0.5, 0.5);
		core0 = cpu_temp - range(1, 4);
		nvme = 31.85 + 0.08 * total + range(0, 2) + (busy ? 3 : 0);
		tctl = round(tctl);
		core0 = round(core0);
		nvme = round(nvme * 100) / 100;
		maxt = fmax(tctl, fmax(core0, nvme));
		p = put_s(p, "}, \"thermal\": {\"available\": true, \"sensors\": ["
		          "{\"sensor\": \"coretemp\", \"label\": \"Package id 0\", \"current\": ");
		p = put_dec(p, tctl, 0);
		p = put_s(p, ", \"high\": 80.0, \"critical\": 100.0}, {\"sensor\": \"coretemp\", "
		          "\"label\": \"Core 0\", \"current\": ");
		p = put_dec(p, core0, 0);
		p = put_s(p, ", \"high\": 80.0, \"critical\": 100.0}, {\"sensor\": \"nvme\", "
		          "\"label\": \"Composite\", \"current\": ");
		p = put_dec(p, nvme, 2);
		p = put_s(p, ", \"high\": 81.85, \"critical\": 84.85}], \"max_temp\": ");
		p = put_dec(p, maxt, 2);

		/* processes */
		procs = 388 + (unsigned)((472 - 388) * (0.3 * curve + 0.7 * uni()));
		pyp = 4 + (unsigned)loaded + (uni() < 0.1);
		py_mem = range(4, 9) + (loaded ? 2 : 0);
		p = put_s(p, "}, \"processes\": {\"total_processes\": ");
		p = put_u(p, procs);
		p = put_s(p, ", \"python_processes\": ");
		p = put_u(p, pyp);
		p = put_s(p, ", \"whisper_processes\": ");
		p = put_u(p, uni() < 0.01 ? 0 : 1);
		p = put_s(p, ", \"python_memory_total_percent\": ");
		p = put_dec(p, py_mem, 2);
		p = put_s(p, ", \"python_cpu_total_percent\": ");
		p = put_dec(p, total * cores * range(0.25, 0.65), 1);
		p = put_s(p, ", \"python_threads_total\": ");
		p = put_u(p, 30 + pyp * 8 + rng_next() % 15);

		/* wake-word latency over the minute */
		lat_z = 0.97 * lat_z + gauss(0, 0.03);
		count = poisson(0.02 + 1.2 * curve);
		if (count == 0) {
			p = put_s(p, "}, \"inference_timing\": {\"available\": false, "
			          "\"reason\": \"no wake-word activity\"}}\n");
		} else {
			double mean = lat_base * exp(lat_z) * (1 + 0.15 * util / 100) *
			              exp(gauss(0, 0.05));
			double lo = count == 1 ? mean : mean * range(0.62, 0.92);
			double hi = count == 1 ? mean : mean * range(1.08, 1.6);

			p = put_s(p, "}, \"inference_timing\": {\"available\": true, "
			          "\"wake_word_latency_ms\": {\"mean\": ");
			p = put_dec(p, mean, 1);
			p = put_s(p, ", \"min\": ");
			p = put_dec(p, lo, 1);
			p = put_s(p, ", \"max\": ");
			p = put_dec(p, hi, 1);
			p = put_s(p, ", \"count\": ");
			p = put_u(p, count);
			p = put_s(p, "}}}\n");
		}
		if (fwrite(line, 1, (size_t)(p - line), f) != (size_t)(p - line)) {
			fprintf(stderr, "gen_corpus: %s: %s\n", out, strerror(errno));
			fclose(f);
			return 1;
		}
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "gen_corpus: %s: %s\n", out, strerror(errno));
		return 1;
	}
	return 0;
}
