/* fuzz_nvidia_smi.c - libFuzzer harness: the nvidia-smi CSV reader (F9), in UTC and
 * in a zone with daylight saving time (naive local times). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ingest(data, size, "nvidia_smi_fuzz.csv", "nvidia_smi", NULL);
	fuzz_ingest(data, size, "nvidia_smi_fuzz.csv", "nvidia_smi", "Europe/Berlin");
	return 0;
}
