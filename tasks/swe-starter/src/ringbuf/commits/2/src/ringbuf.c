#include "ringbuf.h"

#include <stdlib.h>
#include <string.h>

int rb_init(ringbuf_t *rb, size_t cap)
{
    if (cap == 0)
        return -1;
    rb->buf = malloc(cap);
    if (!rb->buf)
        return -1;
    rb->cap = cap;
    rb->head = 0;
    rb->len = 0;
    return 0;
}

void rb_free(ringbuf_t *rb)
{
    free(rb->buf);
    rb->buf = NULL;
    rb->cap = rb->head = rb->len = 0;
}

void rb_clear(ringbuf_t *rb)
{
    rb->head = 0;
    rb->len = 0;
}

size_t rb_len(const ringbuf_t *rb) { return rb->len; }
size_t rb_space(const ringbuf_t *rb) { return rb->cap - rb->len; }
bool rb_empty(const ringbuf_t *rb) { return rb->len == 0; }
bool rb_full(const ringbuf_t *rb) { return rb->len == rb->cap; }

/* Copy n bytes into the storage starting at index pos, wrapping. */
static void copy_in(ringbuf_t *rb, size_t pos, const uint8_t *src, size_t n)
{
    size_t first = rb->cap - pos;
    if (first > n)
        first = n;
    memcpy(rb->buf + pos, src, first);
    memcpy(rb->buf, src + first, n - first);
}

/* Copy n bytes out of the storage starting at index pos, wrapping. */
static void copy_out(const ringbuf_t *rb, size_t pos, uint8_t *dst, size_t n)
{
    size_t first = rb->cap - pos;
    if (first > n)
        first = n;
    memcpy(dst, rb->buf + pos, first);
    memcpy(dst + first, rb->buf, n - first);
}

size_t rb_write(ringbuf_t *rb, const void *data, size_t n)
{
    size_t space = rb_space(rb);
    if (n > space)
        n = space;
    if (n == 0)
        return 0;
    copy_in(rb, (rb->head + rb->len) % rb->cap, data, n);
    rb->len += n;
    return n;
}

size_t rb_peek(const ringbuf_t *rb, size_t offset, void *out, size_t n)
{
    if (offset >= rb->len)
        return 0;
    if (n > rb->len - offset)
        n = rb->len - offset;
    if (n > 0 && out)
        copy_out(rb, (rb->head + offset) % rb->cap, out, n);
    return n;
}

size_t rb_read(ringbuf_t *rb, void *out, size_t n)
{
    n = rb_peek(rb, 0, out, n);
    rb->head = (rb->head + n) % rb->cap;
    rb->len -= n;
    if (rb->len == 0)
        rb->head = 0;
    return n;
}

int rb_push(ringbuf_t *rb, uint8_t byte)
{
    return rb_write(rb, &byte, 1) == 1 ? 0 : -1;
}

int rb_pop(ringbuf_t *rb, uint8_t *byte)
{
    return rb_read(rb, byte, 1) == 1 ? 0 : -1;
}

ssize_t rb_find(const ringbuf_t *rb, uint8_t c, size_t offset)
{
    for (size_t i = offset; i < rb->len; i++) {
        if (rb->buf[(rb->head + i) % rb->cap] == c)
            return (ssize_t)i;
    }
    return -1;
}

ssize_t rb_read_line(ringbuf_t *rb, char *out, size_t outsz)
{
    ssize_t nl = rb_find(rb, '\n', 0);
    if (nl < 0)
        return -1;
    if ((size_t)nl + 1 > outsz)
        return -2;
    rb_read(rb, out, (size_t)nl);
    out[nl] = '\0';
    rb_read(rb, NULL, 1); /* the newline */
    return nl;
}
