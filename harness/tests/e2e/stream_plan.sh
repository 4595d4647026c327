# The plan streams (issue 21): a run of 60 tasks x 4 providers x 10 samples
# against the simulator is interrupted twice, with SIGINT (what waits is
# recorded not_attempted) and with SIGKILL (nothing more is written), and
# resumed each time: in the end every sample has one last record that is
# an answer, and the simulator served nothing twice beyond what was in
# flight (4 providers x 4) at each interruption. Then memory: --dry-run of
# a 20-million-sample plan (1,000 tasks x 20 providers x 1,000 samples),
# which a materialised plan would need over 500 MB for, stays under 64 MB of
# peak RSS, over a run directory that holds records as well.
source "$(dirname "$0")/lib.sh"
$PY - "$WORK" <<'PYEOF'
import json, sys
w = sys.argv[1]
with open(w + "/suite.jsonl", "w") as f:
    for i in range(1000):
        f.write(json.dumps({"id": "sum/%d" % i, "kind": "exact", "prompt": "Task %d: what is %d + 3?" % (i, i),
                            "reference": str(i + 3)}) + "\n")
def provs(n, conc):
    return {"providers": [{"name": "p%02d" % i, "protocol": "openai",
                           "base_url": "http://127.0.0.1:${TOKENBENCH_SIM_PORT}/v1", "model": "m%02d" % i,
                           "api_key_env": "TOKENBENCH_SIM_KEY", "max_concurrency": conc, "params": {"max_tokens": 32},
                           "price": {"input": 1.0, "output": 2.0, "as_of": "2026-11-28", "source": "test"},
                           "sim": {"skill": 0.8, "latency_ms": {"median": 5, "sigma": 0}}} for i in range(n)]}
json.dump(provs(4, 4), open(w + "/providers.json", "w"))
json.dump(provs(20, 8), open(w + "/providers20.json", "w"))
PYEOF
# 20 ms an answer, 4 providers x 4 at a time: about 3 s for the plan, so
# that both interruptions land inside it whatever the machine's speed
start_sim --suite "$WORK/suite.jsonl" --profiles "$WORK/providers.json" --latency-ms 20 --max-connections 256
export TOKENBENCH_SIM_PORT=$SIM_PORT TOKENBENCH_SIM_KEY=sk-test
args=(--suite "$WORK/suite.jsonl" --providers "$WORK/providers.json" --limit 60 --samples 10 --no-report
	--no-preflight --quiet --out "$WORK/r")
planned=$((60 * 4 * 10))

# lines LINES: waits (at most 60 s) until samples.jsonl has LINES lines
lines() {
	for _ in $(seq 1200); do
		[ -f "$WORK/r/samples.jsonl" ] && [ "$(wc -l <"$WORK/r/samples.jsonl")" -ge "$1" ] && return 0
		sleep 0.05
	done
	fail "samples.jsonl did not reach $1 lines"
}

"$TB" run "${args[@]}" &
pid=$!
lines 300
kill -INT $pid
wait $pid
first=$(wc -l <"$WORK/r/samples.jsonl")
interrupted=$(count "$WORK/r/samples.jsonl" "r.get('error_kind') == 'interrupted'")
[ "$interrupted" -gt 0 ] || fail "SIGINT left no sample recorded interrupted"
"$TB" run "${args[@]}" &
pid=$!
lines $((first + interrupted / 2))
kill -9 $pid
wait $pid 2>/dev/null
"$TB" run "${args[@]}" || fail "the last resume exited non-zero"
served=$(stop_sim)
$PY - "$WORK/r/samples.jsonl" $planned <<'PYEOF' || exit 1
import json, sys
last = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    last[(r["task"], r["provider"], r["sample"])] = r
assert len(last) == int(sys.argv[2]), "%d samples recorded, want %s" % (len(last), sys.argv[2])
bad = [k for k, r in last.items() if r["status"] not in ("passed", "failed")]
assert not bad, "%d samples end without an answer, e.g. %s" % (len(bad), bad[:3])
PYEOF
# what was in flight at the two interruptions, at most, was asked again
extra=$((served - planned))
[ "$extra" -ge 0 ] && [ "$extra" -le 32 ] || fail "the simulator served $served requests for $planned samples"

# memory: a plan of 20 million samples, dry-run, over the run directory
# above (its records are read into the plan's bitmap)
mkdir -p "$WORK/big"
cp "$WORK/r/samples.jsonl" "$WORK/big/"
/usr/bin/time -f %M -o "$WORK/rss" "$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/providers20.json" \
	--samples 1000 --dry-run --out "$WORK/big" >"$WORK/dry.out" || fail "the dry run failed: $(cat "$WORK/dry.out")"
grep -q "^total  *19997600 " "$WORK/dry.out" || fail "the dry run does not plan 20,000,000 - 2,400 samples: $(tail -3 "$WORK/dry.out")"
rss=$(tail -n 1 "$WORK/rss")
[ "$rss" -lt 65536 ] || fail "the dry run of a 20-million-sample plan peaked at $rss KB"
echo "SIGINT after $((first - interrupted)) answers ($interrupted recorded interrupted), SIGKILL later, resumed to $planned samples; $extra requests asked again; a 20M-sample dry run peaked at $((rss / 1024)) MB"
