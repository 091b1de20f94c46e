/* cp_eval.c - how well pk_changepoints (analyze/changepoint.h) does on
 * generated series with a fixed seed: false change points on series
 * without change, recall and precision (margin 5 runs) on series with
 * injected steps, and the F1 (margin 5) and cover metrics of van den Burg &
 * Williams' change point benchmark (TCPDBench, arXiv:2003.06222) on a
 * generated annotated set.  Prints Markdown tables (the README's).
 * Usage: cp_eval [SERIES_PER_CELL]   (default 200)
 *        cp_eval --speed   CPU seconds of a 10,000-point series of each
 *                          noise kind: the largest of 5 (2 of them with 3
 *                          steps of 2 sd), one line each:
 *                          "speed KIND SECONDS"
 *
 * Noise kinds (sd = 1 unless said): iid Gaussian; AR(1) phi 0.3, 0.6, 0.9
 * (marginal sd 1); random walk (increments sd 1); linear trend (iid noise
 * plus a drift of 0.02 sd a run, 6 sd over 300 runs); sine of period 12
 * and amplitude 1 plus iid noise; heavy tails (Student t with 3 degrees of
 * freedom scaled to sd 1, plus a spike of +-8 sd at 1 % of the runs).
 * A step of k sd is k times that sd (the innovation sd for the random
 * walk). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/changepoint.h"

#define MARGIN 5
#define MAXCP 8

static uint64_t rng_state = 20261203;

static uint64_t next_u64(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static double unif(void)
{
	return ((double)(next_u64() >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

static size_t below(size_t k)
{
	return (size_t)(unif() * (double)k);
}

enum kind { IID, AR3, AR6, AR9, WALK, TREND, SINE, HEAVY, NKIND };
static const char *kind_name[NKIND] = {
	"independent", "AR(1) 0.3", "AR(1) 0.6", "AR(1) 0.9", "random walk",
	"linear trend", "sine period 12", "t3 + 1% spikes",
};

/* noise of kind k into x[0..n) */
static void noise(enum kind k, double *x, size_t n)
{
	double phi = k == AR3 ? 0.3 : k == AR6 ? 0.6 : k == AR9 ? 0.9 : 0;
	double e = gauss();
	for (size_t t = 0; t < n; t++) {
		switch (k) {
		case AR3: case AR6: case AR9:
			e = t ? phi * e + sqrt(1 - phi * phi) * gauss() : gauss();
			x[t] = e;
			break;
		case WALK:
			x[t] = (t ? x[t - 1] : 0) + gauss();
			break;
		case TREND:
			x[t] = 0.02 * (double)t + gauss();
			break;
		case SINE:
			x[t] = sin(2 * M_PI * (double)t / 12) + gauss();
			break;
		case HEAVY: {
			double c = 0;
			for (int i = 0; i < 3; i++) {
				double g = gauss();
				c += g * g;
			}
			x[t] = gauss() / sqrt(c / 3) / sqrt(3.0);
			if (unif() < 0.01)
				x[t] += unif() < 0.5 ? -8 : 8;
			break;
		}
		default:
			x[t] = gauss();
		}
	}
}

/* k steps of +-size at positions >= gap apart and >= gap from the ends */
static size_t add_steps(double *x, size_t n, size_t k, double size, size_t gap, size_t *at)
{
	size_t m = 0;
	for (int tries = 0; m < k && tries < 1000; tries++) {
		size_t t = gap + below(n - 2 * gap + 1), j;
		for (j = 0; j < m; j++)
			if ((t > at[j] ? t - at[j] : at[j] - t) < gap)
				break;
		if (j == m)
			at[m++] = t;
	}
	for (size_t i = 0; i < m; i++)
		for (size_t j = i + 1; j < m; j++)
			if (at[j] < at[i]) {
				size_t tmp = at[i];
				at[i] = at[j];
				at[j] = tmp;
			}
	for (size_t i = 0; i < m; i++) {
		double s = (unif() < 0.5 ? -size : size) * (0.8 + 0.4 * unif());
		for (size_t t = at[i]; t < n; t++)
			x[t] += s;
	}
	return m;
}

/* true positives: detections matched one-to-one within the margin */
static size_t matched(const size_t *truth, size_t nt, const struct pk_cp_result *r)
{
	int used[MAXCP + 1] = { 0 };
	size_t tp = 0;
	for (size_t i = 0; i < r->n; i++) {
		size_t best = SIZE_MAX, bd = MARGIN + 1;
		for (size_t j = 0; j < nt; j++) {
			size_t d = truth[j] > r->cp[i].index ? truth[j] - r->cp[i].index
			                                     : r->cp[i].index - truth[j];
			if (!used[j] && d < bd) {
				bd = d;
				best = j;
			}
		}
		if (best != SIZE_MAX) {
			used[best] = 1;
			tp++;
		}
	}
	return tp;
}

/* TCPDBench F1 with margin 5 for one annotation: both sets include 0. */
static double f1_tcpd(const size_t *truth, size_t nt, const size_t *pred, size_t np)
{
	size_t T[MAXCP + 2], P[4096];
	size_t nT = 0, nP = 0;
	T[nT++] = 0;
	for (size_t i = 0; i < nt; i++)
		T[nT++] = truth[i];
	P[nP++] = 0;
	for (size_t i = 0; i < np && nP < 4096; i++)
		P[nP++] = pred[i];
	/* true positives: annotations with a prediction within the margin, each
	 * prediction used once (TCPDBench's true_positives) */
	int used[4096] = { 0 };
	size_t tp = 0;
	for (size_t i = 0; i < nT; i++) {
		size_t best = SIZE_MAX, bd = MARGIN + 1;
		for (size_t j = 0; j < nP; j++) {
			size_t d = T[i] > P[j] ? T[i] - P[j] : P[j] - T[i];
			if (!used[j] && d < bd) {
				bd = d;
				best = j;
			}
		}
		if (best != SIZE_MAX) {
			used[best] = 1;
			tp++;
		}
	}
	double prec = (double)tp / (double)nP, rec = (double)tp / (double)nT;
	return prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
}

/* TCPDBench covering of the true partition by the predicted one. */
static double cover_tcpd(const size_t *truth, size_t nt, const size_t *pred, size_t np, size_t n)
{
	double c = 0;
	for (size_t i = 0; i <= nt; i++) {
		size_t a = i ? truth[i - 1] : 0, b = i < nt ? truth[i] : n;
		double best = 0;
		for (size_t j = 0; j <= np; j++) {
			size_t pa = j ? pred[j - 1] : 0, pb = j < np ? pred[j] : n;
			size_t lo = a > pa ? a : pa, hi = b < pb ? b : pb;
			double inter = hi > lo ? (double)(hi - lo) : 0;
			double uni = (double)((b > pb ? b : pb) - (a < pa ? a : pa));
			if (inter / uni > best)
				best = inter / uni;
		}
		c += (double)(b - a) * best;
	}
	return c / (double)n;
}

static size_t detect(const double *x, size_t n, struct pk_cp_result *r)
{
	if (pk_changepoints(x, n, NULL, r) != PK_OK) {
		fprintf(stderr, "cp_eval: pk_changepoints failed\n");
		exit(1);
	}
	return r->n;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int speed(void)
{
	enum { N = 10000, R = 5 };
	static double x[N];
	size_t at[MAXCP];
	for (int k = 0; k < NKIND; k++) {
		double t[R];
		for (int r = 0; r < R; r++) {
			noise((enum kind)k, x, N);
			if (r % 2)
				add_steps(x, N, 3, 2, 500, at);
			struct pk_cp_result res;
			clock_t c0 = clock();
			detect(x, N, &res);
			t[r] = (double)(clock() - c0) / CLOCKS_PER_SEC;
			pk_cp_result_free(&res);
		}
		qsort(t, R, sizeof *t, cmp_d);
		printf("speed %s %.3f\n", kind_name[k], t[R - 1]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--speed"))
		return speed();
	size_t reps = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 200;
	enum { N = 300 };
	double x[N];
	size_t at[MAXCP];
	struct pk_cp_result r;
	clock_t c0 = clock();

	printf("Series of %d runs, %zu per cell, seed %llu, margin %d runs, default "
	       "settings (alpha %g, min segment %zu).\n\n", N, reps,
	       (unsigned long long)rng_state, MARGIN, PK_CP_ALPHA, pk_cp_default_min_segment(N));
	printf("| noise | no change: change points per series | outliers per series |"
	       " 1 sd steps: recall / precision | 2 sd | 4 sd |\n|---|---|---|---|---|---|\n");
	for (int k = 0; k < NKIND; k++) {
		size_t fp = 0, nout = 0;
		for (size_t i = 0; i < reps; i++) {
			noise((enum kind)k, x, N);
			fp += detect(x, N, &r);
			nout += r.noutliers;
			pk_cp_result_free(&r);
		}
		printf("| %s | %.3f | %.2f |", kind_name[k], (double)fp / (double)reps,
		       (double)nout / (double)reps);
		const double sizes[] = { 1, 2, 4 };
		for (int s = 0; s < 3; s++) {
			size_t nt = 0, nd = 0, tp = 0;
			for (size_t i = 0; i < reps; i++) {
				noise((enum kind)k, x, N);
				size_t m = add_steps(x, N, 1 + below(3), sizes[s], 30, at);
				nt += m;
				nd += detect(x, N, &r);
				tp += matched(at, m, &r);
				pk_cp_result_free(&r);
			}
			printf(" %.2f / %.2f |", (double)tp / (double)nt,
			       nd ? (double)tp / (double)nd : 1.0);
		}
		printf("\n");
	}

	/* an annotated set shaped like TCPDBench's: 15..816 runs, 0-3 changes
	 * of 1-5 sd, every noise kind */
	size_t nser = reps;
	double f1 = 0, cov = 0, f1z = 0, covz = 0;
	double *y = malloc(816 * sizeof *y);
	size_t *pred = malloc(816 * sizeof *pred);
	if (!y || !pred)
		return 1;
	for (size_t i = 0; i < nser; i++) {
		size_t n = (size_t)floor(15 * exp(unif() * log(816.0 / 15)));
		enum kind k = (enum kind)below(NKIND);
		noise(k, y, n);
		size_t gap = n / 10 > 5 ? n / 10 : 5;
		size_t want = below(4), m = 0;
		if (n > 2 * gap + 1)
			m = add_steps(y, n, want, 1 + 4 * unif(), gap, at);
		detect(y, n, &r);
		for (size_t j = 0; j < r.n; j++)
			pred[j] = r.cp[j].index;
		f1 += f1_tcpd(at, m, pred, r.n);
		cov += cover_tcpd(at, m, pred, r.n, n);
		f1z += f1_tcpd(at, m, pred, 0);
		covz += cover_tcpd(at, m, pred, 0, n);
		pk_cp_result_free(&r);
	}
	printf("\nTCPDBench metrics on %zu generated annotated series (15-816 runs, 0-3 "
	       "changes of 1-5 sd, all noise kinds above):\n\n"
	       "| detector | F1 (margin 5) | cover |\n|---|---|---|\n"
	       "| perfkit, default settings | %.3f | %.3f |\n"
	       "| no change points at all | %.3f | %.3f |\n",
	       nser, f1 / (double)nser, cov / (double)nser, f1z / (double)nser,
	       covz / (double)nser);
	free(y);
	free(pred);
	fprintf(stderr, "cp_eval: %.1f s CPU\n", (double)(clock() - c0) / CLOCKS_PER_SEC);
	return 0;
}
