# Exports that load (issue 14): report --format csv writes one table per
# file (--out DIR) or prints one (--table NAME), and each loads with
# Python's csv module and with pandas, matching summary.json; costs
# estimated for want of a usage block are counted per provider in
# summary.json and marked in report.md and the terminal table.
source "$(dirname "$0")/lib.sh"
$PY -c 'import pandas' 2>/dev/null || skip "pandas is not installed (scripts/install-deps installs python3-pandas)"
$PY - "$WORK" <<'PYEOF'
import json, sys
work = sys.argv[1]
with open(work + '/suite.jsonl', 'w') as f:
    for i in range(6):
        f.write(json.dumps({'id': 'sum/%d' % i, 'kind': 'exact', 'difficulty': 1 + i % 3,
                            'prompt': 'What is %d + %d?' % (i, 2 * i), 'reference': str(3 * i)}) + '\n')
def prov(name, faults):
    return {'name': name, 'protocol': 'openai', 'base_url': 'http://127.0.0.1:${TOKENBENCH_SIM_PORT}/v1',
            'model': 'm-' + name.split(',')[0], 'api_key_env': 'TB_KEY', 'max_concurrency': 4,
            'params': {'max_tokens': 256}, 'timeout_s': 30,
            'price': {'input': 1, 'output': 2, 'as_of': '2026-12-04', 'source': 'test'},
            'sim': {'skill': 0.6, 'latency_ms': {'median': 20, 'sigma': 0}, 'faults': faults}}
json.dump([prov('plain', []), prov('no-usage, "quoted"', [{'kind': 'no_usage', 'rate': 1.0}])],
          open(work + '/providers.json', 'w'))
PYEOF
start_sim --profiles "$WORK/providers.json" --suite "$WORK/suite.jsonl"
export TOKENBENCH_SIM_PORT=$SIM_PORT
TB_KEY=k "$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/providers.json" --samples 2 --out "$WORK/run" \
	>"$WORK/run.log" 2>&1
rc=$?
[ $rc = 0 ] || fail "run exited $rc: $(tail -5 "$WORK/run.log")"
stop_sim >/dev/null
grep -q '12 est\.' "$WORK/run.log" || fail "the terminal table does not mark 12 estimated costs: $(head -8 "$WORK/run.log")"
grep -q '^Estimated costs: 12 samples (no-usage, "quoted" 12)' "$WORK/run.log" || fail "no estimates note in the table"
grep -q '12 est\.' "$WORK/run/report.md" || fail "report.md does not mark the estimated costs"
grep -q '^Estimated costs: 12 samples' "$WORK/run/report.md" || fail "report.md has no estimates note"

"$TB" report "$WORK/run" --format csv --out "$WORK/csv" >"$WORK/csv.out" || fail "report --out exited $?"
"$TB" report "$WORK/run" --format csv --table pairs >"$WORK/pairs-stdout.csv" || fail "report --table pairs exited $?"
"$TB" report "$WORK/run" --format csv >"$WORK/default.csv" || fail "report --format csv exited $?"
"$TB" report "$WORK/run" --format csv --table nosuch 2>"$WORK/bad.err" && fail "an unknown table was accepted"
grep -q "no table 'nosuch' (providers, pairs, pass_at_k, reasons)" "$WORK/bad.err" || fail "unknown table: $(cat "$WORK/bad.err")"
"$TB" report "$WORK/run" --format json --table pairs 2>/dev/null && fail "--table with --format json was accepted"
$PY - "$WORK" <<'PYEOF' || exit 1
import csv, json, sys
import pandas as pd
w = sys.argv[1]
summ = json.load(open(w + '/run/summary.json'))
listed = open(w + '/csv.out').read().split()
want = ['providers', 'pairs', 'pass_at_k', 'reasons']
if listed != ['%s/csv/%s.csv' % (w, t) for t in want]:
    sys.exit('--out listed %s' % listed)
bad = []
for t in want:
    path = '%s/csv/%s.csv' % (w, t)
    rows = list(csv.DictReader(open(path, newline='')))
    df = pd.read_csv(path)
    header = open(path).readline().strip().split(',')
    if list(df.columns) != header or len(df) != len(rows):
        bad.append('%s: pandas %s x %d, csv %d rows' % (t, list(df.columns), len(df), len(rows)))
    if any(None in r or None in r.values() for r in rows):
        bad.append('%s: a row with more or fewer fields than the header' % t)
    print('%-9s %d rows, %d columns' % (t, len(df), len(df.columns)))
prov = pd.read_csv(w + '/csv/providers.csv').set_index('name')
for p in summ['providers']:
    r = prov.loc[p['name']]
    for k in ('tasks', 'samples', 'passed', 'failed', 'errors', 'not_attempted', 'estimated_costs'):
        if int(r[k]) != p[k]:
            bad.append('providers.csv %s %s: %s, summary.json %s' % (p['name'], k, r[k], p[k]))
    if abs(r['pass_rate'] - p['pass_rate']) > 1e-6 or abs(r['cost_usd'] - p['cost_usd']) > 1e-9 * max(1, p['cost_usd']):
        bad.append('providers.csv %s: pass_rate/cost %s/%s' % (p['name'], r['pass_rate'], r['cost_usd']))
est = {p['name']: p['estimated_costs'] for p in summ['providers']}
if est != {'plain': 0, 'no-usage, "quoted"': 12}:
    bad.append('summary.json estimated_costs %s' % est)
pairs = pd.read_csv(w + '/csv/pairs.csv')
if len(pairs) != len(summ['pairs']) or abs(pairs['diff'][0] - summ['pairs'][0]['diff']) > 1e-6:
    bad.append('pairs.csv %s against summary.json %s' % (pairs.to_dict(), summ['pairs']))
if open(w + '/pairs-stdout.csv').read() != open(w + '/csv/pairs.csv').read():
    bad.append('--table pairs differs from pairs.csv')
if open(w + '/default.csv').read() != open(w + '/csv/providers.csv').read():
    bad.append('--format csv alone is not the providers table')
pk = pd.read_csv(w + '/csv/pass_at_k.csv')
if sorted(set(pk['k'])) != [1, 2] or len(pk) != 4:
    bad.append('pass_at_k.csv: %s' % pk.to_dict())
if bad:
    print('\n'.join(bad)); sys.exit(1)
PYEOF
grep -o '\$[0-9.]* \[\$[0-9.]*, \$[0-9.]*\]' "$WORK/run/report.md" | head -3
echo "4 CSV tables load with csv and pandas and agree with summary.json; 12 estimated costs counted and marked"
