# An answer identical to one already scored for the same task gets that
# verdict again without a sandbox (marked test_reused); a different answer,
# or the same answer to another task, is run.
source "$(dirname "$0")/lib.sh"
$PY - tasks/starter "$WORK/preds.jsonl" <<'PYEOF'
import json, os, sys
tasks = {}
for f in sorted(os.listdir(sys.argv[1])):
    if f.endswith('.jsonl'):
        for l in open(os.path.join(sys.argv[1], f)):
            t = json.loads(l)
            tasks[t['id']] = t
with open(sys.argv[2], 'w') as out:
    for tid in ('py/add_minutes', 'py/caesar_shift'):
        t = tasks[tid]
        gold, wrong = t['prompt'] + t['reference'], t['prompt'] + '    return None\n'
        # gold, wrong, gold again, wrong again, another wrong
        for code in (gold, wrong, gold, wrong, t['prompt'] + '    return 0\n'):
            out.write(json.dumps({'task_id': tid, 'solution': code, 'model': 'm'}) + '\n')
PYEOF
"$TB" eval-predictions --suite tasks/starter --predictions "$WORK/preds.jsonl" --out "$WORK/e" --jobs 1 --quiet
rc=$?
[ $rc -le 1 ] || fail "eval-predictions exited $rc"
$PY - "$WORK/e/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
rs = sorted(map(json.loads, open(sys.argv[1])), key=lambda r: (r['task'], r['sample']))
assert len(rs) == 10, len(rs)
for task in ('py/add_minutes', 'py/caesar_shift'):
    s = [r for r in rs if r['task'] == task]
    reused = [bool(r.get('test_reused')) for r in s]
    assert reused == [False, False, True, True, False], (task, reused)
    assert s[0]['status'] == 'passed' and s[1]['status'] == 'failed', s[:2]
    for a, b in ((0, 2), (1, 3)):
        assert (s[a]['status'], s[a].get('fail_reason')) == (s[b]['status'], s[b].get('fail_reason')), (s[a], s[b])
        assert s[b]['test_ms'] == 0 and s[a]['test_ms'] > 0, (s[a], s[b])
PYEOF
echo "2 tasks x 5 answers: the 2 repeats of each reused the first verdicts; 3 distinct answers each ran"
