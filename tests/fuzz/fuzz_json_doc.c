/* fuzz_json_doc.c - libFuzzer harness: the whole-document JSON readers (registry,
 * experiment, session, hyperfine, perfkit bench, sadf), each given the
 * same input. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ingest(data, size, "hardware_profiles.json", "registry_json", NULL);
	fuzz_ingest(data, size, "experiment_fuzz.json", "experiment_json", NULL);
	fuzz_ingest(data, size, "session_fuzz.json", "session_json", NULL);
	fuzz_ingest(data, size, "hyperfine.json", "hyperfine", NULL);
	fuzz_ingest(data, size, "perfkit-bench.json", "perfkit_bench", NULL);
	fuzz_ingest(data, size, "sadf.json", "sadf_json", NULL);
	return 0;
}
