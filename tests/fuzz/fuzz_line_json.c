/* fuzz_line_json.c - libFuzzer harness: the line JSON reader (F1
 * hardware_profile_*.jsonl, hw_jsonl). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ingest(data, size, "hardware_profile_fuzz.jsonl", "hw_jsonl", NULL);
	return 0;
}
