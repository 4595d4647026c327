# tokenbench - one non-recursive Makefile.
#   make            build ./tokenbench
#   make test       install missing packages, build, run every test
#   make demo       the starter suite against the simulated models
#   make redteam    the red-team corpus: hostile answers against the sandbox

VERSION := 0.1.0
CC ?= cc
PKGS := libcurl libcjson gsl zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wno-format-nonliteral
BASE_CFLAGS := -std=gnu11 -O2 -g $(WARN) -DTB_VERSION='"$(VERSION)"' $(PKG_CFLAGS)
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)
LDLIBS := $(PKG_LIBS) -lm

# the program, one file per concern (see harness/*.c headers)
LIB_SRCS := \
	harness/agent.c harness/bootstrap.c harness/buf.c harness/cache.c harness/calibrate.c harness/cmd_common.c \
	harness/cmd_compare.c harness/cmd_eval.c harness/cmd_merge.c harness/cmd_plan.c harness/cmd_plot.c harness/cmd_prices.c \
	harness/cmd_report.c harness/cmd_reprice.c harness/cmd_run.c harness/cmd_sandbox.c harness/cmd_show.c harness/cmd_sim.c \
	harness/edit.c harness/env.c harness/extract.c harness/fileio.c harness/frontier.c harness/json.c \
	harness/logparse.c harness/manifest.c harness/merge.c harness/msg.c harness/outcomes.c harness/plan.c harness/plot.c harness/predictions.c \
	harness/proc.c harness/program.c harness/prompt.c harness/proto.c harness/proto_anthropic.c \
	harness/proto_openai.c harness/provider.c harness/ratelimit.c harness/repo.c harness/repojob.c \
	harness/report.c harness/rng.c harness/sandbox.c harness/sched.c harness/score.c harness/seccomp.c \
	harness/sha256.c harness/shard.c harness/signals.c harness/sim.c harness/sim_api.c harness/simagent.c harness/simmodel.c harness/simrepo.c \
	harness/stats.c harness/store.c harness/strmap.c harness/suite.c harness/suite_repo.c harness/suite_select.c harness/summary.c \
	harness/swebench.c harness/xalloc.c
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
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -iquote harness -MMD -MP -c -o $@ $<

deps:
	scripts/install-deps

test: deps
	$(MAKE) tokenbench build/unit-tests
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

PREFIX ?= /usr/local
install: tokenbench
	install -D -m 0755 tokenbench $(DESTDIR)$(PREFIX)/bin/tokenbench

clean:
	rm -rf build tokenbench

.PHONY: all deps test demo redteam bench install clean

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJS:.o=.d) $(ASAN_LIB_OBJS:.o=.d) $(ASAN_TEST_OBJS:.o=.d)
