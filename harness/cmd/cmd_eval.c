/* cmd_eval.c - `tokenbench eval-predictions`: scores answers produced
 * elsewhere, with no request sent, into an ordinary run directory. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/env.h"
#include "core/predictions.h"
#include "core/suite.h"
#include "engine/records.h"
#include "rundir/manifest.h"
#include "rundir/store.h"
#include "score/repo.h"
#include "score/score.h"
#include "score/swebench.h"
#include "util/msg.h"
#include "util/signals.h"
#include "util/xalloc.h"

const struct cmd_doc doc_eval = {
	"eval-predictions", "--suite PATH... (--predictions PATH | --gold | --empty) [--name N] [--out DIR] [OPTIONS]",
	"score answers produced elsewhere, with no request sent",
	"Predictions: HumanEval/EvalPlus samples (task_id with completion or solution) or SWE-bench "
	"predictions (instance_id, model_patch, model_name_or_path), as JSONL, a JSON list, or an object "
	"keyed by instance id. The run directory is run's.",
	(const struct opt_doc[]){
		SCORING_OPTIONS,
		{ "predictions", "PATH", 'p', NULL, "the answers to score" },
		{ "name", "N", 'n', "model_name_or_path, or the file's name", "the provider name the records get" },
		{ "gold", NULL, 'g', NULL, "score each task's reference solution instead (checks the suite and the sandbox)" },
		{ "empty", NULL, 'e', NULL, "score an empty answer for each task (every one must fail)" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

struct item {
	const struct prediction *pred;
	const struct task *task;
	struct store *store;
	size_t *done, total;
	int *errors;
	int quiet;
};

static void on_scored(void *arg, struct verdict *v)
{
	struct item *it = arg;
	struct record r;
	record_init(&r);
	record_set_str(&r.task, it->task->id);
	record_set_str(&r.provider, it->pred->provider);
	record_set_str(&r.model, it->pred->provider);
	r.sample = it->pred->sample;
	r.status = v->error ? ST_ERROR : v->passed ? ST_PASSED : ST_FAILED;
	record_set_str(&r.fail_reason, !v->error && !v->passed ? v->reason : NULL);
	record_set_str(&r.error_kind, v->error ? v->reason : NULL);
	record_set_str(&r.detail, v->detail);
	record_set_str(&r.cluster, it->task->cluster);
	if (records_take_verdict(&r, v, it->store) < 0)
		*it->errors += 1;
	if (store_append(it->store, &r) < 0)
		*it->errors += 1;
	record_release(&r);
	*it->errors += v->error;
	(*it->done)++;
	if (!it->quiet && (*it->done % 50 == 0 || *it->done == it->total))
		note("scored %zu/%zu", *it->done, it->total);
}

/* the reference or the empty answer for every task */
static void synth_predictions(struct predictions *p, const struct suite *s, int gold)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct task *t = &s->tasks[i];
		XGROW(p->v, p->cap, p->n + 1);
		struct prediction *x = &p->v[p->n++];
		memset(x, 0, sizeof(*x));
		x->task_id = xstrdup(t->id);
		x->provider = xstrdup(gold ? "gold" : "empty");
		x->code = xstrdup(gold ? t->reference : "");
		x->mode = program_reference_mode(t);
		x->origin = xstrdup(t->origin);
	}
}

/* what the environment spec says of a task it marks unusable, or NULL */
static const char *spec_unusable(const struct env_spec *env, const struct suite *s, const char *id)
{
	const struct task *t = suite_find(s, id);
	if (!env->root || !t || !t->repo || t->repo->test_cmd)
		return NULL;
	const struct env_entry *x = env_find(env, t->repo->name, t->repo->version);
	return x ? env_unusable(x, id) : NULL;
}

/* after --gold or --empty: which tasks this environment can score. With the
 * reference patch every task must pass; with the empty one every task must
 * fail (its FAIL_TO_PASS tests really fail). A repository task the strict
 * rule fails only through the spec's known failures is usable too: the
 * adjusted verdict scores it */
/* whether a record shows its task usable: with the reference patch, resolved
 * (or resolved once the spec's known environment failures are excluded:
 * *adjusted); with the empty patch, not one FAIL_TO_PASS test passing */
static int record_usable(const struct record *r, int gold, int *adjusted)
{
	*adjusted = 0;
	if (gold) {
		*adjusted = r->status == ST_FAILED && r->report && swebench_report_adjusted(r->report, 0);
		return r->status == ST_PASSED || *adjusted;
	}
	/* an empty patch under which no test result came out at all (the test
	 * patch crashes the unfixed code's test run) passes no FAIL_TO_PASS test
	 * either, as SWE-bench counts missing tests */
	if (r->status == ST_ERROR && r->error_kind && strcmp(r->error_kind, "tests_did_not_run") == 0)
		return 1;
	return r->status == ST_FAILED && swebench_report_count(r->report, "FAIL_TO_PASS", "success") <= 0;
}

static void usability(const char *dir, int gold, const struct env_spec *env, const struct suite *s)
{
	struct recset rs;
	recset_init(&rs);
	if (recset_load(&rs, dir, 0) < 0)
		return;
	size_t usable = 0, adjusted = 0;
	int adj;
	for (size_t i = 0; i < rs.n; i++) {
		usable += record_usable(&rs.v[i], gold, &adj);
		adjusted += adj;
	}
	printf("\n%s: %zu of %zu tasks %s", gold ? "gold" : "empty", usable, rs.n,
	       gold ? "pass with the reference solution" : "fail with an empty answer, as they must");
	if (adjusted)
		printf(" (%zu of them once the known environment failures are excluded)", adjusted);
	printf("\n");
	for (size_t i = 0; i < rs.n; i++) {
		const struct record *r = &rs.v[i];
		const char *why = spec_unusable(env, s, r->task);
		if (record_usable(r, gold, &adj)) {
			if (why)
				printf("  passes this check, though the spec marks it unusable: %s (%s)\n", r->task, why);
			continue;
		}
		printf("  not usable here: %s (%s%s%s)%s%s\n", r->task, status_name(r->status), r->detail ? ": " : "",
		       r->detail ? r->detail : "", why ? "; the spec says: " : "", why ? why : "");
	}
	recset_release(&rs);
}

/* the patches that edit files SWE-bench's harness edits before it applies a
 * patch (the spec's harness_edits): SWE-bench may fail to apply them and call
 * them unresolved whatever their tests say, so a comparison with its
 * published verdicts should know them */
static int cmp_record(const void *a, const void *b)
{
	const struct record *x = *(const struct record *const *)a, *y = *(const struct record *const *)b;
	int c = strcmp(x->task, y->task);
	return c ? c : strcmp(x->provider, y->provider);
}

static void harness_edits_note(const char *dir)
{
	struct recset rs;
	recset_init(&rs);
	if (recset_load(&rs, dir, 0) < 0)
		return;
	const struct record **v = xcalloc(rs.n + 1, sizeof(*v));
	for (size_t i = 0; i < rs.n; i++)
		v[i] = &rs.v[i];
	qsort(v, rs.n, sizeof(*v), cmp_record);
	size_t n = 0;
	for (size_t i = 0; i < rs.n; i++) {
		cJSON *files = swebench_report_harness_edits(v[i]->report);
		if (!files)
			continue;
		if (!n++)
			printf("\npatches that edit files SWE-bench's harness edits before it applies a patch (there "
			       "they may not apply, and its verdict is then unresolved whatever the tests say):\n");
		printf("  %s (%s): ", v[i]->task, v[i]->provider);
		const cJSON *f;
		int k = 0;
		cJSON_ArrayForEach(f, files)
			printf("%s%s", k++ ? ", " : "", cJSON_IsString(f) ? f->valuestring : "?");
		printf("; %s here\n", v[i]->status == ST_PASSED ? "resolved" : "not resolved");
		cJSON_Delete(files);
	}
	free(v);
	recset_release(&rs);
}

int cmd_eval(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_eval, opts);
	struct suite suite;
	struct predictions preds;
	suite_init(&suite);
	predictions_init(&preds);
	const char *pred_path = NULL, *name = NULL;
	struct scoring_opts o;
	scoring_opts_init(&o);
	struct repo_store repos = { 0 };
	struct env_spec env;
	env_init(&env);
	int gold = 0, empty = 0, rc = EXIT_USAGE, c, taken;
	char *out_alloc = NULL;
	struct store store = { 0 };
	struct recset have;
	struct scorer *sc = NULL;
	struct item *items = NULL;
	cJSON *manifest = NULL;
	recset_init(&have);
	store.lock_fd = -1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((taken = opt_scoring(c, optarg, &o, &suite)) != 0) {
			if (taken < 0)
				goto out;
			continue;
		}
		switch (c) {
		case 'p': pred_path = optarg; break;
		case 'n': name = optarg; break;
		case 'g': gold = 1; break;
		case 'e': empty = 1; break;
		case 'h': help_print(&doc_eval, stdout); rc = EXIT_OK; goto out;
		default: help_usage(&doc_eval, stderr); goto out;
		}
	}
	if (!o.nsuites || (!!pred_path + gold + empty) != 1 || optind != argc) {
		help_usage(&doc_eval, stderr);
		goto out;
	}
	msg_set_quiet(o.quiet);
	if (suite_select(&suite, &o.filter) < 0)
		goto out;
	if (pred_path && predictions_load(&preds, pred_path, name) < 0)
		goto out;
	if (!pred_path)
		synth_predictions(&preds, &suite, gold);
	size_t unselected = 0;
	for (size_t i = 0; i < preds.n; i++) {
		if (suite_find(&suite, preds.v[i].task_id))
			continue;
		/* with a subset selected, the other tasks' predictions are simply not scored */
		if (o.filter.instances || o.filter.nrepos) {
			predictions_drop(&preds, i--);
			unselected++;
			continue;
		}
		error("%s: task '%s' is not in the suite", preds.v[i].origin, preds.v[i].task_id);
		goto out;
	}
	if (unselected && !o.quiet)
		note("%zu predictions are for tasks not selected: not scored", unselected);
	if (!preds.n) {
		error("no prediction is for a selected task");
		goto out;
	}
	if (!o.out)
		o.out = out_alloc = default_out_dir(pred_path ? "eval" : gold ? "gold" : "empty");
	rc = EXIT_SYSTEM;
	if (store_open(&store, o.out) < 0 || recset_load(&have, o.out, 1) < 0)
		goto out;
	manifest = manifest_new(argc, argv, &suite);
	if (pred_path)
		cJSON_AddStringToObject(manifest, "predictions", pred_path);
	if (manifest_write(manifest, o.out) < 0)
		goto out;
	/* validation re-checks what the spec marks unusable */
	env.run_unusable = gold || empty;
	if (scoring_start(&o, &suite, &repos, &env, manifest, &sc) < 0)
		goto out;
	size_t todo = 0, done = 0;
	int errors = 0;
	items = xcalloc(preds.n + 1, sizeof(*items));
	for (size_t i = 0; i < preds.n; i++) {
		const struct prediction *pr = &preds.v[i];
		const struct record *r = recset_find(&have, pr->task_id, pr->provider, pr->sample);
		if (r && (r->status == ST_PASSED || r->status == ST_FAILED))
			continue;
		items[todo] = (struct item){ pr, suite_find(&suite, pr->task_id), &store, &done, 0, &errors, o.quiet };
		todo++;
	}
	for (size_t i = 0; i < todo; i++) {
		items[i].total = todo;
		scorer_submit(sc, items[i].task, items[i].pred->code, items[i].pred->mode, on_scored, &items[i]);
	}
	if (!o.quiet)
		note("scoring %zu answers (%zu already in %s) with %d sandbox jobs", todo, preds.n - todo, o.out,
		     scorer_jobs(sc));
	scorer_drain(sc);
	if (signals_stop_requested()) {
		error("stopped: %zu of %zu answers scored; run the same command to finish", done, todo);
		rc = EXIT_ATTENTION;
		goto out;
	}
	store_close(&store);
	if (finish_run_dir(o.out, o.quiet) < 0)
		goto out;
	if (gold || empty)
		usability(o.out, gold, &env, &suite);
	else
		harness_edits_note(o.out);
	rc = errors ? EXIT_ATTENTION : EXIT_OK;
out:
	scorer_free(sc);
	store_close(&store);
	recset_release(&have);
	cJSON_Delete(manifest);
	free(items);
	free(out_alloc);
	predictions_release(&preds);
	repo_store_release(&repos);
	env_release(&env);
	scoring_opts_release(&o);
	suite_release(&suite);
	return rc;
}
