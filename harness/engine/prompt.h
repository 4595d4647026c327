/* prompt.h - the messages a task is sent as. The simulator renders the same
 * messages to recognise which task a request is about. */
#ifndef TB_PROMPT_H
#define TB_PROMPT_H

#include "core/suite.h"
#include "engine/proto.h"
#include "score/edit.h"

struct repo_store;
struct agent_opts;

struct prompt_opts {
	struct repo_store *repos;   /* for repository tasks' files; may be NULL otherwise */
	enum edit_format edit_format; /* what repository tasks are asked to answer in */
	const struct agent_opts *agent; /* repository tasks worked on by the bash agent; may be NULL */
};

struct prompt {
	struct message msgs[2];     /* system, user: the first turn */
	size_t n;
	char *system, *user;        /* malloced, owned */
};

/* the first turn of a task; 0, or -1 when a repository task's files cannot
 * be read (reported) */
int prompt_render(struct prompt *p, const struct task *t, const struct prompt_opts *o);
void prompt_release(struct prompt *p);
/* the message that asks for another try, given the failure; malloced */
char *prompt_feedback(const struct task *t, const char *failure);
/* the fence tag a task's answer should carry ("python", "c", "cpp") */
const char *prompt_fence_tag(const struct task *t);

#endif
