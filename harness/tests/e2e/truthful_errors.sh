# Errors that say the truth (issue 14): a provider whose account cannot pay
# (OpenAI's 429 insufficient_quota, OpenRouter's 402, Anthropic's 400
# "credit balance is too low") is asked once, not retried, and stopped: its
# remaining samples not_attempted (billing) while a rate limit's 429 is
# still retried; an all-error run lists no chart it did not draw; compare
# names only the unknown provider and lists the known ones.
source "$(dirname "$0")/lib.sh"
$PY - "$WORK" <<'PYEOF'
import json, sys
work = sys.argv[1]
with open(work + '/suite.jsonl', 'w') as f:
    for i in range(6):
        f.write(json.dumps({'id': 'sum/%d' % i, 'kind': 'exact', 'difficulty': 1,
                            'prompt': 'What is %d + %d?' % (i, 2 * i), 'reference': str(3 * i)}) + '\n')
def prov(name, protocol, dialect, faults):
    return {'name': name, 'protocol': protocol, 'base_url': 'http://127.0.0.1:${TOKENBENCH_SIM_PORT}/v1',
            'model': name, 'api_key_env': 'TB_BILL_KEY', 'max_concurrency': 1,
            'params': {'max_tokens': 256}, 'timeout_s': 30,
            'price': {'input': 1, 'output': 2, 'as_of': '2026-12-04', 'source': 'test'},
            'sim': {'skill': 1.0, 'dialect': dialect, 'latency_ms': {'median': 20, 'sigma': 0}, 'faults': faults}}
bill = [{'kind': 'billing', 'rate': 1.0}]
json.dump([prov('bill-openai', 'openai', 'openai', bill),
           prov('bill-openrouter', 'openai', 'openrouter', bill),
           prov('bill-anthropic', 'anthropic', 'openai', bill),
           prov('ratelimited', 'openai', 'openai', [{'kind': '429', 'first_attempts': 1, 'retry_after': '1'}])],
          open(work + '/providers.json', 'w'))
json.dump([prov('down-a', 'openai', 'openai', [{'kind': '503', 'rate': 1.0}]),
           prov('down-b', 'openai', 'openai', [{'kind': '503', 'rate': 1.0}])],
          open(work + '/down.json', 'w'))
PYEOF
start_sim --profiles "$WORK/providers.json" --suite "$WORK/suite.jsonl"
export TOKENBENCH_SIM_PORT=$SIM_PORT
TB_BILL_KEY=sk-test "$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/providers.json" --max-attempts 5 --no-preflight \
	--out "$WORK/run" --quiet >"$WORK/run.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "exit $rc (want 1: finished with errors): $(tail -3 "$WORK/run.log")"
for p in bill-openai bill-openrouter bill-anthropic; do
	grep -q "provider '$p': HTTP 4[0-9]*: .*no more requests to it, its remaining samples not_attempted (billing)" \
		"$WORK/run.log" || fail "no billing message for $p: $(cat "$WORK/run.log")"
done
$PY - "$WORK/run/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
recs = {}
for r in map(json.loads, open(sys.argv[1])):
    recs.setdefault(r['provider'], []).append(r)
bad = []
for p, status in (('bill-openai', 429), ('bill-openrouter', 402), ('bill-anthropic', 400)):
    rs = recs.get(p, [])
    errs = [r for r in rs if r['status'] == 'error']
    na = [r for r in rs if r['status'] == 'not_attempted']
    print('%-16s %d error (%s, attempts %s), %d not_attempted (%s)' % (
        p, len(errs), ','.join(sorted(set(r.get('error_kind', '') for r in errs))),
        ','.join(str(r['attempts']) for r in errs), len(na), ','.join(sorted(set(r.get('error_kind', '') for r in na)))))
    # the sample that met it is an error, or (when the breaker paused it first) not_attempted too
    if len(rs) != 6 or len(errs) > 1 or len(errs) + len(na) != 6:
        bad.append('%s: %d records, %d errors, %d not_attempted (want 6: at most 1 error, the rest not_attempted)' % (p, len(rs), len(errs), len(na)))
        continue
    if errs and (errs[0]['error_kind'] != 'billing' or errs[0]['attempts'] != 1 or not errs[0]['detail'].startswith('HTTP %d' % status)):
        bad.append('%s: %s' % (p, errs[0]))
    if not any(r.get('detail', '').startswith('HTTP %d' % status) for r in rs):
        bad.append('%s: no record says HTTP %d' % (p, status))
    if any(r['error_kind'] != 'billing' for r in na):
        bad.append('%s: not_attempted without reason billing: %s' % (p, na[0]))
rl = recs.get('ratelimited', [])
if len(rl) != 6 or any(r['status'] != 'passed' or r['attempts'] != 2 for r in rl):
    bad.append('rate limit: %s' % [(r['status'], r['attempts']) for r in rl])
if bad:
    print('\n'.join(bad)); sys.exit(1)
PYEOF
served=$(stop_sim)
# 3 billing requests + 6 rate-limited answers with one 429 each
[ "$served" = 15 ] || fail "the simulator served $served requests (want 15: billing is asked once)"

# an all-error run: only the charts drawn are listed, and they are on disk
start_sim --profiles "$WORK/down.json" --suite "$WORK/suite.jsonl"
export TOKENBENCH_SIM_PORT=$SIM_PORT
TB_BILL_KEY=sk-test "$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/down.json" --max-attempts 1 --no-preflight --breaker 0 \
	--out "$WORK/down" >"$WORK/down.log" 2>&1
rc=$?
stop_sim >/dev/null
[ $rc = 1 ] || fail "all-error run exit $rc: $(tail -3 "$WORK/down.log")"
line=$(grep '^charts:' "$WORK/down.log") || fail "no charts line: $(tail -5 "$WORK/down.log")"
echo "$line"
for f in $(echo "${line#charts: }" | grep -o '[^ ]*\.png'); do
	[ -s "$f" ] || fail "charts line lists $f, which was not written"
done
for c in forest lambda; do
	case $line in *"$c.png"*) fail "charts line lists $c.png for an all-error run: $line" ;; esac
	[ -e "$WORK/down/$c.png" ] && fail "$c.png written for an all-error run"
done
"$TB" plot "$WORK/down" >"$WORK/plot.log" 2>&1 || fail "plot exited $?: $(cat "$WORK/plot.log")"
grep -q 'forest\|lambda' "$WORK/plot.log" && fail "plot lists charts it did not draw: $(cat "$WORK/plot.log")"

# compare: the unknown name alone, and the known ones listed
"$TB" compare "$WORK/run" ratelimited nosuch >"$WORK/cmp.out" 2>"$WORK/cmp.err"
rc=$?
[ $rc = 2 ] || fail "compare with an unknown provider exited $rc"
msg=$(cat "$WORK/cmp.err")
echo "$msg"
case $msg in *"provider 'nosuch'"*) ;; *) fail "compare does not name nosuch: $msg" ;; esac
case $msg in *"'ratelimited' or"*|*"provider 'ratelimited'"*) fail "compare blames the known provider: $msg" ;; esac
for p in bill-openai bill-openrouter bill-anthropic ratelimited; do
	case $msg in *"'$p'"*) ;; *) fail "compare does not list known provider $p: $msg" ;; esac
done
"$TB" compare "$WORK/run" ratelimited bill-openai >/dev/null 2>&1 || fail "compare of two known providers exited $?"
echo "billing stops a provider after one request; charts and compare say what is so"
