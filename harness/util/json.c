/* json.c - cJSON helpers shared by loaders, protocols and writers, and the
 * reader of files of JSON records (JSONL or a JSON array, gzipped or not). */
#include "util/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/msg.h"
#include "util/xalloc.h"

#include "util/msg.h"

const char *json_str(const cJSON *o, const char *key, const char *def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) && v->valuestring ? v->valuestring : def;
}

double json_num(const cJSON *o, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

int json_num_checked(const cJSON *o, const char *key, double def, double lo, double hi, int integer,
		     const char *where, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v || cJSON_IsNull(v)) {
		*out = def;
		return 0;
	}
	double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
	if (!isfinite(x) || x < lo || x > hi || (integer && x != floor(x)))
		return error("%s: '%s' must be %s in [%g, %g]", where, key, integer ? "a whole number" : "a number",
			     lo, hi);
	*out = x;
	return 0;
}

cJSON *json_parse(const char *data, size_t n)
{
	const char *end = NULL;
	cJSON *o = cJSON_ParseWithLengthOpts(data, n, &end, 0);
	/* one value: anything but white space after it ({...}{...}) is an error */
	while (o && end && end < data + n && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n' || !*end))
		end++;
	if (o && end && end < data + n) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

void json_quote(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default:
			if (*p < 0x20) {
				char u[7] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0 };
				buf_puts(b, u);
			} else {
				buf_putc(b, (char)*p);
			}
		}
	}
	buf_putc(b, '"');
}

void json_print(struct buf *b, const cJSON *item)
{
	char *s = cJSON_PrintUnformatted(item);
	buf_puts(b, s);
	cJSON_free(s);
}

char *json_text(const cJSON *item)
{
	if (!item)
		return NULL;
	struct buf b = BUF_INIT;
	json_print(&b, item);
	return buf_detach(&b);
}

void json_add_num(cJSON *o, const char *key, double v)
{
	if (!isfinite(v))
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, v);
}

void json_pretty(struct buf *b, const cJSON *item)
{
	char *s = cJSON_Print(item);
	/* cJSON indents with tabs and puts one after each colon; strings never
	 * hold a raw tab (it is escaped), so every tab is layout */
	for (const char *p = s; *p; p++) {
		if (*p != '\t')
			buf_putc(b, *p);
		else
			buf_puts(b, p > s && p[-1] == ':' ? " " : "  ");
	}
	buf_putc(b, '\n');
	cJSON_free(s);
}

/* the line (from 1) of data at p */
static size_t line_of(const char *data, const char *p)
{
	size_t n = 1;
	for (const char *q = data; q < p; q++)
		n += *q == '\n';
	return n;
}

/* a whole-file JSON array of records: each element in turn */
static int records_array(const char *path, const struct buf *data, json_record_fn fn, void *arg)
{
	const char *end = NULL;
	cJSON *all = cJSON_ParseWithLengthOpts(data->data, data->len, &end, 0);
	if (!cJSON_IsArray(all)) {
		const char *at = cJSON_GetErrorPtr();
		size_t line = at && at >= data->data && at <= data->data + data->len ? line_of(data->data, at) : 1;
		cJSON_Delete(all);
		return error("%s:%zu: not valid JSON (the file starts as a JSON array)", path, line);
	}
	while (end && end < data->data + data->len && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
		end++;
	int rc = 0, i = 0;
	if (end && end < data->data + data->len)
		rc = error("%s:%zu: data after the JSON array", path, line_of(data->data, end));
	const cJSON *o;
	cJSON_ArrayForEach(o, all) {
		if (rc < 0)
			break;
		char *where = xasprintf("%s: item %d", path, ++i);
		rc = fn(arg, o, where);
		free(where);
	}
	cJSON_Delete(all);
	return rc;
}

/* JSON Lines: each non-blank line a record */
static int records_lines(const char *path, const struct buf *data, json_record_fn fn, void *arg)
{
	const char *p = buf_str(data), *end = p + data->len;
	size_t lineno = 0;
	int rc = 0;
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		lineno++;
		const char *q = p;
		while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q < stop) {
			char *where = xasprintf("%s:%zu", path, lineno);
			cJSON *o = json_parse(p, (size_t)(stop - p));
			rc = o ? fn(arg, o, where) : error("%s: not a JSON object", where);
			cJSON_Delete(o);
			free(where);
		}
		p = stop + 1;
	}
	return rc;
}

int json_records_in(const char *path, const struct buf *data, json_record_fn fn, void *arg)
{
	const char *s = buf_str(data);
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	return *s == '[' ? records_array(path, data, fn, arg) : records_lines(path, data, fn, arg);
}

int json_records_each(const char *path, json_record_fn fn, void *arg)
{
	struct buf data = BUF_INIT;
	/* refused before a byte is read: not a regular file (--suite /dev/zero), or too large */
	int rc = file_read_input(path, &data) < 0 ? -1 : json_records_in(path, &data, fn, arg);
	buf_release(&data);
	return rc;
}
