/* test_program.c - how answers become programs. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "score/program.h"
#include "tests.h"

static struct task py_task(void)
{
	struct task t = { 0 };
	t.id = "py/add";
	t.language = "python";
	t.format = FMT_HUMANEVAL;
	t.prompt = "from typing import List\n\ndef add(a, b):\n    \"\"\"sum\"\"\"\n";
	t.tests = "def check(candidate):\n    assert candidate(1, 2) == 3\n";
	t.entry_point = "add";
	return t;
}

void test_program_python_modes(void)
{
	struct task t = py_task();
	struct program p;
	/* a body completes the prompt */
	CHECK(program_build(&p, &t, "    return a + b\n", ANSWER_AUTO) == 0);
	CHECK(p.nfiles == 1);
	CHECK(strstr(p.files[0].text, "\"\"\"sum\"\"\"\n    return a + b\n") != NULL);
	CHECK(strstr(p.files[0].text, "\ncheck(add)\n") != NULL);
	CHECK(p.compile[0] == NULL && strcmp(p.run[0], "/usr/bin/python3") == 0);
	program_release(&p);
	/* a whole function follows the prompt, which keeps its imports */
	CHECK(program_build(&p, &t, "def add(a, b):\n    return a + b\n", ANSWER_AUTO) == 0);
	CHECK(strncmp(p.files[0].text, "from typing import List", 23) == 0);
	CHECK(strstr(p.files[0].text, "\"\"\"sum\"\"\"\n\ndef add(a, b):") != NULL);
	program_release(&p);
	/* an EvalPlus solution stands alone */
	CHECK(program_build(&p, &t, "def add(a, b):\n    return a + b\n", ANSWER_SOLUTION) == 0);
	CHECK(strncmp(p.files[0].text, "def add(a, b):", 14) == 0);
	program_release(&p);
	/* tests that call check themselves (HumanEval-X) are not given a second call */
	t.tests = "def check(candidate):\n    assert candidate(1, 2) == 3\n\ncheck(add)\n";
	CHECK(program_build(&p, &t, "    return a + b\n", ANSWER_COMPLETION) == 0);
	const char *first = strstr(p.files[0].text, "\ncheck(add)");
	CHECK(first && !strstr(first + 1, "\ncheck(add)"));
	program_release(&p);
}

void test_program_c_main_return(void)
{
	struct task t = { 0 };
	t.id = "c/sq";
	t.language = "c";
	t.format = FMT_NATIVE;
	t.prompt = "int sq(int x);\n";
	t.tests = "/* main() { in a comment */\nint main(void)\n{\n\tconst char *s = \"}\";\n\tif (sq(2) != 4) { return 1; }\n\treturn s[0] != '}';\n}\n";
	struct program p;
	CHECK(program_build(&p, &t, "int sq(int x) { return x * x; }", ANSWER_AUTO) == 0);
	CHECK(p.nfiles == 2);
	CHECK_STR(p.files[0].name, "answer.c");
	CHECK_STR(p.files[1].name, "test.c");
	/* `return 0;` lands before main's closing brace, not in the comment or the string */
	CHECK(strstr(p.files[1].text, "return s[0] != '}';\nreturn 0;\n}") != NULL);
	CHECK(strstr(p.files[1].text, "/* main() { in a comment */") != NULL);
	int has_d = 0;
	for (int i = 0; p.compile[i]; i++)
		has_d |= strcmp(p.compile[i], "-Dmain=tb_test_main") == 0;
	CHECK(has_d);
	program_release(&p);
}
