/* provider.c - provider files and pricing. */
#include "core/provider.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

void provider_set_init(struct provider_set *ps)
{
	memset(ps, 0, sizeof(*ps));
}

static void provider_release(struct provider *p)
{
	free(p->name);
	free(p->protocol);
	free(p->base_url);
	free(p->model);
	free(p->api_key_env);
	free(p->price.as_of);
	free(p->price.source);
	cJSON_Delete(p->params);
	free(p->origin);
}

void provider_set_release(struct provider_set *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->n; i++)
		provider_release(&ps->v[i]);
	free(ps->v);
	free(ps->path);
	provider_set_init(ps);
}

const struct provider *provider_find(const struct provider_set *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].name, name) == 0)
			return &ps->v[i];
	return NULL;
}

static int price_field(const cJSON *price, const char *key, double *out, const char *where, int required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(price, key);
	if (!v && !required) {
		*out = NAN;
		return 0;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 || v->valuedouble > PRICE_MAX)
		return error("%s: price.%s must be a number in [0, %g] (USD per million tokens)", where, key, PRICE_MAX);
	*out = v->valuedouble;
	return 0;
}

/* ${NAME} and ${NAME:-default} in a base URL come from the environment, so
 * one provider file serves several hosts or ports */
static char *expand_env(const char *s)
{
	struct buf b = BUF_INIT;
	while (*s) {
		const char *close = strncmp(s, "${", 2) == 0 ? strchr(s, '}') : NULL;
		if (!close) {
			buf_putc(&b, *s++);
			continue;
		}
		char *inner = xstrndup(s + 2, (size_t)(close - s - 2));
		char *dflt = strstr(inner, ":-");
		if (dflt) {
			*dflt = '\0';
			dflt += 2;
		}
		const char *v = getenv(inner);
		buf_puts(&b, v && *v ? v : dflt ? dflt : "");
		free(inner);
		s = close + 1;
	}
	return buf_detach(&b);
}

static int load_one(struct provider *p, const cJSON *o, const char *where)
{
	static const char *const need[] = { "name", "protocol", "base_url", "model", "api_key_env" };
	for (size_t i = 0; i < sizeof(need) / sizeof(*need); i++)
		if (!json_str(o, need[i], NULL))
			return error("%s: missing string field '%s'", where, need[i]);
	if (str_has_control(json_str(o, "name", NULL)))
		return error("%s: provider name has a control character (a newline, a tab)", where);
	p->name = xstrdup(json_str(o, "name", NULL));
	p->protocol = xstrdup(json_str(o, "protocol", NULL));
	p->base_url = expand_env(json_str(o, "base_url", NULL));
	p->model = xstrdup(json_str(o, "model", NULL));
	p->api_key_env = xstrdup(json_str(o, "api_key_env", NULL));
	if (strcmp(p->protocol, "openai") == 0)
		p->wire = PROTOCOL_OPENAI;
	else if (strcmp(p->protocol, "anthropic") == 0)
		p->wire = PROTOCOL_ANTHROPIC;
	else
		return error("%s: protocol '%s' is not one of openai, anthropic", where, p->protocol);
	size_t n = strlen(p->base_url);
	while (n > 0 && p->base_url[n - 1] == '/')
		p->base_url[--n] = '\0';
	if (strncmp(p->base_url, "http://", 7) != 0 && strncmp(p->base_url, "https://", 8) != 0)
		return error("%s: base_url '%s' is not an http(s) URL", where, p->base_url);
	const cJSON *price = cJSON_GetObjectItemCaseSensitive(o, "price");
	if (!cJSON_IsObject(price))
		return error("%s: provider '%s' has no 'price' object", where, p->name);
	if (price_field(price, "input", &p->price.input, where, 1) < 0 ||
	    price_field(price, "output", &p->price.output, where, 1) < 0 ||
	    price_field(price, "cached_input", &p->price.cached_input, where, 0) < 0 ||
	    price_field(price, "cache_write", &p->price.cache_write, where, 0) < 0)
		return -1;
	/* without a published cache price, cached tokens cost what input costs */
	if (isnan(p->price.cached_input))
		p->price.cached_input = p->price.input;
	if (isnan(p->price.cache_write))
		p->price.cache_write = p->price.input;
	const char *as_of = json_str(price, "as_of", NULL), *source = json_str(price, "source", NULL);
	if (!as_of || !source)
		return error("%s: price of '%s' needs 'as_of' (a date) and 'source'", where, p->name);
	p->price.as_of = xstrdup(as_of);
	p->price.source = xstrdup(source);
	double conc, max_resp;
	if (json_num_checked(o, "max_concurrency", 8, 1, 10000, 1, where, &conc) < 0 ||
	    json_num_checked(o, "rpm", 0, 0, 1e9, 0, where, &p->rpm) < 0 ||
	    json_num_checked(o, "tpm", 0, 0, 1e12, 0, where, &p->tpm) < 0 ||
	    json_num_checked(o, "timeout_s", 600, 0.001, 86400, 0, where, &p->timeout_s) < 0 ||
	    json_num_checked(o, "max_response_bytes", PROVIDER_MAX_RESPONSE_BYTES, 1024, 1 << 30, 1, where,
			     &max_resp) < 0)
		return -1;
	p->max_concurrency = (int)conc;
	p->max_response_bytes = (size_t)max_resp;
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(o, "params");
	if (params && !cJSON_IsObject(params))
		return error("%s: 'params' must be an object", where);
	p->params = params ? cJSON_Duplicate(params, 1) : cJSON_CreateObject();
	/* what the budget reserves for a request: a whole number it can count,
	 * refused rather than clamped, since the provider would be sent it */
	char *pwhere = xasprintf("%s: params", where);
	double mt;
	int rc = json_num_checked(p->params, "max_tokens", 1, 1, TOKENS_MAX, 1, pwhere, &mt);
	if (rc == 0)
		rc = json_num_checked(p->params, "max_completion_tokens", 1, 1, TOKENS_MAX, 1, pwhere, &mt);
	free(pwhere);
	return rc;
}

int provider_set_load(struct provider_set *ps, const char *path)
{
	struct buf data = BUF_INIT;
	if (file_read_input(path, &data) < 0 || file_sha256(path, ps->hash) < 0) {
		buf_release(&data);
		return -1;
	}
	cJSON *root = json_parse(buf_str(&data), data.len);
	buf_release(&data);
	if (!root)
		return error("%s: not valid JSON", path);
	const cJSON *list = cJSON_IsArray(root) ? root : cJSON_GetObjectItemCaseSensitive(root, "providers");
	int rc = 0;
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
		rc = error("%s: expected a non-empty list of providers (or {\"providers\": [...]})", path);
		goto out;
	}
	ps->path = xstrdup(path);
	int n = cJSON_GetArraySize(list);
	ps->v = xcalloc((size_t)n, sizeof(*ps->v));
	for (int i = 0; i < n && rc == 0; i++) {
		struct provider *p = &ps->v[ps->n++];
		char *where = xasprintf("%s: provider %d", path, i + 1);
		p->origin = where;
		const cJSON *o = cJSON_GetArrayItem(list, i);
		if (!cJSON_IsObject(o))
			rc = error("%s: not an object", where);
		else
			rc = load_one(p, o, where);
		if (rc == 0 && ps->n > 1 && provider_find(ps, p->name) != p)
			rc = error("%s: duplicate provider name '%s'", where, p->name);
	}
out:
	cJSON_Delete(root);
	return rc;
}

long provider_max_tokens(const struct provider *p)
{
	double v = json_num(p->params, "max_tokens", json_num(p->params, "max_completion_tokens", NAN));
	/* provider_set_load refused any other; a provider made by hand is checked too */
	return usage_count_valid(v) && v > 0 ? (long)v : DEFAULT_MAX_TOKENS;
}

cJSON *provider_prices_json(const struct provider_set *ps)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < ps->n; i++) {
		const struct provider *p = &ps->v[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", p->name);
		cJSON_AddStringToObject(o, "model", p->model);
		cJSON_AddStringToObject(o, "base_url", p->base_url);
		cJSON_AddNumberToObject(o, "input", p->price.input);
		cJSON_AddNumberToObject(o, "output", p->price.output);
		cJSON_AddNumberToObject(o, "cached_input", p->price.cached_input);
		cJSON_AddNumberToObject(o, "cache_write", p->price.cache_write);
		cJSON_AddStringToObject(o, "as_of", p->price.as_of);
		cJSON_AddStringToObject(o, "source", p->price.source);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}
