# Hostile providers (issue 15): a server of ours on loopback
# (tests/data/hostile_server.py) reports impossible token counts and costs,
# sends a gzip bomb and an endless SSE line, stalls a stream after
# thousands of bytes, and echoes the API key in every place it can. Every
# outcome is asserted: no negative or non-finite cost anywhere (records,
# summary, report, progress), usage refused and estimated with the reason
# recorded, peak memory under the bomb below 100 MB, nothing of it cached,
# a stalled stream never free, no overspend at --max-cost, absurd
# max_tokens refused with file and field, and no byte of the key on disk.
source "$(dirname "$0")/lib.sh"
# HOSTILE_KEEP=DIR: work in DIR and leave it (to look at what a run kept)
if [ -n "${HOSTILE_KEEP:-}" ]; then
	rm -rf "$WORK"
	WORK=$HOSTILE_KEEP
	mkdir -p "$WORK"
	trap 'for p in $BG_PIDS; do kill "$p" 2>/dev/null; done' EXIT
fi
SERVED=$WORK/served.log
start_hostile "$SERVED"
KEY=sk-hostile-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')-Zq9
export HOSTILE_KEY=$KEY

cat >"$WORK/suite.jsonl" <<'EOF'
{"id": "h1", "kind": "exact", "prompt": "Answer with 42 and nothing else.", "reference": "42"}
{"id": "h2", "kind": "exact", "prompt": "What is six times seven? Only the number.", "reference": "42"}
EOF

# providers WHAT FILE: one provider a case, named <protocol>-<case>
providers() {
	$PY - "$1" "$2" <<'PYEOF'
import json, sys
what, out = sys.argv[1:3]
def prov(proto, case, **kw):
    p = {'name': proto[:2] + '-' + case, 'protocol': proto, 'model': case,
         'base_url': 'http://127.0.0.1:${HOSTILE_PORT}/v1', 'api_key_env': 'HOSTILE_KEY',
         'price': {'input': 1, 'output': 2, 'as_of': '2026-12-04', 'source': 'test'},
         'max_concurrency': 4, 'timeout_s': 20, 'params': {'max_tokens': 64}}
    p.update(kw)
    return p
stream = {'max_tokens': 64, 'stream': True}
ps = []
if what == 'main':
    for case in ['usage-1e308', 'usage-1e19', 'usage-neg', 'usage-str', 'echo-key', 'echo-key-error']:
        ps += [prov('openai', case), prov('anthropic', case)]
    for case in ['cost-1e308', 'cost-neg', 'byok-neg', 'byok-huge', 'echo-key-error-short']:
        ps.append(prov('openai', case))
    ps += [prov('openai', 'echo-key-sse', params=stream), prov('anthropic', 'echo-key-sse', params=stream),
           prov('openai', 'stall-stream', params=stream, timeout_s=1.5),
           prov('anthropic', 'stall-stream', params=stream, timeout_s=1.5)]
    # a name that would forge a column in a markdown table
    ps.append(dict(prov('openai', 'plain'), name='op-pipe|forged'))
elif what == 'memory':
    ps = [prov('openai', 'gzip-bomb'), prov('openai', 'sse-longline', params=stream),
          prov('anthropic', 'sse-longline', params=stream)]
elif what == 'dollar':
    # $10 a million output tokens, answers of 100,000 tokens: $1 each, worst case a little more
    ps = [prov('openai', 'dollar', params={'max_tokens': 100000}, max_concurrency=8,
               price={'input': 1, 'output': 10, 'as_of': '2026-12-04', 'source': 'test'})]
elif what == 'absurd':
    ps = [prov('openai', 'dollar', params={'max_tokens': 1e19})]
elif what == 'huge':
    ps = [prov('openai', 'dollar', params={'max_tokens': 1000000000}, max_concurrency=8,
               price={'input': 1, 'output': 10, 'as_of': '2026-12-04', 'source': 'test'})]
json.dump({'providers': ps}, open(out, 'w'), indent=1)
PYEOF
}

# no_bad_cost DIR LOG: no negative, infinite or NaN cost in the records, the
# summary, the report or the progress/log output
no_bad_cost() {
	$PY - "$1" "$2" <<'PYEOF' || exit 1
import json, math, re, sys
d, log = sys.argv[1:3]
recs = [json.loads(l) for l in open(d + '/samples.jsonl')]
for r in recs:
    c = r.get('cost_usd')
    assert c is None or (math.isfinite(c) and c >= 0), 'record cost %r: %s' % (c, r['provider'])
    for k, v in (r.get('usage') or {}).items():
        assert isinstance(v, int) and 0 <= v <= 1e9, 'usage %s %r: %s' % (k, v, r['provider'])
def walk(o, path):
    if isinstance(o, dict):
        for k, v in o.items():
            walk(v, path + '.' + k)
    elif isinstance(o, list):
        for i, v in enumerate(o):
            walk(v, '%s[%d]' % (path, i))
    elif isinstance(o, float) or isinstance(o, int):
        if 'cost' in path:
            assert math.isfinite(o) and o >= 0, 'summary%s = %r' % (path, o)
walk(json.load(open(d + '/summary.json')), '')
for name in ('report.md', log):
    text = open(d + '/' + name if name == 'report.md' else name, errors='replace').read()
    bad = re.findall(r'\$-|-\$|\$\s*(?:inf|nan)|\binf\b|\bnan\b', text, re.I)
    assert not bad, '%s shows %r' % (name, bad[:3])
PYEOF
}

# (--no-preflight: the preflight's own requests are not what is counted here)
# ---- impossible counts and costs, the key echoed, a stalled stream
providers main "$WORK/main.json"
"$TB" run --no-preflight --suite "$WORK/suite.jsonl" --providers "$WORK/main.json" --samples 1 --max-attempts 2 \
	--out "$WORK/main" >"$WORK/main.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "the hostile run exited $rc (want 1: errors recorded): $(tail -5 "$WORK/main.log")"
no_bad_cost "$WORK/main" "$WORK/main.log"
$PY - "$WORK/main/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
recs = {}
for l in open(sys.argv[1]):
    r = json.loads(l)
    recs.setdefault(r['provider'], []).append(r)
def each(name):
    assert name in recs and len(recs[name]) == 2, 'no records of %s' % name
    return recs[name]
for proto in ('op', 'an'):
    for case in ('usage-1e308', 'usage-1e19', 'usage-neg', 'usage-str'):
        for r in each(proto + '-' + case):
            assert r['status'] == 'passed', '%s: %s' % (r['provider'], r['status'])
            assert r.get('usage_estimated') and r['cost_source'] == 'estimate', r
            assert 'usage' in (r.get('rejected') or ''), 'no reason recorded: %r' % r
    for r in each(proto + '-stall-stream'):
        assert r['status'] == 'error' and r['error_kind'] == 'timeout', r
        assert r['cost_usd'] and r['cost_usd'] > 0 and r['cost_source'] == 'worst_case', \
            'a stream cut short after thousands of bytes costs %r' % r['cost_usd']
for case in ('cost-1e308', 'cost-neg', 'byok-neg', 'byok-huge'):
    for r in each('op-' + case):
        assert r['cost_source'] == 'price_table' and 'cost' in (r.get('rejected') or ''), r
        assert abs(r['cost_usd'] - (20 * 1 + 5 * 2) / 1e6) < 1e-12, r['cost_usd']
for name in ('op-echo-key-error', 'an-echo-key-error', 'op-echo-key-error-short'):
    for r in each(name):
        assert r['status'] == 'error' and r['error_kind'] == 'http_400', r
        assert r['detail'].startswith('HTTP 400: xxx'), r['detail'][:40]
assert all(r['status'] == 'passed' for r in each('op-pipe|forged'))
print('counts and costs refused and recorded for %d providers' % len(recs))
PYEOF

grep -q 'op-pipe\\|forged' "$WORK/main/report.md" || fail "report.md does not escape a '|' in a name"
! grep -q 'op-pipe|forged' "$WORK/main/report.md" || fail "report.md shows a raw '|' in a name"

# ---- memory: a gzip bomb (1 MB that inflates to 1 GiB) and 100 MB SSE lines
providers memory "$WORK/memory.json"
rss=$($PY - "$TB" "$WORK" <<'PYEOF'
import resource, subprocess, sys
tb, work = sys.argv[1:3]
with open(work + '/memory.log', 'w') as log:
    rc = subprocess.call([tb, 'run', '--no-preflight', '--suite', work + '/suite.jsonl', '--providers', work + '/memory.json',
                          '--samples', '1', '--out', work + '/memory'], stdout=log, stderr=log, timeout=120)
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PYEOF
) || fail "the memory run did not finish"
read -r mem_rc rss_mb <<<"$rss"
[ "$mem_rc" = 1 ] || fail "the memory run exited $mem_rc (want 1): $(tail -5 "$WORK/memory.log")"
[ "$rss_mb" -lt 100 ] || fail "peak RSS under the gzip bomb: $rss_mb MB (want < 100)"
no_bad_cost "$WORK/memory" "$WORK/memory.log"
$PY - "$WORK/memory/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 6, '%d records' % len(recs)
for r in recs:
    assert r['status'] == 'error' and r['error_kind'] == 'response_too_large', r
    assert r['attempts'] == 1 and not r.get('response_key'), 'retried or cached: %r' % r
    assert r['cost_usd'] > 0 and r['cost_source'] == 'worst_case', r
PYEOF
big=$(find "$WORK/memory" -type f -size +9M)
[ -z "$big" ] || fail "a file above the response limit was kept: $big"
bomb_mb=$(du -sm "$WORK/memory" | cut -f1)

# ---- the budget: absurd max_tokens refused; $1 answers stop at --max-cost 3
providers absurd "$WORK/absurd.json"
"$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/absurd.json" --dry-run --max-cost 3 >"$WORK/absurd.log" 2>&1
rc=$?
[ $rc = 2 ] || fail "max_tokens 1e19: --dry-run exited $rc (want 2): $(cat "$WORK/absurd.log")"
grep -q "absurd.json: provider 1: params: 'max_tokens'" "$WORK/absurd.log" ||
	fail "the refusal does not name the file and field: $(cat "$WORK/absurd.log")"
providers huge "$WORK/huge.json"
"$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/huge.json" --dry-run >"$WORK/huge.log" 2>&1 ||
	fail "--dry-run with max_tokens 1e9 failed: $(cat "$WORK/huge.log")"
total=$(awk '/^total/ {print $NF}' "$WORK/huge.log" | tr -d '$')
$PY -c "import math,sys; t=float(sys.argv[1]); assert math.isfinite(t) and t >= 2 * 1e9 * 10 / 1e6, t" "$total" ||
	fail "--dry-run's worst case with max_tokens 1e9: '$total'"
for i in $(seq 3 10); do
	echo "{\"id\": \"h$i\", \"kind\": \"exact\", \"prompt\": \"Answer $i.\", \"reference\": \"42\"}"
done >>"$WORK/suite.jsonl"
providers dollar "$WORK/dollar.json"
before=$(grep -c '^dollar$' "$SERVED")
"$TB" run --no-preflight --suite "$WORK/suite.jsonl" --providers "$WORK/dollar.json" --max-cost 3 --samples 1 \
	--out "$WORK/dollar" >"$WORK/dollar.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "the budget run exited $rc (want 1: samples not attempted)"
sent=$(($(grep -c '^dollar$' "$SERVED") - before))
spent=$($PY - "$WORK/dollar/samples.jsonl" <<'PYEOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
spent = sum(r['cost_usd'] or 0 for r in recs)
assert spent <= 3, 'spent $%.4f over --max-cost 3' % spent
na = [r for r in recs if r['status'] == 'not_attempted']
assert len(recs) == 10 and na and all(r['error_kind'] == 'budget' for r in na), [r['status'] for r in recs]
print('%.4f' % spent)
PYEOF
) || exit 1
[ "$sent" -le 3 ] || fail "$sent requests of \$1 sent under --max-cost 3"
"$TB" run --no-preflight --suite "$WORK/suite.jsonl" --providers "$WORK/huge.json" --max-cost 3 --samples 1 \
	--out "$WORK/huge" >>"$WORK/huge.log" 2>&1
[ "$(grep -c '^dollar$' "$SERVED")" = $((before + sent)) ] || fail "a request whose worst case is \$10,000 was sent under --max-cost 3"

# ---- not one byte of the key on disk: whole, or any 12 of its characters
leaks=$($PY - "$KEY" "$WORK" <<'PYEOF'
import os, sys
key, work = sys.argv[1], sys.argv[2]
parts = {key[i:i + 12] for i in range(0, len(key) - 11)}
found = []
for root, _, files in os.walk(work):
    for f in files:
        p = os.path.join(root, f)
        if p.endswith('.json') and os.path.dirname(p) == work:
            continue  # our provider files
        data = open(p, 'rb').read()
        hit = [s for s in parts if s.encode() in data]
        if hit:
            found.append('%s (%s)' % (p, hit[0]))
print('\n'.join(found))
PYEOF
)
[ -z "$leaks" ] || fail "the key reached disk: $leaks"
echo "hostile: counts and costs refused, peak RSS ${rss_mb} MB under a 1 GiB gzip bomb (run dir ${bomb_mb} MB), \$$spent spent of \$3 in $sent requests, no key byte in $(find "$WORK" -type f | wc -l) files"
