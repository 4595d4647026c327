/* test_sim.c - simulated answers: broken variants and determinism. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine/prompt.h"
#include "sim/sim_model.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/rng.h"
#include "util/xalloc.h"

void test_sim_mutate_changes(void)
{
	static const char *const codes[] = {
		"    return a + b\n",
		"    if n <= 1:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
		"#include <string.h>\nint f(const char *s) { return strlen(s) == 0 && s[0] != 'x'; }\n",
		"    \"\"\"doc with <= inside\"\"\"\n    return x * 2\n",
	};
	for (size_t i = 0; i < sizeof(codes) / sizeof(*codes); i++)
		for (unsigned long long pick = 0; pick < 8; pick++) {
			char *m = sim_mutate(codes[i], pick);
			CHECK(strcmp(m, codes[i]) != 0);
			/* docstrings and #include lines are left alone */
			CHECK(strstr(codes[i], "\"\"\"doc with <= inside\"\"\"") == NULL ||
			      strstr(m, "\"\"\"doc with <= inside\"\"\"") != NULL);
			CHECK(strstr(codes[i], "#include <string.h>") == NULL || strstr(m, "#include <string.h>") != NULL);
			free(m);
		}
}

void test_sim_answer_deterministic(void)
{
	struct sim_world w;
	sim_world_init(&w);
	char *path = xasprintf("%s/suite_mixed.jsonl", test_data_dir());
	CHECK(sim_world_add_suite(&w, path) == 0);
	free(path);
	w.profiles = xcalloc(1, sizeof(*w.profiles));
	w.n = 1;
	w.profiles[0] = (struct sim_profile){ .model = xstrdup("m"), .skill = 0.5, .difficulty_slope = 0.5,
					      .latency_median_ms = 100, .latency_sigma = 0.2,
					      .reasoning_mean = 50, .cache_hit_rate = 0.5, .w_fenced = 1 };
	struct prompt pr;
	prompt_render(&pr, suite_find(&w.suite, "py/add"), NULL);
	int correct = 0;
	for (long seed = 0; seed < 40; seed++) {
		struct sim_answer a, b;
		sim_answer(&w, &w.profiles[0], pr.msgs, pr.n, seed, 4096, 0, &a);
		sim_answer(&w, &w.profiles[0], pr.msgs, pr.n, seed, 4096, 0, &b);
		CHECK(a.task && strcmp(a.task->id, "py/add") == 0);
		CHECK_STR(a.text, b.text);
		CHECK(a.latency_ms == b.latency_ms && a.completion_tokens == b.completion_tokens);
		CHECK(a.completion_tokens >= a.reasoning_tokens && a.prompt_tokens >= a.cached_tokens);
		CHECK(strncmp(a.text, "```python\n", 10) == 0);
		correct += a.correct;
		sim_answer_release(&a);
		sim_answer_release(&b);
	}
	/* skill 0.5 at difficulty 1: about half */
	CHECK(correct > 8 && correct < 32);
	/* an answer cut by max_tokens says so */
	struct sim_answer c;
	sim_answer(&w, &w.profiles[0], pr.msgs, pr.n, 1, 60, 0, &c);
	CHECK_STR(c.finish_reason, "length");
	CHECK(c.completion_tokens <= 60);
	sim_answer_release(&c);
	/* an unknown prompt still gets an answer */
	struct message unknown = { "user", "what is this?" };
	sim_answer(&w, &w.profiles[0], &unknown, 1, 1, 4096, 0, &c);
	CHECK(c.task == NULL && c.text && c.prompt_tokens > 0);
	sim_answer_release(&c);
	prompt_release(&pr);
	sim_world_release(&w);
}

/* pass_rate sets a model's true rate exactly, and task_correlation in the
 * profile file how answers to one task go together */
void test_sim_pass_rate_exact(void)
{
	char *path = xasprintf("%s/profiles.json", test_tmpdir());
	const char *text = "{\"task_correlation\": 1, \"profiles\": [{\"model\": \"a\", \"pass_rate\": 0.5},"
			   " {\"model\": \"b\", \"skill\": 0.5}]}\n";
	CHECK(file_write(path, text, strlen(text), 0644) == 0);
	struct sim_world w;
	sim_world_init(&w);
	CHECK(sim_world_load_profiles(&w, path) == 0);
	CHECK(w.task_correlation == 1 && w.n == 2);
	CHECK(w.profiles[0].has_pass_rate && w.profiles[0].pass_rate == 0.5 && !w.profiles[1].has_pass_rate);
	char *suite = xasprintf("%s/suite_mixed.jsonl", test_data_dir());
	CHECK(sim_world_add_suite(&w, suite) == 0);
	free(suite);
	/* with correlation 1 a pass_rate model's outcome is its task's latent
	 * alone: the same in every sample and run; skill's latent is the request's */
	struct prompt pr;
	prompt_render(&pr, suite_find(&w.suite, "py/add"), NULL);
	int a_correct = 0, b_correct = 0;
	for (long seed = 0; seed < 40; seed++) {
		struct sim_answer x, y;
		sim_answer(&w, &w.profiles[0], pr.msgs, pr.n, seed, 4096, 0, &x);
		sim_answer(&w, &w.profiles[1], pr.msgs, pr.n, seed, 4096, 0, &y);
		a_correct += x.correct;
		b_correct += y.correct;
		sim_answer_release(&x);
		sim_answer_release(&y);
	}
	CHECK(a_correct == 0 || a_correct == 40);
	CHECK(b_correct > 0 && b_correct < 40);
	prompt_release(&pr);
	sim_world_release(&w);

	/* the command line's correlation wins over the file's; bad values are refused */
	sim_world_init(&w);
	w.task_correlation = 0.2;
	w.task_correlation_fixed = 1;
	CHECK(sim_world_load_profiles(&w, path) == 0 && w.task_correlation == 0.2);
	sim_world_release(&w);
	static const char *const bad[] = {
		"[{\"model\": \"a\", \"pass_rate\": 1.5}]",
		"[{\"model\": \"a\", \"pass_rate\": \"high\"}]",
		"{\"task_correlation\": -0.1, \"profiles\": [{\"model\": \"a\"}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		CHECK(file_write(path, bad[i], strlen(bad[i]), 0644) == 0);
		sim_world_init(&w);
		CHECK(sim_world_load_profiles(&w, path) < 0);
		sim_world_release(&w);
	}
	free(path);

	/* drawn without HTTP: each rate exactly, outcomes correlated by rho */
	struct rng r;
	rng_seed(&r, 7);
	const double rates[2] = { 0.25, 0.8 };
	double m[2], sum[2] = { 0 }, sab = 0;
	const int n = 20000;
	for (int t = 0; t < n; t++) {
		sim_task_outcomes(&r, 0.5, rates, 2, 1, m);
		sum[0] += m[0];
		sum[1] += m[1];
		sab += m[0] * m[1];
	}
	CHECK(fabs(sum[0] / n - 0.25) < 0.015 && fabs(sum[1] / n - 0.8) < 0.015);
	double cov = sab / n - (sum[0] / n) * (sum[1] / n);
	CHECK(cov / sqrt(0.25 * 0.75 * 0.8 * 0.2) > 0.15);
	/* k answers a task: fractions in steps of 1/k */
	sim_task_outcomes(&r, 0.5, rates, 2, 3, m);
	CHECK(fabs(m[0] * 3 - round(m[0] * 3)) < 1e-12);
}
