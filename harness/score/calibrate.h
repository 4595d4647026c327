/* calibrate.h - fair time limits: each task's limit comes from how long its
 * reference solution takes in the sandbox on this machine. */
#ifndef TB_CALIBRATE_H
#define TB_CALIBRATE_H

#include <cjson/cJSON.h>

#include "core/suite.h"
#include "score/score.h"

/* the rule: a limit is CALIBRATE_MULTIPLE times the reference's time in the
 * sandbox, never below the floor nor above the ceiling */
#define CALIBRATE_MULTIPLE 10.0
#define CALIBRATE_FLOOR_S 5.0
#define CALIBRATE_COMPILE_FLOOR_S 10.0
#define CALIBRATE_MAX_S 600.0
/* the limit a reference is measured under */
#define CALIBRATE_MEASURE_S 60.0

/* the limit for a reference time (ms) under the rule, with floor_s */
double calibrate_limit_s(double reference_ms, double floor_s);

/* sets limit_s and compile_limit_s on every sandboxed task of the suite
 * that has no timeout_s of its own: from the reference's times cached for
 * this machine and this task's content, or measured now with sc (and then
 * cached). A reference that fails leaves the sandbox default and says why.
 * Adds "time_limits" (the rule, the machine's fingerprint, the cache and
 * each task's limit and its source) to manifest. Needs the stop signals
 * installed; 0, or -1 when stopped or the cache cannot be written. */
int calibrate_suite(struct suite *su, struct scorer *sc, cJSON *manifest, int quiet);

/* the calibration cache file of this machine: $TOKENBENCH_CACHE_DIR, else
 * $XDG_CACHE_HOME/tokenbench, else ~/.cache/tokenbench, then
 * calibration-FINGERPRINT.jsonl; NULL when there is no such place;
 * malloced, caller frees */
char *calibrate_cache_path(const char *fingerprint);

#endif
