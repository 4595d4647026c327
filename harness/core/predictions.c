/* predictions.c - loads predictions files into (task, provider, sample, code).
 *
 *   HumanEval / EvalPlus   {"task_id", "completion" | "solution", ["model"]}
 *   SWE-bench              {"instance_id", "model_patch", "model_name_or_path"}
 *
 * as JSONL lines, a JSON list, or (SWE-bench) an object keyed by instance id. */
#include "core/predictions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/strmap.h"
#include "util/xalloc.h"

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

void predictions_drop(struct predictions *p, size_t i)
{
	struct prediction *x = &p->v[i];
	free(x->task_id);
	free(x->provider);
	free(x->code);
	free(x->origin);
	memmove(x, x + 1, (p->n - i - 1) * sizeof(*x));
	p->n--;
}

/* the file's base name without directories and extensions */
static char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strcspn(b, ".");
	return xstrndup(b, n ? n : strlen(b));
}

struct loader {
	struct predictions *p;
	const char *name;     /* --name, or NULL */
	char *fallback;       /* the file's base name */
	struct strmap counts; /* task\tprovider -> samples so far */
};

static int add_one(struct loader *l, const cJSON *o, const char *where, const char *key_id)
{
	if (!cJSON_IsObject(o))
		return error("%s: not a JSON object", where);
	const char *id = json_str(o, "task_id", json_str(o, "instance_id", key_id));
	const cJSON *idn = cJSON_GetObjectItemCaseSensitive(o, "task_id");
	char num[32];
	if (!id && cJSON_IsNumber(idn)) {
		snprintf(num, sizeof(num), "Mbpp/%d", idn->valueint);
		id = num;
	}
	if (!id)
		return error("%s: prediction without 'task_id' or 'instance_id'", where);
	const char *completion = json_str(o, "completion", NULL), *solution = json_str(o, "solution", NULL);
	const cJSON *patch = cJSON_GetObjectItemCaseSensitive(o, "model_patch");
	int swe = patch != NULL;
	if (!completion && !solution && !swe)
		return error("%s: prediction for '%s' has no 'completion', 'solution' or 'model_patch'", where, id);
	/* a null patch is an empty one, as SWE-bench counts it */
	const char *code = completion ? completion : solution ? solution : cJSON_IsString(patch) ? patch->valuestring : "";
	const char *who = l->name ? l->name : json_str(o, "model", json_str(o, "model_name_or_path", l->fallback));
	if (str_has_control(id) || str_has_control(who))
		return error("%s: task id or model name has a control character (a newline, a tab)", where);
	XGROW(l->p->v, l->p->cap, l->p->n + 1);
	struct prediction *x = &l->p->v[l->p->n++];
	x->task_id = xstrdup(id);
	x->provider = xstrdup(who);
	x->code = xstrdup(code);
	x->mode = completion ? ANSWER_COMPLETION : ANSWER_SOLUTION;
	x->origin = xstrdup(where);
	char *key = xasprintf("%s\t%s", id, who);
	long k = 0;
	strmap_get(&l->counts, key, &k);
	x->sample = (int)k;
	strmap_put(&l->counts, key, k + 1);
	free(key);
	return 0;
}

/* an object keyed by instance id (SWE-bench's predictions.json) */
static int load_keyed(struct loader *l, const cJSON *all, const char *path)
{
	int rc = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, all) {
		char *where = xasprintf("%s: '%s'", path, o->string);
		rc = add_one(l, o, where, o->string);
		free(where);
		if (rc < 0)
			break;
	}
	return rc;
}

/* one record of a JSONL file or JSON list (json_records_each's callback) */
static int load_record(void *arg, const cJSON *o, const char *where)
{
	return add_one(arg, o, where, NULL);
}

int predictions_load(struct predictions *p, const char *path, const char *name)
{
	struct buf data = BUF_INIT;
	if (file_read_input(path, &data) < 0)
		return -1;
	struct loader l = { p, name, base_name(path), { 0 } };
	strmap_init(&l.counts);
	const char *s = buf_str(&data);
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	/* an object keyed by instance id when the whole file parses as one
	 * object that is not itself a prediction; else JSONL or a JSON list */
	cJSON *probe = *s == '{' ? json_parse(data.data, data.len) : NULL;
	int keyed = cJSON_IsObject(probe) && !cJSON_GetObjectItemCaseSensitive(probe, "task_id") &&
		    !cJSON_GetObjectItemCaseSensitive(probe, "instance_id");
	int rc = keyed ? load_keyed(&l, probe, path) : json_records_in(path, &data, load_record, &l);
	cJSON_Delete(probe);
	if (rc == 0 && p->n == 0)
		rc = error("%s: no predictions", path);
	strmap_release(&l.counts);
	free(l.fallback);
	buf_release(&data);
	return rc;
}
