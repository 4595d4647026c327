# The bash agent (--agent bash) on tasks/swe-starter against the simulator,
# both protocols: resolved samples, a wrong fix, format reminders counted as
# turns, each limit (turns, cost, time), per-turn figures that sum to the
# totals, the prompt cache from the second turn on and what it saved,
# `tokenbench show`, a run killed with SIGKILL and resumed without paying
# twice, and the run-wide budget across turns.
source "$(dirname "$0")/lib.sh"
"$TB" run --suite tasks/starter --providers providers/demo.json --agent bash --out "$WORK/refused" >"$WORK/refused.log" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "repository tasks only: task 'py/" "$WORK/refused.log" \
	|| fail "a function task was not refused (exit $rc): $(cat "$WORK/refused.log")"

# six simulated models, each made to show one thing
$PY - "$WORK/providers.json" <<'PYEOF'
import json, sys
def prov(name, protocol='openai', price=(0.1, 0.4, 0.025, 0.125), max_tokens=4096, latency=20, **agent):
    return {'name': name, 'protocol': protocol, 'model': name,
            'base_url': 'http://127.0.0.1:${TOKENBENCH_SIM_PORT}/v1', 'api_key_env': 'TOKENBENCH_SIM_KEY',
            'price': {'input': price[0], 'output': price[1], 'cached_input': price[2], 'cache_write': price[3],
                      'as_of': '2026-11-28', 'source': 'test'},
            'max_concurrency': 4, 'params': {'max_tokens': max_tokens},
            'sim': {'skill': 0.9, 'latency_ms': {'median': latency, 'sigma': 0},
                    'tokens': {'cache_min': 256}, 'agent': agent}}
json.dump({'providers': [
    prov('ag-good', wander=0, format_error=0, wrong_fix=0),
    prov('ag-claude', 'anthropic', wander=0, format_error=0.3, wrong_fix=0),
    prov('ag-wrong', wander=0, format_error=0, wrong_fix=1),
    prov('ag-wander', wander=1000, format_error=0, wrong_fix=0),
    prov('ag-pricey', price=(50, 200, 5, 62.5), max_tokens=1000, wander=3, format_error=0, wrong_fix=0),
    prov('ag-slow', latency=3000, wander=20, format_error=0, wrong_fix=0),
]}, open(sys.argv[1], 'w'), indent=1)
PYEOF
start_sim --profiles "$WORK/providers.json"
export TOKENBENCH_SIM_PORT=$SIM_PORT
args=(--suite tasks/swe-starter --providers "$WORK/providers.json" --agent bash --agent-turns 8 --agent-cost 0.6
      --agent-time 12 --limit 1 --seed 3 --out "$WORK/r")

# killed part-way (its sandboxes' scratch under $WORK, so that what SIGKILL
# leaves behind can be found and ended; the sandboxes' users pass through),
# then resumed
mkdir -p "$WORK/tmp"
chmod 711 "$WORK" "$WORK/tmp"
TMPDIR=$WORK/tmp "$TB" run "${args[@]}" --quiet >"$WORK/killed.log" 2>&1 &
pid=$!
for _ in $(seq 600); do
	n=$(cat "$WORK/r/logs"/*/*/*/trajectory.jsonl 2>/dev/null | grep -c '"action"')
	[ "${n:-0}" -ge 15 ] && break
	sleep 0.05
done
kill -9 $pid
wait $pid 2>/dev/null
for p in $(pgrep -f "$WORK/tmp/tokenbench"); do kill -9 "$p" 2>/dev/null; done
cp -r "$WORK/r/logs" "$WORK/logs-at-kill"
before=$( [ -f "$WORK/r/samples.jsonl" ] && wc -l <"$WORK/r/samples.jsonl" || echo 0)
[ "$before" -lt 6 ] || fail "the kill came after every sample had finished"
"$TB" run "${args[@]}" --quiet >"$WORK/resumed.log" 2>&1 || fail "resume exited $?: $(tail -3 "$WORK/resumed.log")"
"$TB" run "${args[@]}" >"$WORK/again.log" 2>&1
grep -q "0 requests planned (6 samples already in" "$WORK/again.log" || fail "a finished run asked again: $(cat "$WORK/again.log")"
served=$(stop_sim)

$PY - "$WORK" "$served" <<'PYEOF' || exit 1
import glob, json, os, sys
work, served = sys.argv[1], int(sys.argv[2])
recs = [json.loads(l) for l in open(work + '/r/samples.jsonl')]
by = {}
for r in recs:
    by.setdefault(r['provider'], []).append(r)
assert len(recs) == 6 and len({(r['task'], r['provider'], r['sample']) for r in recs}) == 6, len(recs)
assert all(r['agent'] == 'bash' for r in recs)
def reasons(p): return sorted((r['status'], r.get('fail_reason') or r.get('error_kind')) for r in by[p])
assert reasons('ag-good') == [('passed', None)], reasons('ag-good')
assert reasons('ag-claude') == [('passed', None)], reasons('ag-claude')
assert reasons('ag-wrong') == [('failed', 'tests_failed')], reasons('ag-wrong')
assert reasons('ag-wander') == [('failed', 'turn_limit')], reasons('ag-wander')
assert reasons('ag-pricey') == [('failed', 'cost_limit')], reasons('ag-pricey')
assert reasons('ag-slow') == [('failed', 'time_limit')], reasons('ag-slow')
for r in recs:
    pt = r['per_turn']
    # the per-turn figures sum to the record's totals
    assert r['turns'] == len(pt), (r['turns'], len(pt))
    for k in ('input', 'cached_input', 'cache_write', 'output', 'reasoning'):
        assert sum(t['usage'][k] for t in pt) == r['usage'][k], (k, r)
    assert abs(sum(t['cost_usd'] for t in pt) - r['cost_usd']) < 1e-9, r
    assert [t['turn'] for t in pt] == list(range(1, len(pt) + 1))
    assert r['end_reason'] == ('submitted' if r['status'] == 'passed' or r['fail_reason'].startswith('tests_')
                               else r['fail_reason']), r
    assert all(t['overhead_ms'] >= 0 and t['latency_ms'] > 0 for t in pt), pt
    if r['end_reason'] == 'submitted':
        assert r['edit_format'] == 'agent' and pt[-1]['action'] == 'submit', r
        d = '%s/r/logs/%s/%s/%d' % (work, r['provider'], r['task'].replace('/', '_'), r['sample'])
        patch = open(d + '/patch.diff').read()
        assert patch.startswith('diff --git'), patch[:200]
        assert 'tests/' not in ''.join(l for l in patch.splitlines(True) if l.startswith('+++')), 'test files in the patch'
    assert r['cost_usd'] <= 0.6, r
for r in by['ag-wander']:
    assert r['turns'] == 8, r
for r in by['ag-pricey']:
    assert 2 <= r['turns'] < 8, r
for r in by['ag-slow']:
    assert r['agent_ms'] >= 12000 and r['turns'] <= 6, r
# format reminders are turns of their own
fe = [t for r in by['ag-claude'] for t in r['per_turn'] if t['action'] == 'format_error']
assert fe, 'ag-claude never broke the format'
# the prompt cache: OpenAI reads the earlier prefix from the second turn on;
# Anthropic writes it at the breakpoints on the first and reads it on the second
for r in by['ag-good'] + by['ag-wrong']:
    pt = r['per_turn']
    assert pt[0]['usage']['cached_input'] == 0 and pt[1]['usage']['cached_input'] > 0, pt[:2]
    assert pt[1]['usage']['cached_input'] % 128 == 0 and all(t['usage']['cache_write'] == 0 for t in pt)
for r in by['ag-claude']:
    pt = r['per_turn']
    assert pt[0]['usage']['cache_write'] > 0 and pt[0]['usage']['cached_input'] == 0, pt[0]
    assert pt[1]['usage']['cached_input'] == pt[0]['usage']['cache_write'], pt[:2]
    assert all(t['usage']['cached_input'] > 0 for t in pt[1:]), pt
# resumed: a sample the kill interrupted replays the turns it had from the
# cache, paying nothing for them, and every request the simulator answered
# went into a turn of the records (or was in flight at the kill)
replayed = 0
for r in recs:
    path = '%s/logs-at-kill/%s/%s/%d/trajectory.jsonl' % (work, r['provider'], r['task'].replace('/', '_'), r['sample'])
    if not os.path.exists(path) or r.get('cached'):
        continue
    lines = [json.loads(l) for l in open(path) if l.endswith('\n')]
    done = [l for l in lines if l.get('turn', 0) > 0 and len(l.get('messages', [])) == 2]
    if any('end' in l for l in lines):
        continue  # it finished before the kill
    for t in r['per_turn'][:len(done)]:
        assert t.get('cached'), (r['task'], r['provider'], len(done), r['per_turn'])
    replayed += len(done)
assert replayed >= 5, 'only %d turns replayed' % replayed
turns = sum(r['turns'] for r in recs)
# beyond the turns: at most 6 lost to the kill, and the preflight checks (GET
# /v1/models/{id}) of the killed run (6 providers) and of the resumed one
# (the providers it still had samples of: 1 to 6)
assert turns + 7 <= served <= turns + 6 + 12, (served, turns)
s = json.load(open(work + '/r/summary.json'))
for p in s['providers']:
    a = p['agent']
    assert a['samples'] == 1 and a['turns_p50'] > 0 and a['tokens_per_turn'] > 0, p
    assert 0 < p['cache_hit_ratio'] < 1, p
    assert p['cache_saving_usd'] > 0, p
assert s['providers'][0]['agent']['cost_per_resolved'] > 0
print('%d records, %d turns, %d requests served, %d turns replayed from the cache after the kill'
      % (len(recs), turns, served, replayed))
PYEOF
grep -q "^## Agent (--agent bash)" "$WORK/r/report.md" || fail "no agent section in report.md"
grep -q "caching saved" "$WORK/r/report.md" || fail "no caching saving in report.md"
"$TB" report "$WORK/r" --format table | grep -q "turns p50/p90" || fail "no agent table in the report table"

# show: one trajectory, readably; clear errors when there is none
task=$($PY -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())['task'])" "$WORK/r/samples.jsonl")
"$TB" show "$WORK/r" "$task" --provider ag-good >"$WORK/show.txt" || fail "show exited $?"
for want in "turn 1  command" '$ ls' "exit code 0" "turn 2  command" '$ cat -n ' "│ " "turn 5  submit" \
	"end: submitted · passed" "patch: "; do
	grep -qF "$want" "$WORK/show.txt" || fail "show has no '$want': $(head -20 "$WORK/show.txt")"
done
# report.html shows the same trajectory, rendered by the same code, and the patch
$PY - "$WORK/r/report.html" "$WORK/show.txt" "$task" <<'PYEOF' || fail "report.html's trajectory is not show's"
import json, re, sys
page, show, task = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3]
d = json.loads(re.search(r'id="tb-data">(.*?)</script>', page, re.S).group(1))
t, p, np = d['tasks'].index(task), d['providers'].index('ag-good'), len(d['providers'])
row = sum(d['cells'][:t * np + p])  # the cell's first row: sample 0
x = d['samples'][row]
want = show[:show.rindex('\npatch: ') + 1]  # all but show's last line, the patch's path
import difflib; assert x['trajectory'] == want, ''.join(list(difflib.unified_diff(want.splitlines(1), x['trajectory'].splitlines(1)))[:30])
assert x['patch'].startswith('diff --git'), x.get('patch', '')[:100]
PYEOF
"$TB" show "$WORK/r" "$task" --provider ag-claude --sample 0 >"$WORK/show2.txt" || fail "show exited $?"
grep -qF "format error" "$WORK/show2.txt" || $PY -c "
import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if '\"ag-claude\"' in l and sys.argv[2] in l][0]
sys.exit(any(t['action'] == 'format_error' for t in r['per_turn']))" "$WORK/r/samples.jsonl" "$task" \
	|| fail "show does not show the format reminders: $(head -20 "$WORK/show2.txt")"
"$TB" show "$WORK/r" "$task" --provider ag-wander | grep -q "end: turn_limit · failed" || fail "show: no turn_limit end"
"$TB" show "$WORK/r" "$task" 2>"$WORK/err" && fail "show picked one of several providers"
grep -q "pick one with --provider" "$WORK/err" || fail "show: $(cat "$WORK/err")"
"$TB" show "$WORK/r" no/such-task 2>"$WORK/err"; [ $? = 2 ] && grep -q "no sample of task 'no/such-task'" "$WORK/err" || fail "show: $(cat "$WORK/err")"
"$TB" show "$WORK/r" "$task" --provider nobody 2>"$WORK/err"; grep -q "no trajectory by provider 'nobody'" "$WORK/err" || fail "show: $(cat "$WORK/err")"

# the run-wide budget holds across turns: what a turn may cost is reserved first
start_sim --profiles "$WORK/providers.json"
export TOKENBENCH_SIM_PORT=$SIM_PORT
$PY - "$WORK/providers.json" "$WORK/pricey.json" <<'PYEOF'
import json, sys
ps = json.load(open(sys.argv[1]))['providers']
json.dump([p for p in ps if p['name'] == 'ag-pricey'], open(sys.argv[2], 'w'))
PYEOF
"$TB" run --suite tasks/swe-starter --providers "$WORK/pricey.json" --agent bash --limit 1 --seed 3 --max-cost 1.5 \
	--quiet --out "$WORK/b" >"$WORK/b.log" 2>&1
stop_sim >/dev/null
$PY - "$WORK/b/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
spent = sum(r['cost_usd'] for r in recs if r['cost_usd'] is not None)
assert spent <= 1.5, spent
stopped = [r for r in recs if r['status'] == 'not_attempted']
assert stopped and all(r['error_kind'] == 'budget' and r['end_reason'] == 'budget' for r in stopped), recs
assert any(r['turns'] > 0 and r['cost_usd'] > 0 for r in stopped), 'the paid turns of a stopped sample were lost'
PYEOF
echo "agent: resolved, wrong fix, reminders, turn/cost/time limits, per-turn sums, cache on both protocols, show, kill and resume, budget"
