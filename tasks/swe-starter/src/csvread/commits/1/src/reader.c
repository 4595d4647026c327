#include "csvread.h"

#include <stdlib.h>
#include <string.h>

struct csv_reader {
    const char *data;
    size_t len, pos;
    csv_dialect d;

    char *buf;          /* field bytes of the current record, NUL separated */
    size_t buf_len, buf_cap;
    size_t *starts;     /* offset of each field in buf */
    size_t *lens;
    size_t nfields, fields_cap;
};

csv_reader *csv_open_mem(const char *data, size_t len, const csv_dialect *dialect)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    static const csv_dialect def = CSV_DIALECT_DEFAULT;
    r->data = data;
    r->len = len;
    r->d = dialect ? *dialect : def;
    return r;
}

void csv_close(csv_reader *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r->starts);
    free(r->lens);
    free(r);
}

static int put_char(csv_reader *r, char c)
{
    if (r->buf_len + 1 >= r->buf_cap) {
        size_t cap = r->buf_cap ? r->buf_cap * 2 : 256;
        char *nb = realloc(r->buf, cap);
        if (!nb)
            return -1;
        r->buf = nb;
        r->buf_cap = cap;
    }
    r->buf[r->buf_len++] = c;
    return 0;
}

static int start_field(csv_reader *r)
{
    if (r->nfields == r->fields_cap) {
        size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
        size_t *ns = realloc(r->starts, cap * sizeof *ns);
        if (!ns)
            return -1;
        r->starts = ns;
        size_t *nl = realloc(r->lens, cap * sizeof *nl);
        if (!nl)
            return -1;
        r->lens = nl;
        r->fields_cap = cap;
    }
    r->starts[r->nfields] = r->buf_len;
    r->lens[r->nfields] = 0;
    r->nfields++;
    return 0;
}

static int end_field(csv_reader *r)
{
    size_t i = r->nfields - 1;
    r->lens[i] = r->buf_len - r->starts[i];
    return put_char(r, '\0');
}

/* Is there a record terminator (LF or CRLF) at pos? Returns its length. */
static size_t eol_at(const csv_reader *r, size_t pos)
{
    if (pos < r->len && r->data[pos] == '\n')
        return 1;
    if (pos + 1 < r->len && r->data[pos] == '\r' && r->data[pos + 1] == '\n')
        return 2;
    return 0;
}

int csv_next(csv_reader *r)
{
    enum { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE } state = FIELD_START;
    const char delim = r->d.delimiter, quote = r->d.quote;

    r->nfields = 0;
    r->buf_len = 0;
    if (r->pos >= r->len)
        return CSV_EOF;
    if (start_field(r) < 0)
        return CSV_ENOMEM;

    while (r->pos < r->len) {
        char c = r->data[r->pos];
        size_t eol = (state == FIELD_START || state == UNQUOTED) ? eol_at(r, r->pos) : 0;

        if (eol) {
            r->pos += eol;
            return end_field(r) < 0 ? CSV_ENOMEM : CSV_OK;
        }
        r->pos++;
        switch (state) {
        case FIELD_START:
        case UNQUOTED:
            if (c == delim) {
                if (end_field(r) < 0 || start_field(r) < 0)
                    return CSV_ENOMEM;
                state = FIELD_START;
            } else if (state == FIELD_START && quote && c == quote) {
                state = QUOTED;
            } else {
                if (put_char(r, c) < 0)
                    return CSV_ENOMEM;
                state = UNQUOTED;
            }
            break;
        case QUOTED:
            if (c == quote) {
                if (r->pos < r->len && r->data[r->pos] == quote) {
                    r->pos++;
                    if (put_char(r, quote) < 0)
                        return CSV_ENOMEM;
                } else {
                    state = AFTER_QUOTE;
                }
            } else if (put_char(r, c) < 0) {
                return CSV_ENOMEM;
            }
            break;
        case AFTER_QUOTE:
            if (c == '\n')
                return end_field(r) < 0 ? CSV_ENOMEM : CSV_OK;
            if (c == delim) {
                if (end_field(r) < 0 || start_field(r) < 0)
                    return CSV_ENOMEM;
                state = FIELD_START;
            } else if (put_char(r, c) < 0) {
                return CSV_ENOMEM;
            }
            break;
        }
    }
    if (state == QUOTED)
        return CSV_EQUOTE;
    return end_field(r) < 0 ? CSV_ENOMEM : CSV_OK;
}

size_t csv_nfields(const csv_reader *r)
{
    return r->nfields;
}

const char *csv_field(const csv_reader *r, size_t i, size_t *len)
{
    if (i >= r->nfields)
        return NULL;
    if (len)
        *len = r->lens[i];
    return r->buf + r->starts[i];
}
