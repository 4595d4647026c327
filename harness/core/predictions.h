/* predictions.h - answers produced elsewhere (HumanEval / EvalPlus samples). */
#ifndef TB_PREDICTIONS_H
#define TB_PREDICTIONS_H

#include <stddef.h>

#include "core/suite.h"

struct prediction {
	char *task_id;  /* owned */
	char *provider; /* owned */
	char *code;     /* owned */
	enum answer_mode mode;
	int sample;     /* 0, 1, ... per task and provider, in file order */
	char *origin;   /* "file:line"; owned */
};

struct predictions {
	struct prediction *v; /* owned */
	size_t n, cap;
};

void predictions_init(struct predictions *p);
void predictions_release(struct predictions *p);
/* reads JSONL lines or a JSON list of {task_id, completion | solution,
 * [model]}; name, when not NULL, names the provider, else the line's
 * `model`, else the file's base name; 0 or -1 (reported with file:line) */
int predictions_load(struct predictions *p, const char *path, const char *name);
/* removes the i-th prediction, keeping the order of the others */
void predictions_drop(struct predictions *p, size_t i);

#endif
