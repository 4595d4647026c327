/* store.h - samples.jsonl: sample records appended one per line and flushed,
 * and read back (last record per task/provider/sample wins). */
#ifndef TB_STORE_H
#define TB_STORE_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "strmap.h"

enum status { ST_PASSED, ST_FAILED, ST_ERROR, ST_NOT_ATTEMPTED };

struct usage {
	long input;        /* prompt tokens billed at the full input price */
	long cached_input; /* prompt tokens read from the provider's cache */
	long cache_write;  /* prompt tokens written to the provider's cache */
	long output;       /* completion tokens, reasoning included */
	long reasoning;    /* the reasoning part of output */
};

/* adds o's "usage" object (a record's, a try's or an agent turn's) */
void usage_add_json(cJSON *o, const struct usage *u);
/* the usage in o's "usage" object; 0 for each count it lacks */
void usage_from_json(struct usage *u, const cJSON *o);

struct record {
	char *task, *provider, *model; /* owned */
	int sample;
	enum status status;
	char *fail_reason;  /* failed: why (wrong_answer, timeout, ...); owned, may be NULL */
	char *error_kind;   /* error / not_attempted: what (http_500, budget, ...); owned, may be NULL */
	char *detail;       /* owned, may be NULL */
	char *cluster;      /* owned, may be NULL */
	struct usage usage;
	double cost_usd;    /* NAN when unknown */
	char *cost_source;  /* "provider", "price_table", or "estimate" (no usage block came
			     * back: tokens estimated from the text); owned, may be NULL */
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
/* -1 when the name is unknown */
int status_parse(const char *name);

void record_init(struct record *r);
void record_release(struct record *r);
/* "task\tprovider\tsample", the identity of a sample; malloced */
char *record_key(const char *task, const char *provider, int sample);

struct store {
	FILE *f;
	char *path;
	char *dir;
	int lock_fd;
};

/* creates dir if needed, takes its lock and opens samples.jsonl for
 * appending (dropping a torn last line left by a killed run); 0 or -1 */
int store_open(struct store *s, const char *dir);
/* appends one record as a JSON line and flushes it; 0 or -1 (reported) */
int store_append(struct store *s, const struct record *r);
/* the path of a file beside the samples of run directory dir:
 * DIR/logs/PROVIDER/TASK/SAMPLE/NAME (names made safe for a path); malloced */
char *store_log_path(const char *dir, const char *provider, const char *task, int sample, const char *name);
/* saves such a file, replacing it; 0 or -1 (reported) */
int store_write_log(struct store *s, const char *provider, const char *task, int sample, const char *name,
		    const char *text);
/* appends text to such a file in one write (a killed run leaves at most a
 * torn last line); 0 or -1 (reported) */
int store_append_log(struct store *s, const char *provider, const char *task, int sample, const char *name,
		     const char *text);
void store_close(struct store *s);

struct recset {
	struct record *v; /* owned */
	size_t n, cap;
	struct strmap index; /* record_key -> position in v */
};

void recset_init(struct recset *rs);
void recset_release(struct recset *rs);
/* reads DIR/samples.jsonl (or a file); malformed lines are reported with
 * file:line and skipped; a missing file gives an empty set when
 * missing_ok. The records come out sorted by task, provider and sample
 * (recset_sort), so whatever is computed from them does not depend on the
 * order in which samples finished; 0 or -1 */
int recset_load(struct recset *rs, const char *dir_or_file, int missing_ok);
/* sorts the records by task, provider, sample and rebuilds the index */
void recset_sort(struct recset *rs);

/* called by store_each for each record, in file order, with the line it
 * came from (line[0..len), no newline); it may take the record's contents,
 * leaving it as record_init does; what it leaves is released. 0 goes on,
 * -1 stops */
typedef int (*store_each_fn)(void *arg, struct record *r, const char *line, size_t len, size_t lineno);
/* reads a samples.jsonl file record by record; malformed lines are reported
 * with file:line and skipped; 0, or -1 when the file cannot be read or fn
 * stopped */
int store_each(const char *path, store_each_fn fn, void *arg);
/* the record for this sample, or NULL; borrowed */
const struct record *recset_find(const struct recset *rs, const char *task, const char *provider,
				 int sample);

#endif
