/* readers.c - the table of input formats, and detection. */
#include "reader.h"

#include <string.h>

extern const struct pk_reader pk_reader_registry_json;
extern const struct pk_reader pk_reader_hw_jsonl;
extern const struct pk_reader pk_reader_tes_csv;
extern const struct pk_reader pk_reader_wake_csv;
extern const struct pk_reader pk_reader_perfkit_bench;
extern const struct pk_reader pk_reader_hyperfine;
extern const struct pk_reader pk_reader_experiment_json;
extern const struct pk_reader pk_reader_session_json;
extern const struct pk_reader pk_reader_nvidia_smi;
extern const struct pk_reader pk_reader_sadf_json;
extern const struct pk_reader pk_reader_generic;

const struct pk_reader *const pk_readers[] = {
	&pk_reader_registry_json,
	&pk_reader_hw_jsonl,
	&pk_reader_tes_csv,
	&pk_reader_wake_csv,
	&pk_reader_perfkit_bench,
	&pk_reader_hyperfine,
	&pk_reader_experiment_json,
	&pk_reader_session_json,
	&pk_reader_nvidia_smi,
	&pk_reader_sadf_json,
	&pk_reader_generic,
	NULL,
};

const struct pk_reader *pk_reader_find(const char *name)
{
	for (size_t i = 0; pk_readers[i]; i++)
		if (strcmp(pk_readers[i]->name, name) == 0)
			return pk_readers[i];
	return NULL;
}

const struct pk_reader *pk_reader_detect(const char *base, const char *head, size_t n)
{
	for (size_t i = 0; pk_readers[i]; i++)
		if (pk_readers[i]->detect(base, head, n))
			return pk_readers[i];
	return NULL;
}

const char *pk_reader_why_not(const char *base, const char *head, size_t n)
{
	for (size_t i = 0; pk_readers[i]; i++) {
		const char *why = pk_readers[i]->near_miss ? pk_readers[i]->near_miss(base, head, n)
		                                          : NULL;
		if (why)
			return why;
	}
	return "no reader claims this file";
}
