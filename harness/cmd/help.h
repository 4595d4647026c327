/* help.h - a subcommand's option table, the one source of getopt_long's
 * table, of `--help` and of the man page (tokenbench.1), so that the three
 * cannot drift apart. */
#ifndef TB_HELP_H
#define TB_HELP_H

#include <getopt.h>
#include <stdio.h>

#include "util/buf.h"

struct opt_doc {
	const char *name; /* the long option, without "--" */
	const char *arg;  /* the argument's name ("N", "DIR"); NULL for a flag */
	int code;         /* what getopt_long returns for it */
	const char *dflt; /* the default in words; NULL when there is none to tell */
	const char *help; /* one line */
};

struct cmd_doc {
	const char *name;        /* "run" */
	const char *synopsis;    /* what follows "tokenbench NAME", one line per form ('\n' between) */
	const char *summary;     /* one line: the command list's and the man page's */
	const char *description; /* a paragraph (no line breaks); may be NULL */
	const struct opt_doc *opts; /* ended by an entry with a NULL name */
};

/* the most options a command has, --help not counted */
#define HELP_MAX_OPTS 40

/* fills out (HELP_MAX_OPTS + 2 entries) with getopt_long's table: d's
 * options, then --help (code 'h', as -h is: give getopt_long "h") and the
 * terminating zero entry; more than HELP_MAX_OPTS options is a bug and
 * aborts */
void help_getopt(const struct cmd_doc *d, struct option *out);
/* d's synopsis and where the rest is (for a usage error, on stderr) */
void help_usage(const struct cmd_doc *d, FILE *f);
/* everything: synopsis, description, every option in one line with its default */
void help_print(const struct cmd_doc *d, FILE *f);
/* the man page (roff, man(7) macros) of the commands in docs, in order;
 * date (YYYY-MM-DD) is the version's */
void help_man(const struct cmd_doc *const *docs, size_t n, const char *version, const char *date, FILE *f);

#endif
