/* sim_model.c - simulated model behaviour.
 *
 * A correct answer is the task's reference solution; a wrong one is the
 * reference with one plausible mutation (a comparison flipped, a literal
 * off by one, `and` for `or`). The chance of a correct answer falls with
 * the task's difficulty on the logit scale. Everything is drawn from a
 * generator seeded by (request seed, model, task), so answers repeat. The
 * bash agent's conversations are sim_agent.c's. */
#include "sim/sim_model.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/prompt.h"
#include "score/agent.h"
#include "sim/sim_agent.h"
#include "sim/sim_repo.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/rng.h"
#include "util/sha256.h"
#include "util/xalloc.h"

void sim_world_init(struct sim_world *w)
{
	memset(w, 0, sizeof(*w));
	suite_init(&w->suite);
	strmap_init(&w->by_prompt);
	memset(&w->repos, 0, sizeof(w->repos));
	w->latency_override_ms = -1;
	w->task_correlation = 0.5;
}

void sim_world_release(struct sim_world *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++) {
		free(w->profiles[i].model);
		free(w->profiles[i].faults);
	}
	free(w->profiles);
	suite_release(&w->suite);
	strmap_release(&w->by_prompt);
	repo_store_release(&w->repos);
	sim_world_init(w);
}

static int load_profile(struct sim_profile *p, const char *model, const cJSON *o, const char *where)
{
	memset(p, 0, sizeof(*p));
	p->model = xstrdup(model);
	p->skill = json_num(o, "skill", 0.7);
	p->has_pass_rate = cJSON_GetObjectItemCaseSensitive(o, "pass_rate") != NULL;
	p->pass_rate = json_num(o, "pass_rate", -1);
	p->difficulty_slope = json_num(o, "difficulty_slope", 0.5);
	const cJSON *lat = cJSON_GetObjectItemCaseSensitive(o, "latency_ms");
	p->latency_median_ms = json_num(lat, "median", 500);
	p->latency_sigma = json_num(lat, "sigma", 0.3);
	p->ms_per_output_token = json_num(lat, "per_output_token", 0);
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(o, "tokens");
	p->reasoning_mean = json_num(tok, "reasoning_mean", 0);
	p->cache_hit_rate = json_num(tok, "cache_hit_rate", 0);
	p->cache_min_tokens = (long)json_num(tok, "cache_min", 1024);
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "style");
	p->w_fenced = json_num(st, "fenced", st ? 0 : 1);
	p->w_prose = json_num(st, "prose", 0);
	p->w_bare = json_num(st, "bare", 0);
	p->w_wrong_language = json_num(st, "wrong_language", 0);
	const cJSON *ag = cJSON_GetObjectItemCaseSensitive(o, "agent");
	p->agent_wander = json_num(ag, "wander", 1);
	p->agent_format_error = json_num(ag, "format_error", 0.05);
	p->agent_wrong_fix = json_num(ag, "wrong_fix", 1 - (p->has_pass_rate ? p->pass_rate : p->skill));
	if (p->skill < 0 || p->skill > 1)
		return error("%s: skill must be in 0..1", where);
	if (p->has_pass_rate && !(p->pass_rate >= 0 && p->pass_rate <= 1))
		return error("%s: pass_rate must be a number in 0..1", where);
	if (p->agent_wander < 0 || p->agent_format_error < 0 || p->agent_format_error > 1 || p->agent_wrong_fix < 0 ||
	    p->agent_wrong_fix > 1)
		return error("%s: agent: wander must be 0 or more, format_error and wrong_fix in 0..1", where);
	const cJSON *faults = cJSON_GetObjectItemCaseSensitive(o, "faults"), *f;
	static const char *const kinds[] = { "429", "500", "503", "reset", "stall", "truncate", "malformed",
					     "no_usage", "auth_echo", "stream_error", "no_model", "down", "billing" };
	cJSON_ArrayForEach(f, faults) {
		const char *kind = json_str(f, "kind", "");
		size_t k = 0;
		while (k < sizeof(kinds) / sizeof(*kinds) && strcmp(kinds[k], kind) != 0)
			k++;
		if (k == sizeof(kinds) / sizeof(*kinds))
			return error("%s: unknown fault kind '%s'", where, kind);
		XGROW(p->faults, p->faults_cap, p->nfaults + 1);
		struct sim_fault *x = &p->faults[p->nfaults++];
		memset(x, 0, sizeof(*x));
		x->kind = (enum sim_fault_kind)k;
		x->first_attempts = (int)json_num(f, "first_attempts", 0);
		x->rate = json_num(f, "rate", 0);
		snprintf(x->retry_after, sizeof(x->retry_after), "%s", json_str(f, "retry_after", "1"));
		x->after_answers = (long)json_num(f, "after_answers", 0);
	}
	p->no_models_endpoint = cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "models_endpoint"));
	if (p->w_fenced + p->w_prose + p->w_bare + p->w_wrong_language <= 0)
		return error("%s: style weights must not all be 0", where);
	return 0;
}

int sim_world_load_profiles(struct sim_world *w, const char *path)
{
	struct buf data = BUF_INIT;
	if (file_read(path, &data) < 0)
		return -1;
	cJSON *root = json_parse(buf_str(&data), data.len);
	buf_release(&data);
	const cJSON *list = cJSON_IsArray(root) ? root : cJSON_GetObjectItemCaseSensitive(root, "providers");
	if (!cJSON_IsArray(list))
		list = cJSON_GetObjectItemCaseSensitive(root, "profiles");
	int rc = 0;
	if (!cJSON_IsArray(list)) {
		rc = error("%s: expected a list of profiles or of providers with a \"sim\" object", path);
		goto out;
	}
	const cJSON *rho = cJSON_GetObjectItemCaseSensitive(root, "task_correlation");
	if (rho && (!cJSON_IsNumber(rho) || rho->valuedouble < 0 || rho->valuedouble > 1)) {
		rc = error("%s: task_correlation must be a number in 0..1", path);
		goto out;
	}
	if (rho && !w->task_correlation_fixed)
		w->task_correlation = rho->valuedouble;
	int i = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, list) {
		char *where = xasprintf("%s: entry %d", path, ++i);
		const cJSON *prof = cJSON_GetObjectItemCaseSensitive(o, "sim");
		const char *model = json_str(o, "model", NULL);
		if (!prof)
			prof = o; /* a plain profile list */
		if (!model)
			rc = error("%s: no 'model'", where);
		else if (!sim_find_model(w, model)) {
			XGROW(w->profiles, w->cap, w->n + 1);
			rc = load_profile(&w->profiles[w->n], model, prof, where);
			if (rc == 0)
				rc = sim_wire_load(&w->profiles[w->n].wire, o, prof, where);
			if (rc == 0)
				rc = sim_serve_load(&w->profiles[w->n].serve, prof, where);
			w->n++;
		}
		free(where);
		if (rc < 0)
			break;
	}
	if (rc == 0 && w->n == 0)
		rc = error("%s: no models", path);
out:
	cJSON_Delete(root);
	return rc;
}

static void prompt_hash(const char *user, char out[65])
{
	sha256_buf_hex(user, strlen(user), out);
}

int sim_world_add_suite(struct sim_world *w, const char *path)
{
	size_t before = w->suite.n;
	if (suite_load(&w->suite, path) < 0)
		return -1;
	for (size_t i = before; i < w->suite.n; i++) {
		const struct task *t = &w->suite.tasks[i];
		/* a repository task is recognised in each edit format it may be
		 * asked in, and as the bash agent's first message (4th) */
		struct agent_opts ao;
		agent_opts_default(&ao);
		for (int f = 0; f < (t->repo ? 4 : 1); f++) {
			if (t->repo && !w->repos.cache && repo_store_init(&w->repos, NULL, NULL) < 0)
				return -1;
			struct prompt_opts po = { &w->repos, (enum edit_format)(f % 3), f == 3 ? &ao : NULL };
			struct prompt pr;
			char h[65];
			if (prompt_render(&pr, t, &po) < 0) {
				warning("simulator: task '%s' skipped: its repository cannot be read", t->id);
				break;
			}
			prompt_hash(pr.user, h);
			strmap_put(&w->by_prompt, h, (long)i * 4 + f);
			prompt_release(&pr);
		}
	}
	return 0;
}

int sim_world_set_mirrors(struct sim_world *w, const char *dir)
{
	if (!w->repos.cache && repo_store_init(&w->repos, NULL, dir) < 0)
		return -1;
	free(w->repos.mirrors);
	w->repos.mirrors = xstrdup(dir);
	return 0;
}

const struct sim_profile *sim_find_model(const struct sim_world *w, const char *model)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->profiles[i].model, model) == 0)
			return &w->profiles[i];
	return NULL;
}

/* ---- mutation ---- */

struct swap {
	const char *from, *to;
};

static const struct swap swaps[] = {
	{ "<=", "<" }, { ">=", ">" }, { "==", "!=" }, { "!=", "==" }, { "&&", "||" }, { "||", "&&" },
	{ " and ", " or " }, { " or ", " and " }, { "True", "False" }, { "False", "True" },
	{ "min(", "max(" }, { "max(", "min(" }, { " + ", " - " }, { " - ", " + " }, { "+=", "-=" },
	{ "-=", "+=" }, { "< ", "<= " }, { "> ", ">= " },
};

/* positions of mutable spots outside string literals and comments */
struct spot {
	size_t at;
	int swap;   /* index into swaps, or -1 for an integer literal */
	size_t len; /* literal length */
};

static size_t find_spots(const char *code, struct spot **out)
{
	struct spot *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; code[i];) {
		char c = code[i];
		if (c == '#' && (i == 0 || code[i - 1] == '\n' || code[i - 1] == ' ')) { /* Python comment or C directive */
			while (code[i] && code[i] != '\n')
				i++;
			continue;
		}
		if (c == '/' && code[i + 1] == '/') {
			while (code[i] && code[i] != '\n')
				i++;
			continue;
		}
		if (c == '/' && code[i + 1] == '*') {
			const char *e = strstr(code + i + 2, "*/");
			i = e ? (size_t)(e - code) + 2 : strlen(code);
			continue;
		}
		if (c == '"' || c == '\'') {
			/* Python triple quotes hold docstrings */
			if (code[i + 1] == c && code[i + 2] == c) {
				char q[4] = { c, c, c, 0 };
				const char *e = strstr(code + i + 3, q);
				i = e ? (size_t)(e - code) + 3 : strlen(code);
				continue;
			}
			i++;
			while (code[i] && code[i] != c && code[i] != '\n') {
				if (code[i] == '\\' && code[i + 1])
					i++;
				i++;
			}
			if (code[i])
				i++;
			continue;
		}
		if (isdigit((unsigned char)c) && (i == 0 || (!isalnum((unsigned char)code[i - 1]) &&
							     code[i - 1] != '_' && code[i - 1] != '.'))) {
			size_t k = i;
			while (isdigit((unsigned char)code[k]))
				k++;
			if (!isalpha((unsigned char)code[k]) && code[k] != '.' && code[k] != 'x') {
				XGROW(v, cap, n + 1);
				v[n++] = (struct spot){ i, -1, k - i };
			}
			i = k;
			continue;
		}
		int matched = 0;
		for (size_t s = 0; s < sizeof(swaps) / sizeof(*swaps); s++) {
			size_t len = strlen(swaps[s].from);
			if (strncmp(code + i, swaps[s].from, len) == 0) {
				XGROW(v, cap, n + 1);
				v[n++] = (struct spot){ i, (int)s, len };
				i += len;
				matched = 1;
				break;
			}
		}
		if (!matched)
			i++;
	}
	*out = v;
	return n;
}

char *sim_mutate(const char *code, unsigned long long pick)
{
	struct spot *v;
	size_t n = find_spots(code, &v);
	if (n == 0) {
		free(v);
		/* nothing to flip: an answer that gives up halfway */
		size_t half = strlen(code) / 2;
		return xasprintf("%.*s\n", (int)half, code);
	}
	const struct spot *s = &v[pick % n];
	struct buf b = BUF_INIT;
	buf_append(&b, code, s->at);
	if (s->swap >= 0) {
		buf_puts(&b, swaps[s->swap].to);
	} else {
		long lit = strtol(code + s->at, NULL, 10);
		buf_printf(&b, "%ld", lit == 1 ? 0 : lit + 1);
	}
	buf_puts(&b, code + s->at + (s->swap >= 0 ? strlen(swaps[s->swap].from) : s->len));
	free(v);
	return buf_detach(&b);
}

/* ---- answers ---- */

/* the reference as a whole answer, the way a chat model writes it */
static char *reference_answer(const struct task *t)
{
	if (t->format == FMT_MBPP || strcmp(t->language, "c") == 0)
		return xstrdup(t->reference);
	return xasprintf("%s%s", t->prompt, t->reference);
}

static char *mutated_answer(const struct task *t, struct rng *r)
{
	/* mutate the solution part only, so the signature stays intact */
	if (t->format == FMT_MBPP || strcmp(t->language, "c") == 0)
		return sim_mutate(t->reference, rng_next(r));
	char *body = sim_mutate(t->reference, rng_next(r));
	char *all = xasprintf("%s%s", t->prompt, body);
	free(body);
	return all;
}

static int effective_difficulty(const struct task *t)
{
	if (t->difficulty > 0)
		return t->difficulty;
	/* suites without a difficulty: longer references are harder */
	int lines = 0;
	for (const char *p = t->reference; *p; p++)
		lines += *p == '\n';
	return 1 + (lines > 24 ? 4 : lines / 6);
}

static double chance(const struct sim_profile *p, int difficulty)
{
	double s = fmin(fmax(p->skill, 1e-6), 1 - 1e-6);
	double logit = log(s / (1 - s)) - p->difficulty_slope * (difficulty - 1);
	return 1 / (1 + exp(-logit));
}

int sim_outcome(double rho, double p, double z_task, double z_own)
{
	double z = sqrt(rho) * z_task + sqrt(1 - rho) * z_own;
	return 0.5 * erfc(z / M_SQRT2) < p;
}

void sim_task_outcomes(struct rng *r, double rho, const double *rates, size_t np, int k, double *means)
{
	double z_task = rng_normal(r);
	for (size_t i = 0; i < np; i++) {
		int c = 0;
		for (int j = 0; j < k; j++)
			c += sim_outcome(rho, rates[i], z_task, rng_normal(r));
		means[i] = (double)c / k;
	}
}

/* whether this model gets this task right: a Gaussian copula, so that a
 * task that is hard for one model tends to be hard for all (real models'
 * per-task outcomes correlate), while each model keeps its own rate. With
 * `skill`, the rate falls with the task's difficulty and the latent is the
 * request's (seed and task); with `pass_rate`, the rate is the same on
 * every task and the latent is the task's own, shared by every sample of
 * every run, as a task's real difficulty is: the pass rate over tasks is
 * then exactly pass_rate */
static int draws_correct(const struct sim_world *w, const struct sim_profile *p, const struct task *t, long seed,
			 struct rng *own)
{
	struct rng shared;
	double rate;
	if (p->has_pass_rate) {
		rng_seed_str(&shared, 0, "task-latent", t->id, 0);
		rate = p->pass_rate;
	} else {
		rng_seed_str(&shared, (uint64_t)seed, "task-latent", t->id, 0);
		rate = chance(p, effective_difficulty(t));
	}
	double z_task = rng_normal(&shared);
	return sim_outcome(w->task_correlation, rate, z_task, rng_normal(own));
}

long sim_tokens(size_t bytes)
{
	return (long)ceil((double)bytes / 3.7);
}

static void wrap(struct buf *out, const char *code, const char *tag, int style, struct rng *r)
{
	static const char *const intros[] = {
		"Here is an implementation:", "Sure, here's a solution.", "This should do it:",
		"Here's the complete function:",
	};
	static const char *const outros[] = {
		"It handles the edge cases described in the docstring.",
		"The function runs in linear time.", "Let me know if you want tests as well.",
	};
	size_t n = strlen(code);
	const char *nl = n && code[n - 1] == '\n' ? "" : "\n";
	switch (style) {
	case 0:
		buf_printf(out, "```%s\n%s%s```", tag, code, nl);
		break;
	case 1:
		buf_printf(out, "%s\n\n```%s\n%s%s```\n\n%s", intros[rng_below(r, 4)], tag, code, nl,
			   outros[rng_below(r, 3)]);
		break;
	case 2:
		buf_printf(out, "%s%s", code, nl);
		break;
	default:
		/* the wrong language: the same idea, in JavaScript */
		buf_printf(out, "Here is a JavaScript version:\n\n```javascript\nfunction solve(input) {\n"
				"  // TODO: port of the algorithm\n  return input;\n}\n```");
	}
}

long sim_prompt_tokens(const struct message *msgs, size_t n)
{
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += strlen(msgs[i].content);
	return sim_tokens(bytes) + 7;
}

void sim_answer(struct sim_world *w, const struct sim_profile *p, const struct message *msgs, size_t n, long seed,
		long max_tokens, long reasoning_budget, struct sim_answer *out)
{
	memset(out, 0, sizeof(*out));
	/* the first user message names the task; each user message is a turn */
	const char *user = NULL;
	int turn = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(msgs[i].role, "user") == 0 && turn++ == 0)
			user = msgs[i].content;
	char h[65];
	prompt_hash(user ? user : "", h);
	long at;
	const struct task *t = strmap_get(&w->by_prompt, h, &at) ? &w->suite.tasks[at / 4] : NULL;
	struct rng r;
	/* a later turn draws afresh: a second try may succeed where the first failed */
	rng_seed_str(&r, (uint64_t)seed, p->model, t ? t->id : h, (uint64_t)turn);
	struct buf text = BUF_INIT;
	if (t && t->repo && at % 4 == 3) {
		int wrong;
		out->task = t;
		out->agent = 1;
		sim_agent_answer(&w->repos, t, p, msgs, n, seed, &text, &wrong);
		out->correct = !wrong;
	} else if (t && t->repo) {
		out->task = t;
		out->correct = draws_correct(w, p, t, seed + 7919L * (turn - 1), &r);
		/* a model that writes the wrong language writes patches that do not apply */
		double total = p->w_fenced + p->w_prose + p->w_bare + p->w_wrong_language;
		enum sim_patch kind = out->correct ? PATCH_GOOD
				      : rng_uniform(&r) * total < p->w_wrong_language ? PATCH_NOT_APPLYING
										      : PATCH_WRONG;
		sim_repo_answer(&w->repos, t, (enum edit_format)(at % 4), kind, &r, &text);
	} else if (t && strcmp(t->kind, "exact") == 0) {
		out->task = t;
		out->correct = draws_correct(w, p, t, seed, &r);
		if (out->correct)
			buf_puts(&text, t->reference);
		else {
			char *m = sim_mutate(t->reference, rng_next(&r));
			buf_puts(&text, m);
			free(m);
		}
	} else if (t) {
		out->task = t;
		out->correct = draws_correct(w, p, t, seed, &r);
		char *code = out->correct ? reference_answer(t) : mutated_answer(t, &r);
		double total = p->w_fenced + p->w_prose + p->w_bare + p->w_wrong_language;
		double u = rng_uniform(&r) * total;
		int style = u < p->w_fenced ? 0 : u < p->w_fenced + p->w_prose ? 1
					     : u < p->w_fenced + p->w_prose + p->w_bare ? 2 : 3;
		wrap(&text, code, prompt_fence_tag(t), style, &r);
		free(code);
	} else {
		buf_puts(&text, "I could not find a task in this request. Here is a small example:\n\n"
				"```python\ndef answer():\n    return 42\n```");
	}
	out->prompt_tokens = sim_prompt_tokens(msgs, n);
	/* the agent's prompt cache follows its conversation's prefix (sim_api.c) */
	if (!out->agent && p->cache_hit_rate > 0 && rng_uniform(&r) < p->cache_hit_rate)
		out->cached_tokens = out->prompt_tokens / 64 * 64 / 2;
	if (p->reasoning_mean > 0) {
		/* drawn whether or not the request lets it reason, so that the draws after it repeat */
		double u = rng_uniform(&r);
		if (reasoning_budget >= 0)
			out->reasoning_tokens = (long)(p->reasoning_mean * (0.25 + 1.5 * u));
		if (reasoning_budget > 0 && out->reasoning_tokens > reasoning_budget)
			out->reasoning_tokens = reasoning_budget;
	}
	long answer_tokens = sim_tokens(text.len);
	out->finish_reason = "stop";
	if (max_tokens > 0 && answer_tokens + out->reasoning_tokens > max_tokens) {
		/* out of tokens: the answer stops mid-way */
		long keep = max_tokens - out->reasoning_tokens;
		if (keep < 0) {
			keep = 0;
			out->reasoning_tokens = max_tokens;
		}
		size_t bytes = (size_t)((double)keep * 3.7);
		if (bytes < text.len)
			text.data[text.len = bytes] = '\0';
		answer_tokens = keep;
		out->finish_reason = "length";
	}
	out->completion_tokens = answer_tokens + out->reasoning_tokens;
	if (w->latency_override_ms >= 0) {
		out->latency_ms = w->latency_override_ms;
	} else {
		out->latency_ms = p->latency_median_ms * exp(p->latency_sigma * rng_normal(&r)) +
				  p->ms_per_output_token * (double)out->completion_tokens;
	}
	out->text = buf_detach(&text);
}

void sim_answer_release(struct sim_answer *a)
{
	if (!a)
		return;
	free(a->text);
	a->text = NULL;
}
