#include "tests.h"

static int sniff(const char *s, csv_dialect *d)
{
    return csv_sniff(s, strlen(s), d);
}

void test_sniff_comma(void)
{
    csv_dialect d;
    CHECK(sniff("a,b,c\n1,2,3\n4,5,6\n", &d) == 0);
    CHECK(d.delimiter == ',');
    CHECK(d.quote == '"');
}

void test_sniff_semicolon(void)
{
    csv_dialect d;
    /* decimal commas, as in many European exports */
    CHECK(sniff("name;price\nTea;1,50\nCake;2,75\n", &d) == 0);
    CHECK(d.delimiter == ';');
}

void test_sniff_tab(void)
{
    csv_dialect d;
    CHECK(sniff("x\ty\tz\n1\t2\t3\n", &d) == 0);
    CHECK(d.delimiter == '\t');
}

void test_sniff_header(void)
{
    csv_dialect d;
    CHECK(sniff("name,age\nann,31\nbob,42\n", &d) == 0);
    CHECK(d.has_header == 1);
}

void test_sniff_no_header(void)
{
    csv_dialect d;
    CHECK(sniff("ann,31\nbob,42\n", &d) == 0);
    CHECK(d.has_header == 0);
    CHECK(sniff("a,b\nc,d\n", &d) == 0);
    CHECK(d.has_header == 0);
}

void test_sniff_fails(void)
{
    csv_dialect d;
    CHECK(sniff("just some text\nwithout delimiters\n", &d) == -1);
    CHECK(sniff("a,b\nc,d,e\n", &d) == -1);
    CHECK(sniff("", &d) == -1);
}
