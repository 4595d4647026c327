/* manifest.h - run.json: what produced a run directory. */
#ifndef TB_MANIFEST_H
#define TB_MANIFEST_H

#include <cjson/cJSON.h>

#include "core/suite.h"

/* a new run.json object with the command line, tokenbench's version, the
 * suites' hashes and the machine; the caller adds the rest; caller deletes */
cJSON *manifest_new(int argc, char **argv, const struct suite *suite);
/* writes it as dir/run.json; 0 or -1 */
int manifest_write(cJSON *m, const char *dir);
/* dir/run.json, parsed; NULL when there is none (dir may be a file of
 * records, or written by another tool) or when it is not a JSON object
 * (reported); caller deletes */
cJSON *manifest_read(const char *dir);

#endif
