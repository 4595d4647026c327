/*
 * exprcalc tests. Prints "PASS: <name>" or "FAIL: <name>" for each test,
 * and the details of failed checks on stderr.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "exprcalc.h"

static int failed_checks;

static void check_value(const char *src, double want, int line)
{
    double got = 0;
    expr_error err;
    if (expr_eval(src, NULL, 0, &got, &err) != 0) {
        fprintf(stderr, "  line %d: \"%s\": error %s at %zu, want %g\n",
                line, src, expr_strerror(err.status), err.pos, want);
        failed_checks++;
    } else if (fabs(got - want) > 1e-9 * (fabs(want) > 1 ? fabs(want) : 1)) {
        fprintf(stderr, "  line %d: \"%s\" = %.17g, want %.17g\n", line, src, got, want);
        failed_checks++;
    }
}

static void check_error(const char *src, expr_status status, size_t pos, int line)
{
    double got = 0;
    expr_error err = { EXPR_OK, 0 };
    int rc = expr_eval(src, NULL, 0, &got, &err);
    if (rc != -1 || err.status != status || err.pos != pos) {
        fprintf(stderr, "  line %d: \"%s\": rc %d, %s at %zu; want %s at %zu\n",
                line, src, rc, expr_strerror(err.status), err.pos,
                expr_strerror(status), pos);
        failed_checks++;
    }
}

#define VALUE(src, want) check_value(src, want, __LINE__)
#define ERROR(src, status, pos) check_error(src, status, pos, __LINE__)

static void numbers(void)
{
    VALUE("42", 42);
    VALUE("  3.25 ", 3.25);
    VALUE(".5", 0.5);
    VALUE("1e3", 1000);
    VALUE("2.5e-2", 0.025);
}

static void precedence(void)
{
    VALUE("1 + 2 * 3", 7);
    VALUE("(1 + 2) * 3", 9);
    VALUE("10 - 4 - 3", 3);
    VALUE("100 / 10 / 5", 2);
    VALUE("7 % 4 * 2", 6);
    VALUE("2 * 3 ^ 2", 18);
}

static void unary_minus(void)
{
    VALUE("-3", -3);
    VALUE("--3", 3);
    VALUE("+-+3", -3);
    VALUE("2 * -3", -6);
    VALUE("-2 ^ 2", -4);
    VALUE("-(2 + 3)", -5);
}

static void powers(void)
{
    VALUE("2 ^ 10", 1024);
    VALUE("9 ^ 0.5", 3);
    VALUE("(2 ^ 3) ^ 2", 64);
    VALUE("2 ^ (1 + 2)", 8);
}

static void modulo(void)
{
    VALUE("7 % 3", 1);
    VALUE("-7 % 3", -1);
    VALUE("7.5 % 2", 1.5);
}

static void variables_and_constants(void)
{
    static const expr_var vars[] = { {"x", 3}, {"rate_2", 0.5} };
    double got = 0;
    int ok = expr_eval("x * x + rate_2", vars, 2, &got, NULL) == 0 && got == 9.5;
    if (!ok) {
        fprintf(stderr, "  variables: got %g\n", got);
        failed_checks++;
    }
    VALUE("pi", M_PI);
    VALUE("e ^ 1", M_E);
}

static void functions(void)
{
    VALUE("sqrt(16)", 4);
    VALUE("abs(-2.5)", 2.5);
    VALUE("max(1, 7, 3)", 7);
    VALUE("min(4, -1)", -1);
    VALUE("floor(2.7) + ceil(2.2) + round(2.5)", 8);
    VALUE("log(e)", 1);
    VALUE("log(8, 2)", 3);
    VALUE("max(2 * 3, sqrt(49))", 7);
}

static void syntax_errors(void)
{
    ERROR("", EXPR_ESYNTAX, 0);
    ERROR("1 +", EXPR_ESYNTAX, 3);
    ERROR("(1 + 2", EXPR_ESYNTAX, 6);
    ERROR("1 2", EXPR_ESYNTAX, 2);
    ERROR("3 * * 4", EXPR_ESYNTAX, 4);
    ERROR("max(1,)", EXPR_ESYNTAX, 6);
}

static void semantic_errors(void)
{
    ERROR("1 / 0", EXPR_EDIV0, 2);
    ERROR("5 % (2 - 2)", EXPR_EDIV0, 2);
    ERROR("y + 1", EXPR_EUNKNOWN, 0);
    ERROR("2 * nope(1)", EXPR_EUNKNOWN, 4);
    ERROR("sqrt(1, 2)", EXPR_EARGS, 0);
    ERROR("min()", EXPR_EARGS, 0);
    ERROR("sqrt(-1)", EXPR_EDOMAIN, 0);
}

static void nesting_limit(void)
{
    char deep[300];
    memset(deep, '(', 200);
    strcpy(deep + 200, "1");
    ERROR(deep, EXPR_EDEPTH, 64);
}

static void function_list(void)
{
    const char *const *names = expr_functions();
    int count = 0, has_sqrt = 0;
    for (; *names; names++) {
        count++;
        has_sqrt |= strcmp(*names, "sqrt") == 0;
    }
    if (count != 11 || !has_sqrt) {
        fprintf(stderr, "  function_list: %d names\n", count);
        failed_checks++;
    }
}

#define RUN(t)                                                          \
    do {                                                                \
        failed_checks = 0;                                              \
        t();                                                            \
        printf("%s: %s\n", failed_checks ? "FAIL" : "PASS", #t);        \
        failures += failed_checks != 0;                                 \
    } while (0)

int main(void)
{
    int failures = 0;
    RUN(numbers);
    RUN(precedence);
    RUN(unary_minus);
    RUN(powers);
    RUN(modulo);
    RUN(variables_and_constants);
    RUN(functions);
    RUN(syntax_errors);
    RUN(semantic_errors);
    RUN(nesting_limit);
    RUN(function_list);
    return failures ? 1 : 0;
}
