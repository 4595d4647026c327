/* cmd_sim.c - `tokenbench sim`: simulated models over HTTP on loopback. */
#include <getopt.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "sim/sim.h"
#include "sim/sim_model.h"
#include "util/fileio.h"
#include "util/msg.h"

static const char usage[] =
	"usage: tokenbench sim --listen 127.0.0.1:PORT (0 picks a free port) [--profiles FILE] [--suite PATH]...\n"
	"                      [--latency-ms MS] [--task-correlation R] [--repos DIR] [--max-connections N]\n"
	"                      [--quiet]\n"
	"  --profiles   simulated models (default providers/demo.json: each provider's \"sim\" object)\n"
	"  --suite      tasks it recognises and answers (default tasks/starter and tasks/swe-starter)\n"
	"  --latency-ms one fixed latency for every answer (for benchmarks)\n"
	"  --task-correlation  how much the models' outcomes on one task go together (default: the\n"
	"               profile file's \"task_correlation\", else 0.5)\n"
	"  --repos      repository mirrors, for SWE-bench instances in --suite (before --suite)\n";

int cmd_sim(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },      { "profiles", required_argument, NULL, 'p' },
		{ "suite", required_argument, NULL, 's' },       { "latency-ms", required_argument, NULL, 'L' },
		{ "max-connections", required_argument, NULL, 'm' }, { "quiet", no_argument, NULL, 'q' },
		{ "task-correlation", required_argument, NULL, 'c' }, { "repos", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },              { NULL, 0, NULL, 0 },
	};
	struct sim_world w;
	struct sim_server_opts so = { .max_connections = 16384 };
	const char *profiles = "providers/demo.json";
	int c, suites = 0, rc = EXIT_USAGE;
	sim_world_init(&w);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': so.listen = optarg; break;
		case 'p': profiles = optarg; break;
		case 's':
			if (sim_world_add_suite(&w, optarg) < 0)
				goto out;
			suites++;
			break;
		case 'L':
			if (opt_double("--latency-ms", optarg, 0, &w.latency_override_ms) < 0)
				goto out;
			break;
		case 'r':
			if (sim_world_set_mirrors(&w, optarg) < 0)
				goto out;
			break;
		case 'c':
			if (opt_double("--task-correlation", optarg, 0, &w.task_correlation) < 0 || w.task_correlation > 1) {
				error("--task-correlation: between 0 and 1");
				goto out;
			}
			w.task_correlation_fixed = 1;
			break;
		case 'm':
			if (opt_int("--max-connections", optarg, 1, 1000000, &so.max_connections) < 0)
				goto out;
			break;
		case 'q': so.quiet = 1; break;
		case 'h': fputs(usage, stdout); rc = EXIT_OK; goto out;
		default: fputs(usage, stderr); goto out;
		}
	}
	if (!so.listen || optind != argc) {
		fputs(usage, stderr);
		goto out;
	}
	if (sim_world_load_profiles(&w, profiles) < 0)
		goto out;
	static const char *const defaults[] = { "tasks/starter", "tasks/swe-starter" };
	for (size_t i = 0; !suites && i < sizeof(defaults) / sizeof(*defaults); i++)
		if (path_is_dir(defaults[i]) && sim_world_add_suite(&w, defaults[i]) < 0)
			goto out;
	rc = sim_serve(&w, &so) < 0 ? EXIT_SYSTEM : EXIT_OK;
out:
	sim_world_release(&w);
	return rc;
}
