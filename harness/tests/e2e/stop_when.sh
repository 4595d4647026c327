# run --stop-when against the simulator: five providers with known true
# pass rates (the profiles' pass_rate, task correlation 0.5) on 300
# exact-answer tasks. A race stops asking the weak early, records what it
# did not ask as not_attempted / stopped_early, spends far less than the
# same run without the rule, and its report carries the decision; the same
# command again sends nothing; without --stop-when the rest is asked and
# the total is the full run's to the cent; decided:A,B on a large gap stops
# the whole run; an interrupted race resumes to the same decision; bad
# rules are refused with exit 2 before anything is written.
source "$(dirname "$0")/lib.sh"
export TB_STOP_KEY=unused
$PY - "$WORK" <<'PYEOF'
import json, sys
w = sys.argv[1]
with open(w + '/suite.jsonl', 'w') as f:
    for i in range(300):
        f.write(json.dumps({'id': 't%03d' % i, 'kind': 'exact', 'reference': '%d' % (2 * i + 7),
                            'prompt': 'What is %d plus %d? Answer with the number alone.' % (i, i + 7)}) + '\n')
ps = []
for name, rate, pin, pout in (('strong', 0.92, 3.0, 15.0), ('second', 0.62, 0.5, 2.0), ('mid', 0.45, 1.0, 4.0),
                              ('weak', 0.30, 0.8, 3.0), ('weakest', 0.15, 0.1, 0.4)):
    ps.append({'name': name, 'protocol': 'openai', 'base_url': 'http://127.0.0.1:${TOKENBENCH_SIM_PORT}/v1',
               'model': name, 'api_key_env': 'TB_STOP_KEY', 'max_concurrency': 8, 'params': {'max_tokens': 512},
               'price': {'input': pin, 'output': pout, 'as_of': '2026-12-01', 'source': 'test'},
               'sim': {'pass_rate': rate, 'latency_ms': {'median': 5, 'sigma': 0.2}}})
json.dump({'task_correlation': 0.5, 'providers': ps}, open(w + '/providers.json', 'w'))
PYEOF
# records(DIR): the last record of each sample of $WORK/DIR
cat >"$WORK/recs.py" <<'PYEOF'
import json, os
def records(d):
    out = {}
    for l in open(os.path.join(os.path.dirname(__file__), d, 'samples.jsonl')):
        r = json.loads(l)
        out[(r['task'], r['provider'], r['sample'])] = r
    return out
PYEOF
S=$WORK/suite.jsonl
P=$WORK/providers.json
run() { "$TB" run --suite "$S" --providers "$P" --quiet "$@"; }
no_overrule() { ! grep -q "held every provider back" "$@" || fail "the rules held every provider back: $(cat "$@")"; }

# bad rules: exit 2 with a message naming what is wrong, nothing written
while IFS='|' read -r args want; do
	# shellcheck disable=SC2086
	run --out "$WORK/bad" $args 2>"$WORK/err"
	rc=$?
	[ $rc = 2 ] && grep -qF -- "$want" "$WORK/err" || fail "$args: exit $rc, said: $(cat "$WORK/err") (want 2 and '$want')"
done <<'EOF'
--stop-when bogus|unknown rule 'bogus'
--stop-when decided:strong|'decided:strong': expected decided:A,B
--stop-when decided:strong,nobody|--stop-when decided:strong,nobody: no provider 'nobody' in this run
--stop-when race:margin=2x|margin '2x'
--stop-when width:0|width '0' is out of range
--stop-when race --shard 0/2|--stop-when does not go with --shard
--stop-when race --alpha 1.5|--alpha: '1.5' is not a level
EOF
[ ! -e "$WORK/bad" ] || fail "a refused run left $WORK/bad"

# the same run without a rule, then with a race: requests counted at the simulator
start_sim --profiles "$P" --suite "$S"
export TOKENBENCH_SIM_PORT=$SIM_PORT
run --out "$WORK/full" --no-report 2>"$WORK/full.err" || fail "the full run exited $?: $(cat "$WORK/full.err")"
served_full=$(stop_sim)
start_sim --profiles "$P" --suite "$S"
export TOKENBENCH_SIM_PORT=$SIM_PORT
run --out "$WORK/race" --stop-when race 2>"$WORK/race.err" || fail "the race exited $?: $(cat "$WORK/race.err")"
served_race=$(stop_sim)
no_overrule "$WORK/race.err"
$PY - "$WORK" "$served_full" "$served_race" <<'PYEOF' || exit 1
import json, sys
sys.path.insert(0, sys.argv[1])
from recs import records
w, served_full, served_race = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
full, race = records('full'), records('race')
assert len(full) == len(race) == 1500, (len(full), len(race))
spent = lambda rs: sum(r['cost_usd'] or 0 for r in rs.values())
stopped = [r for r in race.values() if r['status'] == 'not_attempted']
assert stopped and all(r['error_kind'] == 'stopped_early' for r in stopped), {r['error_kind'] for r in stopped}
assert all(r['detail'].startswith('--stop-when') for r in stopped), stopped[0]['detail']
assert not any(r['status'] == 'not_attempted' for r in full.values())
answered = {p: sum(1 for r in race.values() if r['provider'] == p and r['status'] in ('passed', 'failed'))
            for p in ('strong', 'second', 'mid', 'weak', 'weakest')}
for p in ('mid', 'weak', 'weakest'):
    assert answered[p] < 100, answered
assert answered['strong'] >= max(answered.values()), answered
# each run that plans requests first sends one preflight check per provider
assert served_race == sum(answered.values()) + 5 and served_full == 1500 + 5, (served_race, served_full, answered)
assert spent(race) < 0.5 * spent(full), (spent(race), spent(full))
run = json.load(open(w + '/race/run.json'))
st = run['stop']
assert st['stopped'] and st['tasks_planned'] == 300 and st['stopped_after_tasks'] < 300, st['words']
assert st['samples_not_asked'] == len(stopped) and st['usd_not_spent'] > 0, st
provs = {p['name']: p for p in st['providers']}
assert 'why' not in provs['strong'] and all('why' in provs[p] for p in ('mid', 'weak', 'weakest')), provs
assert provs['weakest']['dropped_after_tasks'] < st['stopped_after_tasks'], provs['weakest']
assert st['words'].startswith('stopped after %d tasks: strong is left' % st['stopped_after_tasks']), st['words']
md = open(w + '/race/report.md').read()
assert st['words'] in md, 'report.md lacks the decision'
html = open(w + '/race/report.html').read()
assert 'stopped early</dt><dd>stopped after %d tasks' % st['stopped_after_tasks'] in html, 'report.html lacks the decision'
summ = json.load(open(w + '/race/summary.json'))
assert summ['decision'] == st['words'] and all(p['anytime_low'] is not None for p in summ['providers']), summ['decision']
open(w + '/decision', 'w').write(st['words'].split(':')[0])
open(w + '/said', 'w').write('race: %d requests and $%.5f against %d and $%.5f without the rule (%s, %d samples not asked)'
      % (served_race - 5, spent(race), served_full - 5, spent(full), st['words'].split(':')[0], len(stopped)))
PYEOF

# the same command again asks nothing; without --stop-when, the rest
start_sim --profiles "$P" --suite "$S"
export TOKENBENCH_SIM_PORT=$SIM_PORT
lines=$(wc -l <"$WORK/race/samples.jsonl")
run --out "$WORK/race" --stop-when race --no-report 2>"$WORK/again.err" || fail "the race again exited $?: $(cat "$WORK/again.err")"
[ "$(wc -l <"$WORK/race/samples.jsonl")" = "$lines" ] || fail "the race again wrote records"
cp -r "$WORK/race" "$WORK/rest"
run --out "$WORK/rest" --no-report 2>"$WORK/rest.err" || fail "the rest exited $?: $(cat "$WORK/rest.err")"
served_again=$(stop_sim)
$PY - "$WORK" "$served_again" <<'PYEOF' || exit 1
import json, sys
sys.path.insert(0, sys.argv[1])
from recs import records
w, served = sys.argv[1], int(sys.argv[2])
race, rest, full = records('race'), records('rest'), records('full')
asked = sum(1 for r in race.values() if r['status'] == 'not_attempted')
# the race again plans nothing (no preflight either); the rest, its preflight and what was stopped
assert served == asked + 5, 'the race again and the rest sent %d requests; %d were stopped' % (served, asked)
assert not any(r['status'] == 'not_attempted' for r in rest.values())
cost = lambda rs: sum(r['cost_usd'] for r in rs.values())
assert abs(cost(rest) - cost(full)) < 1e-9, (cost(rest), cost(full))
assert all(rest[k]['status'] == full[k]['status'] for k in full), 'the finished race differs from the full run'
assert json.load(open(w + '/race/run.json'))['stop']['samples_not_asked'] == asked
PYEOF

# decided:A,B on a large gap stops the whole run (two samples a task: each task's before the next)
start_sim --profiles "$P" --suite "$S"
export TOKENBENCH_SIM_PORT=$SIM_PORT
run --out "$WORK/dec" --stop-when decided:weakest,strong --samples 2 --no-report 2>"$WORK/dec.err" >/dev/null ||
	fail "decided exited $?: $(cat "$WORK/dec.err")"
stop_sim >/dev/null
no_overrule "$WORK/dec.err"
$PY - "$WORK" <<'PYEOF' || exit 1
import json, sys
w = sys.argv[1]
st = json.load(open(w + '/dec/run.json'))['stop']
assert st['stopped'] and st['stopped_after_tasks'] < 60, st['words']
assert st['words'].startswith('stopped after %d tasks: strong is better: strong − weakest in [+'
                              % st['stopped_after_tasks']), st['words']
recs = [json.loads(l) for l in open(w + '/dec/samples.jsonl')]
for p in ('strong', 'second', 'mid', 'weak', 'weakest'):
    mine = [r for r in recs if r['provider'] == p]
    done = [r for r in mine if r['status'] in ('passed', 'failed')]
    assert len(mine) == 600 and 0 < len(done) < 150, (p, len(done))
    assert all(r['error_kind'] == 'stopped_early' for r in mine if r['status'] == 'not_attempted')
    # each task's samples before the next: the tasks answered run little past the decision
    tasks = {r['task'] for r in done}
    assert len(tasks) <= st['stopped_after_tasks'] + 8 and len(done) > 2 * (len(tasks) - 8), (p, len(tasks), len(done))
PYEOF

# interrupted mid-race, resumed: the same decision
start_sim --profiles "$P" --suite "$S" --latency-ms 400
export TOKENBENCH_SIM_PORT=$SIM_PORT
"$TB" run --suite "$S" --providers "$P" --quiet --out "$WORK/kill" --stop-when race --no-report 2>"$WORK/kill.err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
$PY - "$WORK" <<'PYEOF' || exit 1
import json, sys
w = sys.argv[1]
st = json.load(open(w + '/kill/run.json'))['stop']
recs = [json.loads(l) for l in open(w + '/kill/samples.jsonl')]
assert any(r.get('error_kind') == 'interrupted' for r in recs), 'the race ended before the interrupt'
assert not st['stopped'] and st['tasks_seen'] < 100, st['words']
PYEOF
run --out "$WORK/kill" --stop-when race --no-report 2>"$WORK/kill2.err" || fail "the resumed race exited $?: $(cat "$WORK/kill2.err")"
stop_sim >/dev/null
got=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["stop"]["words"].split(":")[0])' "$WORK/kill/run.json")
[ "$got" = "$(cat "$WORK/decision")" ] || fail "resumed: '$got', uninterrupted: '$(cat "$WORK/decision")'"
echo "$(cat "$WORK/said"); resumed after an interrupt: $got"
