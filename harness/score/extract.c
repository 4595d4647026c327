/* extract.c - code extraction from chat answers (fenced or bare). */
#include "score/extract.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int tag_matches(const char *tag, const char *language)
{
	static const struct {
		const char *lang, *tags[6];
	} alias[] = {
		{ "python", { "python", "py", "python3", "py3", NULL } },
		{ "c", { "c", "h", NULL } },
		{ "cpp", { "cpp", "c++", "cc", "cxx", "hpp", NULL } },
	};
	for (size_t i = 0; i < sizeof(alias) / sizeof(*alias); i++) {
		if (strcmp(alias[i].lang, language) != 0)
			continue;
		for (const char *const *t = alias[i].tags; *t; t++)
			if (strcmp(tag, *t) == 0)
				return 1;
	}
	return strcmp(tag, language) == 0;
}

size_t extract_blocks(const char *text, struct fenced_block **out)
{
	struct fenced_block *v = NULL;
	size_t n = 0, cap = 0;
	const char *p = text;
	while (*p) {
		const char *line_end = strchr(p, '\n');
		const char *q = p;
		while (*q == ' ' || *q == '\t')
			q++;
		if ((strncmp(q, "```", 3) == 0 || strncmp(q, "~~~", 3) == 0)) {
			char fence = *q;
			const char *info = q;
			while (*info == fence)
				info++;
			struct fenced_block b = { 0 };
			size_t k = 0;
			while (info < (line_end ? line_end : info + strlen(info)) && k + 1 < sizeof(b.tag) &&
			       !isspace((unsigned char)*info) && *info != '{')
				b.tag[k++] = (char)tolower((unsigned char)*info++);
			b.tag[k] = '\0';
			b.start = line_end ? line_end + 1 : q + strlen(q);
			/* the closing fence: a line starting with three fence characters */
			const char *c = b.start, *close = NULL;
			while (*c) {
				const char *d = c;
				while (*d == ' ' || *d == '\t')
					d++;
				if (d[0] == fence && d[1] == fence && d[2] == fence) {
					close = c;
					break;
				}
				const char *nl = strchr(c, '\n');
				if (!nl)
					break;
				c = nl + 1;
			}
			b.len = close ? (size_t)(close - b.start) : strlen(b.start);
			b.closed = close != NULL;
			XGROW(v, cap, n + 1);
			v[n++] = b;
			if (!close)
				break;
			const char *nl = strchr(close, '\n');
			p = nl ? nl + 1 : close + strlen(close);
			continue;
		}
		if (!line_end)
			break;
		p = line_end + 1;
	}
	*out = v;
	return n;
}

/* 2 when the block defines name (a Python def, or a C body after the
 * parameter list), 1 when it only mentions it, else 0 */
static int names(const struct fenced_block *b, const char *name)
{
	if (!name)
		return 0;
	size_t n = strlen(name);
	const char *end = b->start + b->len;
	int best = 0;
	for (const char *p = b->start; p + n <= end; p++) {
		if (memcmp(p, name, n) != 0 || (p > b->start && (isalnum((unsigned char)p[-1]) || p[-1] == '_')) ||
		    (p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '_')))
			continue;
		best = best > 1 ? best : 1;
		if (p - b->start >= 4 && memcmp(p - 4, "def ", 4) == 0)
			return 2;
		const char *q = p + n;
		while (q < end && isspace((unsigned char)*q))
			q++;
		if (q < end && *q == '(') {
			const char *brace = q;
			while (brace < end && *brace != ';' && *brace != '{')
				brace++;
			if (brace < end && *brace == '{')
				return 2;
		}
	}
	return best;
}

/* among blocks with the wanted tag-ness, the one defining entry_point, else
 * mentioning it, else the longest */
static const struct fenced_block *pick(const struct fenced_block *v, size_t n, const char *language, int tagged,
				const char *entry_point)
{
	const struct fenced_block *best = NULL;
	int best_named = 0;
	for (size_t i = 0; i < n; i++) {
		int ok = tagged ? tag_matches(v[i].tag, language) : v[i].tag[0] == '\0';
		if (!ok)
			continue;
		int named = names(&v[i], entry_point);
		if (!best || named > best_named || (named == best_named && v[i].len > best->len)) {
			best = &v[i];
			best_named = named;
		}
	}
	return best;
}

static int looks_like_code(const char *text, const char *language)
{
	if (strcmp(language, "python") == 0)
		return strstr(text, "def ") || strstr(text, "return ") || strstr(text, "import ");
	return strchr(text, '{') && strchr(text, ';');
}

char *extract_code(const char *text, const char *language, const char *entry_point)
{
	if (!text)
		return NULL;
	struct fenced_block *v;
	size_t n = extract_blocks(text, &v);
	const struct fenced_block *b = pick(v, n, language, 1, entry_point);
	if (!b)
		b = pick(v, n, language, 0, entry_point);
	char *code = NULL;
	if (b)
		code = xstrndup(b->start, b->len);
	else if (n == 0 && looks_like_code(text, language))
		code = xstrdup(text);
	free(v);
	return code;
}
