/* cmd_sim.c - `tokenbench sim`: simulated models over HTTP on loopback. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "sim/sim.h"
#include "sim/sim_model.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/datadir.h"

const struct cmd_doc doc_sim = {
	"sim", "--listen 127.0.0.1:PORT [--profiles FILE] [--suite PATH]... [OPTIONS]",
	"serve simulated models over HTTP on loopback",
	"OpenAI's and Anthropic's APIs, their dialects, faults and rate limits, for tests and the demo; "
	"it listens on loopback only.",
	(const struct opt_doc[]){
		{ "listen", "127.0.0.1:PORT", 'l', NULL, "where to listen (port 0 picks a free one and prints it)" },
		{ "profiles", "FILE", 'p', "providers/demo.json", "the simulated models: each provider's \"sim\" object" },
		{ "suite", "PATH", 's', "tasks/starter and tasks/swe-starter", "tasks it recognises and answers; again for more" },
		{ "latency-ms", "MS", 'L', "each profile's", "one fixed latency for every answer (for benchmarks)" },
		{ "task-correlation", "R", 'c', "the file's task_correlation, else 0.5", "how much the models' outcomes on one task go together" },
		{ "repos", "DIR", 'r', NULL, "repository mirrors, for SWE-bench instances in --suite (give it before --suite)" },
		{ "max-connections", "N", 'm', "16384", "connections open at once" },
		{ "quiet", NULL, 'q', NULL, "no log of requests" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

int cmd_sim(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_sim, opts);
	struct sim_world w;
	struct sim_server_opts so = { .max_connections = 16384 };
	const char *profiles = "providers/demo.json";
	int c, suites = 0, rc = EXIT_USAGE;
	sim_world_init(&w);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': so.listen = optarg; break;
		case 'p': profiles = optarg; break;
		case 's': {
			char *path = datadir_find(optarg);
			int bad = sim_world_add_suite(&w, path) < 0;
			free(path);
			if (bad)
				goto out;
			suites++;
			break;
		}
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
		case 'h': help_print(&doc_sim, stdout); rc = EXIT_OK; goto out;
		default: help_usage(&doc_sim, stderr); goto out;
		}
	}
	if (!so.listen || optind != argc) {
		help_usage(&doc_sim, stderr);
		goto out;
	}
	char *prof = datadir_find(profiles);
	int bad = sim_world_load_profiles(&w, prof) < 0;
	free(prof);
	if (bad)
		goto out;
	static const char *const defaults[] = { "tasks/starter", "tasks/swe-starter" };
	for (size_t i = 0; !suites && i < sizeof(defaults) / sizeof(*defaults); i++) {
		char *path = datadir_find(defaults[i]);
		bad = path_is_dir(path) && sim_world_add_suite(&w, path) < 0;
		free(path);
		if (bad)
			goto out;
	}
	rc = sim_serve(&w, &so) < 0 ? EXIT_SYSTEM : EXIT_OK;
out:
	sim_world_release(&w);
	return rc;
}
