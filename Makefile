# tokenbench - one non-recursive Makefile.
#   make            build ./tokenbench
#   make test       install missing packages, build, run every test
#   make demo       the starter suite against the simulated models
#   make redteam    the red-team corpus: hostile answers against the sandbox
#   make fuzz       each fuzz target under libFuzzer for FUZZ_SECONDS (clang)

VERSION := 0.1.0
# the version's date, the man page's
VERSION_DATE := 2026-12-04
CC ?= cc
PKGS := libcurl libcjson gsl zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wcast-qual \
	-Wno-format-nonliteral
BASE_CFLAGS := -std=gnu11 -O2 -g $(WARN) -iquote harness -DTB_VERSION='"$(VERSION)"' -DTB_DATE='"$(VERSION_DATE)"' $(PKG_CFLAGS)
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)
LDLIBS := $(PKG_LIBS) -lm

# the program, one folder per layer (scripts/check-layers keeps them in order),
# one file per concern
UTIL_SRCS := harness/util/buf.c harness/util/clock.c harness/util/datadir.c harness/util/fileio.c harness/util/json.c harness/util/machine.c \
	harness/util/msg.c harness/util/proc.c harness/util/rng.c harness/util/secret.c harness/util/sha256.c \
	harness/util/signals.c harness/util/strmap.c harness/util/xalloc.c
CORE_SRCS := harness/core/catalog.c harness/core/env.c harness/core/load.c harness/core/predictions.c harness/core/price.c harness/core/provider.c \
	harness/core/record.c harness/core/selfhost.c harness/core/suite.c harness/core/suite_repo.c harness/core/suite_select.c
RUNDIR_SRCS := harness/rundir/cache.c harness/rundir/manifest.c harness/rundir/merge.c \
	harness/rundir/plan.c harness/rundir/shard.c harness/rundir/store.c \
	harness/rundir/trajectory.c
SCORE_SRCS := harness/score/agent.c harness/score/calibrate.c harness/score/edit.c \
	harness/score/buildcache.c harness/score/extract.c harness/score/logparse.c harness/score/program.c harness/score/repo.c \
	harness/score/repojob.c harness/score/sandbox.c harness/score/score.c harness/score/score_func.c \
	harness/score/score_repo.c harness/score/seccomp.c harness/score/swebench.c harness/score/verdict.c \
	harness/score/workspace.c harness/score/zygote.c
ENGINE_SRCS := harness/engine/agent_loop.c harness/engine/breaker.c harness/engine/loadgen.c harness/engine/preflight.c harness/engine/progress.c harness/engine/prompt.c \
	harness/engine/proto.c harness/engine/proto_anthropic.c harness/engine/proto_openai.c \
	harness/engine/ratelimit.c harness/engine/records.c harness/engine/sample.c harness/engine/sched.c \
	harness/engine/transfer.c
STATS_SRCS := harness/stats/anytime.c harness/stats/bootstrap.c harness/stats/fmt.c harness/stats/frontier.c harness/stats/html.c harness/stats/loadstat.c \
	harness/stats/outcomes.c harness/stats/plot.c harness/stats/report.c harness/stats/report_html.c \
	harness/stats/report_csv.c harness/stats/report_html_samples.c harness/stats/seqsim.c \
	harness/stats/stats.c harness/stats/stop.c harness/stats/stop_run.c harness/stats/summary.c \
	harness/stats/summary_anytime.c harness/stats/swebench_summary.c
SIM_SRCS := harness/sim/sim.c harness/sim/sim_agent.c harness/sim/sim_anthropic.c harness/sim/sim_api.c \
	harness/sim/sim_model.c harness/sim/sim_openai.c harness/sim/sim_reply.c harness/sim/sim_repo.c \
	harness/sim/sim_serve.c harness/sim/sim_wire.c
CMD_SRCS := harness/cmd/help.c harness/cmd/cmd_common.c harness/cmd/cmd_compare.c harness/cmd/cmd_run_stop.c \
	harness/cmd/cmd_eval.c harness/cmd/cmd_fetch.c harness/cmd/fetch_rows.c harness/cmd/cmd_loadtest.c \
	harness/cmd/cmd_merge.c harness/cmd/cmd_plan.c harness/cmd/cmd_plot.c harness/cmd/cmd_prices.c \
	harness/cmd/cmd_report.c harness/cmd/cmd_reprice.c harness/cmd/cmd_run.c \
	harness/cmd/cmd_sandbox.c harness/cmd/cmd_show.c harness/cmd/cmd_sim.c
# report.html's script and style sheet, carried in the program
GEN_SRCS := build/gen/report_html_assets.c
LIB_SRCS := $(UTIL_SRCS) $(CORE_SRCS) $(RUNDIR_SRCS) $(SCORE_SRCS) $(ENGINE_SRCS) $(STATS_SRCS) $(SIM_SRCS) $(CMD_SRCS) \
	$(GEN_SRCS)
MAIN_SRCS := harness/main.c
TEST_SRCS := $(wildcard harness/tests/*.c)

OBJ := build/obj
ASAN := build/asan
LIB_OBJS := $(LIB_SRCS:%.c=$(OBJ)/%.o)
MAIN_OBJS := $(MAIN_SRCS:%.c=$(OBJ)/%.o)
ASAN_LIB_OBJS := $(LIB_SRCS:%.c=$(ASAN)/%.o)
ASAN_TEST_OBJS := $(TEST_SRCS:%.c=$(ASAN)/%.o)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -O1

all: tokenbench

tokenbench: $(LIB_OBJS) $(MAIN_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# unit tests run under AddressSanitizer and UBSan
build/unit-tests: $(ASAN_LIB_OBJS) $(ASAN_TEST_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(ASAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

# fuzzing (issue 15): the targets of harness/tests/fuzz/targets.c, replayed
# over their committed corpora by build/fuzz-replay (normal compiler,
# sanitizers) in make test; make fuzz runs each under libFuzzer (clang:
# scripts/install-deps --fuzz) for FUZZ_SECONDS
FUZZ_NAMES := suite predictions provider openai anthropic edit logparse
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined,float-cast-overflow -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -O1
FZ := build/fuzz
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FZ)/%.o) $(FZ)/harness/tests/fuzz/targets.o
REPLAY_OBJS := $(ASAN)/harness/tests/fuzz/targets.o $(ASAN)/harness/tests/fuzz/replay.o

build/fuzz-replay: $(ASAN_LIB_OBJS) $(REPLAY_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(FZ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) -MMD -MP -c -o $@ $<

$(FZ)/bin/fuzz-%: $(FUZZ_LIB_OBJS) harness/tests/fuzz/libfuzzer.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -DFUZZ_TARGET=fuzz_$* -o $@ \
		harness/tests/fuzz/libfuzzer.c $(FUZZ_LIB_OBJS) $(LDLIBS)

fuzz: $(FUZZ_NAMES:%=$(FZ)/bin/fuzz-%)
	scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

build/gen/report_html_assets.c: harness/stats/report_html.js harness/stats/report_html.css scripts/embed-text
	@mkdir -p $(dir $@)
	scripts/embed-text $@ report_html_js harness/stats/report_html.js report_html_css harness/stats/report_html.css

deps:
	scripts/install-deps

test: deps
	$(MAKE) tokenbench build/unit-tests build/fuzz-replay
	scripts/run-tests

demo: deps
	$(MAKE) tokenbench
	scripts/demo

redteam: tokenbench
	tests/redteam/run

bench:
	scripts/install-deps --bench
	$(MAKE) tokenbench
	scripts/bench

# make install [PREFIX=/usr/local] [DESTDIR=]: the program, its data (found
# from any directory: beside the program's ../share/tokenbench, else the
# DATADIR compiled in), the man page and bash completion
PREFIX ?= /usr/local
DATADIR = $(PREFIX)/share/tokenbench
MANDIR = $(PREFIX)/share/man/man1
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions
$(OBJ)/harness/util/datadir.o $(ASAN)/harness/util/datadir.o: ALL_CFLAGS += -DTB_DATADIR='"$(DATADIR)"'
DATA := providers/demo.json providers/openrouter.json tasks/README.md tasks/starter/starter.jsonl \
	tasks/swe-starter/README.md tasks/swe-starter/swe-starter.jsonl $(wildcard tasks/swe-starter/repos/*.tar.gz) \
	tasks/swebench/README.md $(wildcard tasks/swebench/envs/*.json) $(wildcard tasks/swebench/shims/*)

install: tokenbench
	install -D -m 0755 tokenbench $(DESTDIR)$(PREFIX)/bin/tokenbench
	for f in $(DATA); do install -D -m 0644 "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; done
	install -D -m 0644 tokenbench.1 $(DESTDIR)$(MANDIR)/tokenbench.1
	install -D -m 0644 scripts/tokenbench.bash-completion $(DESTDIR)$(COMPLETIONDIR)/tokenbench

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tokenbench $(DESTDIR)$(MANDIR)/tokenbench.1 $(DESTDIR)$(COMPLETIONDIR)/tokenbench
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build tokenbench

.PHONY: all deps test demo redteam bench install uninstall clean fuzz

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJS:.o=.d) $(ASAN_LIB_OBJS:.o=.d) $(ASAN_TEST_OBJS:.o=.d) $(REPLAY_OBJS:.o=.d) \
	$(FUZZ_LIB_OBJS:.o=.d)
