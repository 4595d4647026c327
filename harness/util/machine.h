/* machine.h - the machine a run or a measurement was made on. */
#ifndef TB_MACHINE_H
#define TB_MACHINE_H

#include <cjson/cJSON.h>

/* the machine fingerprint object (cpu, cores, memory, kernel, arch, and
 * "fingerprint": 16 hex digits of a hash of them); caller deletes */
cJSON *machine_json(void);

#endif
