#include <string.h>

#include "ringbuf.h"
#include "tap.h"

static void test_init_and_free(void)
{
    ringbuf_t rb;
    CHECK(rb_init(&rb, 0) == -1);
    CHECK(rb_init(&rb, 8) == 0);
    CHECK(rb_empty(&rb));
    CHECK(!rb_full(&rb));
    CHECK_EQ(rb_space(&rb), 8);
    rb_free(&rb);
    CHECK(rb.buf == NULL);
}

static void test_write_and_read(void)
{
    ringbuf_t rb;
    char out[16] = {0};
    rb_init(&rb, 8);
    CHECK_EQ(rb_write(&rb, "hello", 5), 5);
    CHECK_EQ(rb_len(&rb), 5);
    CHECK_EQ(rb_read(&rb, out, sizeof out), 5);
    CHECK(memcmp(out, "hello", 5) == 0);
    CHECK(rb_empty(&rb));
    rb_free(&rb);
}

static void test_write_stops_when_full(void)
{
    ringbuf_t rb;
    rb_init(&rb, 4);
    CHECK_EQ(rb_write(&rb, "abcdef", 6), 4);
    CHECK(rb_full(&rb));
    CHECK_EQ(rb_write(&rb, "x", 1), 0);
    rb_free(&rb);
}

static void test_wraparound(void)
{
    ringbuf_t rb;
    char out[8] = {0};
    rb_init(&rb, 5);
    rb_write(&rb, "abcd", 4);
    rb_read(&rb, out, 3);
    CHECK_EQ(rb_write(&rb, "efgh", 4), 4);
    CHECK_EQ(rb_len(&rb), 5);
    memset(out, 0, sizeof out);
    CHECK_EQ(rb_read(&rb, out, 8), 5);
    CHECK(strcmp(out, "defgh") == 0);
    rb_free(&rb);
}

static void test_peek_with_offset(void)
{
    ringbuf_t rb;
    char out[8] = {0};
    rb_init(&rb, 6);
    rb_write(&rb, "xxxx", 4);
    rb_read(&rb, NULL, 4);
    rb_write(&rb, "abcdef", 6);
    CHECK_EQ(rb_peek(&rb, 1, out, 4), 4);
    CHECK(memcmp(out, "bcde", 4) == 0);
    CHECK_EQ(rb_peek(&rb, 4, out, 4), 2);
    CHECK(memcmp(out, "ef", 2) == 0);
    CHECK_EQ(rb_peek(&rb, 6, out, 1), 0);
    CHECK_EQ(rb_len(&rb), 6);
    rb_free(&rb);
}

static void test_push_pop(void)
{
    ringbuf_t rb;
    uint8_t b = 0;
    rb_init(&rb, 2);
    CHECK(rb_push(&rb, 1) == 0);
    CHECK(rb_push(&rb, 2) == 0);
    CHECK(rb_push(&rb, 3) == -1);
    CHECK(rb_pop(&rb, &b) == 0 && b == 1);
    CHECK(rb_pop(&rb, &b) == 0 && b == 2);
    CHECK(rb_pop(&rb, &b) == -1);
    rb_free(&rb);
}

static void test_find(void)
{
    ringbuf_t rb;
    rb_init(&rb, 4);
    rb_write(&rb, "zzz", 3);
    rb_read(&rb, NULL, 3);
    rb_write(&rb, "a,b,", 4);
    CHECK_EQ(rb_find(&rb, ',', 0), 1);
    CHECK_EQ(rb_find(&rb, ',', 2), 3);
    CHECK_EQ(rb_find(&rb, ';', 0), -1);
    rb_free(&rb);
}

static void test_read_line(void)
{
    ringbuf_t rb;
    char line[8];
    rb_init(&rb, 16);
    rb_write(&rb, "one\ntwo\nthr", 11);
    CHECK_EQ(rb_read_line(&rb, line, sizeof line), 3);
    CHECK(strcmp(line, "one") == 0);
    CHECK_EQ(rb_read_line(&rb, line, sizeof line), 3);
    CHECK(strcmp(line, "two") == 0);
    CHECK_EQ(rb_read_line(&rb, line, sizeof line), -1);
    rb_write(&rb, "ee\n", 3);
    CHECK_EQ(rb_read_line(&rb, line, sizeof line), 5);
    CHECK(strcmp(line, "three") == 0);
    rb_free(&rb);
}

static void test_read_line_too_long(void)
{
    ringbuf_t rb;
    char line[4];
    rb_init(&rb, 16);
    rb_write(&rb, "abcdef\n", 7);
    CHECK_EQ(rb_read_line(&rb, line, sizeof line), -2);
    CHECK_EQ(rb_len(&rb), 7);
    rb_free(&rb);
}

int main(void)
{
    static const struct tap_case cases[] = {
        TAP_CASE(init_and_free),
        TAP_CASE(write_and_read),
        TAP_CASE(write_stops_when_full),
        TAP_CASE(wraparound),
        TAP_CASE(peek_with_offset),
        TAP_CASE(push_pop),
        TAP_CASE(find),
        TAP_CASE(read_line),
        TAP_CASE(read_line_too_long),
    };
    return tap_run(cases, sizeof cases / sizeof cases[0]);
}
