/* predictions.c - loads predictions files into (task, provider, sample, code). */
#include "predictions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fileio.h"
#include "json.h"
#include "msg.h"
#include "strmap.h"
#include "xalloc.h"

void predictions_init(struct predictions *p)
{
	memset(p, 0, sizeof(*p));
}

void predictions_release(struct predictions *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].task_id);
		free(p->v[i].provider);
		free(p->v[i].code);
		free(p->v[i].origin);
	}
	free(p->v);
	predictions_init(p);
}

/* the file's base name without directories and extensions */
static char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strcspn(b, ".");
	return xstrndup(b, n ? n : strlen(b));
}

static int add_one(struct predictions *p, const cJSON *o, const char *where, const char *provider,
		   struct strmap *counts)
{
	if (!cJSON_IsObject(o))
		return error("%s: not a JSON object", where);
	const char *id = json_str(o, "task_id", NULL);
	const cJSON *idn = cJSON_GetObjectItemCaseSensitive(o, "task_id");
	char num[32];
	if (!id && cJSON_IsNumber(idn)) {
		snprintf(num, sizeof(num), "Mbpp/%d", idn->valueint);
		id = num;
	}
	const char *completion = json_str(o, "completion", NULL);
	const char *solution = json_str(o, "solution", NULL);
	if (!id)
		return error("%s: prediction without 'task_id'", where);
	if (!completion && !solution)
		return error("%s: prediction for '%s' has neither 'completion' nor 'solution'", where, id);
	const char *who = provider ? provider : json_str(o, "model", NULL);
	if (!who)
		return error("%s: no provider name: pass --name", where);
	XGROW(p->v, p->cap, p->n + 1);
	struct prediction *x = &p->v[p->n++];
	x->task_id = xstrdup(id);
	x->provider = xstrdup(who);
	x->code = xstrdup(completion ? completion : solution);
	x->mode = completion ? ANSWER_COMPLETION : ANSWER_SOLUTION;
	x->origin = xstrdup(where);
	char *key = xasprintf("%s\t%s", id, who);
	long k = 0;
	strmap_get(counts, key, &k);
	x->sample = (int)k;
	strmap_put(counts, key, k + 1);
	free(key);
	return 0;
}

int predictions_load(struct predictions *p, const char *path, const char *name)
{
	struct buf data = BUF_INIT;
	if (file_read(path, &data) < 0)
		return -1;
	char *fallback = base_name(path);
	const char *provider = name;
	struct strmap counts;
	strmap_init(&counts);
	int rc = 0;
	const char *s = buf_str(&data);
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	if (*s == '[') {
		cJSON *all = json_parse(data.data, data.len);
		if (!cJSON_IsArray(all)) {
			rc = error("%s: not valid JSON", path);
		} else {
			int i = 0;
			const cJSON *o;
			cJSON_ArrayForEach(o, all) {
				char *where = xasprintf("%s: item %d", path, i++);
				const char *who = provider ? provider : json_str(o, "model", NULL) ? NULL : fallback;
				rc = add_one(p, o, where, who, &counts);
				free(where);
				if (rc < 0)
					break;
			}
		}
		cJSON_Delete(all);
	} else {
		size_t lineno = 0;
		const char *q = data.data ? data.data : "", *end = q + data.len;
		while (q < end && rc == 0) {
			const char *nl = memchr(q, '\n', (size_t)(end - q));
			const char *stop = nl ? nl : end;
			lineno++;
			const char *t = q;
			while (t < stop && (*t == ' ' || *t == '\r' || *t == '\t'))
				t++;
			if (t < stop) {
				char *where = xasprintf("%s:%zu", path, lineno);
				cJSON *o = json_parse(q, (size_t)(stop - q));
				if (!o) {
					rc = error("%s: not valid JSON", where);
				} else {
					const char *who = provider ? provider
							  : json_str(o, "model", NULL) ? NULL : fallback;
					rc = add_one(p, o, where, who, &counts);
				}
				cJSON_Delete(o);
				free(where);
			}
			q = stop + 1;
		}
	}
	if (rc == 0 && p->n == 0)
		rc = error("%s: no predictions", path);
	strmap_release(&counts);
	free(fallback);
	buf_release(&data);
	return rc;
}
