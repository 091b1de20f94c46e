/* readers.c - the table of input formats, and detection. */
#include "reader.h"

#include <string.h>

extern const struct pk_reader pk_reader_hw_jsonl;

const struct pk_reader *const pk_readers[] = {
	&pk_reader_hw_jsonl,
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
