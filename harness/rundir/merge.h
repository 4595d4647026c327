/* merge.h - shard run directories (run --shard I/N) back into one run
 * directory: every shard must come from the same plan, no sample may come
 * from two places, and samples of the plan that no shard holds are counted
 * so that the caller can refuse a partial result. */
#ifndef TB_MERGE_H
#define TB_MERGE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "rundir/store.h"
#include "util/strmap.h"

struct merge_part {
	char *dir;         /* owned */
	cJSON *manifest;   /* its run.json; owned */
	int index;         /* its shard index */
	int lock_fd;       /* held while merging: no shard may still be running */
	size_t records;    /* samples it holds (the last record of each) */
	size_t missing;    /* samples of its shard that it lacks */
};

struct merge_line {
	char *text;        /* the record's JSON line as the shard wrote it; owned */
	int part;
	size_t lineno;     /* where in its shard's samples.jsonl */
	int status;        /* enum status; passed or failed: no later record may replace it */
};

struct merge {
	struct merge_part *parts; /* owned */
	size_t nparts;
	int count;                /* shards in the plan */
	int samples;              /* samples per task and provider */
	const cJSON *tasks, *providers; /* the plan's ids; borrowed from parts[0].manifest */
	struct merge_line *lines; /* owned */
	size_t nlines, cap;
	struct strmap index;      /* record key -> position in lines */
	size_t planned;           /* samples in the plan */
	size_t missing;           /* samples of the plan that no shard holds */
	size_t *missing_by_shard; /* count entries; owned */
	struct strmap seen;       /* sha256 of every record line of every shard */
	int out_lock;             /* the output directory's lock, once taken */
};

void merge_init(struct merge *m);
void merge_release(struct merge *m);

/* reads the shard directories and checks them: each has a run.json from
 * `run --shard` whose plan hash matches its fields; all come from the same
 * plan (the first field that differs is named); no shard is given twice;
 * each record is a sample of the plan and of its directory's shard; no
 * sample comes from two directories; within a shard, a later record of a
 * sample replaces an earlier one only where run itself writes one (after
 * not_attempted or error), never a passed or failed one (a duplicate or a
 * conflict). Counts what is missing (m->missing, per shard and per part).
 * 0, or -1 after reporting why the shards cannot be merged. */
int merge_load(struct merge *m, char *const *dirs, size_t ndirs);

/* prints which samples are missing, by shard, with a few examples */
void merge_print_missing(const struct merge *m);

/* creates out and takes its lock; refuses a shard directory, and a
 * directory that already holds samples unless merge wrote it and every
 * record in it is one the shards hold (re-merging after a shard was
 * finished loses nothing); 0, or -1 after reporting why */
int merge_prepare_out(struct merge *m, const char *out);

/* writes out (after merge_prepare_out): samples.jsonl (every record as its shard wrote it, in plan
 * order), the shards' logs/, and a run.json that is the plan's (its
 * "command" is the run command without --shard, so `run --retry-errors`
 * and resuming work on the merged directory) with a "merge" object naming
 * the shards. argv is the merge command, for run.json. 0 or -1 (reported). */
int merge_write(struct merge *m, const char *out, int argc, char **argv);

#endif
