/* cmd_reprice.c - `tokenbench reprice DIR --providers FILE`: every cost of a
 * run recomputed with another dated price table, from the usage each record
 * kept (each try's and each agent turn's too, and what the prompt cache
 * saved); not a single request is sent. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/provider.h"
#include "rundir/manifest.h"
#include "rundir/store.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

const struct cmd_doc doc_reprice = {
	"reprice", "DIR --providers FILE [--out DIR2] [--alongside SUFFIX] [--quiet]",
	"recompute every cost of a run with another price table",
	"Writes DIR2: the same samples with costs from FILE's prices, each record keeping its former cost "
	"in repriced_from_usd; then the report and charts.",
	(const struct opt_doc[]){
		{ "providers", "FILE", 'p', NULL, "the provider file whose prices apply" },
		{ "out", "DIR2", 'o', "DIR-repriced", "the new run directory" },
		{ "alongside", "SUFFIX", 'a', NULL,
		  "keep each repriced provider's records as they were and add them again as provider "
		  "'NAME SUFFIX' at FILE's price: one provider, two cost points" },
		{ "quiet", NULL, 'q', NULL, "no table at the end" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

/* a record's list of tries or turns with each one's cost from its usage */
static void reprice_steps(char **json, const struct price *p)
{
	cJSON *list = *json ? cJSON_Parse(*json) : NULL;
	cJSON *step;
	cJSON_ArrayForEach(step, list) {
		struct usage use;
		usage_from_json(&use, step);
		cJSON_DeleteItemFromObjectCaseSensitive(step, "cost_usd");
		json_add_num(step, "cost_usd", price_cost(p, &use));
	}
	if (list) {
		free(*json);
		*json = json_text(list);
	}
	cJSON_Delete(list);
}

int cmd_reprice(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_reprice, opts);
	const char *prov_path = NULL, *out = NULL, *alongside = NULL;
	int quiet = 0, c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': prov_path = optarg; break;
		case 'o': out = optarg; break;
		case 'q': quiet = 1; break;
		case 'a': alongside = optarg; break;
		case 'h': help_print(&doc_reprice, stdout); return EXIT_OK;
		default: help_usage(&doc_reprice, stderr); return EXIT_USAGE;
		}
	}
	if (!prov_path || optind != argc - 1) {
		help_usage(&doc_reprice, stderr);
		return EXIT_USAGE;
	}
	const char *dir = argv[optind];
	char *out_alloc = out ? NULL : xasprintf("%s-repriced", dir);
	if (!out)
		out = out_alloc;
	struct provider_set ps;
	struct recset rs;
	struct store st = { .lock_fd = -1 };
	provider_set_init(&ps);
	recset_init(&rs);
	int rc = EXIT_USAGE;
	if (provider_set_load(&ps, prov_path) < 0 || recset_load(&rs, dir, 0) < 0)
		goto out;
	if (path_exists(out)) {
		error("'%s' exists; reprice writes a new directory (use --out)", out);
		goto out;
	}
	rc = EXIT_SYSTEM;
	if (store_open(&st, out) < 0)
		goto out;
	size_t changed = 0, unpriced = 0;
	double before = 0, after = 0;
	for (size_t i = 0; i < rs.n; i++) {
		struct record *r = &rs.v[i];
		const struct provider *p = provider_find(&ps, r->provider);
		if (!isnan(r->cost_usd))
			before += r->cost_usd;
		if (alongside && p && !isnan(r->cost_usd)) {
			/* the record at its own price first, then its copy under the new name */
			after += r->cost_usd;
			if (store_append(&st, r) < 0)
				goto out;
			char *name = xasprintf("%s %s", r->provider, alongside);
			record_set_str(&r->provider, name);
			free(name);
		}
		if (p && !isnan(r->cost_usd)) {
			r->repriced_from_usd = isnan(r->repriced_from_usd) ? r->cost_usd : r->repriced_from_usd;
			const char *source = price_answer(&p->price, &r->usage, NAN, r->usage_estimated, &r->cost_usd);
			record_set_str(&r->cost_source, source);
			if (r->usage.cached_input || r->usage.cache_write)
				r->cache_saving_usd = price_cache_saving(&p->price, &r->usage);
			reprice_steps(&r->tries, &p->price);
			reprice_steps(&r->per_turn, &p->price);
			changed++;
		} else if (!p) {
			unpriced++;
		}
		if (!isnan(r->cost_usd))
			after += r->cost_usd;
		if (store_append(&st, r) < 0)
			goto out;
	}
	store_close(&st);
	char *run_json = xasprintf("%s/run.json", dir);
	struct buf old = BUF_INIT;
	cJSON *m = path_exists(run_json) && file_read(run_json, &old) == 0 ? cJSON_Parse(buf_str(&old)) : NULL;
	if (!m)
		m = cJSON_CreateObject();
	cJSON *rp = cJSON_CreateObject();
	cJSON_AddStringToObject(rp, "from", dir);
	cJSON_AddStringToObject(rp, "providers", prov_path);
	cJSON_AddStringToObject(rp, "sha256", ps.hash);
	cJSON_AddItemToObject(rp, "prices", provider_prices_json(&ps));
	cJSON_DeleteItemFromObject(m, "repriced");
	cJSON_AddItemToObject(m, "repriced", rp);
	int wrc = manifest_write(m, out);
	cJSON_Delete(m);
	buf_release(&old);
	free(run_json);
	if (wrc < 0)
		goto out;
	if (unpriced)
		warning("%zu records belong to providers not in '%s'; their costs are unchanged", unpriced, prov_path);
	if (!quiet)
		printf("%zu of %zu records repriced with %s: $%.6f before, $%.6f after\n\n", changed, rs.n, prov_path,
		       before, after);
	rc = finish_run_dir(out, quiet) < 0 ? EXIT_SYSTEM : EXIT_OK;
out:
	store_close(&st);
	recset_release(&rs);
	provider_set_release(&ps);
	free(out_alloc);
	return rc;
}
