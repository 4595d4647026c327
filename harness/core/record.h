/* record.h - the data model: a sample's status, its token usage and the
 * sample record that samples.jsonl holds one per line, with its JSON form.
 * Every layer that handles outcomes depends on this, not on the run store. */
#ifndef TB_RECORD_H
#define TB_RECORD_H

#include <cjson/cJSON.h>

enum status { ST_PASSED, ST_FAILED, ST_ERROR, ST_NOT_ATTEMPTED };

/* the error_kind of a not_attempted sample that a stopping rule (run
 * --stop-when) stopped asking */
#define REASON_STOPPED_EARLY "stopped_early"

struct usage {
	long input;        /* prompt tokens billed at the full input price */
	long cached_input; /* prompt tokens read from the provider's cache */
	long cache_write;  /* prompt tokens written to the provider's cache */
	long output;       /* completion tokens, reasoning included */
	long reasoning;    /* the reasoning part of output */
};

/* the most tokens one request can count in any of its usage's fields: a
 * provider that reports more reports nonsense */
#define TOKENS_MAX 1e9

/* whether v is a token count a provider can report: a whole number in
 * [0, TOKENS_MAX]; the one check every count read from a response passes */
int usage_count_valid(double v);

/* adds o's "usage" object (a record's, a try's or an agent turn's) */
void usage_add_json(cJSON *o, const struct usage *u);
/* the usage in o's "usage" object; 0 for each count it lacks */
void usage_from_json(struct usage *u, const cJSON *o);

/* A record owns every string it holds (record_release frees them): set one
 * with record_set_str, which copies, never by pointing it at memory the
 * record does not own. */
struct record {
	char *task, *provider, *model; /* owned */
	int sample;
	enum status status;
	char *fail_reason;  /* failed: why (wrong_answer, timeout, ...); owned, may be NULL */
	char *error_kind;   /* error / not_attempted: what (http_500, budget, ...; a sandboxed
			     * step killed from outside is "killed", by the kernel's OOM killer
			     * "oom", the signal named in detail); owned, may be NULL */
	char *detail;       /* owned, may be NULL */
	char *cluster;      /* owned, may be NULL */
	struct usage usage;
	double cost_usd;    /* NAN when unknown */
	char *cost_source;  /* "provider", "price_table", "estimate" (no usable usage block came
			     * back: tokens estimated from the text), or "worst_case" (no answer, and
			     * an attempt cut short or unusable after it was paid for, perhaps: its
			     * worst case); owned, may be NULL */
	int usage_estimated;
	double latency_ms;  /* request to full response; NAN when none was sent */
	double ttft_ms;     /* request to first answer token, streams only; NAN otherwise */
	double output_tps;  /* output tokens per second after the first, streams only */
	int attempts;
	double test_ms;     /* time in the sandbox; NAN when not scored */
	int truncated;
	int near_limit;     /* the test run finished above 80% of its time limit */
	int test_reused;    /* the verdict of an identical answer, scored before in this run */
	int cached;         /* the response came from the cache: nothing was paid this time */
	char *response_key; /* cache key of the raw response; owned, may be NULL */
	char *time;         /* when it was recorded (UTC); owned; NULL: now, on writing */
	char *edit_format;  /* repository tasks: the answer's edit format; owned, may be NULL */
	int well_formed;    /* repository tasks: 1 the edit parsed and applied, 0 not; -1 n/a */
	char *report;       /* repository tasks: SWE-bench's report of the instance (JSON); owned */
	char *tries;        /* with several tries: one JSON object per try (JSON list); owned */
	double step_ms[4];  /* repository tasks: checkout, apply, setup, test; 0 when not run */
	double repriced_from_usd; /* the cost before `tokenbench reprice`; NAN when not repriced */
	char *raw_usage;    /* the provider's usage object as JSON text; owned, may be NULL */
	char *rejected;     /* what of the provider's usage or cost failed validation and was
			     * ignored (the usage then estimated, the cost priced from the
			     * table), e.g. "usage.prompt_tokens: 1e+19"; owned, may be NULL */
	double cache_saving_usd; /* what the provider's prompt cache saved: the cached and cache-written
				  * tokens at the full input price, minus what they cost; NAN when unknown */
	/* the bash agent (--agent bash) */
	char *agent;        /* "bash", or NULL for a sample without the agent; owned */
	int turns;          /* requests the sample made */
	char *end_reason;   /* submitted, turn_limit, cost_limit, time_limit, error, budget,
			     * interrupted; owned, may be NULL */
	char *per_turn;     /* one JSON object per turn (JSON list); owned, may be NULL */
	double agent_ms;    /* the sample's own time: the model's answers, the commands and
			     * tokenbench's overhead (not its queues); NAN when not an agent's */
	double workspace_ms;/* making its work copy (checkout and setup) */
};

const char *status_name(enum status st);
/* whether a stopping rule (run --stop-when) stopped this sample: not
 * attempted, REASON_STOPPED_EARLY */
int record_stopped_early(const struct record *r);
/* -1 when the name is unknown */
int status_parse(const char *name);

void record_init(struct record *r);
/* frees every string the record holds, and leaves it as record_init does */
void record_release(struct record *r);
/* sets one of a record's strings (&r->detail, ...) to a copy of value (NULL
 * allowed), freeing what it held */
void record_set_str(char **field, const char *value);
/* "task\tprovider\tsample", the identity of a sample; malloced */
char *record_key(const char *task, const char *provider, int sample);

/* the record as the JSON object of one samples.jsonl line; a record
 * without a time gets the current time (UTC); caller deletes */
cJSON *record_to_json(const struct record *r);
/* fills r (record_init first) from such an object; 0, or -1 when it is
 * not a sample record (no task, provider or known status) */
int record_from_json(struct record *r, const cJSON *o);

#endif
