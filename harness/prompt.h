/* prompt.h - the messages a task is sent as. The simulator renders the same
 * messages to recognise which task a request is about. */
#ifndef TB_PROMPT_H
#define TB_PROMPT_H

#include "proto.h"
#include "suite.h"

struct prompt {
	struct message msgs[2];
	size_t n;
	char *system, *user; /* malloced, owned */
};

void prompt_render(struct prompt *p, const struct task *t);
void prompt_release(struct prompt *p);
/* the fence tag a task's answer should carry ("python", "c", "cpp") */
const char *prompt_fence_tag(const struct task *t);

#endif
