/* test_extract.c - code extraction from chat answers, table-driven. */
#include <stdlib.h>

#include "check.h"
#include "score/extract.h"
#include "score/program.h"
#include "tests.h"

void test_extract_table(void)
{
	static const struct {
		const char *text, *lang, *entry, *want; /* want NULL: no code */
	} cases[] = {
		{ "```python\ndef f():\n    return 1\n```", "python", "f", "def f():\n    return 1\n" },
		{ "Here:\n\n```py\nx = 1\n```\nDone.", "python", NULL, "x = 1\n" },
		{ "```\nint f(void) { return 1; }\n```", "c", "f", "int f(void) { return 1; }\n" },
		{ "```javascript\nfunction f() {}\n```", "python", "f", NULL },
		{ "I cannot help with that.", "python", "f", NULL },
		{ "def f():\n    return 2\n", "python", "f", "def f():\n    return 2\n" },
		/* two blocks: the one defining the entry point wins over a longer usage example */
		{ "```python\nprint(g(1))\nprint(g(2))\nprint(g(3))\n```\n```python\ndef g(x):\n    return x\n```",
		  "python", "g", "def g(x):\n    return x\n" },
		{ "```c\nint main(void) { return sq(2) != 4; }\n```\n```c\nint sq(int x)\n{\n\treturn x * x;\n}\n```",
		  "c", "sq", "int sq(int x)\n{\n\treturn x * x;\n}\n" },
		{ "```python\nimport os\nimport sys\nimport re\n```\n```python\ndef h():\n    pass\n```", "python", "h",
		  "def h():\n    pass\n" },
		/* a tagged block beats an untagged one */
		{ "```\nplain\n```\n```c\nint x;\n```", "c", NULL, "int x;\n" },
		/* cut off at max_tokens: the unclosed block is taken */
		{ "```cpp\nint f() {\n  return", "cpp", "f", "int f() {\n  return" },
		{ "~~~python\ny = 2\n~~~", "python", NULL, "y = 2\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = extract_code(cases[i].text, cases[i].lang, cases[i].entry);
		if (cases[i].want)
			CHECK_STR(got, cases[i].want);
		else
			CHECK(got == NULL);
		free(got);
	}
	CHECK(program_defines_python("import x\n\ndef foo(a):\n    pass\n", "foo"));
	CHECK(program_defines_python("async def foo():\n    pass\n", "foo"));
	CHECK(!program_defines_python("    def foo():\n        pass\n", "foo"));
	CHECK(!program_defines_python("def foobar():\n    pass\n", "foo"));
}
