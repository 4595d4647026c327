/* manifest.c - run.json, the manifest of a run directory. */
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "json.h"
#include "sha256.h"
#include "xalloc.h"

#ifndef TB_VERSION
#define TB_VERSION "dev"
#endif

static void proc_field(const char *file, const char *key, char *out, size_t n)
{
	FILE *f = fopen(file, "r");
	out[0] = '\0';
	if (!f)
		return;
	char line[512];
	size_t k = strlen(key);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, k) != 0)
			continue;
		char *v = strchr(line, ':');
		if (!v)
			continue;
		v++;
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, "\n")] = '\0';
		snprintf(out, n, "%s", v);
		break;
	}
	fclose(f);
}

cJSON *manifest_machine(void)
{
	cJSON *m = cJSON_CreateObject();
	char cpu[256], mem[64];
	proc_field("/proc/cpuinfo", "model name", cpu, sizeof(cpu));
	proc_field("/proc/meminfo", "MemTotal", mem, sizeof(mem));
	struct utsname u;
	uname(&u);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cJSON_AddStringToObject(m, "cpu", cpu);
	cJSON_AddNumberToObject(m, "cores", (double)cores);
	cJSON_AddStringToObject(m, "memory", mem);
	cJSON_AddStringToObject(m, "kernel", u.release);
	cJSON_AddStringToObject(m, "arch", u.machine);
	char *id = xasprintf("%s|%ld|%s|%s|%s", cpu, cores, mem, u.release, u.machine);
	char hex[65];
	sha256_buf_hex(id, strlen(id), hex);
	hex[16] = '\0';
	cJSON_AddStringToObject(m, "fingerprint", hex);
	free(id);
	return m;
}

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
	cJSON_AddItemToObject(m, "machine", manifest_machine());
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
