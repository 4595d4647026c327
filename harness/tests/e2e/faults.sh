# Every fault the simulator can play, and what the harness records for it
# (preflight and the circuit breaker off: breaker.sh shows them at work):
# retried faults end as answers with more attempts; persistent ones as
# errors with their kind, never as model failures. Then --retry-errors runs
# only the errors again, and a key echoed by the provider is redacted. An
# error event inside a 200 stream is an infrastructure error, retried, with
# the cost an HTTP error has.
source "$(dirname "$0")/lib.sh"
$PY - "$WORK" <<'PYEOF'
import json, sys
work = sys.argv[1]
with open(work + '/suite.jsonl', 'w') as f:
    for i in range(3):
        f.write(json.dumps({'id': 'sum/%d' % i, 'kind': 'exact', 'difficulty': 1,
                            'prompt': 'What is %d + %d?' % (i, 2 * i), 'reference': str(3 * i)}) + '\n')
faults = [  # name, fault, provider extras
    ('f429', {'kind': '429', 'first_attempts': 1, 'retry_after': '1'}, {}),
    ('f429date', {'kind': '429', 'first_attempts': 1, 'retry_after': 'date'}, {}),
    ('f500', {'kind': '500', 'first_attempts': 2}, {}),
    ('f503always', {'kind': '503', 'rate': 1.0}, {}),
    ('freset', {'kind': 'reset', 'first_attempts': 1}, {}),
    ('fstall', {'kind': 'stall', 'first_attempts': 1}, {'timeout_s': 1}),
    ('ftruncate', {'kind': 'truncate', 'first_attempts': 1}, {'stream': True}),
    ('fmalformed', {'kind': 'malformed', 'first_attempts': 1}, {}),
    ('fnousage', {'kind': 'no_usage', 'rate': 1.0}, {}),
    ('fauth', {'kind': 'auth_echo', 'rate': 1.0}, {}),
    ('fstreamerr', {'kind': 'stream_error', 'rate': 1.0}, {'stream': True}),
]
def prov(name, fault, extra, faulty):
    p = {'name': name, 'protocol': 'openai', 'base_url': 'http://127.0.0.1:${TOKENBENCH_SIM_PORT}/v1',
         'model': name, 'api_key_env': 'TB_FAULT_KEY', 'max_concurrency': 4,
         'params': {'max_tokens': 256}, 'timeout_s': extra.get('timeout_s', 30),
         'price': {'input': 1, 'output': 2, 'as_of': '2026-11-28', 'source': 'test'},
         'sim': {'skill': 1.0, 'latency_ms': {'median': 30, 'sigma': 0}}}
    if extra.get('stream'):
        p['params']['stream'] = True
    if faulty:
        p['sim']['faults'] = [fault]
    return p
json.dump([prov(n, f, e, True) for n, f, e in faults], open(work + '/faulty.json', 'w'))
json.dump([prov(n, f, e, False) for n, f, e in faults], open(work + '/healthy.json', 'w'))
PYEOF
key=sk-fault-planted-$RANDOM$RANDOM
start_sim --profiles "$WORK/faulty.json" --suite "$WORK/suite.jsonl"
export TOKENBENCH_SIM_PORT=$SIM_PORT
TB_FAULT_KEY=$key "$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/faulty.json" --max-attempts 3 \
	--out "$WORK/run" --quiet --no-preflight --breaker 0 >"$WORK/run.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "exit $rc (want 1: finished with errors): $(tail -3 "$WORK/run.log")"
stop_sim >/dev/null
$PY - "$WORK/run/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
recs = {}
for r in map(json.loads, open(sys.argv[1])):
    recs.setdefault(r['provider'], []).append(r)
want = {  # provider: (status, kind, attempts)
    'f429': ('passed', None, 2), 'f429date': ('passed', None, 2), 'f500': ('passed', None, 3),
    'f503always': ('error', 'http_503', 3), 'freset': ('passed', None, 2), 'fstall': ('passed', None, 2),
    'ftruncate': ('passed', None, 2), 'fmalformed': ('passed', None, 2), 'fnousage': ('passed', None, 1),
    'fauth': ('error', 'http_401', 1), 'fstreamerr': ('error', 'stream_error', 3),
}
print('%-11s %-7s %-10s %s' % ('fault', 'status', 'error_kind', 'attempts'))
bad = []
for prov, (st, kind, att) in want.items():
    rs = recs.get(prov, [])
    got = sorted(set((r['status'], r.get('error_kind'), r['attempts']) for r in rs))
    print('%-11s %-7s %-10s %s' % (prov, ','.join(g[0] for g in got), ','.join(str(g[1]) for g in got),
                                   ','.join(str(g[2]) for g in got)))
    if len(rs) != 3 or got != [(st, kind, att)]:
        bad.append('%s: %s (want %s)' % (prov, got, (st, kind, att)))
nu = recs['fnousage'][0]
if nu['cost_source'] != 'estimate' or not nu.get('usage_estimated') or nu['usage']['output'] <= 0:
    bad.append('no usage block: %s' % nu)
ts = recs['ftruncate'][0]
if ts.get('ttft_ms') is None or ts['ttft_ms'] > ts['latency_ms']:
    bad.append('stream timing: %s' % ts)
# an error event in a 200 stream costs what an HTTP error costs
se, he = recs['fstreamerr'][0], recs['f503always'][0]
if se['cost_usd'] != he['cost_usd'] or se.get('cost_source') != he.get('cost_source'):
    bad.append('stream error cost %s/%s, HTTP error %s/%s' % (se['cost_usd'], se.get('cost_source'), he['cost_usd'], he.get('cost_source')))
if 'redacted' not in recs['fauth'][0]['detail']:
    bad.append('the echoed key was not redacted: %s' % recs['fauth'][0]['detail'])
if bad:
    print('FAIL: ' + '; '.join(bad)); sys.exit(1)
PYEOF
leak=$(grep -rl "$key" "$WORK/run" "$WORK/run.log" 2>/dev/null)
[ -z "$leak" ] || fail "the planted key reached: $leak"
# the provider recovers: --retry-errors asks again for the 9 errors and nothing else
start_sim --profiles "$WORK/healthy.json" --suite "$WORK/suite.jsonl"
export TOKENBENCH_SIM_PORT=$SIM_PORT
TB_FAULT_KEY=$key "$TB" run --retry-errors "$WORK/run" --quiet >"$WORK/retry.log" 2>&1 || fail "retry exited $?: $(tail -3 "$WORK/retry.log")"
served=$(stop_sim)
[ "$served" = 9 ] || fail "--retry-errors sent $served requests (want the 9 errors)"
left=$(count "$WORK/run/samples.jsonl" "r['status']=='error'")
[ "$(tail -n 9 "$WORK/run/samples.jsonl" | grep -c '"passed"')" = 9 ] || fail "retried samples did not pass"
echo "11 faults recorded as expected; --retry-errors re-ran exactly 9 samples; echoed key redacted"
