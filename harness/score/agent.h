/* agent.h - the bash agent's pure parts (--agent bash): its options, its
 * messages, the one command an answer holds, how a command's output is
 * told, the limits that stop a sample, and the figures of a turn. The loop
 * that sends the turns and runs the commands is sched.c's. */
#ifndef TB_AGENT_H
#define TB_AGENT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/record.h"
#include "core/suite.h"

/* the command that ends the loop, alone in its block */
#define AGENT_SUBMIT "echo SUBMIT"
/* a command's wall-clock limit, unless the task's tests need longer */
#define AGENT_COMMAND_S 120

struct agent_opts {
	int on;               /* --agent bash */
	int max_turns;        /* --agent-turns */
	double max_cost_usd;  /* --agent-cost, per sample; 0: none */
	double max_time_s;    /* --agent-time, per sample */
	size_t output_bytes;  /* --agent-output: the most of a command's output the model is told */
};

/* 30 turns, no cost limit, 900 s, 8000 bytes; off */
void agent_opts_default(struct agent_opts *o);
/* run.json's "agent" object; caller deletes */
cJSON *agent_opts_json(const struct agent_opts *o);

/* the system prompt (the tool, its limits, the rules) and the first user
 * message (the issue and the repository). Both depend only on the options
 * and the task, never on time or chance, so a conversation's prefix stays
 * byte-stable for the providers' prompt caches. malloced */
char *agent_system(const struct agent_opts *o, const struct task *t);
char *agent_first_user(const struct task *t);
/* a command's wall-clock limit for task t, in seconds */
double agent_command_limit_s(const struct task *t);

/* how many closed ```bash (or ```sh, ```shell) blocks the answer holds;
 * with exactly one, *cmd is its content (malloced), else NULL */
int agent_command(const char *answer, char **cmd);
/* whether a command is the submit command, alone */
int agent_is_submit(const char *cmd);
/* the format reminder after an answer with blocks commands (0 or more than
 * one); malloced */
char *agent_reminder(int blocks);

/* a finished command */
struct agent_output {
	int exit_code;
	int timed_out;       /* killed at its time limit, limit_s */
	int output_killed;   /* killed for writing too much */
	int mem_killed;      /* killed for holding too much memory */
	double limit_s;
	const char *head;    /* its output from the start; borrowed */
	size_t head_len;
	const char *tail;    /* its last bytes when head is not all of it; borrowed; may be NULL */
	size_t tail_len;
	size_t total;        /* the bytes it wrote in all */
};
/* what the model is told: "exit code N" and at most max bytes of the
 * output, its first and last max/2 bytes with a note of how many were cut
 * between (*cut, 0 when none); valid UTF-8; malloced */
char *agent_observation(const struct agent_output *o, size_t max, size_t *cut);

/* the limit that stops a sample: "turn_limit" (turns taken reach the
 * maximum), "cost_limit" (what it cost plus the next request's worst case
 * passes the maximum), "time_limit" (its time reached the maximum), or
 * NULL; checked in that order */
const char *agent_limit(const struct agent_opts *o, int turns, double cost_usd, double next_worst_usd, double time_s);

/* one turn */
struct agent_turn {
	int turn;                /* 1, 2, ... */
	const char *action;      /* "command", "submit", "format_error" or "error" (static) */
	const char *answer;      /* the model's answer; borrowed; NULL when none came */
	const char *command;     /* borrowed; NULL unless action is command or submit */
	const char *reply;       /* the user message it got back (the observation or the
				  * reminder); borrowed; NULL for submit and error */
	int exit_code, timed_out;
	size_t output_bytes;     /* what the command wrote */
	size_t cut_bytes;        /* of it, what the model was not shown */
	struct usage usage;
	double cost_usd;         /* NAN when unknown */
	double latency_ms;       /* the model's answer */
	double command_ms;       /* the command in its sandbox, the sandbox's start-up included */
	double overhead_ms;      /* tokenbench's own work on the turn */
	double wait_ms;          /* in tokenbench's queues: the provider's pacing, retries, a free sandbox */
	int cached;              /* the answer came from the response cache */
	const char *response_key; /* borrowed; may be NULL */
};
/* the turn as a record's per_turn entry (figures only) or, with full, as a
 * trajectory line (the messages and the command too); caller deletes */
cJSON *agent_turn_json(const struct agent_turn *t, int full);

#endif
