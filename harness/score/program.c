/* program.c - program assembly per language and suite format.
 *
 * A pass is never read from the answer's exit code or output alone: each
 * program runs under a harness driver that reads a random token from fd 3
 * before any answer code runs and writes it back only after the tests
 * returned normally. */
#include "score/program.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/proc.h"
#include "util/sha256.h"
#include "util/xalloc.h"

static const char driver_py[] =
	"# tokenbench driver: runs the program, then reports success on fd 3\n"
	"import os, sys\n"
	"_tb_token = os.read(3, 80)\n"
	"def _tb_run(path):\n"
	"    with open(path, encoding='utf-8', errors='replace') as f:\n"
	"        src = f.read()\n"
	"    code = compile(src, path, 'exec')\n"
	"    sys.argv = [path]\n"
	"    exec(code, {'__name__': '__main__', '__file__': path, '__builtins__': __builtins__})\n"
	"_tb_run(sys.argv[1])\n"
	"sys.stdout.flush()\n"
	"sys.stderr.flush()\n"
	"os.write(3, _tb_token)\n";

/* shared by C and C++: the tests' main is renamed tb_test_main by -D */
static const char driver_c[] =
	"/* tokenbench driver: runs the tests' main, then reports success on fd 3 */\n"
	"#include <unistd.h>\n"
	"int tb_test_main(void);\n"
	"static char tb_token[80];\n"
	"static long tb_token_len;\n"
	"static void tb_read_token(void) { tb_token_len = (long)read(3, tb_token, sizeof(tb_token)); }\n"
	"__attribute__((used, section(\".preinit_array\"))) static void (*const tb_preinit)(void) = tb_read_token;\n"
	"int tb_entry(void) __asm__(\"main\");\n"
	"int tb_entry(void)\n"
	"{\n"
	"\tint rc = tb_test_main();\n"
	"\tif (rc == 0 && tb_token_len > 0 && write(3, tb_token, (size_t)tb_token_len) < 0)\n"
	"\t\treturn 1;\n"
	"\treturn rc;\n"
	"}\n";

int program_write_harness(const char *dir)
{
	char *py = xasprintf("%s/driver.py", dir);
	char *c = xasprintf("%s/driver.c", dir);
	char *cpp = xasprintf("%s/driver.cpp", dir);
	int rc = file_write(py, driver_py, sizeof(driver_py) - 1, 0644);
	if (rc == 0)
		rc = file_write(c, driver_c, sizeof(driver_c) - 1, 0644);
	if (rc == 0)
		rc = file_write(cpp, driver_c, sizeof(driver_c) - 1, 0644);
	free(py);
	free(c);
	free(cpp);
	return rc;
}

int program_build_driver(const char *dir, const char *name)
{
	int cpp = strcmp(name, "driver_cpp.o") == 0;
	char *src = xasprintf("%s/%s", dir, cpp ? "driver.cpp" : "driver.c");
	char *tmp = xasprintf("%s/%s.tmp", dir, name), *out = xasprintf("%s/%s", dir, name);
	const char *argv[] = { cpp ? "/usr/bin/g++" : "/usr/bin/gcc", "-O1", "-w", "-c", "-o", tmp, src, NULL };
	int rc = proc_run(argv, NULL, NULL) == 0 && rename(tmp, out) == 0 ? 0 : -1;
	if (rc < 0)
		error("cannot build the test driver with %s", argv[0]);
	free(src);
	free(tmp);
	free(out);
	return rc;
}

static void add_file(struct program *p, const char *name, char *text)
{
	p->files[p->nfiles].name = name;
	p->files[p->nfiles].text = text;
	p->nfiles++;
}

static void set_argv(const char **dst, const char *const *src)
{
	int i = 0;
	for (; src[i] && i < PROGRAM_MAX_ARGS - 1; i++)
		dst[i] = src[i];
	dst[i] = NULL;
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

int program_defines_python(const char *code, const char *name)
{
	size_t n = strlen(name);
	for (const char *line = code; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *p = line;
		if (strncmp(p, "async ", 6) == 0)
			p += 6;
		if (strncmp(p, "def ", 4) != 0)
			continue;
		p += 4;
		while (*p == ' ')
			p++;
		if (strncmp(p, name, n) == 0 && !is_ident((unsigned char)p[n]))
			return 1;
	}
	return 0;
}

/* whether a "check(" call already ends the tests (HumanEval-X does that) */
static int calls_check(const char *tests)
{
	for (const char *p = strstr(tests, "check("); p; p = strstr(p + 1, "check("))
		if (p == tests || p[-1] == '\n')
			return 1;
	return 0;
}

static int build_python(struct program *p, const struct task *t, const char *code, enum answer_mode mode)
{
	struct buf prog = BUF_INIT;
	if (t->format == FMT_MBPP) {
		buf_printf(&prog, "%s\n", code);
	} else if (mode == ANSWER_SOLUTION) {
		buf_printf(&prog, "%s\n", code);
	} else if (mode == ANSWER_AUTO && t->entry_point && program_defines_python(code, t->entry_point)) {
		/* a whole function: keep the prompt's imports and helpers above it */
		buf_printf(&prog, "%s\n%s\n", t->prompt, code);
	} else {
		buf_printf(&prog, "%s%s\n", t->prompt, code);
	}
	buf_printf(&prog, "\n%s\n", t->tests);
	if (t->format != FMT_MBPP && t->entry_point && !calls_check(t->tests))
		buf_printf(&prog, "\ncheck(%s)\n", t->entry_point);
	add_file(p, "prog.py", buf_detach(&prog));
	static const char *const run[] = { "/usr/bin/python3", "-I", "-B", "/tbh/driver.py", "/tb/prog.py", NULL };
	set_argv(p->run, run);
	p->zygote_script = "/tb/prog.py";
	return 0;
}

/* skips a C string/char literal or comment starting at p; returns the end */
static const char *skip_c_token(const char *p)
{
	if (p[0] == '/' && p[1] == '/') {
		const char *e = strchr(p, '\n');
		return e ? e : p + strlen(p);
	}
	if (p[0] == '/' && p[1] == '*') {
		const char *e = strstr(p + 2, "*/");
		return e ? e + 2 : p + strlen(p);
	}
	if (*p == '"' || *p == '\'') {
		char q = *p++;
		while (*p && *p != q) {
			if (*p == '\\' && p[1])
				p++;
			p++;
		}
		return *p ? p + 1 : p;
	}
	return p + 1;
}

/* the tests' main becomes a function the driver calls: give it an explicit
 * `return 0;` so that falling off its end (legal for main only) stays 0 */
static char *tests_with_return(const char *tests)
{
	const char *m = NULL;
	for (const char *p = tests; *p;) {
		if ((p[0] == '/' && (p[1] == '/' || p[1] == '*')) || *p == '"' || *p == '\'') {
			p = skip_c_token(p);
			continue;
		}
		if (strncmp(p, "main", 4) == 0 && (p == tests || !is_ident((unsigned char)p[-1])) &&
		    !is_ident((unsigned char)p[4])) {
			const char *q = p + 4;
			while (isspace((unsigned char)*q))
				q++;
			if (*q == '(') {
				m = q;
				break;
			}
		}
		p++;
	}
	if (!m)
		return xstrdup(tests);
	const char *open = strchr(m, '{');
	if (!open)
		return xstrdup(tests);
	int depth = 0;
	for (const char *p = open; *p;) {
		if ((p[0] == '/' && (p[1] == '/' || p[1] == '*')) || *p == '"' || *p == '\'') {
			p = skip_c_token(p);
			continue;
		}
		if (*p == '{')
			depth++;
		else if (*p == '}' && --depth == 0)
			return xasprintf("%.*sreturn 0;\n%s", (int)(p - tests), tests, p);
		p++;
	}
	return xstrdup(tests);
}

#define C_FLAGS "-std=gnu11 -O1 -w -Dmain=tb_test_main"

/* the answer and the tests are two translation units, so no macro of the
 * answer reaches the tests; -Dmain renames the tests' main, and an answer
 * that defines main collides with it at link time */
static int build_c(struct program *p, const struct task *t, const char *code)
{
	char *tests = tests_with_return(t->tests);
	char *test_src = xasprintf("%s\n%s\n", t->prompt, tests);
	free(tests);
	char hex[65];
	sha256_buf_hex(test_src, strlen(test_src), hex);
	snprintf(p->object, sizeof(p->object), "t-%.24s.o", hex);
	add_file(p, "answer.c", xasprintf("%s\n", code));
	add_file(p, "test.c", test_src);
	/* two samples of a task, in two sandboxes with uids of their own, may
	 * build it at once: each writes a private file (mktemp: the pid is the
	 * same in every sandbox) and hard-links it into place; the loser finds
	 * the winner's, which it could not replace in the sticky directory */
	p->owned[0] = xasprintf("t=$(mktemp /obj/.%s.XXXXXX) && /usr/bin/gcc " C_FLAGS " -c -o \"$t\" /tb/test.c"
				" && chmod 644 \"$t\" && { ln \"$t\" /obj/%s 2>/dev/null || test -e /obj/%s; };"
				" rc=$?; rm -f \"$t\"; exit $rc",
				p->object, p->object, p->object);
	p->owned[1] = xasprintf("/obj/%s", p->object);
	const char *oc[] = { "/bin/sh", "-c", p->owned[0], NULL };
	const char *cc[] = { "/usr/bin/gcc", "-std=gnu11", "-O1", "-w", "-Dmain=tb_test_main", "-o", "/work/prog",
			     "/tbh/driver.o", "/tb/answer.c", p->owned[1], "-lm", NULL };
	static const char *const run[] = { "/work/prog", NULL };
	set_argv(p->object_compile, oc);
	set_argv(p->compile, cc);
	set_argv(p->run, run);
	p->driver = "driver.o";
	p->output = "prog";
	return 0;
}

/* the prompt's last non-empty line: HumanEval-X's function header */
static const char *last_line(const char *s, size_t *len)
{
	const char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	const char *start = end;
	while (start > s && start[-1] != '\n')
		start--;
	*len = (size_t)(end - start);
	return start;
}

/* whether code contains the header, ignoring whitespace */
static int contains_header(const char *code, const char *hdr, size_t n)
{
	char *a = xmalloc(strlen(code) + 1), *b = xmalloc(n + 1);
	size_t la = 0, lb = 0;
	for (const char *p = code; *p; p++)
		if (!isspace((unsigned char)*p))
			a[la++] = *p;
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)hdr[i]) && hdr[i] != '{')
			b[lb++] = hdr[i];
	a[la] = b[lb] = '\0';
	int found = lb > 0 && strstr(a, b) != NULL;
	free(a);
	free(b);
	return found;
}

/* the #include lines a prompt opens with, when only comments and blank
 * lines stand before and among them (so that including them first, as a
 * precompiled header, changes nothing: the prompt's own includes then find
 * their guards set); malloced, or NULL when there are none */
static char *leading_includes(const char *s)
{
	struct buf out = BUF_INIT;
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (s[0] == '/' && (s[1] == '/' || s[1] == '*')) {
			s = skip_c_token(s);
			continue;
		}
		if (strncmp(s, "#include", 8) != 0)
			break;
		size_t n = strcspn(s, "\n");
		buf_printf(&out, "%.*s\n", (int)n, s);
		s += n;
	}
	if (!out.len) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out);
}

#define CPP_FLAGS "-std=c++17 -O1 -w -Dmain=tb_test_main"

/* the precompiled header of the prompt's includes: built once per distinct
 * set (HumanEval-X's 164 prompts have 22) in the sandbox, as the C tests'
 * object is; each answer's compile then parses none of those headers */
static void cpp_header(struct program *p, const struct task *t)
{
	char *inc = leading_includes(t->prompt);
	if (!inc)
		return;
	char hex[65], *keyed = xasprintf("%s\n%s", CPP_FLAGS, inc);
	sha256_buf_hex(keyed, strlen(keyed), hex);
	free(keyed);
	snprintf(p->header, sizeof(p->header), "p-%.24s.hpp", hex);
	snprintf(p->object, sizeof(p->object), "p-%.24s.hpp.gch", hex);
	p->header_text = inc;
	p->owned[0] = xasprintf("t=$(mktemp /obj/.%s.XXXXXX) && /usr/bin/g++ " CPP_FLAGS " -x c++-header -o \"$t\""
				" /obj/%s && chmod 644 \"$t\" && { ln \"$t\" /obj/%s 2>/dev/null || test -e /obj/%s; };"
				" rc=$?; rm -f \"$t\"; exit $rc",
				p->object, p->header, p->object, p->object);
	p->owned[1] = xasprintf("/obj/%s", p->header);
	const char *oc[] = { "/bin/sh", "-c", p->owned[0], NULL };
	set_argv(p->object_compile, oc);
}

static int build_cpp(struct program *p, const struct task *t, const char *code, enum answer_mode mode)
{
	struct buf prog = BUF_INIT;
	size_t hn;
	const char *hdr = last_line(t->prompt, &hn);
	if (mode == ANSWER_SOLUTION || (mode == ANSWER_AUTO && contains_header(code, hdr, hn)))
		buf_printf(&prog, "%.*s\n%s\n", (int)(hdr - t->prompt), t->prompt, code);
	else
		buf_printf(&prog, "%s%s\n", t->prompt, code);
	char *tests = tests_with_return(t->tests);
	buf_printf(&prog, "\n%s\n", tests);
	free(tests);
	add_file(p, "prog.cpp", buf_detach(&prog));
	cpp_header(p, t);
	const char *cc[] = { "/usr/bin/g++", "-std=c++17", "-O1", "-w", "-Dmain=tb_test_main", "-o", "/work/prog",
			     "/tbh/driver_cpp.o", "/tb/prog.cpp", p->owned[1] ? "-include" : NULL, p->owned[1], NULL };
	static const char *const run[] = { "/work/prog", NULL };
	set_argv(p->compile, cc);
	set_argv(p->run, run);
	p->driver = "driver_cpp.o";
	p->output = "prog";
	return 0;
}

void program_drop_header(struct program *p)
{
	for (int i = 0; p->compile[i]; i++)
		if (strcmp(p->compile[i], "-include") == 0) {
			p->compile[i] = NULL;
			break;
		}
	p->object[0] = p->header[0] = '\0';
}

enum answer_mode program_reference_mode(const struct task *t)
{
	return strcmp(t->language, "c") == 0 || t->format == FMT_MBPP || t->repo ? ANSWER_SOLUTION
										 : ANSWER_COMPLETION;
}

int program_build(struct program *p, const struct task *t, const char *code, enum answer_mode mode)
{
	memset(p, 0, sizeof(*p));
	if (strcmp(t->language, "python") == 0)
		return build_python(p, t, code, mode);
	if (strcmp(t->language, "c") == 0)
		return build_c(p, t, code);
	if (strcmp(t->language, "cpp") == 0)
		return build_cpp(p, t, code, mode);
	return error("task '%s': cannot build %s programs", t->id, t->language);
}

void program_release(struct program *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nfiles; i++)
		free(p->files[i].text);
	free(p->header_text);
	for (size_t i = 0; i < sizeof(p->owned) / sizeof(*p->owned); i++)
		free(p->owned[i]);
	memset(p, 0, sizeof(*p));
}
