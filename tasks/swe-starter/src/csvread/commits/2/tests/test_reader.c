#include "tests.h"

static csv_reader *open_str(const char *s, char delim)
{
    csv_dialect d = CSV_DIALECT_DEFAULT;
    d.delimiter = delim;
    return csv_open_mem(s, strlen(s), &d);
}

void test_reader_simple(void)
{
    csv_reader *r = open_str("a,b,c\n1,2,3\n", ',');
    CHECK(csv_next(r) == CSV_OK);
    CHECK(csv_nfields(r) == 3);
    CHECK_FIELD(r, 0, "a");
    CHECK_FIELD(r, 2, "c");
    CHECK(csv_next(r) == CSV_OK);
    CHECK_FIELD(r, 1, "2");
    CHECK(csv_next(r) == CSV_EOF);
    CHECK(csv_field(r, 0, NULL) == NULL);
    csv_close(r);
}

void test_reader_empty_fields(void)
{
    csv_reader *r = open_str(",x,\n\n", ',');
    CHECK(csv_next(r) == CSV_OK);
    CHECK(csv_nfields(r) == 3);
    CHECK_FIELD(r, 0, "");
    CHECK_FIELD(r, 1, "x");
    CHECK_FIELD(r, 2, "");
    CHECK(csv_next(r) == CSV_OK);
    CHECK(csv_nfields(r) == 1);
    CHECK_FIELD(r, 0, "");
    CHECK(csv_next(r) == CSV_EOF);
    csv_close(r);
}

void test_reader_crlf(void)
{
    csv_reader *r = open_str("a,b\r\nc,d\r\n", ',');
    CHECK(csv_next(r) == CSV_OK);
    CHECK_FIELD(r, 1, "b");
    CHECK(csv_next(r) == CSV_OK);
    CHECK_FIELD(r, 0, "c");
    CHECK_FIELD(r, 1, "d");
    CHECK(csv_next(r) == CSV_EOF);
    csv_close(r);
}

void test_reader_quoted(void)
{
    csv_reader *r = open_str("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", ',');
    CHECK(csv_next(r) == CSV_OK);
    CHECK(csv_nfields(r) == 3);
    CHECK_FIELD(r, 0, "a,b");
    CHECK_FIELD(r, 1, "say \"hi\"");
    CHECK_FIELD(r, 2, "");
    csv_close(r);
}

void test_reader_quoted_newline(void)
{
    csv_reader *r = open_str("1,\"two\nlines\"\n2,x\n", ',');
    CHECK(csv_next(r) == CSV_OK);
    CHECK_FIELD(r, 1, "two\nlines");
    CHECK(csv_next(r) == CSV_OK);
    CHECK_FIELD(r, 0, "2");
    csv_close(r);
}

void test_reader_text_after_quote(void)
{
    csv_reader *r = open_str("\"ab\"c,d\n", ',');
    CHECK(csv_next(r) == CSV_OK);
    CHECK_FIELD(r, 0, "abc");
    CHECK_FIELD(r, 1, "d");
    csv_close(r);
}

void test_reader_unterminated_quote(void)
{
    csv_reader *r = open_str("a,\"never closed\n", ',');
    CHECK(csv_next(r) == CSV_EQUOTE);
    csv_close(r);
}

void test_reader_other_delimiter(void)
{
    csv_reader *r = open_str("a;\"b;c\";d\n", ';');
    CHECK(csv_next(r) == CSV_OK);
    CHECK(csv_nfields(r) == 3);
    CHECK_FIELD(r, 1, "b;c");
    csv_close(r);
}

void test_reader_no_trailing_newline(void)
{
    csv_reader *r = open_str("a,b\nc,\"d\"", ',');
    CHECK(csv_next(r) == CSV_OK);
    CHECK(csv_next(r) == CSV_OK);
    CHECK_FIELD(r, 1, "d");
    CHECK(csv_next(r) == CSV_EOF);
    csv_close(r);
}

void test_reader_line_numbers(void)
{
    csv_reader *r = open_str("a\n\"b\nb\"\nc\n", ',');
    CHECK(csv_next(r) == CSV_OK && csv_line(r) == 1);
    CHECK(csv_next(r) == CSV_OK && csv_line(r) == 2);
    CHECK(csv_next(r) == CSV_OK && csv_line(r) == 4);
    csv_close(r);
}
