/* calc: evaluate the expressions given as arguments, or one per input line. */
#include <stdio.h>
#include <string.h>

#include "exprcalc.h"

static int eval_print(const char *src)
{
    double v;
    expr_error err;
    if (expr_eval(src, NULL, 0, &v, &err) != 0) {
        fprintf(stderr, "%s\n%*s^ %s\n", src, (int)err.pos, "", expr_strerror(err.status));
        return 1;
    }
    printf("%.15g\n", v);
    return 0;
}

int main(int argc, char **argv)
{
    int status = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            status |= eval_print(argv[i]);
        return status;
    }
    char line[1024];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0])
            status |= eval_print(line);
    }
    return status;
}
