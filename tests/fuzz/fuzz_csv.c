/* fuzz_csv.c - libFuzzer harness: the CSV readers (F2 agent metrics, tes_csv;
 * F3 wake-word audit, wake_csv), each given the same input. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ingest(data, size, "agent_metrics.csv", "tes_csv", NULL);
	fuzz_ingest(data, size, "wake_word_audit.csv", "wake_csv", NULL);
	return 0;
}
