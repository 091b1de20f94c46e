/* hyperfine_head.h - does the head of a .json file have hyperfine's
 * --export-json shape?  {"results": [{"command": "...", "mean": ...,
 * "times": [...]}...]}, checked on results[0] with yajl's event API, so that
 * another tool's {"results": [...]} document is skipped with its reason
 * instead of being half-read as hyperfine. */
#ifndef PK_HYPERFINE_HEAD_H
#define PK_HYPERFINE_HEAD_H

#include <stddef.h>

enum pk_hf_head {
	PK_HF_OTHER,        /* not a {"results": [...]} document */
	PK_HF_LOOKALIKE,    /* {"results": [...]}, but not hyperfine's (*why) */
	PK_HF_YES           /* hyperfine's shape (or the head ends before it can tell) */
};

/* Classifies head[0..n) (the file's first bytes, BOM removed); *why (static
 * text) is set for PK_HF_LOOKALIKE. */
enum pk_hf_head pk_hf_head(const char *head, size_t n, const char **why);

#endif
