/* manifest.c - run.json, the manifest of a run directory. */
#include "rundir/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/machine.h"
#include "util/msg.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#ifndef TB_VERSION
#define TB_VERSION "dev"
#endif

cJSON *manifest_new(int argc, char **argv, const struct suite *suite)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "tokenbench_version", TB_VERSION);
	char when[32];
	time_t t = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	cJSON_AddStringToObject(m, "created", when);
	cJSON *cmd = cJSON_AddArrayToObject(m, "command");
	for (int i = 0; i < argc; i++)
		cJSON_AddItemToArray(cmd, cJSON_CreateString(argv[i]));
	cJSON *ss = cJSON_AddArrayToObject(m, "suites");
	for (size_t i = 0; suite && i < suite->nfiles; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "path", suite->files[i]);
		cJSON_AddStringToObject(o, "sha256", suite->hashes[i]);
		cJSON_AddItemToArray(ss, o);
	}
	if (suite)
		cJSON_AddNumberToObject(m, "tasks", (double)suite->n);
	cJSON_AddItemToObject(m, "machine", machine_json());
	return m;
}

int manifest_write(cJSON *m, const char *dir)
{
	char *path = xasprintf("%s/run.json", dir);
	char *text = cJSON_Print(m);
	struct buf b = BUF_INIT;
	buf_puts(&b, text);
	buf_putc(&b, '\n');
	int rc = file_write_atomic(path, b.data, b.len);
	buf_release(&b);
	cJSON_free(text);
	free(path);
	return rc;
}

cJSON *manifest_read(const char *dir)
{
	char *path = xasprintf("%s/run.json", dir);
	struct buf text = BUF_INIT;
	cJSON *m = NULL;
	if (path_is_dir(dir) && path_exists(path) && file_read(path, &text) == 0) {
		m = cJSON_Parse(buf_str(&text));
		if (!cJSON_IsObject(m)) {
			warning("'%s' is not a JSON object: ignored", path);
			cJSON_Delete(m);
			m = NULL;
		}
	}
	buf_release(&text);
	free(path);
	return m;
}
