# A dead or misconfigured provider fails fast (issue 22).
# Preflight: a closed loopback port, a key refused on every request (401,
# the key echoed and redacted), a model the provider does not know (404,
# OpenAI's and Anthropic's shapes) stop the run before any sample is sent
# (exit 2), each with the provider's message; a server without the models
# endpoint is checked with a one-token completion instead. With
# --skip-failed-providers the others run and theirs are not_attempted
# (preflight). The circuit breaker: a provider that dies after 50 good
# answers, and (without preflight) the same three failures met mid-run, are
# paused, probed and given up (provider_down) while the others finish;
# --retry-errors asks those samples again. Then a 2,000-task plan against a
# dead provider, three ways, and the bash agent's provider dying
# mid-trajectory. Times are measured and printed, not asserted.
source "$(dirname "$0")/lib.sh"
dead=$(free_port) # nothing listens there
$PY - "$WORK" "$dead" <<'PYEOF'
import json, sys
work, dead = sys.argv[1], sys.argv[2]
def suite(path, n):
    with open(path, 'w') as f:
        for i in range(n):
            f.write(json.dumps({'id': 'sum/%d' % i, 'kind': 'exact', 'difficulty': 1,
                                'prompt': 'What is %d + %d?' % (i, 2 * i), 'reference': str(3 * i)}) + '\n')
suite(work + '/suite.jsonl', 100)
suite(work + '/big.jsonl', 2000)
def prov(name, faults=None, port='${TOKENBENCH_SIM_PORT}', sim=None, proto='openai', conc=4):
    p = {'name': name, 'protocol': proto, 'base_url': 'http://127.0.0.1:%s/v1' % port, 'model': name,
         'api_key_env': 'TB_BREAKER_KEY', 'max_concurrency': conc, 'params': {'max_tokens': 256},
         'price': {'input': 1, 'output': 2, 'as_of': '2026-12-04', 'source': 'test'},
         'sim': {'skill': 1.0, 'latency_ms': {'median': 10, 'sigma': 0}}}
    if faults:
        p['sim']['faults'] = faults
    p['sim'].update(sim or {})
    return p
bad = [prov('refused', port=dead), prov('auth', [{'kind': 'auth_echo', 'rate': 1.0}]),
       prov('nomodel', [{'kind': 'no_model'}]), prov('anthro-nomodel', [{'kind': 'no_model'}], proto='anthropic')]
healthy = [prov('refused', port=dead), prov('auth'), prov('nomodel'), prov('anthro-nomodel', proto='anthropic')]
good = [prov('good'), prov('noendpoint', sim={'models_endpoint': False})]
json.dump(good + bad, open(work + '/pre.json', 'w'))
json.dump(good + healthy, open(work + '/pre-healthy.json', 'w'))
json.dump([prov('good'), prov('dies', [{'kind': 'down', 'after_answers': 50}])], open(work + '/dies.json', 'w'))
json.dump([prov('dead', port=dead, conc=100)], open(work + '/dead.json', 'w'))
ag = prov('ag-dies', [{'kind': 'down', 'after_answers': 3}], conc=2,
          sim={'skill': 0.9, 'agent': {'wander': 6, 'format_error': 0, 'wrong_fix': 0}})
ag['params']['max_tokens'] = 4096
json.dump([ag], open(work + '/agent.json', 'w'))
PYEOF
export TB_BREAKER_KEY=sk-breaker-planted-$RANDOM$RANDOM
now() { date +%s.%N; }
secs() { $PY -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }
# stamp: each line of standard input with the seconds since $T0
stamp() { while IFS= read -r l; do printf '%s %s\n' "$(now)" "$l"; done; }
# at FILE PATTERN: when the first line matching PATTERN was written, in seconds since T0
at() { $PY - "$1" "$2" "$T0" <<'PYEOF'
import re, sys
for l in open(sys.argv[1]):
    t, _, text = l.partition(' ')
    if re.search(sys.argv[2], text):
        print('%.1f' % (float(t) - float(sys.argv[3]))); break
else:
    print('never')
PYEOF
}
# all_20 FILE KIND WHAT: the good providers passed their 20 samples, the
# four bad ones have 20 not_attempted with error_kind KIND, none failed
all_20() {
	for p in good noendpoint; do
		[ "$(count "$1" "r['provider']=='$p' and r['status']=='passed'")" = 20 ] || fail "$3: $p was held up"
	done
	for p in refused auth nomodel anthro-nomodel; do
		[ "$(count "$1" "r['provider']=='$p' and r['status']=='not_attempted' and r['error_kind']=='$2'")" = 20 ] \
			|| fail "$3: $p: $(grep "\"$p\"" "$1" | cut -c1-300 | head -2)"
	done
}
start_sim --profiles "$WORK/pre.json" --suite "$WORK/suite.jsonl"
export TOKENBENCH_SIM_PORT=$SIM_PORT

# ---- 1. preflight stops the run: nothing sent, each failure named
T0=$(now)
"$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/pre.json" --limit 20 --out "$WORK/pre" >"$WORK/pre.log" 2>&1
rc=$?
t_pre=$(secs "$T0" "$(now)")
[ $rc = 2 ] || fail "preflight: exit $rc (want 2): $(tail -3 "$WORK/pre.log")"
[ ! -s "$WORK/pre/samples.jsonl" ] || fail "preflight: samples were recorded: $(head -2 "$WORK/pre/samples.jsonl")"
for want in "provider 'refused' failed preflight: GET http://127.0.0.1:$dead/v1/models/refused: .*onnect" \
	"provider 'auth' failed preflight: HTTP 401 .*Incorrect API key provided: \[redacted\]" \
	"provider 'nomodel' failed preflight: HTTP 404 .*does not exist" \
	"provider 'anthro-nomodel' failed preflight: HTTP 404 .*model: anthro-nomodel" \
	"preflight: provider 'noendpoint': checked with a one-token completion" "no sample was sent"; do
	grep -q "$want" "$WORK/pre.log" || fail "preflight: no line matching \"$want\": $(cat "$WORK/pre.log")"
done
! grep -rq "$TB_BREAKER_KEY" "$WORK/pre.log" "$WORK/pre" || fail "the key was printed or written"
$PY - "$WORK/pre/run.json" <<'PYEOF' || fail "run.json's preflight"
import json, sys
pf = json.load(open(sys.argv[1]))['preflight']
got = {p['provider']: (p['ok'], p['method']) for p in pf['providers']}
assert got == {'good': (True, 'models'), 'noendpoint': (True, 'completion'), 'refused': (False, 'models'),
               'auth': (False, 'models'), 'nomodel': (False, 'models'), 'anthro-nomodel': (False, 'models')}, got
ne = [p for p in pf['providers'] if p['provider'] == 'noendpoint'][0]
assert ne['usage']['output'] == 1 and ne['cost_usd'] > 0 and 'Invalid URL' in ne['fallback'], ne
assert abs(pf['cost_usd'] - ne['cost_usd']) < 1e-12, pf
PYEOF

# ---- 2. --skip-failed-providers: the others run, theirs not_attempted (preflight)
T0=$(now)
"$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/pre.json" --limit 20 --out "$WORK/skip" \
	--skip-failed-providers --quiet >"$WORK/skip.log" 2>&1
rc=$?
t_skip=$(secs "$T0" "$(now)")
[ $rc = 1 ] || fail "--skip-failed-providers: exit $rc (want 1): $(tail -3 "$WORK/skip.log")"
all_20 "$WORK/skip/samples.jsonl" preflight "--skip-failed-providers"
grep -q "| anthro-nomodel | preflight 20 |" "$WORK/skip/report.md" || fail "report.md does not list the providers left out"

# ---- 3. the breaker: a provider that dies after 50 good answers
stop_sim >/dev/null
start_sim --profiles "$WORK/dies.json" --suite "$WORK/suite.jsonl"
export TOKENBENCH_SIM_PORT=$SIM_PORT
T0=$(now)
"$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/dies.json" --out "$WORK/dies" --breaker-wait 3 --no-report \
	2>&1 | stamp >"$WORK/dies.log"
rc=${PIPESTATUS[0]}
t_dies=$(secs "$T0" "$(now)")
[ $rc = 1 ] || fail "dies: exit $rc (want 1): $(tail -3 "$WORK/dies.log")"
f=$WORK/dies/samples.jsonl
[ "$(count "$f" "r['provider']=='good' and r['status']=='passed'")" = 100 ] || fail "the good provider was held up"
[ "$(count "$f" "r['provider']=='dies' and r['status']=='passed'")" = 50 ] || fail "dies: not 50 answers before it died"
[ "$(count "$f" "r['provider']=='dies' and r['status']=='failed'")" = 0 ] || fail "dies: samples recorded failed"
down=$(count "$f" "r['provider']=='dies' and r['status']=='not_attempted' and r['error_kind']=='provider_down' and 'dies' in r['detail']")
errs=$(count "$f" "r['provider']=='dies' and r['status']=='error'")
[ "$down" -gt 0 ] && [ $((down + errs)) = 50 ] || fail "dies: $down provider_down, $errs errors (want 50 in all)"
grep -q "warning: provider 'dies' paused after 20 failures in a row (connection: " "$WORK/dies.log" || fail "no pause message"
grep -q "'dies' down (connection: " "$WORK/dies.log" || fail "the progress line does not say dies is down"
t_paused=$(at "$WORK/dies.log" "provider 'dies' paused")
t_down=$(at "$WORK/dies.log" "provider 'dies' down")

# ---- 4. without preflight, the same failures met mid-run: paused, probed, given up
stop_sim >/dev/null
start_sim --profiles "$WORK/pre.json" --suite "$WORK/suite.jsonl"
export TOKENBENCH_SIM_PORT=$SIM_PORT
T0=$(now)
"$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/pre.json" --limit 20 --out "$WORK/mid" --no-preflight \
	--breaker-wait 2 --no-report 2>&1 | stamp >"$WORK/mid.log"
rc=${PIPESTATUS[0]}
t_mid=$(secs "$T0" "$(now)")
[ $rc = 1 ] || fail "mid-run: exit $rc (want 1): $(tail -3 "$WORK/mid.log")"
f=$WORK/mid/samples.jsonl
all_20 "$f" provider_down "mid-run"
! grep -rq "$TB_BREAKER_KEY" "$WORK/mid.log" "$WORK/mid" || fail "mid-run: the key was printed or written"

# ---- 5. --retry-errors asks the provider_down samples again, the providers mended
stop_sim >/dev/null
cp "$WORK/pre-healthy.json" "$WORK/pre.json"
start_sim --profiles "$WORK/pre.json" --suite "$WORK/suite.jsonl"
export TOKENBENCH_SIM_PORT=$SIM_PORT
"$TB" run --retry-errors "$WORK/mid" --quiet >"$WORK/retry.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "retry: exit $rc (want 1: refused is still down): $(tail -3 "$WORK/retry.log")"
for p in auth nomodel anthro-nomodel; do
	[ "$(count "$f" "r['provider']=='$p' and r['status']=='passed'")" = 20 ] || fail "retry: $p not asked again"
done
[ "$(count "$f" "r['provider']=='refused' and r['status']=='not_attempted' and r['error_kind']=='provider_down'")" -ge 20 ] \
	|| fail "retry: refused"

# ---- 6. a 2,000-task plan against a dead provider
T0=$(now)
"$TB" run --suite "$WORK/big.jsonl" --providers "$WORK/dead.json" --out "$WORK/big1" >"$WORK/big1.log" 2>&1
rc=$?
t_big1=$(secs "$T0" "$(now)")
[ $rc = 2 ] && grep -q "provider 'dead' failed preflight" "$WORK/big1.log" || fail "2,000 tasks, preflight: exit $rc"
T0=$(now)
"$TB" run --suite "$WORK/big.jsonl" --providers "$WORK/dead.json" --out "$WORK/big2" --skip-failed-providers \
	--quiet --no-report >"$WORK/big2.log" 2>&1
rc=$?
t_big2=$(secs "$T0" "$(now)")
[ $rc = 1 ] && [ "$(count "$WORK/big2/samples.jsonl" "r['error_kind']=='preflight'")" = 2000 ] \
	|| fail "2,000 tasks, --skip-failed-providers: exit $rc"
T0=$(now)
"$TB" run --suite "$WORK/big.jsonl" --providers "$WORK/dead.json" --out "$WORK/big3" --no-preflight --breaker-wait 5 \
	--quiet --no-report >"$WORK/big3.log" 2>&1
rc=$?
t_big3=$(secs "$T0" "$(now)")
n3=$(count "$WORK/big3/samples.jsonl" "r['status']=='not_attempted' and r['error_kind']=='provider_down'")
[ $rc = 1 ] && [ "$n3" = 2000 ] || fail "2,000 tasks, --no-preflight: exit $rc, $n3 provider_down: $(tail -3 "$WORK/big3.log")"
grep -q "provider 'dead' down: connect: " "$WORK/big3.log" || fail "2,000 tasks, --no-preflight: no message"

# ---- 7. the bash agent: a provider that dies mid-trajectory
stop_sim >/dev/null
start_sim --profiles "$WORK/agent.json"
export TOKENBENCH_SIM_PORT=$SIM_PORT
T0=$(now)
"$TB" run --suite tasks/swe-starter --providers "$WORK/agent.json" --agent bash --agent-turns 12 --limit 2 --breaker 3 \
	--breaker-wait 1 --out "$WORK/agent" --no-report --quiet >"$WORK/agent.log" 2>&1
rc=$?
t_agent=$(secs "$T0" "$(now)")
f=$WORK/agent/samples.jsonl
[ $rc = 1 ] || fail "agent: exit $rc (want 1): $(tail -3 "$WORK/agent.log")"
[ "$(count "$f" "r['status']=='failed'")" = 0 ] || fail "agent: a sample recorded failed: $(cut -c1-300 "$f")"
[ "$(count "$f" "r['status'] in ('not_attempted','error') and r['usage']['output'] > 0")" = 2 ] \
	|| fail "agent: want 2 samples ended mid-trajectory, their paid turns kept: $(cut -c1-300 "$f")"

echo "preflight refused the run in ${t_pre}s (exit 2, nothing sent), --skip-failed-providers ran the rest in ${t_skip}s;" \
	"died after 50 answers: paused at ${t_paused}s, down at ${t_down}s, run over in ${t_dies}s (--breaker-wait 3, $down provider_down, $errs errors);" \
	"refused/401/404 mid-run: over in ${t_mid}s (--breaker-wait 2); --retry-errors asked them again;" \
	"2,000 tasks vs a dead port: ${t_big1}s (preflight, exit 2), ${t_big2}s (--skip-failed-providers), ${t_big3}s (--no-preflight --breaker-wait 5);" \
	"agent dying mid-trajectory: over in ${t_agent}s"
