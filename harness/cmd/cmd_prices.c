/* cmd_prices.c - `tokenbench prices import FILE`: a provider file from
 * OpenRouter's model list (GET https://openrouter.ai/api/v1/models, saved
 * to FILE), whose `pricing` fields are USD per token, given as strings. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

const struct cmd_doc doc_prices = {
	"prices", "import FILE [--match TEXT]... [--as-of YYYY-MM-DD] [--out FILE.json]",
	"prices import FILE: a provider file from OpenRouter's model list",
	"FILE is OpenRouter's /api/v1/models JSON, read from disk (tokenbench fetches nothing).",
	(const struct opt_doc[]){
		{ "match", "TEXT", 'm', "every model", "keep the models whose id contains TEXT; again for more" },
		{ "as-of", "YYYY-MM-DD", 'a', "today", "the prices' date" },
		{ "out", "FILE", 'o', "standard output", "where the provider file goes" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

/* a per-token price string as USD per million tokens; NAN when absent or negative (variable) */
static double per_million(const cJSON *pricing, const char *key)
{
	const char *s = json_str(pricing, key, NULL);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(pricing, key);
	double x = s ? strtod(s, NULL) : cJSON_IsNumber(v) ? v->valuedouble : NAN;
	return isnan(x) || x < 0 ? NAN : x * 1e6;
}

/* 1e6 * 0.00000125 in binary is 1.2499999999999998: round to a cent of a cent */
static double tidy(double v)
{
	return round(v * 1e6) / 1e6;
}

static int import(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_prices, opts);
	const char *matches[64], *out = NULL;
	int nmatch = 0, c;
	char as_of[32];
	time_t now = time(NULL);
	strftime(as_of, sizeof(as_of), "%Y-%m-%d", gmtime(&now));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (nmatch < 64)
				matches[nmatch++] = optarg;
			break;
		case 'a': snprintf(as_of, sizeof(as_of), "%s", optarg); break;
		case 'o': out = optarg; break;
		case 'h': help_print(&doc_prices, stdout); return EXIT_OK;
		default: help_usage(&doc_prices, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		help_usage(&doc_prices, stderr);
		return EXIT_USAGE;
	}
	const char *path = argv[optind];
	struct buf data = BUF_INIT;
	if (file_read(path, &data) < 0)
		return EXIT_USAGE;
	cJSON *root = json_parse(buf_str(&data), data.len);
	buf_release(&data);
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "data");
	if (!cJSON_IsArray(list)) {
		cJSON_Delete(root);
		error("%s: not an OpenRouter model list (no \"data\" array)", path);
		return EXIT_USAGE;
	}
	cJSON *doc = cJSON_CreateObject();
	cJSON *provs = cJSON_AddArrayToObject(doc, "providers");
	const cJSON *m;
	int kept = 0, skipped = 0;
	cJSON_ArrayForEach(m, list) {
		const char *id = json_str(m, "id", NULL);
		const cJSON *pricing = cJSON_GetObjectItemCaseSensitive(m, "pricing");
		if (!id || !pricing)
			continue;
		int want = nmatch == 0;
		for (int i = 0; i < nmatch && !want; i++)
			want = strstr(id, matches[i]) != NULL;
		if (!want)
			continue;
		double in = per_million(pricing, "prompt"), outp = per_million(pricing, "completion");
		if (isnan(in) || isnan(outp)) {
			warning("%s: '%s' has no fixed per-token price; skipped", path, id);
			skipped++;
			continue;
		}
		double read = per_million(pricing, "input_cache_read"), write = per_million(pricing, "input_cache_write");
		cJSON *p = cJSON_CreateObject();
		const char *slash = strchr(id, '/');
		char *name = xstrdup(slash ? slash + 1 : id);
		for (char *q = name; *q; q++)
			if (*q == ':' || *q == '/')
				*q = '-';
		cJSON_AddStringToObject(p, "name", name);
		free(name);
		cJSON_AddStringToObject(p, "protocol", "openai");
		cJSON_AddStringToObject(p, "base_url", "https://openrouter.ai/api/v1");
		cJSON_AddStringToObject(p, "model", id);
		cJSON_AddStringToObject(p, "api_key_env", "OPENROUTER_API_KEY");
		cJSON *pr = cJSON_AddObjectToObject(p, "price");
		cJSON_AddNumberToObject(pr, "input", tidy(in));
		cJSON_AddNumberToObject(pr, "output", tidy(outp));
		cJSON_AddNumberToObject(pr, "cached_input", tidy(isnan(read) ? in : read));
		cJSON_AddNumberToObject(pr, "cache_write", tidy(isnan(write) ? 0 : write));
		cJSON_AddStringToObject(pr, "as_of", as_of);
		cJSON_AddStringToObject(pr, "source", "https://openrouter.ai/api/v1/models");
		cJSON_AddNumberToObject(p, "max_concurrency", 8);
		const cJSON *top = cJSON_GetObjectItemCaseSensitive(m, "top_provider");
		double maxc = json_num(top, "max_completion_tokens", 8192);
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(p, "params"), "max_tokens", fmin(maxc > 0 ? maxc : 8192, 16000));
		cJSON_AddItemToArray(provs, p);
		kept++;
	}
	cJSON_Delete(root);
	struct buf text = BUF_INIT;
	json_pretty(&text, doc);
	cJSON_Delete(doc);
	int rc = EXIT_OK;
	if (out) {
		if (file_write_atomic(out, text.data, text.len) < 0)
			rc = EXIT_SYSTEM;
		else
			fprintf(stderr, "tokenbench: %d providers written to %s (%d skipped)\n", kept, out, skipped);
	} else {
		fputs(buf_str(&text), stdout);
	}
	buf_release(&text);
	if (kept == 0 && rc == EXIT_OK) {
		error("no model of '%s' matched", path);
		rc = EXIT_USAGE;
	}
	return rc;
}

int cmd_prices(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return import(argc - 1, argv + 1);
	int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
	if (help)
		help_print(&doc_prices, stdout);
	else
		help_usage(&doc_prices, stderr);
	return help ? EXIT_OK : EXIT_USAGE;
}
