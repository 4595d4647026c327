/* fuzz.h - the fuzz targets (issue 15): each takes any bytes and must not
 * crash, leak or hit undefined behaviour. libfuzzer.c makes one libFuzzer
 * binary a target (make fuzz); replay.c runs the committed corpora through
 * all of them with the normal compiler and sanitizers (make test). */
#ifndef TB_FUZZ_H
#define TB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_TARGETS(X) X(suite) X(predictions) X(provider) X(openai) X(anthropic) X(edit) X(logparse)

#define FUZZ_DECLARE(name) int fuzz_##name(const uint8_t *data, size_t n);
FUZZ_TARGETS(FUZZ_DECLARE)

/* once before the first input: quiet messages, a private temporary directory */
void fuzz_init(void);

#endif
