#ifndef RINGBUF_H
#define RINGBUF_H

/*
 * ringbuf: a fixed-capacity FIFO byte buffer.
 *
 * Bytes are written at the tail and read from the head; the storage wraps
 * around, so reads and writes never move data. Not thread-safe.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ringbuf {
    uint8_t *buf;
    size_t cap;   /* bytes of storage */
    size_t head;  /* index of the oldest byte */
    size_t len;   /* bytes stored */
} ringbuf_t;

/* Allocate storage for cap bytes (cap > 0). Returns 0, or -1 on error. */
int rb_init(ringbuf_t *rb, size_t cap);
void rb_free(ringbuf_t *rb);
void rb_clear(ringbuf_t *rb);

size_t rb_len(const ringbuf_t *rb);
size_t rb_space(const ringbuf_t *rb);
bool rb_empty(const ringbuf_t *rb);
bool rb_full(const ringbuf_t *rb);

/* Append up to n bytes; returns how many fit. */
size_t rb_write(ringbuf_t *rb, const void *data, size_t n);

/* Remove up to n bytes from the head into out (may be NULL to discard). */
size_t rb_read(ringbuf_t *rb, void *out, size_t n);

/* Copy up to n bytes starting offset bytes after the head, without removing. */
size_t rb_peek(const ringbuf_t *rb, size_t offset, void *out, size_t n);

int rb_push(ringbuf_t *rb, uint8_t byte);   /* 0, or -1 when full */
int rb_pop(ringbuf_t *rb, uint8_t *byte);   /* 0, or -1 when empty */

#endif
