/* program.h - turns a task and an answer into the files and commands that
 * test it: what runs, not how it is run (that is sandbox.c). */
#ifndef TB_PROGRAM_H
#define TB_PROGRAM_H

#include "core/suite.h"

#define PROGRAM_MAX_FILES 3
#define PROGRAM_MAX_ARGS 24

struct program {
	struct {
		const char *name; /* static; written into the read-only task dir */
		char *text;       /* malloced, owned */
	} files[PROGRAM_MAX_FILES];
	int nfiles;
	/* commands inside the sandbox, NULL-terminated; compile[0] == NULL when
	 * there is nothing to compile. Paths: /tb task files, /tbh harness
	 * files (the drivers, prebuilt), /obj the tests' objects, /work the
	 * writable work directory. */
	const char *compile[PROGRAM_MAX_ARGS];
	const char *run[PROGRAM_MAX_ARGS];
	/* the tests' own object, the same for every answer to a task: built
	 * once (object_compile, with /obj writable) and then only linked */
	char object[80];          /* file name under /obj, or "" */
	const char *object_compile[PROGRAM_MAX_ARGS];
	/* C++: the object is the precompiled header of the prompt's leading
	 * #include lines; the harness writes their text as /obj/<header> first
	 * (GCC falls back to it when the .gch cannot be used) */
	char header[80];          /* file name under /obj, or "" */
	char *header_text;        /* malloced, owned; NULL without one */
	const char *driver;       /* "driver.o" or "driver_cpp.o", prebuilt in /tbh; NULL for none */
	char *owned[3];           /* strings the argv above point into */
	/* the file the compile step leaves in /work for the run step (static),
	 * or NULL; the run sees it read-only in a fresh /work */
	const char *output;
	/* the program file a warm interpreter of the language (zygote.h) runs
	 * in place of run[] (static), or NULL when there is none */
	const char *zygote_script;
};

/* how a task's reference is read: function references complete the prompt,
 * except whole C units, MBPP code and patches, which stand alone */
enum answer_mode program_reference_mode(const struct task *t);
/* fills p for running code against t; 0 or -1 (reported, naming the task) */
int program_build(struct program *p, const struct task *t, const char *code, enum answer_mode mode);
void program_release(struct program *p);
/* the compile step without the precompiled header (its build failed) */
void program_drop_header(struct program *p);
/* writes the harness's own driver sources into dir (mounted at /tbh); 0 or -1 */
int program_write_harness(const char *dir);
/* builds dir/name (driver.o or driver_cpp.o) from its source, with the
 * system compiler, outside any sandbox: it is our own code; 0 or -1 */
int program_build_driver(const char *dir, const char *name);
/* whether code defines `name` at top level (Python) */
int program_defines_python(const char *code, const char *name);

#endif
