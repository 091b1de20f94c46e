/* fuzz_generic.c - libFuzzer harness: the generic reader (F8: JSON lines or CSV
 * with a header, chosen by the first byte). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ingest(data, size, "records.log", "generic", NULL);
	return 0;
}
