/* logparse.c - one small line parser per test framework. Names follow the
 * conventions of SWE-bench's own parsers, so that published FAIL_TO_PASS /
 * PASS_TO_PASS lists match: pytest's node id from the -rA summary,
 * unittest's "test (module.Class...)", TAP's description, go's test path,
 * cargo's test path, sympy's test function. */
#include "score/logparse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xalloc.h"

void test_results_init(struct test_results *r)
{
	strmap_init(&r->by_name);
	r->n = 0;
}

void test_results_release(struct test_results *r)
{
	if (!r)
		return;
	strmap_release(&r->by_name);
	r->n = 0;
}

static const char *const status_names[] = { "PASSED", "FAILED", "SKIPPED", "ERROR", "XFAIL" };

const char *test_status_name(enum test_status s)
{
	return status_names[s];
}

/* the name as it stands */
static void put_raw(struct test_results *r, const char *name, size_t n, enum test_status st)
{
	char *k = xstrndup(name, n);
	if (!strmap_get(&r->by_name, k, NULL))
		r->n++;
	strmap_put(&r->by_name, k, st);
	free(k);
}

static void put(struct test_results *r, const char *name, size_t n, enum test_status st)
{
	while (n && isspace((unsigned char)name[n - 1]))
		n--;
	while (n && isspace((unsigned char)*name)) {
		name++;
		n--;
	}
	if (n)
		put_raw(r, name, n, st);
}

int test_passes(const struct test_results *r, const char *name)
{
	long st;
	return strmap_get(&r->by_name, name, &st) && (st == TS_PASSED || st == TS_XFAIL);
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* pytest -rA: "PASSED node", "FAILED node - message", "XFAIL node - reason".
 * As SWE-bench reads it: any line that starts with a status word, the name
 * being the next whitespace-separated word (the published FAIL_TO_PASS /
 * PASS_TO_PASS lists hold such words even from lines that are not the
 * summary's, e.g. "[100%]" from a nested run's "PASSED    [100%]"). Names
 * stay whole, parameters with absolute paths too: the published lists of
 * pylint-dev/pylint hold such paths as they were on SWE-bench's machines */
static void line_pytest(const char *l, struct test_results *r)
{
	static const struct {
		const char *word;
		enum test_status st;
	} map[] = { { "PASSED", TS_PASSED }, { "FAILED", TS_FAILED }, { "ERROR", TS_ERROR },
		    { "SKIPPED", TS_SKIPPED }, { "XFAIL", TS_XFAIL }, { "XPASS ", TS_PASSED } };
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
		if (!starts(l, map[i].word))
			continue;
		const char *name = l + strcspn(l, " \t");
		while (*name == ' ' || *name == '\t')
			name++;
		size_t n = strcspn(name, " \t");
		/* "FAILED - message" has no name: SWE-bench drops " - " first */
		if (map[i].st == TS_FAILED && n == 1 && name[0] == '-' && name[1] == ' ') {
			name += 2;
			while (*name == ' ' || *name == '\t')
				name++;
			n = strcspn(name, " \t");
		}
		put(r, name, n, map[i].st);
		return;
	}
}

/* unittest -v: "name (module.Class) ... ok", perhaps with the docstring on
 * its own line between the name and the status */
static void line_unittest(const char *l, struct test_results *r, struct buf *pending)
{
	static const struct {
		const char *word;
		enum test_status st;
	} map[] = { { " ... ok", TS_PASSED },       { " ... OK", TS_PASSED },
		    { " ... FAIL", TS_FAILED },     { " ... ERROR", TS_ERROR },
		    { " ... skipped", TS_SKIPPED }, { " ... expected failure", TS_XFAIL },
		    { " ... unexpected success", TS_FAILED } };
	size_t len = strlen(l);
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
		const char *at = strstr(l, map[i].word);
		if (!at)
			continue;
		const char *name = l;
		size_t n = (size_t)(at - l);
		/* a docstring line: the name came on the line before */
		if (pending->len && !(n && l[n - 1] == ')'))
			put(r, pending->data, pending->len, map[i].st);
		else
			put(r, name, n, map[i].st);
		buf_reset(pending);
		return;
	}
	buf_reset(pending);
	if (len > 2 && l[len - 1] == ')' && strstr(l, " (") && !strchr(l, '\t'))
		buf_append(pending, l, len);
}

/* TAP: "ok 1 - name", "not ok 2 name # TODO ..." */
static void line_tap(const char *l, struct test_results *r)
{
	int ok = starts(l, "ok ");
	if (!ok && !starts(l, "not ok "))
		return;
	const char *p = l + (ok ? 3 : 7);
	while (isdigit((unsigned char)*p))
		p++;
	while (*p == ' ')
		p++;
	if (*p == '-' && p[1] == ' ')
		p += 2;
	const char *hash = strstr(p, " # ");
	size_t n = hash ? (size_t)(hash - p) : strlen(p);
	enum test_status st = ok ? TS_PASSED : TS_FAILED;
	if (hash && strncasecmp(hash + 3, "SKIP", 4) == 0)
		st = TS_SKIPPED;
	else if (hash && !ok && strncasecmp(hash + 3, "TODO", 4) == 0)
		st = TS_XFAIL;
	put(r, p, n, st);
}

/* automake-style "PASS: name" */
static void line_simple(const char *l, struct test_results *r)
{
	static const struct {
		const char *word;
		enum test_status st;
	} map[] = { { "PASS: ", TS_PASSED }, { "FAIL: ", TS_FAILED }, { "SKIP: ", TS_SKIPPED },
		    { "ERROR: ", TS_ERROR }, { "XFAIL: ", TS_XFAIL }, { "XPASS: ", TS_FAILED } };
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (starts(l, map[i].word)) {
			put(r, l + strlen(map[i].word), strlen(l + strlen(map[i].word)), map[i].st);
			return;
		}
}

/* go test -v: "--- PASS: TestName (0.00s)", subtests indented */
static void line_go(const char *l, struct test_results *r)
{
	while (*l == ' ' || *l == '\t')
		l++;
	static const struct {
		const char *word;
		enum test_status st;
	} map[] = { { "--- PASS: ", TS_PASSED }, { "--- FAIL: ", TS_FAILED }, { "--- SKIP: ", TS_SKIPPED } };
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (starts(l, map[i].word)) {
			const char *name = l + strlen(map[i].word);
			put(r, name, strcspn(name, " "), map[i].st);
			return;
		}
}

/* cargo test: "test path::name ... ok" */
static void line_cargo(const char *l, struct test_results *r)
{
	if (!starts(l, "test "))
		return;
	const char *name = l + 5;
	const char *dots = strstr(name, " ... ");
	if (!dots)
		return;
	const char *st = dots + 5;
	enum test_status s = starts(st, "ok") ? TS_PASSED : starts(st, "FAILED") ? TS_FAILED
			   : starts(st, "ignored")                      ? TS_SKIPPED
									: TS_ERROR;
	put(r, name, (size_t)(dots - name), s);
}

/* Python's str.strip() and str.split() whitespace, in ASCII */
static int py_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

/* SWE-bench's first pass over a sympy log, the regular expression
 * "(_*) (.*)\.py:(.*) (_*)" on one line: meant for the banners of the
 * tracebacks at the end ("____ sympy/x/tests/test_a.py:test_b ____"), it
 * takes any line with a space, later a ".py:" and after that a space. The
 * name runs from after the first space to the last ".py:" that a space
 * follows, then on to the last space; that name failed */
static void sympy_banner(const char *l, size_t n, struct test_results *r)
{
	const char *first = memchr(l, ' ', n), *last = NULL, *py = NULL;
	if (!first)
		return;
	for (const char *p = l + n; p > first && !last; p--)
		if (p[-1] == ' ')
			last = p - 1;
	for (const char *p = first + 1; p + 4 <= last; p++)
		if (memcmp(p, ".py:", 4) == 0)
			py = p;
	if (!py)
		return;
	char *name = xasprintf("%.*s.py:%.*s", (int)(py - first - 1), first + 1, (int)(last - py - 4), py + 4);
	put_raw(r, name, strlen(name), TS_FAILED);
	free(name);
}

/* SWE-bench's second pass: a line that, stripped, starts with "test_" and
 * ends with " E", " F" or " ok" gives its first word that status */
static void sympy_result(const char *l, size_t n, struct test_results *r)
{
	while (n && py_space(*l)) {
		l++;
		n--;
	}
	while (n && py_space(l[n - 1]))
		n--;
	if (n < 5 || memcmp(l, "test_", 5) != 0)
		return;
	enum test_status st;
	if (n >= 2 && memcmp(l + n - 2, " E", 2) == 0)
		st = TS_ERROR;
	else if (n >= 2 && memcmp(l + n - 2, " F", 2) == 0)
		st = TS_FAILED;
	else if (n >= 3 && memcmp(l + n - 3, " ok", 3) == 0)
		st = TS_PASSED;
	else
		return;
	size_t w = 0;
	while (w < n && !py_space(l[w]))
		w++;
	put_raw(r, l, w, st);
}

/* sympy's bin/test --verbose, read as SWE-bench reads it: the runner
 * prints each test as "test_name " and then "ok", "F" or "E" (or "f" for
 * an expected failure, "X" for an unexpected pass, "s", "Slow w" or "T"
 * for a skip) and, at the end, a traceback under a banner naming
 * file:test for each failure. Only ok, F and E count: any other outcome,
 * and a result that a test's own output pushed off its name's line, leave
 * the test out of the results, which grading reads as not passing. The
 * lines are read raw (the runner prints no colour to a pipe), the banners
 * first, so that a result line wins */
static void parse_sympy(const char *log, struct test_results *r)
{
	for (int pass = 0; pass < 2; pass++) {
		for (const char *p = log; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			if (pass == 0)
				sympy_banner(p, n, r);
			else
				sympy_result(p, n, r);
			if (!nl)
				break;
			p = nl + 1;
		}
	}
}

static const char *const parsers[] = { "pytest", "unittest", "tap", "simple", "go", "cargo", "sympy" };

int logparse_known(const char *parser)
{
	for (size_t i = 0; i < sizeof(parsers) / sizeof(*parsers); i++)
		if (strcmp(parser, parsers[i]) == 0)
			return 1;
	return 0;
}

/* a copy of the line without ANSI colour sequences and the trailing \r */
static char *clean_line(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\033' && i + 1 < n && s[i + 1] == '[') {
			i += 2;
			while (i < n && !isalpha((unsigned char)s[i]))
				i++;
			continue;
		}
		out[k++] = s[i];
	}
	while (k && out[k - 1] == '\r')
		k--;
	out[k] = '\0';
	return out;
}

int logparse(const char *parser, const char *log, struct test_results *r)
{
	if (!logparse_known(parser))
		return -1;
	if (strcmp(parser, "sympy") == 0) {
		parse_sympy(log, r);
		return 0;
	}
	struct buf pending = BUF_INIT;
	for (const char *p = log; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *l = clean_line(p, n);
		switch (parser[0]) {
		case 'p': line_pytest(l, r); break;
		case 'u': line_unittest(l, r, &pending); break;
		case 't': line_tap(l, r); break;
		case 's': line_simple(l, r); break;
		case 'g': line_go(l, r); break;
		case 'c': line_cargo(l, r); break;
		}
		free(l);
		if (!nl)
			break;
		p = nl + 1;
	}
	buf_release(&pending);
	return 0;
}
