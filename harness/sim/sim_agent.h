/* sim_agent.h - the simulator playing the bash agent on a repository task:
 * a scripted trajectory, turn by turn. */
#ifndef TB_SIM_AGENT_H
#define TB_SIM_AGENT_H

#include <stddef.h>

#include "core/suite.h"
#include "engine/proto.h"
#include "score/repo.h"
#include "util/buf.h"

struct sim_profile;

/* appends the model's answer at this point of the conversation (msgs, the
 * system prompt first when there is one). The script: look around (ls),
 * wander (grep, find, git log, a README; the profile's agent.wander turns
 * on average), read the file that matters, edit it (the reference patch,
 * or with the profile's agent.wrong_fix chance a plausibly broken one,
 * through `patch -p1` or `cat > FILE` here-documents), run the tests,
 * submit. Its place in the script is the number of earlier answers that
 * held one command, so an answer that broke the format (agent.format_error
 * chance each turn: no block, or two) is followed by the step it skipped.
 * Deterministic in (seed, model, task, turn). *wrong says whether the fix
 * is the broken one. */
void sim_agent_answer(struct repo_store *rs, const struct task *t, const struct sim_profile *p,
		     const struct message *msgs, size_t n, long seed, struct buf *out, int *wrong);

#endif
