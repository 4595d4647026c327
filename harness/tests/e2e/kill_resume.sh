# A run killed with SIGKILL part-way, then resumed: no duplicate records, none
# lost, and no response paid for twice (only requests in flight at the kill
# are sent again).
source "$(dirname "$0")/lib.sh"
start_sim --latency-ms 150
export TOKENBENCH_SIM_PORT=$SIM_PORT
args=(--suite tasks/starter --providers providers/demo.json --samples 2 --limit 12 --jobs 2 --quiet --out "$WORK/r")
planned=$((12 * 5 * 2))
"$TB" run "${args[@]}" &
pid=$!
for _ in $(seq 400); do
	[ -f "$WORK/r/samples.jsonl" ] && [ "$(wc -l <"$WORK/r/samples.jsonl")" -ge 30 ] && break
	sleep 0.05
done
kill -9 $pid
wait $pid 2>/dev/null
before=$(wc -l <"$WORK/r/samples.jsonl")
[ "$before" -ge 30 ] && [ "$before" -lt $planned ] || fail "the kill came at $before of $planned records"
# complete cache entries (one a line, in the killed run's pack)
cached_before=$(cat "$WORK/r/cache"/pack-*.jsonl | wc -l)
[ "$cached_before" -ge "$before" ] || fail "$before records but only $cached_before responses cached"
"$TB" run "${args[@]}" || fail "resume exited non-zero"
served=$(stop_sim)
$PY - "$WORK/r/samples.jsonl" $planned <<'PYEOF' || exit 1
import json, sys
keys = [(r['task'], r['provider'], r['sample']) for r in map(json.loads, open(sys.argv[1]))]
assert len(keys) == len(set(keys)), '%d duplicate records' % (len(keys) - len(set(keys)))
assert len(keys) == int(sys.argv[2]), '%d records, want %s' % (len(keys), sys.argv[2])
PYEOF
# every paid response is in the cache; a request is repeated only if it was
# in flight (at most the providers' concurrency caps, 5 x 16) when killed
extra=$((served - planned))
[ "$extra" -le 80 ] || fail "the simulator served $served requests for $planned samples"
echo "killed at $before/$planned records ($cached_before responses cached), resumed to $planned, no duplicates; $extra requests re-sent"
