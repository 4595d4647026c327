/* prompt.c - chat messages for function tasks. */
#include "prompt.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char system_code[] =
	"You are an expert programmer. Answer with working code in a single fenced code block.";
static const char system_exact[] = "Answer with the result only, on a line of its own.";

const char *prompt_fence_tag(const struct task *t)
{
	return t->language;
}

void prompt_render(struct prompt *p, const struct task *t)
{
	memset(p, 0, sizeof(*p));
	p->system = xstrdup(strcmp(t->kind, "exact") == 0 ? system_exact : system_code);
	if (strcmp(t->kind, "exact") == 0)
		p->user = xstrdup(t->prompt);
	else if (t->format == FMT_MBPP)
		p->user = xasprintf("%s\nReply with the Python function in one ```python code block.", t->prompt);
	else if (strcmp(t->language, "c") == 0)
		p->user = xasprintf("Implement this C function. Reply with a complete C translation unit: the "
				    "#include lines it needs and the function's definition, with no main(), "
				    "in one ```c code block.\n\n```c\n%s```\n",
				    t->prompt);
	else if (strcmp(t->language, "cpp") == 0)
		p->user = xasprintf("Complete this C++ function. Reply with the whole function in one "
				    "```cpp code block.\n\n```cpp\n%s```\n",
				    t->prompt);
	else
		p->user = xasprintf("Complete this Python function. Reply with the whole function, with "
				    "its signature and the imports it needs, in one ```python code block.\n\n"
				    "```python\n%s```\n",
				    t->prompt);
	p->msgs[0] = (struct message){ "system", p->system };
	p->msgs[1] = (struct message){ "user", p->user };
	p->n = 2;
}

void prompt_release(struct prompt *p)
{
	if (!p)
		return;
	free(p->system);
	free(p->user);
	memset(p, 0, sizeof(*p));
}
