/* test_agent.c - the bash agent's pure parts: the command of an answer,
 * the observation of a command, the limits; and the UTF-8 cleaning its
 * observations rely on. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "score/agent.h"
#include "tests.h"
#include "util/buf.h"
#include "util/xalloc.h"

void test_agent_command(void)
{
	static const struct {
		const char *answer;
		int blocks;
		const char *cmd; /* NULL: no command taken */
	} cases[] = {
		{ "I will think about it first.", 0, NULL },
		{ "Let me look.\n\n```bash\nls -la\n```\n", 1, "ls -la\n" },
		{ "```sh\ngrep -rn foo .\n```", 1, "grep -rn foo .\n" },
		{ "```shell\nmake test\n```", 1, "make test\n" },
		{ "```BASH\npwd\n```", 1, "pwd\n" },
		{ "~~~bash\nls\n~~~", 1, "ls\n" },
		/* a plain fence is not a command: the rule says ```bash */
		{ "```\nls\n```", 0, NULL },
		{ "```python\nprint(1)\n```", 0, NULL },
		/* a snippet in another language beside the one command is fine */
		{ "The bug:\n```python\nx = 1\n```\nSo:\n```bash\nsed -i 's/1/2/' a.py\n```", 1, "sed -i 's/1/2/' a.py\n" },
		{ "```bash\nls\n```\nand\n```bash\npwd\n```", 2, NULL },
		{ "```bash\nls\n```\n```sh\npwd\n```\n```bash\nid\n```", 3, NULL },
		/* cut off at max_tokens inside its block */
		{ "Here:\n```bash\ncat > a.py <<'EOF'\ndef f(", 1, NULL },
		/* a here-document keeps its lines */
		{ "```bash\ncat > f.txt <<'EOF'\na\nb\nEOF\n```", 1, "cat > f.txt <<'EOF'\na\nb\nEOF\n" },
		{ "", 0, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char unset[] = "unset", *cmd = unset; /* agent_command sets it, to NULL too */
		int n = agent_command(cases[i].answer, &cmd);
		CHECK(n == cases[i].blocks);
		if (cases[i].cmd)
			CHECK_STR(cmd, cases[i].cmd);
		else
			CHECK(cmd == NULL);
		free(cmd);
	}
	CHECK(agent_is_submit("echo SUBMIT\n"));
	CHECK(agent_is_submit("  echo SUBMIT \n\n"));
	CHECK(!agent_is_submit("echo SUBMIT && ls\n"));
	CHECK(!agent_is_submit("ls\necho SUBMIT\n"));
	CHECK(!agent_is_submit("echo submit\n"));
	CHECK(!agent_is_submit("echo SUBMITTED\n"));
	/* the reminder says what was wrong */
	char *r0 = agent_reminder(0), *r1 = agent_reminder(1), *r2 = agent_reminder(2);
	CHECK(strstr(r0, "no ```bash block") && strstr(r0, AGENT_SUBMIT));
	CHECK(strstr(r1, "never closed"));
	CHECK(strstr(r2, "2 ```bash blocks"));
	free(r0);
	free(r1);
	free(r2);
}

void test_agent_observation(void)
{
	size_t cut = 99;
	struct agent_output o = { .exit_code = 0, .head = "hello\n", .head_len = 6, .total = 6 };
	char *s = agent_observation(&o, 8000, &cut);
	CHECK_STR(s, "exit code 0\n\nhello\n");
	CHECK(cut == 0);
	free(s);
	o = (struct agent_output){ .exit_code = 2, .head = "", .head_len = 0, .total = 0 };
	s = agent_observation(&o, 8000, &cut);
	CHECK_STR(s, "exit code 2\n(no output)");
	free(s);
	o = (struct agent_output){ .exit_code = 137, .timed_out = 1, .limit_s = 120, .head = "x", .head_len = 1, .total = 1 };
	s = agent_observation(&o, 8000, &cut);
	CHECK(strstr(s, "exit code 137 (killed: the command ran longer than its 120 s)") == s);
	free(s);
	/* 1,000 numbered lines (about 10 KB), 1,000 bytes shown: the start and
	 * the end, cut at line ends, with a note of exactly what was cut */
	struct buf big = BUF_INIT;
	for (int i = 1; i <= 1000; i++)
		buf_printf(&big, "line %04d\n", i);
	o = (struct agent_output){ .exit_code = 1, .head = big.data, .head_len = big.len, .total = big.len };
	s = agent_observation(&o, 1000, &cut);
	CHECK(strncmp(s, "exit code 1\n\nline 0001\n", 23) == 0);
	CHECK(strstr(s, "line 0050\n[... ") != NULL);
	CHECK(strstr(s, " bytes of output cut here: it had 10000 bytes, of which the first 500 and the last 500 are "
			"shown ...]\nline 0951\n") != NULL);
	CHECK(strstr(s, "line 1000\n") != NULL && strstr(s, "line 0500") == NULL);
	CHECK(cut == 9000);
	CHECK(strlen(s) < 1000 + 200);
	free(s);
	/* when the sandbox kept only a head and a tail, the tail is the end */
	o = (struct agent_output){ .exit_code = 0, .head = big.data, .head_len = 5000, .tail = big.data + big.len - 300,
				   .tail_len = 300, .total = 50000 };
	s = agent_observation(&o, 1000, &cut);
	CHECK(strstr(s, "it had 50000 bytes") != NULL);
	CHECK(strstr(s, "shown ...]\nline 0972\n") != NULL && strstr(s, "line 1000\n") != NULL);
	CHECK(cut == 50000 - 500 - 290);
	free(s);
	buf_release(&big);
	/* binary output becomes valid UTF-8: a NUL and stray bytes are U+FFFD */
	static const char bin[] = "ok \xc3\xa9 \x00\xff\xfe end \xe2\x82";
	o = (struct agent_output){ .exit_code = 0, .head = bin, .head_len = sizeof(bin) - 1, .total = sizeof(bin) - 1 };
	s = agent_observation(&o, 8000, &cut);
	CHECK_STR(s, "exit code 0\n\nok \xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd end \xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

void test_agent_limits(void)
{
	struct agent_opts o;
	agent_opts_default(&o);
	CHECK(o.max_turns == 30 && o.max_cost_usd == 0 && o.max_time_s == 900 && o.output_bytes == 8000);
	o.max_turns = 5;
	o.max_cost_usd = 1.0;
	o.max_time_s = 60;
	static const struct {
		int turns;
		double cost, worst, time_s;
		const char *want;
	} cases[] = {
		{ 0, 0, 0.1, 0, NULL },
		{ 4, 0.5, 0.4, 59, NULL },
		{ 5, 0, 0, 0, "turn_limit" },
		/* the worst case of the next request counts, as for the budget */
		{ 2, 0.7, 0.31, 0, "cost_limit" },
		{ 2, 0.7, 0.3, 0, NULL },
		{ 2, 0, 0, 60, "time_limit" },
		/* in this order when several hold */
		{ 5, 2, 0, 100, "turn_limit" },
		{ 1, 2, 0, 100, "cost_limit" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *got = agent_limit(&o, cases[i].turns, cases[i].cost, cases[i].worst, cases[i].time_s);
		if (cases[i].want)
			CHECK_STR(got, cases[i].want);
		else
			CHECK(got == NULL);
	}
	/* no --agent-cost: no cost limit */
	o.max_cost_usd = 0;
	CHECK(agent_limit(&o, 1, 1e6, 1e6, 0) == NULL);
}

void test_buf_utf8(void)
{
	static const struct {
		const char *in;
		size_t n;
		const char *want;
	} cases[] = {
		{ "plain", 5, "plain" },
		{ "\xf0\x9f\x99\x82 smile", 10, "\xf0\x9f\x99\x82 smile" },
		/* an overlong '/', a surrogate, a lone continuation byte */
		{ "\xc0\xaf|\xed\xa0\x80|\x80", 8, "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd" },
		{ "a\0b", 3, "a\xef\xbf\xbd" "b" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct buf b = BUF_INIT;
		buf_append_utf8(&b, cases[i].in, cases[i].n);
		CHECK_STR(buf_str(&b), cases[i].want);
		buf_release(&b);
	}
}
