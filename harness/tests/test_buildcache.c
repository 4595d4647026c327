/* test_buildcache.c - environment entries that compile their repository:
 * the spec's build fields, the build cache's key, its claim and warm-up
 * life cycle, and the commands that build with it; and django's module
 * labels and an entry marked untested_here. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "core/env.h"
#include "score/buildcache.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/xalloc.h"

/* the spec of data/swe/envs.json, loaded into env */
static void load_envs(struct env_spec *env)
{
	env_init(env);
	char *path = xasprintf("%s/swe/envs.json", test_data_dir());
	CHECK(env_load(env, path) == 0);
	free(path);
}

void test_env_build_fields(void)
{
	struct env_spec env;
	load_envs(&env);
	const struct env_entry *x = env_find(&env, "acme/compiled", "3.1");
	CHECK(x != NULL && x->nbuild == 2 && x->build_timeout_s == 900);
	CHECK_STR(x->build[1], "python3 {shims}/after_build.py");
	CHECK(x->untested_here == NULL);
	/* the defaults */
	const struct env_entry *w = env_find(&env, "acme/widgets", "1.0");
	CHECK(w->nbuild == 0 && w->build_timeout_s == 1800 && w->untested_here == NULL);
	/* {labels}: the test files as django's runner names them, data files left out */
	const struct env_entry *d = env_find(&env, "acme/webframe", "4.0");
	CHECK(d != NULL && d->untested_here && strstr(d->untested_here, "cannot be mirrored"));
	const char *patch = "--- a/tests/model_enums/tests.py\n+++ b/tests/model_enums/tests.py\n@@ -1 +1 @@\n-a\n+b\n"
			    "--- a/tests/i18n/data/x.json\n+++ b/tests/i18n/data/x.json\n@@ -1 +1 @@\n-a\n+b\n"
			    "--- a/tests/admin_views/test_forms.py\n+++ b/tests/admin_views/test_forms.py\n@@ -1 +1 @@\n-a\n+b\n"
			    "--- a/django/contrib/x/tests.py\n+++ b/django/contrib/x/tests.py\n@@ -1 +1 @@\n-a\n+b\n";
	char *cmd = env_test_cmd(d, patch);
	CHECK_STR(cmd, "python3 tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 "
		       "model_enums.tests admin_views.test_forms django.contrib.x.tests");
	free(cmd);
	env_release(&env);
}

/* a build cache root of its own, which the sandboxes' users could reach */
static char *cache_root(void)
{
	char *root = xasprintf("%s/builds", test_tmpdir());
	chmod(test_tmpdir(), 0755);
	setenv("TOKENBENCH_BUILD_CACHE", root, 1);
	return root;
}

void test_buildcache_life(void)
{
	struct env_spec env;
	load_envs(&env);
	const struct env_entry *x = env_find(&env, "acme/compiled", "3.1");
	char *root = cache_root();
	struct buildcache bc;
	buildcache_init(&bc);
	/* one directory per repository, environment commit and recipe */
	char *a = buildcache_dir(&bc, "acme/compiled", "0123456789abcdef0123", x);
	char *b = buildcache_dir(&bc, "acme/compiled", "fedcba9876543210fedc", x);
	char *a2 = buildcache_dir(&bc, "acme/compiled", "0123456789abcdef0123", x);
	char *prefix = xasprintf("%s/acme__compiled-0123456789ab-", root);
	CHECK(a && b && a2 && strncmp(a, prefix, strlen(prefix)) == 0);
	CHECK(strcmp(a, b) != 0 && strcmp(a, a2) == 0 && path_is_dir(root));
	/* another recipe, another directory */
	const struct env_entry *w = env_find(&env, "acme/widgets", "1.0");
	char *c = buildcache_dir(&bc, "acme/compiled", "0123456789abcdef0123", w);
	CHECK(c && strcmp(a, c) != 0);
	/* the first claim warms it up; no second warm-up while it is under way */
	char *tmp = buildcache_claim(&bc, a);
	CHECK(tmp != NULL && buildcache_claim(&bc, a) == NULL);
	CHECK(buildcache_make_tmp(tmp, 0) == 0 && path_is_dir(tmp));
	/* a warm-up that did not finish: removed, reported, not tried again */
	char *log = xasprintf("%s/warm.log", tmp);
	CHECK(file_write(log, "tokenbench: warming\nerror: no compiler\n", 39, 0644) == 0);
	free(log);
	buildcache_finish(&bc, a, tmp, "acme__compiled-1");
	CHECK(!path_exists(a) && buildcache_claim(&bc, a) == NULL);
	/* a finished one is renamed into place; then nothing is claimed */
	tmp = buildcache_claim(&bc, b);
	CHECK(tmp != NULL && buildcache_make_tmp(tmp, 0) == 0);
	char *ready = xasprintf("%s/%s", tmp, BUILDCACHE_READY);
	CHECK(file_write(ready, "", 0, 0644) == 0);
	free(ready);
	char *kept = xstrdup(tmp);
	buildcache_finish(&bc, b, tmp, "acme__compiled-2");
	CHECK(path_is_dir(b) && !path_exists(kept) && buildcache_claim(&bc, b) == NULL);
	/* a claim whose checkout never ran leaves the directory claimable */
	tmp = buildcache_claim(&bc, c);
	CHECK(tmp != NULL);
	buildcache_finish(&bc, c, tmp, "acme__compiled-3");
	tmp = buildcache_claim(&bc, c);
	CHECK(tmp != NULL);
	free(tmp);
	free(kept);
	free(prefix);
	free(a);
	free(a2);
	free(b);
	free(c);
	free(root);
	buildcache_release(&bc);
	unsetenv("TOKENBENCH_BUILD_CACHE");
	env_release(&env);
}

void test_buildcache_commands(void)
{
	struct env_spec env;
	load_envs(&env);
	const struct env_entry *x = env_find(&env, "acme/compiled", "3.1");
	/* an instance's build reads a complete cache only, and never writes it */
	char *build = buildcache_build_cmd(x, 0);
	CHECK(strstr(build, "CC=\"ccache ${CC:-gcc}\"") && strstr(build, "CCACHE_BASEDIR=/work"));
	CHECK(strstr(build, "if [ -f /cache/" BUILDCACHE_READY " ]; then export CCACHE_DIR=/cache CCACHE_READONLY=1; "
			    "else export CCACHE_DISABLE=1; fi"));
	CHECK(strstr(build, " && (python3 setup.py build_ext --inplace) && (python3 /shims/after_build.py)"));
	CHECK(!strstr(build, "CCACHE_UMASK"));
	/* the warm-up writes it, at the environment commit, and marks it complete last */
	char *warm = buildcache_warm_cmd(x, "0123456789abcdef0123");
	CHECK(strstr(warm, "git -C /work checkout -q 0123456789abcdef0123 && cd /work && "));
	CHECK(strstr(warm, "CCACHE_DIR=/cache CCACHE_UMASK=022") && !strstr(warm, "CCACHE_READONLY"));
	CHECK(strstr(warm, "(python3 /shims/after_build.py) && touch /cache/" BUILDCACHE_READY ") >/cache/warm.log"));
	/* and leaves /work empty for the instance's own checkout */
	CHECK(strstr(warm, "; cd / && rm -rf /work/* /work/.[!.]* /work/..?*"));
	free(warm);
	free(build);
	env_release(&env);
}
