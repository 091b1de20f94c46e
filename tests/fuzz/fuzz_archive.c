/* fuzz_archive.c - libFuzzer harness: archives and compressed files (.gz,
 * .tar.gz, .tar, .zip).  The input gets the names its magic bytes fit
 * (archive kinds need both); each member is then detected and read by its
 * own reader, as perfingest does. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		fuzz_ingest(data, size, "logs.tar.gz", NULL, NULL);
		fuzz_ingest(data, size, "hardware_profile_fuzz.jsonl.gz", NULL, NULL);
	} else if (size >= 4 && memcmp(data, "PK", 2) == 0) {
		fuzz_ingest(data, size, "logs.zip", NULL, NULL);
	} else {
		fuzz_ingest(data, size, "logs.tar", NULL, NULL);
	}
	return 0;
}
