/* proto.c - the table of protocol adapters and what they share. */
#include "proto.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void response_release(struct response *r)
{
	if (!r)
		return;
	free(r->text);
	free(r->raw_usage);
	free(r->finish_reason);
	memset(r, 0, sizeof(*r));
	r->cost_usd = NAN;
}

const struct proto *proto_find(const char *name)
{
	static const struct proto *const all[] = { &proto_openai };
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}
