/* fuzz_ingest.h - what every fuzz harness in tests/fuzz/ shares: one input
 * ingested the way perfingest does it, and the checks made on the result.
 * Each harness (fuzz_*.c) defines LLVMFuzzerTestOneInput and calls
 * fuzz_ingest once per reader of its family. */
#ifndef PK_FUZZ_INGEST_H
#define PK_FUZZ_INGEST_H

#include <stddef.h>
#include <stdint.h>

/* Inputs above this are ignored (a replayed file, or a fuzzer run without
 * -max_len): the readers stream, so size only adds time. */
#define FUZZ_MAX_INPUT ((size_t)1 << 20)

/* Writes data to a file called name in a private temporary folder and
 * ingests it with pk_ingest_file (detection of archives, the reader format
 * forced unless NULL, the sink and its writer thread) into a new database
 * (in /dev/shm when writable) with time zone tz (NULL: UTC).  Aborts, so that the fuzzer
 * keeps the input, when the outcome breaks a documented promise: a status
 * other than OK, PARTIAL or IO; a diagnostic that does not name the file or
 * does not format as one printable line; rejects counted but not stored. */
void fuzz_ingest(const uint8_t *data, size_t size, const char *name,
                 const char *format, const char *tz);

#endif
