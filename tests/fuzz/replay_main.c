/* replay_main.c - runs a fuzz harness without libFuzzer: each file named
 * (or each file in a folder named, in name order) is handed once to
 * LLVMFuzzerTestOneInput.  Linked with every harness for make test, which
 * replays the committed corpus with the plain and the sanitizer build. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *p = realloc(buf, cap *= 2);
			if (!p) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
		}
	}
	int bad = ferror(f) || !buf;
	fclose(f);
	if (bad) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	long replayed = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) != 0) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		if (!S_ISDIR(sb.st_mode)) {
			rc |= replay_file(argv[i]) != 0;
			replayed++;
			continue;
		}
		struct dirent **e;
		int n = scandir(argv[i], &e, NULL, by_name);
		if (n < 0) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		for (int j = 0; j < n; j++) {
			if (e[j]->d_name[0] != '.') {
				char path[4096];
				snprintf(path, sizeof path, "%s/%s", argv[i], e[j]->d_name);
				rc |= replay_file(path) != 0;
				replayed++;
			}
			free(e[j]);
		}
		free(e);
	}
	printf("%s: replayed %ld inputs\n", argv[0], replayed);
	return rc;
}
