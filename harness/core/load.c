/* load.c - a load test's step (see load.h). */
#include "core/load.h"

#include <stdlib.h>
#include <string.h>

void load_step_release(struct load_step *s)
{
	if (!s)
		return;
	free(s->v);
	memset(s, 0, sizeof(*s));
}
