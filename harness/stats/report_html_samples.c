/* report_html_samples.c - the samples of report.html as data: the tasks
 * (suite, cluster, prompt), the providers, one compact row per record
 * (status, reason, cost, latency, tokens) and, per sample, what the page
 * shows when it is opened: the answer, the code or patch taken from it,
 * the test output, the tries, an agent's trajectory. A text longer than
 * HTML_INLINE_MAX, or past the page's budget, is a file under logs/ that
 * the page links (with its first lines inline). Everything passes through
 * the scrubber and html_json_str. */
#include "stats/report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rundir/trajectory.h"
#include "score/edit.h"
#include "score/extract.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* what a linked text still shows inline */
#define HEAD_BYTES 2048
/* a prompt longer than this is cut (the suite file holds it whole) */
#define PROMPT_MAX (64 * 1024)

/* strings the rows refer to by index: each distinct one written once */
struct words {
	struct strmap idx;
	const char **v; /* borrowed from the records */
	size_t n, cap;
};

static long word(struct words *w, const char *s)
{
	long at;
	if (!s)
		return -1;
	if (strmap_get(&w->idx, s, &at))
		return at;
	XGROW(w->v, w->cap, w->n + 1);
	w->v[w->n] = s;
	strmap_put(&w->idx, s, (long)w->n);
	return (long)w->n++;
}

static void put_key(struct buf *out, int *first, const char *key)
{
	buf_puts(out, *first ? "{" : ",");
	*first = 0;
	buf_printf(out, "\"%s\":", key);
}

static void put_str(struct buf *out, const char *s)
{
	html_json_str(out, s, strlen(s));
}

/* the path of a sample's file relative to the run directory ("logs/..."),
 * as an href: store_log_path's names hold only [A-Za-z0-9._-]; malloced */
static char *log_href(const struct record *r, const char *name)
{
	char *p = store_log_path(".", r->provider, r->task, r->sample, name);
	char *h = xstrdup(p + 2);
	free(p);
	return h;
}

/* writes text as a sample's file under logs/; 0 or -1 (reported) */
static int write_log(const char *dir, const struct record *r, const char *name, const struct buf *text)
{
	char *path = store_log_path(dir, r->provider, r->task, r->sample, name);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	int rc = dir_make(path, 0755);
	*slash = '/';
	if (rc == 0)
		rc = file_write_atomic(path, text->data ? text->data : "", text->len);
	free(path);
	return rc;
}

/* the first bytes of a text, cut at a line end when there is one near */
static size_t head_len(const struct buf *t)
{
	if (t->len <= HEAD_BYTES)
		return t->len;
	size_t n = HEAD_BYTES;
	while (n > HEAD_BYTES / 2 && t->data[n - 1] != '\n')
		n--;
	if (t->data[n - 1] != '\n')
		n = HEAD_BYTES;
	/* not in the middle of a UTF-8 sequence */
	while (n > 0 && ((unsigned char)t->data[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* one of a sample's texts as "key": the scrubbed text when it fits the
 * page, else {"href", "bytes", "head"}: a link to the file that holds it
 * (the log file `name` when `exists`, else one written as `name`), or
 * {"bytes", "head", "omitted": true} when there is none to link */
static void put_text(struct html_texts *tx, struct buf *out, int *first, const char *key, const char *text,
		     size_t len, const struct record *r, const char *name, int exists)
{
	struct buf t = BUF_INIT;
	scrub_apply(tx->sc, text, len, &t);
	put_key(out, first, key);
	if (t.len <= HTML_INLINE_MAX && tx->used + t.len <= HTML_INLINE_BUDGET) {
		tx->used += t.len;
		html_json_str(out, buf_str(&t), t.len);
		buf_release(&t);
		return;
	}
	char *path = store_log_path(tx->o->dir, r->provider, r->task, r->sample, name);
	int linked = exists;
	if (!linked && tx->o->write_files) {
		if (write_log(tx->o->dir, r, name, &t) == 0)
			linked = 1;
		else
			tx->failed = 1;
	} else if (!linked) {
		linked = path_exists(path); /* written with the page before */
	}
	size_t h = head_len(&t);
	tx->used += h;
	buf_printf(out, "{\"bytes\":%zu,\"head\":", t.len);
	html_json_str(out, buf_str(&t), h);
	if (linked) {
		char *href = log_href(r, name);
		buf_puts(out, ",\"href\":");
		put_str(out, href);
		free(href);
		tx->linked++;
	} else {
		buf_puts(out, ",\"omitted\":true");
		tx->omitted++;
	}
	buf_putc(out, '}');
	free(path);
	buf_release(&t);
}

/* with a file of the sample's logs: its text */
static int read_log(const char *dir, const struct record *r, const char *name, struct buf *out)
{
	char *path = store_log_path(dir, r->provider, r->task, r->sample, name);
	int rc = path_exists(path) ? file_read(path, out) : -1;
	free(path);
	return rc;
}

static int no_base(void *arg, const char *path, struct buf *out)
{
	(void)arg, (void)path, (void)out;
	return -1;
}

/* the edit a repository answer holds, as a diff when it came as one, else
 * its files in full; 0, or -1 when it holds none that reads without the
 * repository */
static int answer_edit(const char *answer, struct buf *out, int *is_diff)
{
	struct edit e = { 0 };
	char *why = NULL;
	int rc = edit_parse(answer, no_base, NULL, NULL, &e, &why);
	free(why);
	if (rc == 0 && e.format == EDIT_DIFF && e.diff) {
		buf_puts(out, e.diff);
		*is_diff = 1;
	} else if (rc == 0) {
		for (size_t i = 0; i < e.nfiles; i++)
			buf_printf(out, "%s=== %s ===\n%s", i ? "\n" : "", e.files[i].path, e.files[i].content);
		*is_diff = 0;
	}
	edit_release(&e);
	return rc == 0 && out->len ? 0 : -1;
}

/* a record's tries: [try, status, reason, input, cached, cache write,
 * output, reasoning, cost, latency] each */
static void put_tries(struct buf *out, int *first, const char *tries, struct words *w)
{
	cJSON *a = cJSON_Parse(tries);
	if (!cJSON_IsArray(a)) {
		cJSON_Delete(a);
		return;
	}
	put_key(out, first, "tries");
	buf_putc(out, '[');
	const cJSON *t;
	int n = 0;
	cJSON_ArrayForEach(t, a) {
		struct usage u;
		usage_from_json(&u, t);
		buf_printf(out, "%s[%.0f,%d,%ld,%ld,%ld,%ld,%ld,%ld,", n ? "," : "", json_num(t, "try", n + 1),
			   status_parse(json_str(t, "status", "")), word(w, json_str(t, "reason", NULL)), u.input,
			   u.cached_input, u.cache_write, u.output, u.reasoning);
		html_json_num(out, json_num(t, "cost_usd", NAN));
		buf_putc(out, ',');
		html_json_num(out, json_num(t, "latency_ms", NAN));
		buf_putc(out, ']');
		n++;
	}
	buf_putc(out, ']');
	cJSON_Delete(a);
}

static void put_num(struct buf *out, int *first, const char *key, double v)
{
	if (isnan(v))
		return;
	put_key(out, first, key);
	html_json_num(out, v);
}

/* the texts of a sample: answer, code or patch, test output, trajectory */
static void put_sample_texts(struct html_texts *tx, struct buf *out, int *first, const struct record *r,
			     const struct task *t)
{
	const struct html_sources *src = tx->o->src;
	struct buf ans = BUF_INIT, b = BUF_INIT;
	int have_answer = !r->agent && src && src->answer && src->answer(src->arg, r, &ans) == 0;
	if (have_answer)
		put_text(tx, out, first, "answer", buf_str(&ans), ans.len, r, "answer.txt", 0);
	if (have_answer && t && strcmp(t->kind, "function") == 0) {
		char *code = extract_code(buf_str(&ans), t->language, t->entry_point);
		if (code && strcmp(code, buf_str(&ans)) != 0)
			put_text(tx, out, first, "code", code, strlen(code), r, "code.txt", 0);
		free(code);
	} else if (have_answer && (r->edit_format || (t && t->repo))) {
		int is_diff = 0;
		if (answer_edit(buf_str(&ans), &b, &is_diff) == 0)
			put_text(tx, out, first, is_diff ? "patch" : "code", buf_str(&b), b.len, r,
				 is_diff ? "edit.diff" : "edit.txt", 0);
	}
	buf_reset(&b);
	if (r->agent && read_log(tx->o->dir, r, "patch.diff", &b) == 0)
		put_text(tx, out, first, "patch", buf_str(&b), b.len, r, "patch.diff", 1);
	buf_reset(&b);
	if (read_log(tx->o->dir, r, "test_output.txt", &b) == 0)
		put_text(tx, out, first, "output", buf_str(&b), b.len, r, "test_output.txt", 1);
	buf_reset(&b);
	if (r->agent && trajectory_render(tx->o->dir, r, 0, &b) == 0)
		put_text(tx, out, first, "trajectory", buf_str(&b), b.len, r, "trajectory.jsonl", 1);
	buf_release(&b);
	buf_release(&ans);
}

/* what a sample shows beyond its row: detail, timings, flags, tries, the
 * agent's ending, its texts; 0 for a bare record */
static void put_sample(struct html_texts *tx, struct buf *out, const struct record *r, const struct task *t,
		       struct words *w)
{
	int first = 1;
	if (r->detail) {
		put_key(out, &first, "detail");
		char *d = scrub_str(tx->sc, r->detail);
		put_str(out, d);
		free(d);
	}
	put_num(out, &first, "ttft_ms", r->ttft_ms);
	put_num(out, &first, "output_tps", r->output_tps);
	put_num(out, &first, "test_ms", r->test_ms);
	put_num(out, &first, "repriced_from_usd", r->repriced_from_usd);
	put_num(out, &first, "cache_saving_usd", r->cache_saving_usd);
	const char *flags[] = { r->cached ? "cached: the response came from the cache" : NULL,
				r->test_reused ? "test_reused: the verdict of an identical answer" : NULL,
				r->near_limit ? "near_limit: above 80% of its time limit" : NULL,
				r->truncated ? "truncated: output was cut" : NULL,
				r->usage_estimated ? "usage_estimated: no usage block came back" : NULL };
	size_t nflags = 0;
	for (size_t i = 0; i < sizeof(flags) / sizeof(*flags); i++)
		nflags += flags[i] != NULL;
	if (nflags) {
		put_key(out, &first, "flags");
		buf_putc(out, '[');
		for (size_t i = 0, n = 0; i < sizeof(flags) / sizeof(*flags); i++)
			if (flags[i]) {
				buf_puts(out, n++ ? "," : "");
				put_str(out, flags[i]);
			}
		buf_putc(out, ']');
	}
	if (r->edit_format) {
		put_key(out, &first, "edit_format");
		put_str(out, r->edit_format);
	}
	if (r->well_formed >= 0) {
		put_key(out, &first, "well_formed");
		buf_puts(out, r->well_formed ? "true" : "false");
	}
	if (r->tries)
		put_tries(out, &first, r->tries, w);
	if (r->agent) {
		put_key(out, &first, "agent");
		buf_printf(out, "{\"turns\":%d,\"end\":", r->turns);
		put_str(out, r->end_reason ? r->end_reason : "?");
		buf_puts(out, ",\"ms\":");
		html_json_num(out, r->agent_ms);
		buf_putc(out, '}');
	}
	put_sample_texts(tx, out, &first, r, t);
	buf_puts(out, first ? "0" : "}");
}

/* the suite a task came from: its file's base name (the task's origin is
 * "file:line"), else the first part of its id */
static char *suite_of(const char *id, const struct task *t)
{
	if (t && t->origin) {
		const char *colon = strrchr(t->origin, ':'), *end = colon ? colon : t->origin + strlen(t->origin);
		const char *start = end;
		while (start > t->origin && start[-1] != '/')
			start--;
		return xstrndup(start, (size_t)(end - start));
	}
	const char *slash = strchr(id, '/');
	return slash ? xstrndup(id, (size_t)(slash - id)) : xstrdup("—");
}

/* per task: its id, suite, cluster and prompt */
static void put_tasks(struct html_texts *tx, const struct recset *rs, struct strmap *task_idx,
		      const struct task ***tasks, struct buf *out)
{
	const struct html_sources *src = tx->o->src;
	struct words suites = { 0 }, clusters = { 0 };
	strmap_init(&suites.idx);
	strmap_init(&clusters.idx);
	struct buf ids = BUF_INIT, sv = BUF_INIT, cv = BUF_INIT, prompts = BUF_INIT, p = BUF_INIT;
	char **suite_names = NULL;
	size_t nt = 0, cap = 0, cap2 = 0;
	*tasks = NULL;
	for (size_t i = 0; i < rs->n; i++) {
		const struct record *r = &rs->v[i];
		if (strmap_get(task_idx, r->task, NULL))
			continue;
		strmap_put(task_idx, r->task, (long)nt);
		XGROW(*tasks, cap, nt + 1);
		XGROW(suite_names, cap2, nt + 1);
		const struct task *t = src && src->task ? src->task(src->arg, r->task) : NULL;
		(*tasks)[nt] = t;
		suite_names[nt] = suite_of(r->task, t);
		buf_puts(&ids, nt ? "," : "");
		put_str(&ids, r->task);
		buf_printf(&sv, "%s%ld", nt ? "," : "", word(&suites, suite_names[nt]));
		buf_printf(&cv, "%s%ld", nt ? "," : "", word(&clusters, r->cluster));
		buf_puts(&prompts, nt ? "," : "");
		buf_reset(&p);
		if (t && src->prompt && src->prompt(src->arg, t, &p) == 0) {
			if (p.len > PROMPT_MAX) {
				size_t more = p.len - PROMPT_MAX;
				p.len = PROMPT_MAX;
				while (p.len > 0 && ((unsigned char)p.data[p.len] & 0xc0) == 0x80)
					p.len--;
				p.data[p.len] = '\0';
				buf_printf(&p, "\n[… %zu bytes more, in the suite file]", more);
			}
			struct buf clean = BUF_INIT;
			scrub_apply(tx->sc, p.data, p.len, &clean);
			html_json_str(&prompts, buf_str(&clean), clean.len);
			tx->used += clean.len;
			buf_release(&clean);
		} else {
			buf_puts(&prompts, "null");
		}
		nt++;
	}
	buf_printf(out, "\"tasks\":[%s],\"task_suite\":[%s],\"task_cluster\":[%s],\"prompts\":[%s]", buf_str(&ids),
		   buf_str(&sv), buf_str(&cv), buf_str(&prompts));
	const struct words *lists[] = { &suites, &clusters };
	const char *names[] = { "suites", "clusters" };
	for (int l = 0; l < 2; l++) {
		buf_printf(out, ",\"%s\":[", names[l]);
		for (size_t i = 0; i < lists[l]->n; i++) {
			buf_puts(out, i ? "," : "");
			put_str(out, lists[l]->v[i]);
		}
		buf_putc(out, ']');
	}
	for (size_t i = 0; i < nt; i++)
		free(suite_names[i]);
	free(suite_names);
	strmap_release(&suites.idx);
	strmap_release(&clusters.idx);
	free(suites.v);
	free(clusters.v);
	buf_release(&ids);
	buf_release(&sv);
	buf_release(&cv);
	buf_release(&prompts);
	buf_release(&p);
}

void html_samples_json(const struct summary *s, const struct recset *rs, struct html_texts *tx, struct buf *out)
{
	struct strmap task_idx, prov_idx;
	strmap_init(&task_idx);
	strmap_init(&prov_idx);
	struct words w = { 0 };
	strmap_init(&w.idx);
	const struct task **tasks = NULL;
	buf_puts(out, "{\"providers\":[");
	for (size_t i = 0; i < s->n; i++) {
		buf_puts(out, i ? "," : "");
		put_str(out, s->p[i].name);
		strmap_put(&prov_idx, s->p[i].name, (long)i);
	}
	buf_puts(out, "],\"models\":[");
	for (size_t i = 0; i < s->n; i++) {
		buf_puts(out, i ? "," : "");
		put_str(out, s->p[i].model ? s->p[i].model : "");
	}
	buf_puts(out, "],");
	put_tasks(tx, rs, &task_idx, &tasks, out);
	/* one row per record, in the matrix's order (task, then provider as the
	 * summary ranks them) so that a cell's rows follow each other and the
	 * page needs only their count per cell; the sample's details apart, by
	 * row number. Figures shown one sample at a time need no more than 6
	 * digits: the page's size is what opening it costs */
	size_t nt = task_idx.n, np = s->n, *order = xmalloc((rs->n + 1) * sizeof(*order)), n = 0;
	long *count = xcalloc(nt * np + 1, sizeof(*count)), *prov = xmalloc((rs->n + 1) * sizeof(*prov));
	for (size_t i = 0; i < rs->n; i++)
		strmap_get(&prov_idx, rs->v[i].provider, &prov[i]);
	for (size_t a = 0; a < rs->n;) {
		size_t b = a;
		long t = 0;
		strmap_get(&task_idx, rs->v[a].task, &t);
		while (b < rs->n && strcmp(rs->v[b].task, rs->v[a].task) == 0)
			b++;
		for (long p = 0; p < (long)np; p++)
			for (size_t i = a; i < b; i++)
				if (prov[i] == p) {
					order[n++] = i;
					count[(size_t)t * np + (size_t)p]++;
				}
		a = b;
	}
	buf_puts(out, ",\"cells\":[");
	for (size_t c = 0; c < nt * np; c++)
		buf_printf(out, "%s%ld", c ? "," : "", count[c]);
	buf_puts(out, "],\"row_fields\":[\"sample\",\"status\",\"reason\",\"cost_usd\",\"latency_ms\",\"input\","
		      "\"cached_input\",\"cache_write\",\"output\",\"reasoning\",\"attempts\",\"cost_source\"],"
		      "\"rows\":[");
	struct buf x = BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		const struct record *r = &rs->v[order[k]];
		long t = 0;
		strmap_get(&task_idx, r->task, &t);
		const struct usage *u = &r->usage;
		buf_printf(out, "%s[%d,%d,%ld,", k ? "," : "", r->sample, (int)r->status,
			   word(&w, r->fail_reason ? r->fail_reason : r->error_kind));
		if (isfinite(r->cost_usd))
			buf_printf(out, "%.6g,", r->cost_usd);
		else
			buf_puts(out, "null,");
		if (isfinite(r->latency_ms))
			buf_printf(out, "%.0f", r->latency_ms);
		else
			buf_puts(out, "null");
		buf_printf(out, ",%ld,%ld,%ld,%ld,%ld,%d,%ld]", u->input, u->cached_input, u->cache_write, u->output,
			   u->reasoning, r->attempts, word(&w, r->cost_source));
		buf_puts(&x, k ? "," : "");
		put_sample(tx, &x, r, tasks[t], &w);
	}
	free(order);
	free(count);
	free(prov);
	buf_printf(out, "],\"samples\":[%s],\"words\":[", buf_str(&x));
	for (size_t i = 0; i < w.n; i++) {
		buf_puts(out, i ? "," : "");
		put_str(out, w.v[i]);
	}
	buf_printf(out, "],\"inline_max\":%d,\"linked\":%zu,\"omitted\":%zu}", HTML_INLINE_MAX, tx->linked,
		   tx->omitted);
	buf_release(&x);
	free(tasks);
	free(w.v);
	strmap_release(&w.idx);
	strmap_release(&task_idx);
	strmap_release(&prov_idx);
}
