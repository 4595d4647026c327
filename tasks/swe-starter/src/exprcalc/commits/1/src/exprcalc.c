#include "exprcalc.h"

#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 8

struct parser {
    const char *src;
    size_t pos;
    const expr_var *vars;
    size_t nvars;
    jmp_buf fail;
    expr_error err;
};

static void fail(struct parser *p, expr_status status, size_t pos)
{
    p->err.status = status;
    p->err.pos = pos;
    longjmp(p->fail, 1);
}

static void skip_space(struct parser *p)
{
    while (isspace((unsigned char)p->src[p->pos]))
        p->pos++;
}

static int accept(struct parser *p, char c)
{
    skip_space(p);
    if (p->src[p->pos] == c) {
        p->pos++;
        return 1;
    }
    return 0;
}

static void expect(struct parser *p, char c)
{
    if (!accept(p, c))
        fail(p, EXPR_ESYNTAX, p->pos);
}

/* ---- functions --------------------------------------------------------- */

struct func {
    const char *name;
    int min_args, max_args;
    double (*fn)(const double *args, int n);
};

static double f_sqrt(const double *a, int n) { (void)n; return sqrt(a[0]); }
static double f_abs(const double *a, int n) { (void)n; return fabs(a[0]); }
static double f_floor(const double *a, int n) { (void)n; return floor(a[0]); }
static double f_ceil(const double *a, int n) { (void)n; return ceil(a[0]); }
static double f_round(const double *a, int n) { (void)n; return round(a[0]); }
static double f_exp(const double *a, int n) { (void)n; return exp(a[0]); }
static double f_sin(const double *a, int n) { (void)n; return sin(a[0]); }
static double f_cos(const double *a, int n) { (void)n; return cos(a[0]); }

static double f_log(const double *a, int n)
{
    /* log(x) is the natural logarithm, log(x, b) the logarithm in base b */
    return n == 1 ? log(a[0]) : log(a[0]) / log(a[1]);
}

static double f_min(const double *a, int n)
{
    double m = a[0];
    for (int i = 1; i < n; i++)
        m = a[i] < m ? a[i] : m;
    return m;
}

static double f_max(const double *a, int n)
{
    double m = a[0];
    for (int i = 1; i < n; i++)
        m = a[i] > m ? a[i] : m;
    return m;
}

static const struct func FUNCS[] = {
    {"abs", 1, 1, f_abs},     {"ceil", 1, 1, f_ceil}, {"cos", 1, 1, f_cos},
    {"exp", 1, 1, f_exp},     {"floor", 1, 1, f_floor}, {"log", 1, 2, f_log},
    {"max", 1, MAX_ARGS, f_max}, {"min", 1, MAX_ARGS, f_min},
    {"round", 1, 1, f_round}, {"sin", 1, 1, f_sin}, {"sqrt", 1, 1, f_sqrt},
};

#define NFUNCS (sizeof FUNCS / sizeof FUNCS[0])

const char *const *expr_functions(void)
{
    static const char *names[NFUNCS + 1];
    for (size_t i = 0; i < NFUNCS; i++)
        names[i] = FUNCS[i].name;
    names[NFUNCS] = NULL;
    return names;
}

/* ---- grammar ----------------------------------------------------------- */

static double expr(struct parser *p);
static double unary(struct parser *p);

static double call(struct parser *p, const char *name, size_t len, size_t at)
{
    const struct func *f = NULL;
    double args[MAX_ARGS];
    int n = 0;

    for (size_t i = 0; i < NFUNCS; i++) {
        if (strlen(FUNCS[i].name) == len && strncmp(FUNCS[i].name, name, len) == 0)
            f = &FUNCS[i];
    }
    if (!f)
        fail(p, EXPR_EUNKNOWN, at);
    if (!accept(p, ')')) {
        do {
            if (n == MAX_ARGS)
                fail(p, EXPR_EARGS, at);
            args[n++] = expr(p);
        } while (accept(p, ','));
        expect(p, ')');
    }
    if (n < f->min_args || n > f->max_args)
        fail(p, EXPR_EARGS, at);
    return f->fn(args, n);
}

static double variable(struct parser *p, const char *name, size_t len, size_t at)
{
    for (size_t i = 0; i < p->nvars; i++) {
        if (strlen(p->vars[i].name) == len && strncmp(p->vars[i].name, name, len) == 0)
            return p->vars[i].value;
    }
    if (len == 2 && strncmp(name, "pi", 2) == 0)
        return M_PI;
    if (len == 1 && name[0] == 'e')
        return M_E;
    fail(p, EXPR_EUNKNOWN, at);
    return 0;
}

static double primary(struct parser *p)
{
    skip_space(p);
    const char *s = p->src + p->pos;
    size_t at = p->pos;

    if (accept(p, '(')) {
        double v = expr(p);
        expect(p, ')');
        return v;
    }
    if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) {
        char *end;
        double v = strtod(s, &end);
        p->pos += (size_t)(end - s);
        return v;
    }
    if (isalpha((unsigned char)*s) || *s == '_') {
        size_t len = 0;
        while (isalnum((unsigned char)s[len]) || s[len] == '_')
            len++;
        p->pos += len;
        if (accept(p, '('))
            return call(p, s, len, at);
        return variable(p, s, len, at);
    }
    fail(p, EXPR_ESYNTAX, at);
    return 0;
}

static double power(struct parser *p)
{
    double v = primary(p);
    while (accept(p, '^'))
        v = pow(v, primary(p));
    return v;
}

static double unary(struct parser *p)
{
    if (accept(p, '-'))
        return -unary(p);
    if (accept(p, '+'))
        return unary(p);
    return power(p);
}

static double term(struct parser *p)
{
    double v = unary(p);
    for (;;) {
        skip_space(p);
        size_t at = p->pos;
        if (accept(p, '*')) {
            v *= unary(p);
        } else if (accept(p, '/')) {
            double d = unary(p);
            if (d == 0)
                fail(p, EXPR_EDIV0, at);
            v /= d;
        } else if (accept(p, '%')) {
            double d = unary(p);
            if (d == 0)
                fail(p, EXPR_EDIV0, at);
            v = fmod(v, d);
        } else {
            return v;
        }
    }
}

static double expr(struct parser *p)
{
    double v = term(p);
    for (;;) {
        if (accept(p, '+'))
            v += term(p);
        else if (accept(p, '-'))
            v -= term(p);
        else
            return v;
    }
}

int expr_eval(const char *src, const expr_var *vars, size_t nvars,
              double *result, expr_error *err)
{
    struct parser p = { .src = src, .vars = vars, .nvars = nvars };

    if (setjmp(p.fail) == 0) {
        double v = expr(&p);
        skip_space(&p);
        if (p.src[p.pos] != '\0')
            fail(&p, EXPR_ESYNTAX, p.pos);
        if (isnan(v))
            fail(&p, EXPR_EDOMAIN, 0);
        *result = v;
        if (err) {
            err->status = EXPR_OK;
            err->pos = 0;
        }
        return 0;
    }
    if (err)
        *err = p.err;
    return -1;
}

const char *expr_strerror(expr_status status)
{
    switch (status) {
    case EXPR_OK:       return "no error";
    case EXPR_ESYNTAX:  return "syntax error";
    case EXPR_EUNKNOWN: return "unknown name";
    case EXPR_EARGS:    return "wrong number of arguments";
    case EXPR_EDIV0:    return "division by zero";
    case EXPR_EDOMAIN:  return "result is not a number";
    }
    return "unknown error";
}
