/* prompt.c - chat messages for function, exact-answer and repository tasks. */
#include "engine/prompt.h"

#include <stdlib.h>
#include <string.h>

#include "score/agent.h"
#include "score/repo.h"
#include "util/xalloc.h"

static const char system_code[] =
	"You are an expert programmer. Answer with working code in a single fenced code block.";
static const char system_exact[] = "Answer with the result only, on a line of its own.";
static const char system_repo[] =
	"You are an expert software engineer fixing issues in real repositories. Make the smallest "
	"change that fixes the issue, and keep the existing tests passing.";

static const char *const format_help[] = {
	/* EDIT_DIFF */
	"Answer with one unified diff in a ```diff block that `git apply` accepts: paths relative to "
	"the repository root with a/ and b/ prefixes, and enough context lines.",
	/* EDIT_WHOLE */
	"Answer with the complete new content of every file you change: for each one, its path on a "
	"line of its own, then the whole file in a fenced code block.",
	/* EDIT_SEARCH_REPLACE */
	"Answer with SEARCH/REPLACE blocks. For each change: the file's path on a line of its own, "
	"then\n<<<<<<< SEARCH\nlines copied exactly from the file\n=======\nthe lines that replace "
	"them\n>>>>>>> REPLACE",
};

const char *prompt_fence_tag(const struct task *t)
{
	return t->language;
}

static char *repo_user(const struct task *t, const struct prompt_opts *o)
{
	const char *files = o && o->repos ? repo_files_text(o->repos, t) : NULL;
	if (!files)
		return NULL;
	return xasprintf("You will fix an issue in the repository %s.\n\n<issue>\n%s\n</issue>\n\n"
			 "These are the files that matter, as they are at the commit you work on:\n\n%s%s\n",
			 t->repo->name, t->prompt, files, format_help[o->edit_format]);
}

int prompt_render(struct prompt *p, const struct task *t, const struct prompt_opts *o)
{
	memset(p, 0, sizeof(*p));
	const char *sys = system_code;
	if (t->repo && o && o->agent) {
		/* the agent explores the repository itself: the issue is all it is given */
		p->system = agent_system(o->agent, t);
		p->user = agent_first_user(t);
		sys = NULL;
	} else if (t->repo) {
		sys = system_repo;
		p->user = repo_user(t, o);
		if (!p->user)
			return -1;
	} else if (strcmp(t->kind, "exact") == 0) {
		sys = system_exact;
		p->user = xstrdup(t->prompt);
	} else if (t->format == FMT_MBPP) {
		p->user = xasprintf("%s\nReply with the Python function in one ```python code block.", t->prompt);
	} else if (strcmp(t->language, "c") == 0) {
		p->user = xasprintf("Implement this C function. Reply with a complete C translation unit: the "
				    "#include lines it needs and the function's definition, with no main(), "
				    "in one ```c code block.\n\n```c\n%s```\n",
				    t->prompt);
	} else if (strcmp(t->language, "cpp") == 0) {
		p->user = xasprintf("Complete this C++ function. Reply with the whole function in one "
				    "```cpp code block.\n\n```cpp\n%s```\n",
				    t->prompt);
	} else {
		p->user = xasprintf("Complete this Python function. Reply with the whole function, with "
				    "its signature and the imports it needs, in one ```python code block.\n\n"
				    "```python\n%s```\n",
				    t->prompt);
	}
	if (sys)
		p->system = xstrdup(sys);
	p->msgs[0] = (struct message){ "system", p->system };
	p->msgs[1] = (struct message){ "user", p->user };
	p->n = 2;
	return 0;
}

char *prompt_feedback(const struct task *t, const char *failure)
{
	return xasprintf("That did not pass the %s. This is what the test run printed:\n\n```\n%s\n```\n\n"
			 "Please try again, answering in the same format as before.",
			 t->repo ? "repository's tests" : "tests", failure);
}

void prompt_release(struct prompt *p)
{
	if (!p)
		return;
	free(p->system);
	free(p->user);
	memset(p, 0, sizeof(*p));
}
