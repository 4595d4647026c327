# Shared by the end-to-end tests: they run the real ./tokenbench the way a
# user would, against the simulator on loopback. Source it first.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../../.." || exit 2
TB=$PWD/tokenbench
PY=/usr/bin/python3
DATA=${TOKENBENCH_DATASETS:-$PWD/../shared/datasets}
WORK=$(mktemp -d /tmp/tb-e2e.XXXXXX)
# reference timings (calibrate.c) are not taken from, or added to, the
# user's cache: scripts/run-tests shares one among the tests of a session
export TOKENBENCH_CACHE_DIR=${TOKENBENCH_CACHE_DIR:-$WORK/calibration}
BG_PIDS=""
# no_empty_detail: every failed or error record of every run directory under
# $WORK that tokenbench made (it holds a run.json: a foreign samples.jsonl
# is left alone) has a detail saying why (issue 15); prints the first few
# that do not
no_empty_detail() {
	find "$WORK" -name samples.jsonl -type f 2>/dev/null | $PY -c '
import json, os, sys
bad = []
for path in sys.stdin.read().split("\n"):
    if not path or not os.path.exists(os.path.join(os.path.dirname(path), "run.json")):
        continue
    for line in open(path, errors="replace"):
        try:
            r = json.loads(line)
        except ValueError:
            continue  # a torn line, as a killed run leaves
        if isinstance(r, dict) and r.get("status") in ("failed", "error") and not str(r.get("detail") or "").strip():
            bad.append("%s: %s %s %s" % (path, r.get("task"), r.get("status"), r.get("fail_reason") or r.get("error_kind")))
if bad:
    print("records with an empty detail (%d), e.g.:" % len(bad))
    print("\n".join(bad[:5]))
    sys.exit(1)
'
}
cleanup() {
	local rc=$?
	for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	# a test that passed fails here when it left a failed or error record
	# without a detail (otherwise the test's own exit status stands)
	if [ $rc = 0 ] && ! no_empty_detail; then
		echo "FAIL: a failed or error record has an empty detail"
		rm -rf "$WORK"
		exit 1
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "skipped: $*"; exit 77; }
[ -x "$TB" ] || fail "no ./tokenbench; run make first"

free_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port VAR LOG SED WHAT: waits up to 10 s for LOG to name the port a
# server listens on (SED prints it) and sets VAR to it; fails naming WHAT
wait_port() {
	local port=""
	for _ in $(seq 200); do
		port=$(sed -n "$3" "$2")
		[ -n "$port" ] && { printf -v "$1" '%s' "$port"; return 0; }
		sleep 0.05
	done
	fail "$4 did not come up: $(tail -5 "$2")"
}

# what the simulator prints once it listens (sed: prints the port)
SIM_LISTENING='s|.*listening on http://127.0.0.1:\([0-9]*\)/v1.*|\1|p'

# start_sim [sim options...]: starts the simulator on a port it picks; sets
# SIM_PORT, SIM_PID, SIM_LOG
start_sim() {
	SIM_LOG=$(mktemp "$WORK/sim.XXXXXX")
	"$TB" sim --listen 127.0.0.1:0 "$@" >"$SIM_LOG" 2>&1 &
	SIM_PID=$!
	BG_PIDS="$BG_PIDS $SIM_PID"
	wait_port SIM_PORT "$SIM_LOG" "$SIM_LISTENING" "the simulator"
}

# start_hostile LOG: starts the hostile provider (tests/data/hostile_server.py)
# on a port it picks, logging each request's model to LOG; sets HOSTILE_PORT
start_hostile() {
	: >"$1"
	$PY harness/tests/data/hostile_server.py "$1" >"$WORK/hostile.out" 2>&1 &
	BG_PIDS="$BG_PIDS $!"
	wait_port HOSTILE_PORT "$WORK/hostile.out" 's/^listening on \([0-9]*\)$/\1/p' "the hostile server"
	export HOSTILE_PORT
}

# stop_sim: stops it and prints how many requests it served. Called as
# $(stop_sim), it runs in a subshell whose wait cannot wait for the
# simulator (not its child), so it waits (up to 10 s) for the line the
# simulator prints as it ends
stop_sim() {
	kill "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
	for _ in $(seq 200); do
		grep -q " requests served" "$SIM_LOG" && break
		sleep 0.05
	done
	sed -n 's/.* \([0-9]*\) requests served.*/\1/p' "$SIM_LOG"
}

# count FILE EXPR: evaluates a Python expression over the records r of samples.jsonl
count() {
	$PY - "$1" "$2" <<'PYEOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(sum(1 for r in recs if eval(sys.argv[2], {}, {'r': r})))
PYEOF
}

# same_results DIR_A DIR_B: the two run directories hold the same records
# and the same summary.json apart from timing: any field, at any depth,
# named *_ms (latency_ms, test_ms, ttft_ms, steps_ms, agent_ms, a turn's
# command_ms, latency_p50_ms...) or output_tps*, a record's time, and
# what depends on how busy the provider was, the order in which samples
# finished or what a cache held (attempts: retries after a 429 or a 503;
# cached; test_reused: which of two identical answers was scored first).
# Prints what it compared, or what differs (and fails)
same_results() {
	$PY - "$1" "$2" <<'PYEOF'
import json, sys
def timing(k):
    return k in ('time', 'attempts', 'cached', 'test_reused') or k.endswith('_ms') or k.startswith('output_tps')
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if not timing(k)}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
def records(d):
    out = {}
    for l in open(d + '/samples.jsonl'):
        r = json.loads(l)
        out[(r['task'], r['provider'], r['sample'])] = strip(r)
    return out
def first_diff(x, y, path=''):
    if type(x) != type(y):
        return '%s: %r vs %r' % (path, x, y)
    if isinstance(x, dict):
        for k in sorted(set(x) | set(y)):
            d = first_diff(x.get(k), y.get(k), path + '.' + k)
            if d:
                return d
    elif isinstance(x, list):
        if len(x) != len(y):
            return '%s: %d vs %d items' % (path, len(x), len(y))
        for i, (u, v) in enumerate(zip(x, y)):
            d = first_diff(u, v, '%s[%d]' % (path, i))
            if d:
                return d
    elif x != y:
        return '%s: %r vs %r' % (path, x, y)
    return None
a, b = sys.argv[1:3]
ra, rb = records(a), records(b)
if ra.keys() != rb.keys():
    sys.exit('different samples: %d only in %s, %d only in %s' % (len(ra.keys() - rb.keys()), a, len(rb.keys() - ra.keys()), b))
bad = [k for k in ra if ra[k] != rb[k]]
if bad:
    sys.exit('%d records differ, e.g. %s: %s' % (len(bad), bad[0], first_diff(ra[bad[0]], rb[bad[0]])))
sa = strip(json.load(open(a + '/summary.json')))
sb = strip(json.load(open(b + '/summary.json')))
d = first_diff(sa, sb)
if d:
    sys.exit('summary.json differs at ' + d)
print('%d records identical apart from timing; summary.json identical apart from latency (%d providers, %d pairs)'
      % (len(ra), len(sa['providers']), len(sa['pairs'])))
PYEOF
}
