/* fmt.c - a report's figures as text cells (money, tokens, times, rates,
 * p-values), shared by every form of the report. */
#include "stats/fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* decimals a lone amount gets: cents, or 5 below a cent */
static int money_decimals(double v)
{
	return isfinite(v) && v != 0 && fabs(v) < 0.01 ? 5 : 2;
}

static void money(struct buf *b, double v, int decimals)
{
	if (isnan(v))
		buf_puts(b, "—");
	else if (isinf(v))
		buf_puts(b, "∞");
	else
		buf_printf(b, "$%.*f", decimals, v);
}

void fmt_money(struct buf *b, double v)
{
	money(b, v, money_decimals(v));
}

/* whether the amounts that differ also read differently with d decimals */
static int money_distinct(const double *v, size_t n, int d)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			char a[64], z[64];
			snprintf(a, sizeof(a), "%.*f", d, v[i]);
			snprintf(z, sizeof(z), "%.*f", d, v[j]);
			/* apart by more than rounding noise, and still reading the same */
			if (fabs(v[i] - v[j]) > 1e-6 * fmax(fabs(v[i]), fabs(v[j])) && strcmp(a, z) == 0)
				return 0;
		}
	return 1;
}

void fmt_money_ci(struct buf *b, double v, double lo, double hi, int unbounded)
{
	if (unbounded || isnan(lo) || !isfinite(v) || !isfinite(hi)) {
		fmt_money(b, v);
		if (unbounded)
			buf_puts(b, " [unbounded]");
		else if (!isnan(lo)) {
			buf_puts(b, " [");
			fmt_money(b, lo);
			buf_puts(b, ", ");
			fmt_money(b, hi);
			buf_putc(b, ']');
		}
		return;
	}
	/* one number of decimals for the three, enough to tell apart ends that differ */
	const double all[] = { lo, v, hi };
	int d = money_decimals(lo);
	if (money_decimals(v) > d)
		d = money_decimals(v);
	while (d < 8 && !money_distinct(all, 3, d))
		d++;
	money(b, v, d);
	buf_puts(b, " [");
	money(b, lo, d);
	buf_puts(b, ", ");
	money(b, hi, d);
	buf_putc(b, ']');
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
