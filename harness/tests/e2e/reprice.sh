# reprice recomputes every cost from the kept usage with another dated price
# table, without a single request; prices import turns OpenRouter's model
# list into a provider file.
source "$(dirname "$0")/lib.sh"
start_sim
export TOKENBENCH_SIM_PORT=$SIM_PORT
"$TB" run --suite tasks/starter --providers providers/demo.json --limit 4 --out "$WORK/run" --quiet || fail "run exited $?"
stop_sim >/dev/null
$PY - providers/demo.json "$WORK/double.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
for p in d['providers']:
    for k in ('input', 'output', 'cached_input', 'cache_write'):
        p['price'][k] *= 2
    p['price']['as_of'] = '2027-01-01'
json.dump(d, open(sys.argv[2], 'w'))
PYEOF
"$TB" reprice "$WORK/run" --providers "$WORK/double.json" --out "$WORK/double" --quiet || fail "reprice exited $?"
$PY - "$WORK/run/samples.jsonl" "$WORK/double/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
a = {(r['task'], r['provider']): r for r in map(json.loads, open(sys.argv[1]))}
b = {(r['task'], r['provider']): r for r in map(json.loads, open(sys.argv[2]))}
assert a.keys() == b.keys()
for k in a:
    assert abs(b[k]['cost_usd'] - 2 * a[k]['cost_usd']) < 1e-12, (a[k], b[k])
    assert b[k]['repriced_from_usd'] == a[k]['cost_usd'] and b[k]['status'] == a[k]['status']
    assert b[k]['usage'] == a[k]['usage'] and b[k]['raw_usage'] == a[k]['raw_usage']
PYEOF
[ -s "$WORK/double/summary.json" ] && [ -s "$WORK/double/frontier.png" ] || fail "no report for the repriced run"
grep -q '"repriced"' "$WORK/double/run.json" || fail "run.json does not say it was repriced"
"$TB" prices import harness/tests/data/openrouter_models.json --as-of 2026-11-28 --out "$WORK/or.json" 2>"$WORK/imp.log" \
	|| fail "prices import exited $?: $(cat "$WORK/imp.log")"
grep -q "openrouter/auto' has no fixed per-token price" "$WORK/imp.log" || fail "a variable price was not skipped"
$PY - "$WORK/or.json" <<'PYEOF' || exit 1
import json, sys
ps = {p['name']: p for p in json.load(open(sys.argv[1]))['providers']}
assert set(ps) == {'claude-sonnet-4.5', 'deepseek-v3.2', 'qwen3-coder-free'}, ps.keys()
s = ps['claude-sonnet-4.5']['price']
assert (s['input'], s['output'], s['cached_input'], s['cache_write']) == (3, 15, 0.3, 3.75), s
d = ps['deepseek-v3.2']['price']
assert (d['input'], d['output'], d['cached_input'], d['cache_write']) == (0.28, 0.42, 0.028, 0), d
assert s['as_of'] == '2026-11-28' and s['source'].startswith('https://openrouter.ai/')
PYEOF
OPENROUTER_API_KEY=x "$TB" run --suite tasks/starter --providers "$WORK/or.json" --dry-run >/dev/null || fail "the imported file does not load"
echo "costs doubled by reprice with no request; prices import: 3 models, variable price skipped"
