#include "csvread.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RECORDS 20

static const char CANDIDATES[] = { ',', ';', '\t', '|' };
#define NCAND (sizeof CANDIDATES)

/* Does the text [s, s+n) look like a number? */
static int is_numeric(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    for (; i < n; i++) {
        if (isdigit((unsigned char)s[i]))
            digits++;
        else if (s[i] != '.' && s[i] != ' ')
            return 0;
    }
    return digits > 0;
}

/*
 * Count, for each record of the sample, how many times c occurs. Returns
 * the number of records looked at.
 */
static size_t count_per_record(const char *s, size_t len, char c, size_t *counts)
{
    size_t n = 0, pos = 0;
    while (pos < len && n < MAX_RECORDS) {
        size_t count = 0;
        while (pos < len && s[pos] != '\n') {
            if (s[pos] == c)
                count++;
            pos++;
        }
        pos++; /* the newline */
        counts[n++] = count;
    }
    return n;
}

/* Guess whether the first record is a header: no numeric field in it, but a
   numeric field in the same column of every other record. */
static int guess_header(const char *s, size_t len, const csv_dialect *d)
{
    csv_reader *r = csv_open_mem(s, len, d);
    size_t ncols = 0, rows = 0;
    int numeric_cols[64] = {0};
    int header_numeric = 0;

    if (!r)
        return 0;
    while (rows < MAX_RECORDS && csv_next(r) == CSV_OK) {
        size_t nf = csv_nfields(r);
        if (nf > 64)
            nf = 64;
        for (size_t i = 0; i < nf; i++) {
            size_t flen;
            const char *f = csv_field(r, i, &flen);
            int num = is_numeric(f, flen);
            if (rows == 0) {
                header_numeric |= num;
            } else if (rows == 1) {
                numeric_cols[i] = num;
            } else {
                numeric_cols[i] &= num;
            }
        }
        if (rows == 0)
            ncols = nf;
        rows++;
    }
    csv_close(r);
    if (rows < 2 || header_numeric)
        return 0;
    for (size_t i = 0; i < ncols; i++) {
        if (numeric_cols[i])
            return 1;
    }
    return 0;
}

int csv_sniff(const char *sample, size_t len, csv_dialect *out)
{
    size_t counts[MAX_RECORDS];
    int best = -1;
    size_t best_count = 0;

    /* Ignore a trailing newline, so it does not look like an empty record. */
    while (len > 0 && (sample[len - 1] == '\n' || sample[len - 1] == '\r'))
        len--;
    for (size_t k = 0; k < NCAND; k++) {
        size_t n = count_per_record(sample, len, CANDIDATES[k], counts);
        int consistent = n > 0 && counts[0] > 0;
        for (size_t i = 1; i < n && consistent; i++)
            consistent = counts[i] == counts[0];
        if (consistent && counts[0] > best_count) {
            best = (int)k;
            best_count = counts[0];
        }
    }
    if (best < 0)
        return -1;
    out->delimiter = CANDIDATES[best];
    out->quote = '"';
    out->has_header = guess_header(sample, len, out);
    return 0;
}
