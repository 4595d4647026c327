#ifndef EXPRCALC_H
#define EXPRCALC_H

/*
 * exprcalc: evaluate arithmetic expressions on doubles.
 *
 *   expr    = term { ("+" | "-") term }
 *   term    = unary { ("*" | "/" | "%") unary }
 *   unary   = ("-" | "+") unary | power
 *   power   = primary [ "^" unary ]          (right-associative)
 *   primary = number | name | name "(" [ expr { "," expr } ] ")" | "(" expr ")"
 *
 * So -2^2 is -(2^2) = -4, 2^3^2 is 2^(3^2) = 512 and 2^-1 is 0.5.
 * Names are variables supplied by the caller or the constants pi and e;
 * see expr_functions() for the built-in functions.
 */

#include <stddef.h>

typedef enum {
    EXPR_OK = 0,
    EXPR_ESYNTAX,    /* unexpected character or end of input      */
    EXPR_EUNKNOWN,   /* unknown variable or function              */
    EXPR_EARGS,      /* wrong number of function arguments        */
    EXPR_EDIV0,      /* division or modulo by zero                */
    EXPR_EDOMAIN,    /* result is not a number (e.g. sqrt(-1))    */
    EXPR_EDEPTH      /* expression nested too deeply              */
} expr_status;

typedef struct {
    const char *name;
    double value;
} expr_var;

typedef struct {
    expr_status status;
    size_t pos;      /* offset in the source where the problem is */
} expr_error;

/*
 * Evaluate src. Variables are looked up in vars (nvars entries; vars may be
 * NULL when nvars is 0). Returns 0 and stores the value in *result, or -1
 * and fills *err (if not NULL).
 */
int expr_eval(const char *src, const expr_var *vars, size_t nvars,
              double *result, expr_error *err);

const char *expr_strerror(expr_status status);

/* NULL-terminated list of the built-in function names. */
const char *const *expr_functions(void);

#endif
