# Inputs as distributed (issue 14): a suite or predictions file may be
# JSONL, a JSON array, or gzip of either. MBPP sanitized as its authors
# distribute it (a JSON array) loads for run and eval-predictions, and
# --gold scores its `code` field; errors name the file and line, or the
# array item; data after the array is refused.
source "$(dirname "$0")/lib.sh"
san=$DATA/mbpp/sanitized-mbpp.json
[ -f "$san" ] || skip "no $san (set TOKENBENCH_DATASETS to the shared datasets folder)"
# 12 tasks of the array (scoring all 427 takes minutes; the README gives that run)
$PY - "$san" "$WORK" <<'PYEOF'
import gzip, json, sys
recs = json.load(open(sys.argv[1]))
assert isinstance(recs, list) and len(recs) == 427, len(recs)
w = sys.argv[2]
sub = recs[::36][:12]
open(w + '/ids.txt', 'w').write(''.join('Mbpp/%d\n' % r['task_id'] for r in sub))
json.dump(sub, open(w + '/array.json', 'w'), indent=2)
with gzip.open(w + '/array.json.gz', 'wt') as f:
    json.dump(sub, f)
with gzip.open(w + '/lines.jsonl.gz', 'wt') as f:
    f.write(''.join(json.dumps(r) + '\n' for r in sub))
bad = [dict(sub[0]), dict(sub[1]), {'task_id': 9999, 'test_list': ['assert f(1) == 1']}]
bad[0]['task_id'], bad[1]['task_id'] = 1, 2
json.dump(bad, open(w + '/bad-item.json', 'w'))
open(w + '/trailing.json', 'w').write(json.dumps(sub[:2]) + '\n{"task_id": 3}\n')
open(w + '/broken.json', 'w').write('[\n' + json.dumps(sub[0]) + ',\n{"task_id": 7, \n]\n')
# predictions as a JSON array and gzipped JSONL: the reference code of each task
preds = [{'task_id': 'Mbpp/%d' % r['task_id'], 'solution': r['code']} for r in sub]
json.dump(preds, open(w + '/preds.json', 'w'))
with gzip.open(w + '/preds.jsonl.gz', 'wt') as f:
    f.write(''.join(json.dumps(p) + '\n' for p in preds))
PYEOF
# the whole distributed file loads (dry run: no request, no scoring)
"$TB" run --suite "$san" --providers providers/demo.json --dry-run --out "$WORK/dry" >"$WORK/dry.log" 2>&1 ||
	fail "run --dry-run on sanitized-mbpp.json exited $?: $(tail -3 "$WORK/dry.log")"
grep -q '^total  *2135 ' "$WORK/dry.log" || fail "dry run of 427 tasks x 5 providers: $(grep total "$WORK/dry.log")"
# --gold with the array, from the distributed file itself (a subset of its tasks)
"$TB" eval-predictions --suite "$san" --instances "$WORK/ids.txt" --gold --out "$WORK/gold" --quiet >"$WORK/gold.log" 2>&1 ||
	fail "eval-predictions --gold exited $?: $(tail -3 "$WORK/gold.log")"
n=$(count "$WORK/gold/samples.jsonl" "r['status'] == 'passed'")
[ "$n" = 12 ] || fail "--gold on sanitized-mbpp.json: $n of 12 passed: $(tail -3 "$WORK/gold.log")"
# the same tasks as a gzipped array and as gzipped JSONL load alike
for f in array.json.gz lines.jsonl.gz; do
	"$TB" run --suite "$WORK/$f" --providers providers/demo.json --dry-run --out "$WORK/d-$f" >"$WORK/d.log" 2>&1 ||
		fail "$f: exited $?: $(tail -3 "$WORK/d.log")"
	grep -q '^total  *60 ' "$WORK/d.log" || fail "$f: $(grep total "$WORK/d.log")"
done
# predictions as a JSON array and as gzipped JSONL
for f in preds.json preds.jsonl.gz; do
	"$TB" eval-predictions --suite "$WORK/array.json.gz" --predictions "$WORK/$f" --name ref --out "$WORK/p-$f" --quiet \
		>"$WORK/p.log" 2>&1 || fail "predictions $f exited $?: $(tail -3 "$WORK/p.log")"
	n=$(count "$WORK/p-$f/samples.jsonl" "r['status'] == 'passed'")
	[ "$n" = 12 ] || fail "predictions $f: $n of 12 passed"
done
# errors name the place: the array's item, the line of a parse error, data after the array
"$TB" run --suite "$WORK/bad-item.json" --providers providers/demo.json --dry-run >/dev/null 2>"$WORK/e1" &&
	fail "a bad array item was accepted"
grep -q "bad-item.json: item 3: MBPP task without" "$WORK/e1" || fail "bad item: $(cat "$WORK/e1")"
"$TB" run --suite "$WORK/trailing.json" --providers providers/demo.json --dry-run >/dev/null 2>"$WORK/e2" &&
	fail "data after the array was accepted"
grep -q "trailing.json:2: data after the JSON array" "$WORK/e2" || fail "trailing data: $(cat "$WORK/e2")"
"$TB" eval-predictions --suite "$WORK/broken.json" --gold --out "$WORK/x" >/dev/null 2>"$WORK/e3" &&
	fail "a broken array was accepted"
grep -q "broken.json:[34]: not valid JSON" "$WORK/e3" || fail "broken array: $(cat "$WORK/e3")"
echo "sanitized-mbpp.json (a JSON array) loads whole; --gold 12/12 from it; gzipped array and JSONL alike; errors name item and line"
