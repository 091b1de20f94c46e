/* hyperfine_head.c - hyperfine's --export-json shape recognised from the
 * head of a file (see hyperfine_head.h). */
#include "hyperfine_head.h"

#include <string.h>
#include <yajl/yajl_parse.h>

#define WHY "a {\"results\": [...]} document, but not hyperfine --export-json: "

enum key { K_OTHER, K_COMMAND, K_MEAN, K_TIMES };

struct probe {
	int depth;
	int top_keys;         /* keys of the top object seen */
	int other;            /* not a {"results": [...]} document */
	int in_results;       /* inside the results array (depth 2) */
	int elements;         /* elements of results seen */
	int first;            /* inside results[0] (depth 3 and below) */
	int closed;           /* results[0] ended */
	enum key pending;     /* the key of results[0] whose value comes next */
	int command_key, command, mean, times;
	const char *why;
};

static int stop_other(struct probe *p)
{
	p->other = 1;
	return 0;
}

/* A value starting (container: 1 for an object, 2 for an array; else 0). */
static int value(struct probe *p, int container, int is_string, int is_number)
{
	if (p->depth == 0)
		return container == 1 || stop_other(p);
	if (p->depth == 1 && !p->in_results && !p->first)
		return container == 2 || stop_other(p);   /* "results": [...] */
	if (p->depth == 2 && p->in_results) {
		if (p->elements++ == 0 && container != 1) {
			p->why = WHY "results[0] is not an object";
			return 0;
		}
		return 1;
	}
	if (p->depth == 3 && p->first) {
		enum key k = p->pending;
		p->pending = K_OTHER;
		p->command |= k == K_COMMAND && is_string;
		p->mean |= k == K_MEAN && is_number;
		p->times |= k == K_TIMES && container == 2;
	}
	return 1;
}

static int open_container(struct probe *p, int kind)
{
	if (!value(p, kind, 0, 0))
		return 0;
	p->depth++;
	if (p->depth == 2 && kind == 2 && p->top_keys == 1 && !p->elements)
		p->in_results = 1;
	else if (p->depth == 3 && p->in_results && p->elements == 1)
		p->first = 1;
	return 1;
}

static int close_container(struct probe *p)
{
	if (p->depth == 3 && p->first) {
		p->closed = 1;
		return 0;                   /* results[0] is all it takes */
	}
	if (p->depth == 2 && p->in_results && !p->elements) {
		p->why = WHY "results is empty";
		return 0;
	}
	p->depth--;
	return 1;
}

static int cb_null(void *ctx) { return value(ctx, 0, 0, 0); }
static int cb_bool(void *ctx, int b) { (void)b; return value(ctx, 0, 0, 0); }
static int cb_number(void *ctx, const char *s, size_t n) { (void)s; (void)n; return value(ctx, 0, 0, 1); }
static int cb_string(void *ctx, const unsigned char *s, size_t n) { (void)s; (void)n; return value(ctx, 0, 1, 0); }
static int cb_start_map(void *ctx) { return open_container(ctx, 1); }
static int cb_start_array(void *ctx) { return open_container(ctx, 2); }
static int cb_end(void *ctx) { return close_container(ctx); }

static int cb_key(void *ctx, const unsigned char *s, size_t n)
{
	struct probe *p = ctx;
	if (p->depth == 1 && p->top_keys++ == 0)
		return (n == 7 && memcmp(s, "results", 7) == 0) || stop_other(p);
	if (p->depth == 3 && p->first) {
		p->pending = n == 7 && memcmp(s, "command", 7) == 0 ? K_COMMAND
		           : n == 4 && memcmp(s, "mean", 4) == 0 ? K_MEAN
		           : n == 5 && memcmp(s, "times", 5) == 0 ? K_TIMES : K_OTHER;
		p->command_key |= p->pending == K_COMMAND;
	}
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_key, cb_end, cb_start_array, cb_end
};

enum pk_hf_head pk_hf_head(const char *head, size_t n, const char **why)
{
	struct probe p = { 0 };
	yajl_handle h = yajl_alloc(&callbacks, NULL, &p);
	if (!h)
		return PK_HF_OTHER;
	yajl_parse(h, (const unsigned char *)head, n);   /* stops at the verdict */
	yajl_free(h);
	if (p.other)
		return PK_HF_OTHER;
	if (p.why) {
		*why = p.why;
		return PK_HF_LOOKALIKE;
	}
	if (!p.first)
		return PK_HF_OTHER;         /* the head ends before results[0] */
	if (p.command && (p.mean || p.times))
		return PK_HF_YES;
	/* the head ends (or the JSON breaks) inside results[0] after its
	 * command: hyperfine's, whose reader tells what is wrong with it */
	if (!p.closed && p.command_key)
		return PK_HF_YES;
	*why = !p.command ? WHY "results[0] has no \"command\" string"
	                  : WHY "results[0] has no \"mean\" number and no \"times\" array";
	return PK_HF_LOOKALIKE;
}
