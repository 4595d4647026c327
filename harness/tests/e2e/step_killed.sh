# How a sandboxed step ended is in its record, and a step killed from
# outside is never the model's failure (issue 15): real bubblewrap, real
# signals. A tiny repository task whose tests sleep is killed while they run
# (its outer bubblewrap, SIGKILL and SIGTERM), its checkout is killed, it
# runs over its time limit; a process inside the sandbox killed from
# outside, which the harness cannot tell from the answer killing itself, is
# recorded with the signal named; function answers that kill themselves or
# run out of memory are the answer's failures. --gold names every reason.
source "$(dirname "$0")/lib.sh"
# the shared tiny repository (tests/data/double_repo.py), with a slow test
repo=$WORK/src/sleepy
mkdir -p "$repo/tests" "$repo/data"
printf 'import time\n\ndef test_slow():\n    time.sleep(20)\n' >"$repo/tests/test_slow.py"
$PY - "$WORK" "$repo" <<'PYEOF'
import json, os, sys
sys.path.insert(0, 'harness/tests/data')
import double_repo
work, repo = sys.argv[1:3]
# files enough that a checkout takes a moment to kill
for i in range(100):
    open('%s/data/f%03d.bin' % (repo, i), 'wb').write(os.urandom(20000))
base = double_repo.commit(repo)
def task(tid, slow, timeout=60):
    files = 'tests/test_pkg.py tests/test_slow.py' if slow else 'tests/test_pkg.py'
    return double_repo.task(tid, repo, base, timeout_s=timeout,
                            PASS_TO_PASS=['tests/test_pkg.py::test_one'] + (['tests/test_slow.py::test_slow'] if slow else []),
                            test_cmd='/usr/bin/python3 -m pytest -rA -p no:cacheprovider ' + files)
def func(tid, body):
    return {'id': tid, 'kind': 'function', 'language': 'python', 'entry_point': 'f', 'prompt': 'def f():\n',
            'reference': body, 'tests': 'def check(candidate):\n    assert candidate() == 1\n'}
suites = {
    'kill9': [task('kill9', True)], 'term': [task('term', True)], 'inner': [task('inner', True)],
    'checkout': [task('checkout', False)], 'slowtime': [task('slowtime', True, timeout=2)],
    'func': [func('selfkill', '    import os\n    os.kill(os.getpid(), 9)\n'),
             func('abort', '    import os\n    os.abort()\n'),
             func('hog', '    x = bytearray(3 << 30)\n    return len(x)\n'),
             func('fine', '    return 1\n')],
}
for name, tasks in suites.items():
    with open('%s/%s.jsonl' % (work, name), 'w') as f:
        for t in tasks:
            f.write(json.dumps(t) + '\n')
PYEOF

# gold_killed NAME WHAT MATCH SIGNAL AFTER: a --gold run of suite NAME, the
# step's process (kill_step.py WHAT MATCH) signalled AFTER s into it; the
# run's stdout in $WORK/NAME.out
gold_killed() {
	"$TB" eval-predictions --suite "$WORK/$1.jsonl" --gold --out "$WORK/$1" >"$WORK/$1.out" 2>&1 &
	local tb=$!
	$PY harness/tests/data/kill_step.py "$tb" "$2" "$3" "$4" "$5" >"$WORK/$1.kill" 2>&1
	local krc=$?
	wait "$tb"
	[ $krc = 0 ] || fail "$1: $(cat "$WORK/$1.kill")"
}
# the runs at once (each killer looks only under its own tokenbench): their
# tests mostly sleep
"$TB" eval-predictions --suite "$WORK/slowtime.jsonl" --gold --out "$WORK/slowtime" >"$WORK/slowtime.out" 2>&1 &
k4=$!
"$TB" eval-predictions --suite "$WORK/func.jsonl" --gold --out "$WORK/func" >"$WORK/func.out" 2>&1 &
k5=$!
TEST_CMD="/usr/bin/python3 -m pytest"
gold_killed kill9 bwrap "$TEST_CMD" KILL 1.5 &
k1=$!
gold_killed term bwrap "$TEST_CMD" TERM 1.5 &
k2=$!
gold_killed inner inner "$TEST_CMD" KILL 1.5 &
k3=$!
wait $k1 && wait $k2 && wait $k3 || exit 1
wait $k4 $k5
# a checkout lasts a moment: kill_step.py polls every millisecond; should it
# miss one (a very busy machine), the next try starts afresh
for try in 1 2 3; do
	rm -rf "$WORK/checkout"
	gold_killed checkout bwrap "git clone -q --shared" KILL 0
	grep -q '"checkout step' "$WORK/checkout/samples.jsonl" && break
done

$PY - "$WORK" <<'PYEOF' || exit 1
import json, sys
work = sys.argv[1]
def rec(name, tid=None):
    rs = [json.loads(l) for l in open('%s/%s/samples.jsonl' % (work, name))]
    rs = [r for r in rs if tid is None or r['task'] == tid]
    assert len(rs) == 1, (name, tid, rs)
    return rs[0]
def expect(r, status, kind, *words):
    got = r.get('error_kind') if status == 'error' else r.get('fail_reason')
    assert r['status'] == status and got == kind, (r['task'], r['status'], got, r.get('detail'))
    for w in words:
        assert w in (r.get('detail') or ''), (r['task'], w, r.get('detail'))
expect(rec('kill9'), 'error', 'killed', 'SIGKILL from outside the sandbox', 'test step: bubblewrap died of SIGKILL')
expect(rec('term'), 'error', 'killed', 'SIGTERM from outside the sandbox', 'test step: bubblewrap died of SIGTERM')
# inside the sandbox a SIGKILL has no sender the harness can see: the tests
# did not run, and the record says the test step died of SIGKILL
expect(rec('inner'), 'failed', 'tests_did_not_run', 'test step: SIGKILL after')
expect(rec('checkout'), 'error', 'killed', 'SIGKILL from outside the sandbox', 'checkout step: bubblewrap died of SIGKILL')
expect(rec('slowtime'), 'failed', 'timeout', 'killed after',
       'test step: SIGKILL after', 'killed by the harness at its time limit')
expect(rec('func', 'selfkill'), 'failed', 'killed', 'SIGKILL', 'test step: SIGKILL')
expect(rec('func', 'abort'), 'failed', 'killed', 'SIGABRT', 'test step: SIGABRT')
expect(rec('func', 'hog'), 'failed', 'memory', 'MemoryError', 'test step: exit 1')
assert rec('func', 'fine')['status'] == 'passed'
for name in ('kill9', 'term', 'inner', 'checkout', 'slowtime', 'func'):
    for l in open('%s/%s/samples.jsonl' % (work, name)):
        r = json.loads(l)
        assert r['status'] == 'passed' or (r.get('detail') or '').strip(), ('empty detail', r)
PYEOF
# --gold names each reason, never "(failed: )"
grep -q "not usable here: kill9 (error: killed by SIGKILL from outside the sandbox" "$WORK/kill9.out" \
	|| fail "kill9 --gold: $(cat "$WORK/kill9.out")"
grep -q "not usable here: checkout (error: killed by SIGKILL" "$WORK/checkout.out" \
	|| fail "checkout --gold: $(cat "$WORK/checkout.out")"
grep -q "not usable here: inner (failed: .*test step: SIGKILL" "$WORK/inner.out" || fail "inner --gold: $(cat "$WORK/inner.out")"
! grep -h "not usable here" "$WORK"/*.out | grep -q ': )' || fail "an empty reason: $(grep -h 'not usable' "$WORK"/*.out)"
echo "killed from outside: test step (SIGKILL, SIGTERM to bubblewrap) and checkout are error/killed with the signal named;" \
	"a SIGKILL inside the sandbox, a time limit, an answer killing itself (SIGKILL, SIGABRT) or running out of memory" \
	"are failures saying how the step ended; --gold names each reason"
