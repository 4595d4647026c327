/* cmd_fetch.c - `tokenbench fetch NAME...`: downloads public suites by
 * name from their canonical addresses (core/catalog.c) with libcurl,
 * checks each one's pin (a file's SHA-256; for SWE-bench, read page by
 * page in fetch_rows.c, the row count and ids digest) and prints the path
 * to give --suite (or the name itself: --suite humaneval finds the fetched
 * copy). A copy already present and matching is not fetched again; a
 * mismatch is an error naming both values, and nothing is kept. One HTTP
 * GET with retries (fetch.h) serves both. Proxies are libcurl's
 * (http_proxy, https_proxy, no_proxy), as curl users expect. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/fetch.h"
#include "core/catalog.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/sha256.h"
#include "util/xalloc.h"

const struct cmd_doc doc_fetch = {
	"fetch", "NAME... [--dir DIR] [--offline]\n--list",
	"download public suites by name, checked against pinned digests",
	"NAME is humaneval, humaneval-plus, mbpp, mbpp-sanitized, humaneval-x-cpp, humaneval-x-python, "
	"swebench-lite or swebench-verified (--list says what each is, where it comes from and what pins it). "
	"SWE-bench is read page by page through the Hugging Face dataset viewer's JSON rows interface and checked "
	"by its row count and a digest of its instance ids. Prints each file's path; --suite NAME then uses the "
	"fetched copy. Failed connections, HTTP 429 and 5xx are tried again (4 tries). "
	"TOKENBENCH_FETCH_MIRROR=URL downloads from a mirror laid out as URL/HOST/PATH instead.",
	(const struct opt_doc[]){
		{ "dir", "DIR", 'd', "$TOKENBENCH_DATA, else ~/.cache/tokenbench/suites", "where the suites are kept" },
		{ "offline", NULL, 'o', NULL, "download nothing: check the copies already present" },
		{ "list", NULL, 'l', NULL, "list the names, their addresses and digests" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

#define BODY_MAX_BYTES (64u << 20) /* far above any suite file or rows page */

/* appends to the body; a body past BODY_MAX_BYTES ends the transfer (a
 * server that never stops cannot fill the memory) */
static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct buf *body = arg;
	if (body->len + size * n > BODY_MAX_BYTES)
		return 0;
	buf_append(body, data, size * n);
	return size * n;
}

/* seconds a Retry-After header asks for (capped at 60), or 0 */
static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	long *wait_s = arg;
	if (size * n > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
		long v = strtol(data + 12, NULL, 10);
		*wait_s = v < 0 ? 0 : v > 60 ? 60 : v;
	}
	return size * n;
}

/* one try: 0 (body holds a 200's), 1 (worth trying again: *why says why,
 * *wait_s how long the server asked for), or -1 (reported) */
static int get_once(const char *url, long timeout_s, struct buf *body, char *why, size_t nwhy, long *wait_s)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	long status = 0;
	int rc = -1;
	CURL *e = curl_easy_init();
	buf_reset(body);
	*wait_s = 0;
	if (!e)
		return error("%s: libcurl would not start", url);
	if (curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, body) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_HEADERDATA, wait_s) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT, timeout_s) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_USERAGENT, "tokenbench/" TB_VERSION) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK) {
		error("%s: libcurl refused an option", url);
		goto out;
	}
	CURLcode cc = curl_easy_perform(e);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_RECV_ERROR ||
	    cc == CURLE_SEND_ERROR || cc == CURLE_GOT_NOTHING || cc == CURLE_PARTIAL_FILE) {
		snprintf(why, nwhy, "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
		rc = 1;
	} else if (cc == CURLE_WRITE_ERROR) {
		error("%s: more than %u MiB: not a suite", url, BODY_MAX_BYTES >> 20);
	} else if (cc != CURLE_OK) {
		error("%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(cc));
	} else if (status == 408 || status == 429 || status >= 500) {
		snprintf(why, nwhy, "HTTP %ld", status);
		rc = 1;
	} else if (status != 200) {
		error("%s: HTTP %ld", url, status);
	} else {
		rc = 0;
	}
out:
	curl_easy_cleanup(e);
	return rc;
}

int fetch_get(const char *url, long timeout_s, struct buf *body)
{
	char why[CURL_ERROR_SIZE + 16] = "";
	long wait_s = 0;
	for (int try = 1;; try++) {
		int rc = get_once(url, timeout_s, body, why, sizeof(why), &wait_s);
		if (rc <= 0)
			return rc;
		if (try == 4)
			return error("%s: %s (after %d tries)", url, why, try);
		if (!wait_s)
			wait_s = 1L << (try - 1);
		note("%s: %s: trying again in %ld s", url, why, wait_s);
		sleep((unsigned)wait_s);
	}
}

/* a file suite: url into path when its sha256 is the pinned one; 0, or -1 (reported) */
static int fetch_file(const struct catalog_entry *c, const char *url, const char *path)
{
	struct buf body = BUF_INIT;
	char got[65];
	int rc = fetch_get(url, 600, &body);
	if (rc == 0) {
		sha256_buf_hex(body.data ? body.data : "", body.len, got);
		if (strcmp(got, c->sha256) != 0)
			rc = error("%s: %s has sha256 %s, not the pinned %s: not kept", c->name, url, got, c->sha256);
	}
	if (rc == 0)
		rc = file_write_atomic(path, body.data ? body.data : "", body.len);
	buf_release(&body);
	return rc;
}

/* whether the copy at path is the pinned one: 1 yes, 0 no (warned: it is
 * fetched again) */
static int present_matches(const struct catalog_entry *c, const char *path)
{
	char got[65];
	size_t n = 0;
	if (c->kind == CATALOG_FILE) {
		if (file_sha256(path, got) < 0)
			return 0;
		if (strcmp(got, c->sha256) == 0)
			return 1;
		warning("%s: '%s' has sha256 %s, not the pinned %s: fetching it again", c->name, path, got, c->sha256);
		return 0;
	}
	if (catalog_file_ids(c, path, &n, got) < 0) {
		warning("%s: '%s' is not a readable copy: fetching it again", c->name, path);
		return 0;
	}
	if (n == (size_t)c->rows && strcmp(got, c->sha256) == 0)
		return 1;
	warning("%s: '%s' has %zu rows with ids digest %s, not the pinned %d with %s: fetching it again", c->name,
		path, n, got, c->rows, c->sha256);
	return 0;
}

/* one suite into dir: its path on stdout; 0, or -1 (reported) */
static int fetch_one(const struct catalog_entry *c, const char *dir, int offline)
{
	char *path = xasprintf("%s/%s", dir, c->file), *url = NULL;
	int rc = -1;
	if (path_exists(path) && present_matches(c, path)) {
		note("%s: already here, %s checked", c->name, c->kind == CATALOG_FILE ? "digest" : "rows and ids digest");
		printf("%s\n", path);
		rc = 0;
		goto out;
	}
	if (offline) {
		error("%s: not in '%s' and --offline: run `tokenbench fetch %s` with a network", c->name, dir, c->name);
		goto out;
	}
	url = catalog_url(c);
	if (c->kind == CATALOG_FILE) {
		note("%s: downloading %s", c->name, url);
		rc = fetch_file(c, url, path);
	} else {
		rc = fetch_rows(c, url, path);
	}
	if (rc == 0)
		printf("%s\n", path);
out:
	free(path);
	free(url);
	return rc;
}

static void list(void)
{
	int n;
	const struct catalog_entry *c = catalog_all(&n);
	for (int i = 0; i < n; i++) {
		printf("%-20s %s\n%-20s %s\n", c[i].name, c[i].what, "", c[i].url);
		if (c[i].kind == CATALOG_FILE)
			printf("%-20s sha256 %s\n", "", c[i].sha256);
		else
			printf("%-20s %d rows, ids digest %s\n", "", c[i].rows, c[i].sha256);
	}
	printf("\nSWE-bench is read page by page through the Hugging Face dataset viewer's JSON rows\n"
	       "interface: its parquet files would need a parquet library Debian does not package for C.\n"
	       "An ids digest is the sha256 of the ids sorted bytewise, one a line:\n"
	       "  jq -r .instance_id FILE | LC_ALL=C sort | sha256sum\n"
	       "HumanEval-X's Go, Java, JavaScript and Rust are not offered: the scorer runs Python, C and C++.\n");
}

int cmd_fetch(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_fetch, opts);
	const char *dir = NULL;
	int offline = 0, c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'o': offline = 1; break;
		case 'l': list(); return EXIT_OK;
		case 'h': help_print(&doc_fetch, stdout); return EXIT_OK;
		default: help_usage(&doc_fetch, stderr); return EXIT_USAGE;
		}
	}
	if (optind == argc) {
		help_usage(&doc_fetch, stderr);
		return EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		if (!catalog_find(argv[i])) {
			error("no suite called '%s' (`tokenbench fetch --list` lists them)", argv[i]);
			return EXIT_USAGE;
		}
	}
	char *own = dir ? NULL : catalog_dir();
	if (!dir)
		dir = own;
	int rc = dir_make(dir, 0755) < 0 ? EXIT_SYSTEM : EXIT_OK;
	if (rc == EXIT_OK && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		error("libcurl would not start");
		rc = EXIT_SYSTEM;
	}
	for (int i = optind; rc == EXIT_OK && i < argc; i++)
		if (fetch_one(catalog_find(argv[i]), dir, offline) < 0)
			rc = EXIT_SYSTEM;
	curl_global_cleanup();
	free(own);
	return rc;
}
