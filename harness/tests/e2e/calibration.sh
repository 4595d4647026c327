# Fair time limits: each task's limit is max(5 s, 10 x its reference's time
# in the sandbox), measured once per machine and task and then cached; the
# limits and their source go into run.json; a run that finishes above 80% of
# its limit is flagged near_limit; a suite's own timeout_s is kept. --jobs
# beyond what memory holds is lowered with a warning.
source "$(dirname "$0")/lib.sh"
export TOKENBENCH_CACHE_DIR=$WORK/calibration # its own: the first run must measure
$PY - "$WORK" <<'PYEOF'
import json, sys
work = sys.argv[1]
def task(id, ref, **extra):
    t = {'id': id, 'language': 'python', 'kind': 'function', 'entry_point': 'f',
         'prompt': 'import time\ndef f(x):\n', 'reference': ref,
         'tests': 'def check(candidate):\n    assert candidate(1) == 2\n'}
    t.update(extra)
    return json.dumps(t) + '\n'
with open(work + '/suite.jsonl', 'w') as f:
    f.write(task('slow', '    time.sleep(0.7)\n    return x + 1\n'))          # limit ~7-8 s
    f.write(task('fast', '    return x + 1\n'))                              # the 5 s floor
    f.write(task('fixed', '    return x + 1\n', timeout_s=3))                 # the suite's own
with open(work + '/answers.jsonl', 'w') as f:
    for tid, body in (('slow', 'time.sleep(0.7)'), ('fast', 'time.sleep(4.1)'), ('fixed', 'time.sleep(0.1)')):
        f.write(json.dumps({'task_id': tid, 'completion': '    %s\n    return x + 1\n' % body}) + '\n')
PYEOF
"$TB" eval-predictions --suite "$WORK/suite.jsonl" --predictions "$WORK/answers.jsonl" --name m \
	--out "$WORK/a" --quiet >/dev/null 2>"$WORK/a.err" || fail "eval exited $?: $(cat "$WORK/a.err")"
"$TB" eval-predictions --suite "$WORK/suite.jsonl" --predictions "$WORK/answers.jsonl" --name m \
	--out "$WORK/b" --jobs 256 --quiet >/dev/null 2>"$WORK/b.err" || fail "eval exited $?: $(cat "$WORK/b.err")"
grep -q "256 sandbox jobs at up to .* MB each would not fit" "$WORK/b.err" ||
	fail "no warning for --jobs 256: $(cat "$WORK/b.err")"
$PY - "$WORK" "$TOKENBENCH_CACHE_DIR" <<'PYEOF' || exit 1
import glob, json, sys
work, cache = sys.argv[1], sys.argv[2]
def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)
a = json.load(open(work + '/a/run.json'))['time_limits']
b = json.load(open(work + '/b/run.json'))['time_limits']
ta, tb = a['tasks'], b['tasks']
if a['machine'] != json.load(open(work + '/a/run.json'))['machine']['fingerprint']:
    fail('time_limits.machine is not the run\'s machine fingerprint')
if [ta[t]['source'] for t in ('slow', 'fast', 'fixed')] != ['measured', 'measured', 'task']:
    fail('first run sources: %s' % ta)
if [tb[t]['source'] for t in ('slow', 'fast', 'fixed')] != ['cached', 'cached', 'task']:
    fail('second run sources: %s (the measurement was not reused)' % tb)
slow = ta['slow']
if not (700 <= slow['reference_ms'] < 2000 and abs(slow['limit_s'] - max(5, slow['reference_ms'] / 100)) < 0.11):
    fail('slow task: reference %s ms, limit %s s (want 10x, at least 5 s)' % (slow['reference_ms'], slow['limit_s']))
if ta['fast']['limit_s'] != 5 or ta['fixed']['limit_s'] != 3:
    fail('limits fast %s (want the 5 s floor), fixed %s (want the suite\'s 3 s)' % (ta['fast']['limit_s'], ta['fixed']['limit_s']))
lines = open(glob.glob(cache + '/calibration-*.jsonl')[0]).read().splitlines()
if len(lines) != 2:
    fail('the cache holds %d lines, want 2 (one per measured task)' % len(lines))
recs = {r['task']: r for r in map(json.loads, open(work + '/a/samples.jsonl'))}
if any(r['status'] != 'passed' for r in recs.values()):
    fail('records: %s' % recs)
if not recs['fast'].get('near_limit') or recs['slow'].get('near_limit') or recs['fixed'].get('near_limit'):
    fail('near_limit: fast (4.1 s of 5) %s, slow %s, fixed %s' % tuple(recs[t].get('near_limit') for t in ('fast', 'slow', 'fixed')))
print('limits: slow %.1f s from a %.0f ms reference, fast 5 s (floor), fixed 3 s (suite); cached on the second run; '
      'the 4.1 s answer flagged near_limit' % (slow['limit_s'], slow['reference_ms']))
PYEOF
