/* machine.c - what machine this is: the fingerprint that run.json records
 * and that keys the time-limit calibration cache. */
#include "util/machine.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util/sha256.h"
#include "util/xalloc.h"

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

cJSON *machine_json(void)
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
