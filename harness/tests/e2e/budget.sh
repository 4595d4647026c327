# --max-cost is a hard cap at any concurrency: the spend stays under it, the
# rest is recorded as not_attempted, --dry-run shows the plan, and a planted
# API key appears in no output.
source "$(dirname "$0")/lib.sh"
start_sim --latency-ms 20
export TOKENBENCH_SIM_PORT=$SIM_PORT
key=sk-budget-planted-$RANDOM
$PY - providers/demo.json "$WORK/providers.json" <<'PYEOF'
import json, sys
ps = json.load(open(sys.argv[1]))['providers']
for p in ps:
    p['api_key_env'] = 'TB_BUDGET_KEY'
    p['max_concurrency'] = 32
json.dump({'providers': ps}, open(sys.argv[2], 'w'))
PYEOF
cap=0.02
TB_BUDGET_KEY=$key "$TB" run --suite tasks/starter --providers "$WORK/providers.json" --dry-run --samples 3 --max-cost $cap >"$WORK/dry.txt" || fail "--dry-run failed"
grep -q '^total' "$WORK/dry.txt" || fail "--dry-run printed no total: $(cat "$WORK/dry.txt")"
before=$(stop_sim)
start_sim --latency-ms 20
export TOKENBENCH_SIM_PORT=$SIM_PORT
TB_BUDGET_KEY=$key "$TB" run --suite tasks/starter --providers "$WORK/providers.json" --samples 3 --limit 20 --max-cost $cap \
	--out "$WORK/run" >"$WORK/run.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "run exited $rc (want 1: finished with samples not attempted)"
spent=$($PY - "$WORK/run/samples.jsonl" $cap <<'PYEOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
spent = sum(r['cost_usd'] or 0 for r in recs)
na = [r for r in recs if r['status'] == 'not_attempted']
done = [r for r in recs if r['status'] in ('passed', 'failed')]
assert spent <= float(sys.argv[2]), 'spent %.6f over the cap' % spent
assert na and done, '%d done, %d not attempted' % (len(done), len(na))
assert all(r['error_kind'] == 'budget' for r in na)
print('spent $%.5f in %d samples, %d not attempted' % (spent, len(done), len(na)))
PYEOF
) || exit 1
served=$(stop_sim)
leak=$(grep -rl "$key" "$WORK/run" "$WORK/run.log" "$WORK/dry.txt" "$SIM_LOG" 2>/dev/null)
[ -z "$leak" ] || fail "planted key found in: $leak"
echo "budget held at \$$cap with 5 providers x 32 in flight: $spent; $served requests sent"
