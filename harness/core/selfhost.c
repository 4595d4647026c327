/* selfhost.c - the self-hosting cost model of selfhost.h. */
#define _GNU_SOURCE
#include "core/selfhost.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

static const char *const names[SH_NFIELDS] = {
	"gpu_hour_usd", "gpus", "capex_usd", "life_years", "utilisation", "power_w", "pue", "kwh_usd",
	"hosting_month_usd", "staff_month_usd",
};

#define HOURS_A_YEAR 8760.0
#define HOURS_A_MONTH 730.0

const char *selfhost_field_name(enum selfhost_field f)
{
	return names[f];
}

int selfhost_field_of(const char *name)
{
	for (int i = 0; i < SH_NFIELDS; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

void selfhost_init(struct selfhost *sh)
{
	memset(sh, 0, sizeof(*sh));
}

/* a field's value must be a finite number, 0 or more (utilisation in (0, 1]) */
static int check(enum selfhost_field f, double v, const char *where)
{
	if (!isfinite(v) || v < 0)
		return error("%s: selfhost.%s must be a number 0 or more", where, names[f]);
	if (f == SH_UTILISATION && !(v > 0 && v <= 1))
		return error("%s: selfhost.utilisation must be in (0, 1]", where);
	if ((f == SH_LIFE_YEARS || f == SH_GPUS) && !(v > 0))
		return error("%s: selfhost.%s must be more than 0", where, names[f]);
	return 0;
}

int selfhost_load(struct selfhost *sh, const cJSON *obj, const char *where)
{
	if (!obj)
		return 0;
	if (!cJSON_IsObject(obj))
		return error("%s: selfhost must be an object", where);
	const cJSON *kv;
	cJSON_ArrayForEach(kv, obj) {
		int f = selfhost_field_of(kv->string);
		if (f < 0)
			return error("%s: selfhost: unknown field '%s'", where, kv->string);
		const cJSON *v = cJSON_IsObject(kv) ? cJSON_GetObjectItemCaseSensitive(kv, "value") : kv;
		if (!cJSON_IsNumber(v))
			return error("%s: selfhost.%s must be a number or {\"value\": N, \"source\": \"...\"}", where,
				     kv->string);
		if (check((enum selfhost_field)f, v->valuedouble, where) < 0)
			return -1;
		struct selfhost_input *in = &sh->in[f];
		in->value = v->valuedouble;
		in->set = 1;
		snprintf(in->source, sizeof(in->source), "%s",
			 json_str(kv, "source", cJSON_IsObject(kv) ? "provider file (no source given)" : "provider file"));
	}
	return 0;
}

int selfhost_set(struct selfhost *sh, const char *assignment, const char *source)
{
	const char *eq = strchr(assignment, '=');
	char name[64];
	if (!eq || (size_t)(eq - assignment) >= sizeof(name))
		return error("--selfhost: '%s' is not NAME=VALUE", assignment);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - assignment), assignment);
	int f = selfhost_field_of(name);
	if (f < 0)
		return error("--selfhost: unknown field '%s'", name);
	char *end;
	double v = strtod(eq + 1, &end);
	if (end == eq + 1 || *end)
		return error("--selfhost: '%s' is not a number", eq + 1);
	if (check((enum selfhost_field)f, v, "--selfhost") < 0)
		return -1;
	sh->in[f] = (struct selfhost_input){ .value = v, .set = 1 };
	snprintf(sh->in[f].source, sizeof(sh->in[f].source), "%s", source);
	return 0;
}

static double get(const struct selfhost *sh, enum selfhost_field f, double def)
{
	return sh->in[f].set ? sh->in[f].value : def;
}

int selfhost_hour_usd(const struct selfhost *sh, double *usd)
{
	double fixed;
	if (sh->in[SH_GPU_HOUR_USD].set)
		fixed = get(sh, SH_GPU_HOUR_USD, 0) * get(sh, SH_GPUS, 1);
	else if (sh->in[SH_CAPEX_USD].set && sh->in[SH_LIFE_YEARS].set)
		fixed = get(sh, SH_CAPEX_USD, 0) / (get(sh, SH_LIFE_YEARS, 1) * HOURS_A_YEAR);
	else
		return error("selfhost: give a rental price (gpu_hour_usd, gpus) or ownership (capex_usd, life_years)");
	fixed += (get(sh, SH_HOSTING_MONTH_USD, 0) + get(sh, SH_STAFF_MONTH_USD, 0)) / HOURS_A_MONTH;
	double power = get(sh, SH_POWER_W, 0) / 1000 * get(sh, SH_PUE, 1) * get(sh, SH_KWH_USD, 0);
	*usd = fixed / get(sh, SH_UTILISATION, 1) + power;
	return 0;
}

void selfhost_mtok(double hour_usd, double in_tok_s, double out_tok_s, double prefill_share, double *in_usd,
		   double *out_usd)
{
	double per_s = hour_usd / 3600, share = isnan(prefill_share) ? 0 : prefill_share;
	*in_usd = in_tok_s > 0 ? per_s * share / in_tok_s * 1e6 : NAN;
	*out_usd = out_tok_s > 0 ? per_s * (1 - share) / out_tok_s * 1e6 : NAN;
}

cJSON *selfhost_json(const struct selfhost *sh)
{
	cJSON *o = cJSON_CreateObject();
	for (int f = 0; f < SH_NFIELDS; f++) {
		if (!sh->in[f].set)
			continue;
		cJSON *x = cJSON_AddObjectToObject(o, names[f]);
		json_add_num(x, "value", sh->in[f].value);
		cJSON_AddStringToObject(x, "source", sh->in[f].source);
	}
	return o;
}

int selfhost_write_price(const char *path, const char *name, const struct price *p)
{
	struct buf data = BUF_INIT;
	cJSON *root = NULL;
	int rc = -1;
	if (file_read(path, &data) < 0)
		goto out;
	root = json_parse(buf_str(&data), data.len);
	cJSON *list = cJSON_IsArray(root) ? root : cJSON_GetObjectItemCaseSensitive(root, "providers");
	cJSON *entry = NULL, *e;
	cJSON_ArrayForEach(e, list)
		if (strcmp(json_str(e, "name", ""), name) == 0)
			entry = e;
	if (!entry) {
		error("%s: no provider named '%s'", path, name);
		goto out;
	}
	cJSON *pr = cJSON_CreateObject();
	json_add_num(pr, "input", p->input);
	json_add_num(pr, "output", p->output);
	json_add_num(pr, "cached_input", p->cached_input);
	json_add_num(pr, "cache_write", p->cache_write);
	cJSON_AddStringToObject(pr, "as_of", p->as_of);
	cJSON_AddStringToObject(pr, "source", p->source);
	if (cJSON_GetObjectItemCaseSensitive(entry, "price"))
		cJSON_ReplaceItemInObjectCaseSensitive(entry, "price", pr);
	else
		cJSON_AddItemToObject(entry, "price", pr);
	buf_reset(&data);
	json_pretty(&data, root);
	buf_putc(&data, '\n');
	rc = file_write_atomic(path, data.data, data.len);
out:
	cJSON_Delete(root);
	buf_release(&data);
	return rc;
}
