/* sim_agent.c - scripted agent trajectories for the simulator.
 *
 * The simulator keeps no state between requests: everything an answer
 * depends on is in the conversation it is sent (how far the script got)
 * and in generators seeded by (seed, model, task): one for the sample's
 * plan (how long it wanders, whether its fix is wrong, how it edits), one
 * per turn (whether this answer breaks the format). */
#include "sim/sim_agent.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score/agent.h"
#include "score/edit.h"
#include "sim/sim_model.h"
#include "sim/sim_repo.h"
#include "util/rng.h"
#include "util/xalloc.h"

/* the sample's plan */
struct plan {
	int wander;        /* extra turns looking around */
	int wrong;         /* the fix is a broken copy of the reference */
	int whole_file;    /* the edit writes the file with cat rather than patch */
	struct rng edit;   /* draws for the broken fix */
};

static void make_plan(const struct task *t, const struct sim_profile *p, long seed, struct plan *pl)
{
	struct rng r;
	rng_seed_str(&r, (uint64_t)seed, p->model, t->id, 0xa9e47);
	/* 0 .. 2 x the mean, uniformly: the mean is the profile's */
	pl->wander = (int)floor(rng_uniform(&r) * (2 * p->agent_wander + 1));
	pl->wrong = rng_uniform(&r) < p->agent_wrong_fix;
	pl->whole_file = rng_uniform(&r) < 0.5;
	rng_seed(&pl->edit, rng_next(&r));
}

/* a word of the issue worth searching for: the first `quoted` identifier,
 * else the name of the file that matters; malloced */
static char *keyword(const struct task *t, const char *file)
{
	for (const char *q = strchr(t->prompt, '`'); q; q = strchr(q + 1, '`')) {
		size_t n = 0;
		while (isalnum((unsigned char)q[1 + n]) || q[1 + n] == '_')
			n++;
		if (n >= 3 && q[1 + n] == '`')
			return xstrndup(q + 1, n);
		if (q[1 + n] == '`')
			q += n + 1; /* past the closing quote of a short one */
	}
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	const char *dot = strchr(base, '.');
	return xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
}

/* whether a line of text is exactly line */
static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; p;) {
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/* a here-document's delimiter that no line of text equals */
static const char *delimiter(const char *text)
{
	static const char *const cands[] = { "EOF", "PATCH_EOF", "TOKENBENCH_EOF" };
	for (size_t i = 0; i < 2; i++)
		if (!has_line(text, cands[i]))
			return cands[i];
	return cands[2];
}

static void heredoc(struct buf *out, const char *cmd, const char *text)
{
	const char *d = delimiter(text);
	size_t n = strlen(text);
	buf_printf(out, "%s <<'%s'\n%s%s%s\n", cmd, d, text, n && text[n - 1] != '\n' ? "\n" : "", d);
}

/* the edit: the fix (or the broken one) as a patch, or as the file's new
 * content when the fix is to one file */
static void edit_step(struct repo_store *rs, const struct task *t, struct plan *pl, struct buf *cmd)
{
	char *patch = sim_repo_patch(t, pl->wrong ? PATCH_WRONG : PATCH_GOOD, &pl->edit);
	struct udiff_file *files;
	size_t n;
	struct buf after = BUF_INIT;
	if (udiff_files(patch, &files, &n) < 0)
		n = 0;
	if (pl->whole_file && n == 1 && sim_repo_after(rs, t, &files[0], &after) == 0) {
		char *c = xasprintf("cat > %s", files[0].path);
		heredoc(cmd, c, buf_str(&after));
		free(c);
	} else {
		heredoc(cmd, "patch -p1", patch);
	}
	for (size_t i = 0; i < n; i++)
		free(files[i].path);
	free(files);
	buf_release(&after);
	free(patch);
}

void sim_agent_answer(struct repo_store *rs, const struct task *t, const struct sim_profile *p,
		     const struct message *msgs, size_t n, long seed, struct buf *out, int *wrong)
{
	struct plan pl;
	make_plan(t, p, seed, &pl);
	*wrong = pl.wrong;
	/* how far the script got: the answers that held one command */
	int step = 0, turn = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(msgs[i].role, "assistant") != 0)
			continue;
		char *c;
		agent_command(msgs[i].content, &c);
		step += c != NULL;
		turn++;
		free(c);
	}
	struct rng tr;
	rng_seed_str(&tr, (uint64_t)seed, p->model, t->id, 1000 + (uint64_t)turn);
	if (rng_uniform(&tr) < p->agent_format_error) {
		if (rng_uniform(&tr) < 0.5)
			buf_puts(out, "Before changing anything I want to be sure how this code path is reached, "
				      "so I will look at the callers first.");
		else
			buf_puts(out, "Let me look at two things at once.\n\n```bash\ngit status\n```\n\n"
				      "```bash\ngit log --oneline | head -3\n```");
		return;
	}
	struct udiff_file *files;
	size_t nf;
	char *file = udiff_files(t->reference, &files, &nf) == 0 ? xstrdup(files[0].path) : xstrdup(".");
	for (size_t i = 0; i < nf; i++)
		free(files[i].path);
	free(files);
	const char *ext = strrchr(file, '.');
	ext = ext ? ext + 1 : "*";
	char *key = keyword(t, file);
	struct buf cmd = BUF_INIT;
	const char *say;
	int read = 1 + pl.wander;
	if (step == 0) {
		say = "I'll start with the layout of the repository.";
		buf_puts(&cmd, "ls\n");
	} else if (step < read) {
		static const char *const says[] = {
			"Let me find where this is handled.", "What changed here recently?",
			"Which source files are there?", "Is the behaviour documented?", "How is it tested?",
		};
		int w = (step - 1) % 5;
		say = says[w];
		if (w == 0)
			buf_printf(&cmd, "grep -rn '%s' --include='*.%s' . | head -20\n", key, ext);
		else if (w == 1)
			buf_puts(&cmd, "git log --oneline | head -5\n");
		else if (w == 2)
			buf_printf(&cmd, "find . -name '*.%s' -not -path './.git/*' | head -30\n", ext);
		else if (w == 3)
			buf_puts(&cmd, "cat README.md\n");
		else
			buf_puts(&cmd, "ls tests\n");
	} else if (step == read) {
		say = "The problem is probably in this file. Let me read it.";
		buf_printf(&cmd, "cat -n %s\n", file);
	} else if (step == read + 1) {
		say = "I see what goes wrong. Here is the fix.";
		edit_step(rs, t, &pl, &cmd);
	} else if (step == read + 2) {
		say = "Now the tests.";
		buf_printf(&cmd, "%s\n", t->repo->test_cmd ? t->repo->test_cmd : "python -m pytest -q");
	} else {
		say = "The fix is in and the tests pass.";
		buf_puts(&cmd, AGENT_SUBMIT "\n");
	}
	buf_printf(out, "%s\n\n```bash\n%s```", say, buf_str(&cmd));
	buf_release(&cmd);
	free(key);
	free(file);
}
