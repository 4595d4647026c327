/* replay.c - runs inputs through the fuzz targets without libFuzzer, with
 * the normal compiler and sanitizers: make test replays the committed
 * corpora (every crash found so far among them) this way.
 *   build/fuzz-replay NAME FILE|DIR...   exit 0 when every input ran */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util/buf.h"
#include "util/fileio.h"

typedef int (*fuzz_fn)(const uint8_t *, size_t);

static const struct {
	const char *name;
	fuzz_fn fn;
} targets[] = {
#define FUZZ_ENTRY(name) { #name, fuzz_##name },
	FUZZ_TARGETS(FUZZ_ENTRY)
};

/* one input file through fn; 0, or -1 when it cannot be read */
static int run_file(fuzz_fn fn, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz-replay: cannot open '%s'\n", path);
		return -1;
	}
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, k);
	fclose(f);
	fn((const uint8_t *)(b.data ? b.data : ""), b.len);
	buf_release(&b);
	return 0;
}

int main(int argc, char **argv)
{
	fuzz_fn fn = NULL;
	for (size_t i = 0; argc > 1 && i < sizeof(targets) / sizeof(*targets); i++)
		if (strcmp(argv[1], targets[i].name) == 0)
			fn = targets[i].fn;
	if (!fn) {
		fprintf(stderr, "usage: fuzz-replay NAME FILE|DIR... (NAME: suite, predictions, provider, openai, "
				"anthropic, edit, logparse)\n");
		return 2;
	}
	fuzz_init();
	size_t ran = 0;
	for (int a = 2; a < argc; a++) {
		if (!path_is_dir(argv[a])) {
			if (run_file(fn, argv[a]) < 0)
				return 1;
			ran++;
			continue;
		}
		char **names;
		size_t n;
		static const char *const any[] = { "", NULL };
		if (dir_list(argv[a], any, &names, &n) < 0)
			return 1;
		for (size_t i = 0; i < n; i++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[a], names[i]);
			if (run_file(fn, path) == 0)
				ran++;
			free(names[i]);
		}
		free(names);
	}
	printf("%s: %zu inputs\n", argv[1], ran);
	return 0;
}
