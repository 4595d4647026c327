#ifndef CSVREAD_H
#define CSVREAD_H

/*
 * csvread: read CSV records from memory.
 *
 * Records end with LF or CRLF. Fields may be quoted; inside quotes the
 * delimiter, CR and LF are ordinary characters and a doubled quote stands
 * for one quote character. Text between a closing quote and the next
 * delimiter is kept (as Python's csv module does): "ab"c -> abc.
 */

#include <stddef.h>

typedef struct {
    char delimiter;   /* ',' ';' '\t' '|' ... */
    char quote;       /* usually '"'; 0 disables quoting */
} csv_dialect;

#define CSV_DIALECT_DEFAULT { ',', '"' }

typedef struct csv_reader csv_reader;

/* Read from len bytes at data (not copied: keep it alive). NULL on ENOMEM. */
csv_reader *csv_open_mem(const char *data, size_t len, const csv_dialect *dialect);
void csv_close(csv_reader *r);

#define CSV_OK     1
#define CSV_EOF    0
#define CSV_EQUOTE (-1)   /* input ended inside a quoted field */
#define CSV_ENOMEM (-2)

/* Read the next record. Returns CSV_OK, CSV_EOF or an error. */
int csv_next(csv_reader *r);

/* Fields of the current record; field strings are NUL-terminated. */
size_t csv_nfields(const csv_reader *r);
const char *csv_field(const csv_reader *r, size_t i, size_t *len);

/* 1-based line number where the current record started. */
size_t csv_line(const csv_reader *r);

#endif
