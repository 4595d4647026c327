/* test_sim.c - simulated answers: broken variants and determinism. */
#include <stdlib.h>

#include "check.h"
#include "engine/prompt.h"
#include "sim/sim_model.h"
#include "tests.h"
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
