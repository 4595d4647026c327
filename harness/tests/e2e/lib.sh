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
cleanup() {
	for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "skipped: $*"; exit 77; }
[ -x "$TB" ] || fail "no ./tokenbench; run make first"

free_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_sim [sim options...]: starts the simulator on a port it picks; sets
# SIM_PORT, SIM_PID, SIM_LOG
start_sim() {
	SIM_LOG=$(mktemp "$WORK/sim.XXXXXX")
	"$TB" sim --listen 127.0.0.1:0 "$@" >"$SIM_LOG" 2>&1 &
	SIM_PID=$!
	BG_PIDS="$BG_PIDS $SIM_PID"
	SIM_PORT=""
	for _ in $(seq 100); do
		SIM_PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/v1.*|\1|p' "$SIM_LOG")
		[ -n "$SIM_PORT" ] && return 0
		sleep 0.05
	done
	fail "the simulator did not come up: $(cat "$SIM_LOG")"
}

# stop_sim: stops it and prints how many requests it served
stop_sim() {
	kill "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
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
