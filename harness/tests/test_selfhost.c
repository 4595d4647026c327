/* test_selfhost.c - the self-hosting cost model: the README's worked
 * example, rent, bad inputs, and the price written into a provider file. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/provider.h"
#include "core/selfhost.h"
#include "tests/check.h"
#include "tests/tests.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"

void test_selfhost_cost(void)
{
	/* the README's worked example: a $35,000 server over 4 years at 60%
	 * utilisation, $300 a month of hosting, 500 W at PUE 1.4 and $0.12 a kWh */
	struct selfhost sh;
	selfhost_init(&sh);
	const char *set[] = { "capex_usd=35000", "life_years=4", "utilisation=0.6", "hosting_month_usd=300",
			      "power_w=500", "pue=1.4", "kwh_usd=0.12" };
	for (size_t i = 0; i < sizeof(set) / sizeof(*set); i++)
		CHECK(selfhost_set(&sh, set[i], "test") == 0);
	double hour;
	CHECK(selfhost_hour_usd(&sh, &hour) == 0);
	double want = (35000 / (4 * 8760.0) + 300 / 730.0) / 0.6 + 0.5 * 1.4 * 0.12;
	CHECK_NEAR(hour, want, 1e-12);
	CHECK_NEAR(hour, 2.433695586, 1e-9);
	/* 1,000 output and 4,000 input tokens a second, a fifth of the time prefilling */
	double in, out;
	selfhost_mtok(hour, 4000, 1000, 0.2, &in, &out);
	CHECK_NEAR(out, 0.540821241, 1e-9);
	CHECK_NEAR(in, 0.033801328, 1e-9);
	selfhost_mtok(hour, 0, 0, 0.2, &in, &out);
	CHECK(isnan(in) && isnan(out));
	/* rent: two GPUs at $2.50 an hour; it takes the place of ownership */
	CHECK(selfhost_set(&sh, "gpu_hour_usd=2.5", "test") == 0);
	CHECK(selfhost_set(&sh, "gpus=2", "test") == 0);
	CHECK(selfhost_hour_usd(&sh, &hour) == 0);
	CHECK_NEAR(hour, (5 + 300 / 730.0) / 0.6 + 0.084, 1e-12);
	/* bad inputs are named */
	CHECK(selfhost_set(&sh, "utilisation=1.5", "test") < 0);
	CHECK(selfhost_set(&sh, "gpu_hours=1", "test") < 0);
	CHECK(selfhost_set(&sh, "kwh_usd=cheap", "test") < 0);
	struct selfhost none;
	selfhost_init(&none);
	CHECK(selfhost_hour_usd(&none, &hour) < 0);
	/* from a provider file, each input with its source */
	cJSON *o = cJSON_Parse("{\"gpu_hour_usd\": {\"value\": 1.8, \"source\": \"quote 2026-11\"}, \"power_w\": 400}");
	selfhost_init(&sh);
	CHECK(selfhost_load(&sh, o, "f: provider 1") == 0);
	CHECK_NEAR(sh.in[SH_GPU_HOUR_USD].value, 1.8, 0);
	CHECK_STR(sh.in[SH_GPU_HOUR_USD].source, "quote 2026-11");
	CHECK_STR(sh.in[SH_POWER_W].source, "provider file");
	cJSON_Delete(o);
	o = cJSON_Parse("{\"gpu_hour\": 1}");
	CHECK(selfhost_load(&sh, o, "f: provider 1") < 0);
	cJSON_Delete(o);
}

void test_selfhost_write_price(void)
{
	char *dir = dir_make_temp();
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/p.json", dir);
	static const char file[] =
		"{\"note\": \"kept\", \"providers\": [{\"name\": \"a\", \"protocol\": \"openai\", \"base_url\": "
		"\"http://127.0.0.1:${PORT:-1}/v1\", \"model\": \"m\", \"api_key_env\": \"K\", \"price\": {\"input\": 1, "
		"\"output\": 2, \"as_of\": \"2026-01-01\", \"source\": \"api\"}, \"sim\": {\"skill\": 0.5}}]}";
	CHECK(file_write(buf_str(&path), file, strlen(file), 0644) == 0);
	struct price p = { .input = 0.05, .output = 0.5, .cached_input = 0.05, .cache_write = 0.05 };
	char as_of[] = "2026-12-04", source[] = "loadtest 2026-12-04 http://127.0.0.1/v1 m";
	p.as_of = as_of;
	p.source = source;
	CHECK(selfhost_write_price(buf_str(&path), "a", &p) == 0);
	CHECK(selfhost_write_price(buf_str(&path), "nobody", &p) < 0);
	struct provider_set ps;
	provider_set_init(&ps);
	CHECK(provider_set_load(&ps, buf_str(&path)) == 0);
	const struct provider *a = provider_find(&ps, "a");
	CHECK(a && a->price.output == 0.5 && a->price.input == 0.05);
	CHECK(a && strcmp(a->price.source, source) == 0 && strcmp(a->base_url, "http://127.0.0.1:${PORT:-1}/v1") != 0);
	provider_set_release(&ps);
	struct buf back = BUF_INIT;
	CHECK(file_read(buf_str(&path), &back) == 0);
	cJSON *root = json_parse(buf_str(&back), back.len);
	CHECK_STR(json_str(root, "note", ""), "kept");
	const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "providers"), 0);
	CHECK_STR(json_str(e, "base_url", ""), "http://127.0.0.1:${PORT:-1}/v1");
	CHECK(json_num(cJSON_GetObjectItemCaseSensitive(e, "sim"), "skill", 0) == 0.5);
	cJSON_Delete(root);
	buf_release(&back);
	buf_release(&path);
	dir_remove(dir);
	free(dir);
}
