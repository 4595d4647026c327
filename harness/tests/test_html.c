/* test_html.c - what keeps report.html text: escaping of element text and
 * of JSON inside a <script>, numbers written as summary.json writes them,
 * the scrubbing of machine strings, the CSP hash's base64; and a whole page
 * from hostile records, under the sanitizers. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rundir/store.h"
#include "stats/html.h"
#include "stats/report_html.h"
#include "stats/summary.h"
#include "tests.h"
#include "util/sha256.h"
#include "util/xalloc.h"

void test_html_escape(void)
{
	struct buf b = BUF_INIT;
	html_text(&b, "</script><img src=x onerror=\"alert(1)\">&'");
	CHECK_STR(buf_str(&b), "&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;");
	buf_reset(&b);
	/* a NUL and a byte that is no UTF-8 become U+FFFD; valid UTF-8 stays */
	html_text_n(&b, "a\0b\xff é", 7);
	CHECK_STR(buf_str(&b), "a\xef\xbf\xbd" "b\xef\xbf\xbd é");
	buf_reset(&b);

	const char *hostile = "x</script><!-- <script>alert(1)</script> & \"q\" \\ \n\t\x01 \xe2\x80\xa8 end";
	html_json_str(&b, hostile, strlen(hostile));
	CHECK(!strchr(buf_str(&b), '<') && !strchr(buf_str(&b), '>') && !strchr(buf_str(&b), '&'));
	CHECK(strstr(buf_str(&b), "\\u003c/script\\u003e") != NULL);
	CHECK(strstr(buf_str(&b), "\\u2028") != NULL && !strstr(buf_str(&b), "\xe2\x80\xa8"));
	cJSON *back = cJSON_Parse(buf_str(&b));
	CHECK(cJSON_IsString(back) && strcmp(back->valuestring, hostile) == 0);
	cJSON_Delete(back);
	buf_release(&b);
}

void test_html_numbers(void)
{
	/* the page's figures are summary.json's to the digit: cJSON's rule */
	const double v[] = { 0.021920000000000002, 0.1 + 0.2, 1e-7, 123, 0.3333333333333333, 2.5e-5 / 3, -0.0 };
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		struct buf b = BUF_INIT;
		html_json_num(&b, v[i]);
		cJSON *n = cJSON_CreateNumber(v[i]);
		char *s = cJSON_PrintUnformatted(n);
		CHECK_STR(buf_str(&b), s);
		cJSON_free(s);
		cJSON_Delete(n);
		buf_release(&b);
	}
	struct buf b = BUF_INIT;
	html_json_num(&b, NAN);
	CHECK_STR(buf_str(&b), "null");
	buf_release(&b);
}

void test_html_scrub(void)
{
	struct scrub sc;
	scrub_init(&sc);
	scrub_add(&sc, "/home/u", "~");
	scrub_add(&sc, "/home/u/runs/r1", "<run directory>");
	scrub_add(&sc, "/a", "short strings are never scrubbed");
	scrub_add(&sc, NULL, "nor NULL");
	CHECK(sc.n == 2);
	char *s = scrub_str(&sc, "open /home/u/runs/r1/logs/x and /home/u/.cache; /a stays");
	CHECK_STR(s, "open <run directory>/logs/x and ~/.cache; /a stays");
	free(s);
	struct buf b = BUF_INIT;
	scrub_apply(&sc, "/home/u/runs/r1", 12, &b); /* a cut match is left as it is */
	CHECK_STR(buf_str(&b), "~/runs");
	buf_release(&b);
	scrub_release(&sc);

	char out[45];
	sha256_buf_base64("", 0, out);
	CHECK_STR(out, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
	sha256_buf_base64("abc", 3, out);
	CHECK_STR(out, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

static void put(struct recset *rs, const char *task, const char *prov, int sample, enum status st, const char *detail)
{
	struct record r;
	record_init(&r);
	r.task = xstrdup(task);
	r.provider = xstrdup(prov);
	r.sample = sample;
	r.status = st;
	r.cost_usd = 0.001 * (sample + 1);
	r.cost_source = xstrdup(sample == 1 ? "estimate" : "price_table");
	r.latency_ms = 100.0 * (sample + 1);
	r.attempts = 1;
	if (st == ST_FAILED)
		r.fail_reason = xstrdup("wrong_answer");
	if (detail)
		r.detail = xstrdup(detail);
	XGROW(rs->v, rs->cap, rs->n + 1);
	rs->v[rs->n++] = r;
}

/* the text between the first `open` after `from` and the next `close` */
static char *between(const char *page, const char *from, const char *open, const char *close)
{
	const char *a = strstr(page, from);
	a = a ? strstr(a, open) : NULL;
	const char *b = a ? strstr(a + strlen(open), close) : NULL;
	return b ? xstrndup(a + strlen(open), (size_t)(b - a - strlen(open))) : NULL;
}

void test_html_page(void)
{
	struct recset rs;
	recset_init(&rs);
	const char *hostile = "</script><img src=x onerror=alert(1)><!--";
	const char *tasks[] = { "t/a", "t/</td><b>", "t/c" };
	for (int t = 0; t < 3; t++)
		for (int k = 0; k < 2; k++) {
			put(&rs, tasks[t], "alpha", k, (t + k) % 2 ? ST_FAILED : ST_PASSED, hostile);
			put(&rs, tasks[t], "be<ta>", k, t == 2 ? ST_ERROR : ST_PASSED, NULL);
		}
	recset_sort(&rs);
	struct summary_opts so;
	summary_opts_default(&so);
	so.replicates = 200;
	struct summary s;
	CHECK(summary_build(&s, &rs, &so) == 0);
	CHECK(summary_estimated_costs(&rs, "alpha") == 3 && summary_estimated_costs(&rs, "be<ta>") == 3);
	struct html_opts o = { .dir = test_tmpdir(), .write_files = 0, .src = NULL };
	struct buf page = BUF_INIT;
	CHECK(report_html_render(&s, &rs, &o, &page) == 0);
	const char *p = buf_str(&page);
	/* the two scripts and the style are the page's own, allowed by their hashes */
	size_t opens = 0;
	for (const char *q = p; (q = strcasestr(q, "<script")); q++)
		opens++;
	CHECK(opens == 2);
	CHECK(!strstr(p, hostile) && !strstr(p, "<b>") && !strstr(p, "be<ta>"));
	CHECK(strstr(p, "be&lt;ta&gt;") != NULL);
	char *js = between(p, "id=\"tb-data\"", "<script>", "</script>");
	char *css = between(p, "<head>", "<style>", "</style>");
	char hjs[45], hcss[45];
	CHECK(js && css);
	if (js && css) {
		sha256_buf_base64(js, strlen(js), hjs);
		sha256_buf_base64(css, strlen(css), hcss);
		char *csp = between(p, "Content-Security-Policy", "content=\"", "\"");
		CHECK(csp && strstr(csp, hjs) && strstr(csp, hcss) && strstr(csp, "default-src 'none'"));
		free(csp);
	}
	/* the data reads back, its rows in the matrix's order */
	char *data = between(p, "<body>", "id=\"tb-data\">", "</script>");
	cJSON *d = data ? cJSON_Parse(data) : NULL;
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(d, "rows")) == 12);
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(d, "cells")) == 6);
	const cJSON *t1 = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "tasks"), 0); /* sorted: "<" before "a" */
	CHECK(cJSON_IsString(t1) && strcmp(t1->valuestring, "t/</td><b>") == 0);
	cJSON_Delete(d);
	free(data);
	free(js);
	free(css);
	buf_release(&page);
	summary_release(&s);
	recset_release(&rs);
}
