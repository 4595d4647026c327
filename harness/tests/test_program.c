/* test_program.c - how answers become programs. */
#include <stdio.h>
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

/* the index of "-include" in p's compile step, or -1 */
static int include_at(const struct program *p)
{
	for (int i = 0; p->compile[i]; i++)
		if (strcmp(p->compile[i], "-include") == 0)
			return i;
	return -1;
}

void test_program_cpp_header(void)
{
	struct task t = { 0 };
	t.id = "CPP/0";
	t.language = "cpp";
	t.format = FMT_HUMANEVAL;
	t.prompt = "/*\nAdd two numbers. // #include<nope>\n*/\n#include<stdio.h>\n// a note\n#include<vector>\n"
		   "using namespace std;\n#include<string>\nint add(int a, int b){\n";
	t.tests = "int main(){ return add(1, 2) != 3; }\n";
	struct program p;
	CHECK(program_build(&p, &t, "    return a + b;\n}\n", ANSWER_AUTO) == 0);
	/* only the includes the prompt opens with, past comments: not the one
	 * after `using namespace`, nor the one inside a comment */
	CHECK_STR(p.header_text, "#include<stdio.h>\n#include<vector>\n");
	CHECK(strncmp(p.header, "p-", 2) == 0 && strstr(p.header, ".hpp") != NULL);
	CHECK(strlen(p.object) == strlen(p.header) + 4 && strncmp(p.object, p.header, strlen(p.header)) == 0);
	CHECK(strstr(p.object_compile[2], "-x c++-header") != NULL);
	int i = include_at(&p);
	CHECK(i > 0 && p.compile[i + 1] && strstr(p.compile[i + 1], p.header) != NULL);
	char first[80];
	snprintf(first, sizeof(first), "%s", p.header);
	/* the program itself is unchanged: the prompt keeps its own includes */
	CHECK(strncmp(p.files[0].text, t.prompt, strlen(t.prompt)) == 0);
	program_drop_header(&p);
	CHECK(include_at(&p) < 0 && p.object[0] == '\0' && p.header[0] == '\0');
	CHECK(strcmp(p.compile[8], "/tb/prog.cpp") == 0 && p.compile[9] == NULL);
	program_release(&p);
	/* the same includes give the same header; a macro before them, none */
	t.prompt = "#include<stdio.h>\n#include<vector>\nint add(int a, int b){\n";
	CHECK(program_build(&p, &t, "    return a + b;\n}\n", ANSWER_AUTO) == 0);
	CHECK_STR(p.header, first);
	program_release(&p);
	t.prompt = "#define N 3\n#include<stdio.h>\nint add(int a, int b){\n";
	CHECK(program_build(&p, &t, "    return a + b;\n}\n", ANSWER_AUTO) == 0);
	CHECK(p.header_text == NULL && p.object[0] == '\0' && include_at(&p) < 0);
	program_release(&p);
}
