/* json.c - cJSON helpers shared by loaders, protocols and writers. */
#include "util/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
