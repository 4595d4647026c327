/* fmt.h - the figures of a report as text cells, the same in the terminal
 * table, report.md and report.html: money, tokens, times, rates, p-values.
 * Each appends to a buffer; a missing value (NAN) is "—". */
#ifndef TB_FMT_H
#define TB_FMT_H

#include "stats/summary.h"
#include "util/buf.h"

/* a name (a provider, a task) as a table cell: a control character (a
 * newline, an escape sequence) becomes a space; in markdown (md) a '|' is
 * escaped, so a name cannot break a row or forge one */
void fmt_cell(struct buf *b, const char *s, int md);
/* "$0.12", "$0.00034" below a cent, "∞" */
void fmt_money(struct buf *b, double v);
/* the amount and its interval: "$0.12 [$0.10, $0.15]", or " [unbounded]";
 * the three with as many decimals as it takes for amounts that differ to
 * read differently ("$0.0312 [$0.0295, $0.0331]", not "$0.03 [$0.03, $0.03]") */
void fmt_money_ci(struct buf *b, double v, double lo, double hi, int unbounded);
/* a token count: "812", "45k", "12.3M" */
void fmt_tokens(struct buf *b, long n);
/* a time in ms: "850ms", "12.5s" */
void fmt_ms(struct buf *b, double v);
/* the pass rate with its interval: "80.2% [75.1, 84.6]" */
void fmt_rate_ci(struct buf *b, const struct provider_summary *p);
/* a p-value: "0.042", "<0.001" */
void fmt_pvalue(struct buf *b, double p);
/* a fraction as a percentage: "81.3%" */
void fmt_ratio(struct buf *b, double v);
/* a number in the given printf format */
void fmt_num(struct buf *b, double v, const char *fmt);

#endif
