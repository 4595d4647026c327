# The bundled SWE-style suite: every reference patch resolves (--gold), no
# empty patch does (--empty), with SWE-bench's report files beside ours.
source "$(dirname "$0")/lib.sh"
"$TB" eval-predictions --suite tasks/swe-starter --gold --out "$WORK/gold" --quiet >"$WORK/gold.log" 2>&1 \
	|| fail "--gold exited $?: $(tail -3 "$WORK/gold.log")"
"$TB" eval-predictions --suite tasks/swe-starter --empty --out "$WORK/empty" --quiet >"$WORK/empty.log" 2>&1
n=$(count "$WORK/gold/samples.jsonl" "True")
[ "$n" -ge 12 ] || fail "only $n repository tasks"
[ "$(count "$WORK/gold/samples.jsonl" "r['status']=='passed'")" = "$n" ] || fail "gold: $(grep -v '"passed"' "$WORK/gold/samples.jsonl" | head -2)"
[ "$(count "$WORK/empty/samples.jsonl" "r['status']=='failed' and r['fail_reason']=='tests_failed'")" = "$n" ] \
	|| fail "empty: $(grep -v '"tests_failed"' "$WORK/empty/samples.jsonl" | head -2)"
grep -q "gold: $n of $n tasks pass" "$WORK/gold.log" || fail "no usability line: $(tail -3 "$WORK/gold.log")"
$PY - "$WORK/gold" "$WORK/empty" <<'PYEOF' || exit 1
import json, os, sys
gold, empty = sys.argv[1:3]
s = json.load(open(gold + '/gold.swebench.json'))
assert s['resolved_instances'] == s['total_instances'] == len(s['resolved_ids']), s
e = json.load(open(empty + '/empty.swebench.json'))
assert e['resolved_instances'] == 0 and e['empty_patch_instances'] == e['total_instances'], e
for r in map(json.loads, open(gold + '/samples.jsonl')):
    d = '%s/logs/gold/%s/0' % (gold, r['task'].replace('/', '_'))
    rep = json.load(open(d + '/report.json'))[r['task']]
    assert rep['resolved'] and rep['patch_successfully_applied'], rep
    ts = rep['tests_status']
    assert not ts['FAIL_TO_PASS']['failure'] and not ts['PASS_TO_PASS']['failure'], ts
    assert os.path.getsize(d + '/test_output.txt') > 0
    assert set(r['steps_ms']) == {'checkout', 'apply', 'test'}, r
for r in map(json.loads, open(empty + '/samples.jsonl')):
    rep = r['report']
    assert rep['tests_status']['FAIL_TO_PASS']['success'] == [], rep  # every F2P test really fails
PYEOF
echo "swe-starter: $n tasks; gold $n/$n resolved, empty 0/$n; SWE-bench reports and summaries written"
