/* fmt.c - a report's figures as text cells (money, tokens, times, rates,
 * p-values), shared by every form of the report. */
#include "stats/fmt.h"

#include <math.h>

void fmt_cell(struct buf *b, const char *s, int md)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			buf_putc(b, ' ');
		else if (md && c == '|')
			buf_puts(b, "\\|");
		else
			buf_putc(b, (char)c);
	}
}

void fmt_money(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, "—");
	else if (isinf(v))
		buf_puts(b, "∞");
	else if (v != 0 && fabs(v) < 0.01)
		buf_printf(b, "$%.5f", v);
	else
		buf_printf(b, "$%.2f", v);
}

void fmt_money_ci(struct buf *b, double v, double lo, double hi, int unbounded)
{
	fmt_money(b, v);
	if (unbounded) {
		buf_puts(b, " [unbounded]");
	} else if (!isnan(lo)) {
		buf_puts(b, " [");
		fmt_money(b, lo);
		buf_puts(b, ", ");
		fmt_money(b, hi);
		buf_putc(b, ']');
	}
}

void fmt_tokens(struct buf *b, long n)
{
	if (n >= 10000000)
		buf_printf(b, "%.1fM", (double)n / 1e6);
	else if (n >= 10000)
		buf_printf(b, "%.0fk", (double)n / 1e3);
	else
		buf_printf(b, "%ld", n);
}

void fmt_ms(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, "—");
	else if (v >= 10000)
		buf_printf(b, "%.1fs", v / 1e3);
	else
		buf_printf(b, "%.0fms", v);
}

void fmt_rate_ci(struct buf *b, const struct provider_summary *p)
{
	if (isnan(p->pass_rate))
		buf_puts(b, "—");
	else
		buf_printf(b, "%.1f%% [%.1f, %.1f]", 100 * p->pass_rate, 100 * p->ci_low, 100 * p->ci_high);
}

void fmt_pvalue(struct buf *b, double p)
{
	if (isnan(p))
		buf_puts(b, "—");
	else if (p < 0.001)
		buf_puts(b, "<0.001");
	else
		buf_printf(b, "%.3f", p);
}

void fmt_ratio(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, "—");
	else
		buf_printf(b, "%.1f%%", 100 * v);
}

void fmt_num(struct buf *b, double v, const char *fmt)
{
	if (isnan(v))
		buf_puts(b, "—");
	else
		buf_printf(b, fmt, v);
}
