/* cmd_fetch.c - `tokenbench fetch NAME...`: downloads public suites by
 * name from their canonical addresses (core/catalog.c) with libcurl,
 * checks each one's pinned SHA-256 and prints the path to give --suite (or
 * the name itself: --suite humaneval finds the fetched copy). A copy
 * already present and matching is not fetched again; a mismatch is an
 * error naming both digests, and nothing is kept. Proxies are libcurl's
 * (http_proxy, https_proxy, no_proxy), as curl users expect. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/catalog.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/xalloc.h"

const struct cmd_doc doc_fetch = {
	"fetch", "NAME... [--dir DIR] [--offline]\n--list",
	"download public suites by name, checked against pinned SHA-256 digests",
	"NAME is humaneval, humaneval-plus, mbpp, mbpp-sanitized or humaneval-x-cpp (--list says what each is "
	"and where it comes from). Prints each file's path; --suite NAME then uses the fetched copy. "
	"TOKENBENCH_FETCH_MIRROR=URL downloads from a mirror laid out as URL/HOST/PATH instead.",
	(const struct opt_doc[]){
		{ "dir", "DIR", 'd', "$TOKENBENCH_DATA, else ~/.cache/tokenbench/suites", "where the suites are kept" },
		{ "offline", NULL, 'o', NULL, "download nothing: check the copies already present" },
		{ "list", NULL, 'l', NULL, "list the names, their addresses and digests" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

/* url into path (written whole, then renamed); 0, or -1 (reported) */
static int download(const char *url, const char *path)
{
	char *part = xasprintf("%s.part", path);
	char errbuf[CURL_ERROR_SIZE] = "";
	long status = 0;
	int rc = -1;
	FILE *f = fopen(part, "wb");
	CURL *e = curl_easy_init();
	if (!f || !e) {
		error("cannot write '%s'", part);
		goto fail;
	}
	if (curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_WRITEDATA, f) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_TIMEOUT, 600L) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_USERAGENT, "tokenbench/" TB_VERSION) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK) {
		error("%s: libcurl refused an option", url);
		goto fail;
	}
	CURLcode cc = curl_easy_perform(e);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	if (cc != CURLE_OK) {
		error("%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(cc));
		goto fail;
	}
	if (status != 200) {
		error("%s: HTTP %ld", url, status);
		goto fail;
	}
	if (fclose(f) != 0) {
		f = NULL;
		error("cannot write '%s'", part);
		goto fail;
	}
	f = NULL;
	if (rename(part, path) != 0) {
		error("cannot rename '%s' to '%s'", part, path);
		goto fail;
	}
	rc = 0;
fail:
	if (f)
		fclose(f);
	if (rc < 0)
		unlink(part);
	curl_easy_cleanup(e);
	free(part);
	return rc;
}

/* one suite into dir: its path on stdout; 0, or -1 (reported) */
static int fetch_one(const struct catalog_entry *c, const char *dir, int offline)
{
	char *path = xasprintf("%s/%s", dir, c->file), *url = NULL;
	char got[65];
	int rc = -1;
	if (path_exists(path)) {
		if (file_sha256(path, got) < 0)
			goto out;
		if (strcmp(got, c->sha256) == 0) {
			note("%s: already here, digest checked", c->name);
			printf("%s\n", path);
			rc = 0;
			goto out;
		}
		warning("%s: '%s' has sha256 %s, not the pinned %s: fetching it again", c->name, path, got, c->sha256);
	}
	if (offline) {
		error("%s: not in '%s' and --offline: run `tokenbench fetch %s` with a network", c->name, dir, c->name);
		goto out;
	}
	url = catalog_url(c);
	note("%s: downloading %s", c->name, url);
	if (download(url, path) < 0 || file_sha256(path, got) < 0)
		goto out;
	if (strcmp(got, c->sha256) != 0) {
		error("%s: %s has sha256 %s, not the pinned %s: not kept", c->name, url, got, c->sha256);
		unlink(path);
		goto out;
	}
	printf("%s\n", path);
	rc = 0;
out:
	free(path);
	free(url);
	return rc;
}

static void list(void)
{
	int n;
	const struct catalog_entry *c = catalog_all(&n);
	for (int i = 0; i < n; i++)
		printf("%-16s %s\n%-16s %s\n%-16s sha256 %s\n", c[i].name, c[i].what, "", c[i].url, "", c[i].sha256);
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
