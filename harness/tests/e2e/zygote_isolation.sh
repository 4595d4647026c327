# The warm zygote (score/zygote.c): nothing one Python test does reaches the
# next one in the same sandbox slot (files in every writable place,
# environment, modules and builtins, signal dispositions and mask, working
# directory, leftover processes (daemons, setsid, double forks), System V
# IPC), an answer that attacks the zygote (kills it, stops it, reads its
# /proc files, looks for its control socket) neither passes for that nor
# harms the tests after it, and the anti-cheat token still holds. One slot
# (--jobs 1) runs the tasks in order, each attack followed by a check; the
# verdicts must be the same with --zygote on and off, except for a probe
# that only passes in a zygote's child (which proves the zygote ran them).
source "$(dirname "$0")/lib.sh"
$PY - "$WORK" <<'PYEOF'
import json, sys
work = sys.argv[1]
HEAD = 'import os, sys, signal, time, math, builtins, ctypes\n'
cases = [
    # (id, answer code run before the tests, tests' body, expected status)
    ('files_write', '''
for d in ('/work', '/tmp', '/dev/shm', os.path.expanduser('~')):
    with open(os.path.join(d, 'leak'), 'w') as f:
        f.write('x')
os.makedirs('/tmp/deep/er')
os.chmod('/tmp/deep', 0)
os.chmod('/work', 0o500)
''', '', 'passed'),
    ('files_check', '', '''
    for d in ('/work', '/tmp', '/dev/shm'):
        assert os.listdir(d) == [], (d, os.listdir(d))
        assert os.access(d, os.W_OK), d
''', 'passed'),
    ('state_change', '''
os.environ['TB_LEAK'] = '1'
os.putenv('TB_LEAK2', '1')
builtins.len = lambda x: 0
math.sqrt = lambda x: -1
sys.modules['json'] = None
sys.path.insert(0, '/tmp')
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGALRM, lambda *a: None)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
os.chdir('/')
''', '', 'passed'),
    ('state_check', '', '''
    assert 'TB_LEAK' not in os.environ and 'TB_LEAK2' not in os.environ
    assert len([1, 2]) == 2 and math.sqrt(4) == 2
    import json
    assert json.dumps(1) == '1' and '/tmp' not in sys.path
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == set()
    assert os.getcwd() == '/work'
''', 'passed'),
    ('processes_leave', '''
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(1.5)
        open('/tmp/daemon', 'w').close()
    os._exit(0)
if os.fork() == 0:
    os.setpgid(0, 0)
    time.sleep(30)
    os._exit(0)
time.sleep(0.2)
''', '', 'passed'),
    ('processes_check', '', '''
    me = {1, os.getpid(), os.getppid()}
    others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in me]
    assert others == [], others
    time.sleep(1.6)
    assert not os.path.exists('/tmp/daemon')
''', 'passed'),
    ('ipc_leave', '''
libc = ctypes.CDLL(None, use_errno=True)
assert libc.shmget(0, 4096, 0o1000 | 0o600) >= 0
assert libc.msgget(0, 0o1000 | 0o600) >= 0
''', '', 'passed'),
    ('ipc_check', '', '''
    for k in ('shm', 'msg', 'sem'):
        assert len(open('/proc/sysvipc/' + k).read().splitlines()) == 1, k
''', 'passed'),
    ('zygote_kill', '''
os.kill(os.getppid(), signal.SIGKILL)
time.sleep(0.2)
''', '', 'passed'),
    ('zygote_kill_exit_early', '''
os.kill(os.getppid(), signal.SIGKILL)
print('PASSED')
os._exit(0)
''', '', 'failed'),
    ('zygote_stop', '''
os.kill(os.getppid(), signal.SIGSTOP)
''', '', 'passed'),
    ('zygote_term', '''
os.kill(os.getppid(), signal.SIGTERM)
os.kill(os.getppid(), signal.SIGINT)
time.sleep(0.2)
''', '', 'passed'),
    ('zygote_proc', '''
libc = ctypes.CDLL(None, use_errno=True)
pp = os.getppid()
if pp != 1:  # a zygote's child: its parent's insides are closed to it
    for name in ('mem', 'environ', 'maps', 'fd/3', 'fd/0'):
        try:
            open('/proc/%d/%s' % (pp, name), 'rb').read(16)
            raise SystemExit('read the zygote\\'s ' + name)
        except (PermissionError, FileNotFoundError):
            pass
    try:
        os.listdir('/proc/%d/fd' % pp)
        raise SystemExit('listed the zygote\\'s fds')
    except PermissionError:
        pass
    assert libc.ptrace(16, pp, 0, 0) == -1  # PTRACE_ATTACH
    fds = sorted(int(f) for f in os.listdir('/proc/self/fd'))
    assert fds[:4] == [0, 1, 2, 3] and len(fds) == 5, fds  # 4: the listing itself
''', '', 'passed'),
    ('exit_zero_early', '''
print('PASSED')
os._exit(0)
''', '', 'failed'),
    ('sys_exit_zero', '''
sys.exit(0)
''', '', 'failed'),
    ('exception', '''
raise ValueError('no')
''', '', 'failed'),
    ('zygote_probe', '', '''
    assert os.getppid() != 1, 'not a zygote child'
''', 'zygote'),
    ('after_all', '', '''
    assert os.listdir('/tmp') == [] and os.getcwd() == '/work'
''', 'passed'),
]
with open(work + '/suite.jsonl', 'w') as s, open(work + '/answers.jsonl', 'w') as a, \
        open(work + '/expect.json', 'w') as e:
    for i, (name, attack, tests, want) in enumerate(cases):
        tid = 'zy/%02d_%s' % (i, name)
        s.write(json.dumps({'id': tid, 'language': 'python', 'kind': 'function', 'entry_point': 'solve',
                            'prompt': 'def solve(x):\n    """Return x + 1."""\n',
                            'reference': '    return x + 1\n', 'timeout_s': 4,
                            'tests': HEAD + 'def check(candidate):\n    assert candidate(1) == 2\n' + tests}) + '\n')
        a.write(json.dumps({'task_id': tid, 'solution': HEAD + 'def solve(x):\n    return x + 1\n' + attack}) + '\n')
    json.dump({('zy/%02d_%s' % (i, c[0])): c[3] for i, c in enumerate(cases)}, e)
PYEOF
for mode in on off; do
	"$TB" eval-predictions --suite "$WORK/suite.jsonl" --predictions "$WORK/answers.jsonl" --name $mode \
		--out "$WORK/$mode" --jobs 1 --zygote $mode --quiet >"$WORK/$mode.log" 2>&1
	rc=$?
	[ $rc -le 1 ] || fail "--zygote $mode exited $rc: $(tail -3 "$WORK/$mode.log")"
done
$PY - "$WORK" <<'PYEOF' || exit 1
import json, sys
work = sys.argv[1]
want = json.load(open(work + '/expect.json'))
recs = {m: {r['task']: r for r in map(json.loads, open('%s/%s/samples.jsonl' % (work, m)))} for m in ('on', 'off')}
bad = []
for tid, w in want.items():
    for m in ('on', 'off'):
        r = recs[m].get(tid)
        exp = w if w != 'zygote' else ('passed' if m == 'on' else 'failed')
        if not r or r['status'] != exp:
            bad.append('%s --zygote %s: %s (want %s) %s' % (tid, m, r and r['status'], exp,
                                                        r and (r.get('fail_reason'), r.get('detail'))))
    if w != 'zygote' and tid in recs['on'] and tid in recs['off']:
        a, b = recs['on'][tid], recs['off'][tid]
        if (a['status'], a.get('fail_reason')) != (b['status'], b.get('fail_reason')):
            bad.append('%s: on %s/%s, off %s/%s' % (tid, a['status'], a.get('fail_reason'), b['status'],
                                                   b.get('fail_reason')))
if bad:
    print('FAIL: ' + '\n  '.join(bad))
    sys.exit(1)
print('%d tasks: isolation holds in the zygote, verdicts as with --zygote off' % len(want))
PYEOF
