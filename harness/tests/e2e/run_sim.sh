# A full run against the simulator on loopback, then the same command again
# (nothing is requested twice) and a fresh directory sharing the cache (the
# same records, no request but preflight's checks).
source "$(dirname "$0")/lib.sh"
start_sim
export TOKENBENCH_SIM_PORT=$SIM_PORT
args=(--suite tasks/starter --providers providers/demo.json --samples 2 --limit 8 --seed 7)
"$TB" run "${args[@]}" --out "$WORK/a" --quiet
rc=$?
[ $rc = 0 ] || fail "run exited $rc"
n=$(count "$WORK/a/samples.jsonl" "True")
[ "$n" = 80 ] || fail "$n records (want 8 tasks x 5 providers x 2 samples = 80)"
bad=$(count "$WORK/a/samples.jsonl" "r['status'] not in ('passed','failed')")
[ "$bad" = 0 ] || fail "$bad records are neither passed nor failed"
for f in samples.jsonl summary.json report.md frontier.png frontier.svg run.json; do
	[ -s "$WORK/a/$f" ] || fail "no $f"
done
$PY - "$WORK/a" <<'PYEOF' || exit 1
import json, sys, xml.dom.minidom
d = sys.argv[1]
png = open(d + '/frontier.png', 'rb').read()
assert png[:8] == b'\x89PNG\r\n\x1a\n' and len(png) > 10000, 'frontier.png is not a real chart'
xml.dom.minidom.parse(d + '/frontier.svg')
s = json.load(open(d + '/summary.json'))
for p in s['providers']:
    for k in ('name', 'tasks', 'samples', 'passed', 'failed', 'errors', 'not_attempted', 'pass_rate',
              'ci_low', 'ci_high', 'ci_method', 'cost_usd', 'cost_per_task', 'cost_per_solved'):
        assert k in p, 'summary provider lacks ' + k
    assert p["tasks"] == 8 and p["samples"] == 16, p
    assert p['ci_low'] <= p['pass_rate'] <= p['ci_high']
assert 'pairs' in s and 'frontier' in s
assert any(p['on_frontier'] for p in s['providers'])
rates = sorted(p['pass_rate'] for p in s['providers'])
assert rates[0] < rates[-1], 'every simulated model scored the same'
for l in open(d + '/samples.jsonl'):
    r = json.loads(l)
    for k in ('task', 'provider', 'sample', 'status', 'usage', 'cost_usd', 'cost_source', 'latency_ms', 'attempts', 'cluster'):
        assert k in r, 'record lacks ' + k
    u = r['usage']
    assert u['output'] >= u['reasoning'] >= 0 and u['input'] > 0
    assert r['cost_source'] == 'price_table' and r['cost_usd'] > 0
run = json.load(open(d + '/run.json'))
assert run['providers']['sha256'] and run['suites'][0]['sha256'] and run['seed'] == 7
PYEOF
"$TB" report "$WORK/a" --format csv | head -1 | grep -q '^name,model,tasks' || fail "report --format csv"
"$TB" report "$WORK/a" --format md | grep -q '^| provider |' || fail "report --format md"
# the same command again: everything is already there
"$TB" run "${args[@]}" --out "$WORK/a" --quiet || fail "rerun exited non-zero"
n2=$(count "$WORK/a/samples.jsonl" "True")
[ "$n2" = 80 ] || fail "rerun added records: $n2"
# a new directory sharing the first cache: no requests, same records
"$TB" run "${args[@]}" --out "$WORK/b" --cache "$WORK/a/cache" --quiet || fail "cached run exited $?: $(grep -v passed "$WORK/b/samples.jsonl" | grep -v failed | head -3)"
served=$(stop_sim)
# the 80 samples once, and each of the two runs that planned requests checked
# its 5 providers first (preflight: GET /v1/models/{id}); the rerun planned none
[ "$served" = 90 ] || fail "the simulator served $served requests (want 80 + 2 x 5 preflight checks)"
$PY - "$WORK/a/samples.jsonl" "$WORK/b/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
def load(f):
    out = {}
    for l in open(f):
        r = json.loads(l)
        for k in ('time', 'test_ms', 'cached', 'test_reused'):  # how it was scored, not what
            r.pop(k, None)
        out[(r['task'], r['provider'], r['sample'])] = r
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
assert a.keys() == b.keys(), 'different samples'
diff = [k for k in a if a[k] != b[k]]
assert not diff, "records differ: %s" % ([(k, {f: (a[k].get(f), b[k].get(f)) for f in set(a[k]) | set(b[k]) if a[k].get(f) != b[k].get(f)}) for k in diff[:3]],)
cached = sum(1 for l in open(sys.argv[2]) if json.loads(l).get('cached'))
assert cached == 80, '%d records marked cached' % cached
PYEOF
echo "80 samples, rerun added none, cached copy identical; simulator served $served requests"
