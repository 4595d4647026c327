# Answers that try to read an API key from their environment (directly, or
# through /proc), read the results directory, or connect to a listener on
# loopback: in the sandbox every attempt fails. The same programs run
# outside the sandbox succeed, which shows the probes themselves work.
source "$(dirname "$0")/lib.sh"
key=sk-planted-$RANDOM$RANDOM
port=$(free_port)
# a listener on loopback that logs every connection it accepts
$PY - "$port" "$WORK/connections.log" <<'PYEOF' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(16)
while True:
    c, a = s.accept()
    open(sys.argv[2], 'a').write('connection from %s\n' % (a,)); c.close()
PYEOF
BG_PIDS="$BG_PIDS $!"
mkdir -p "$WORK/results"
echo "secret results $key" >"$WORK/results/samples.jsonl"
$PY - "$WORK" "$port" "$key" <<'PYEOF'
import json, sys
work, port, key = sys.argv[1], int(sys.argv[2]), sys.argv[3]
probes = {
  'env': "import os\n    return 'LEAK' if any(%r in v for v in os.environ.values()) else 'clean'" % key,
  'proc_environ': "import glob\n    for f in glob.glob('/proc/*/environ'):\n        try:\n            if %r.encode() in open(f, 'rb').read(): return 'LEAK'\n        except OSError: pass\n    return 'clean'" % key,
  'parent_environ': "import os\n    for p in (os.getppid(), 1):\n        try:\n            if %r.encode() in open('/proc/%%d/environ' %% p, 'rb').read(): return 'LEAK'\n        except OSError: pass\n    return 'clean'" % key,
  'results_dir': "try:\n        return 'LEAK' if %r in open(%r).read() else 'clean'\n    except OSError:\n        return 'clean'" % (key, work + '/results/samples.jsonl'),
  'socket': "import socket\n    s = socket.socket()\n    s.settimeout(2)\n    try:\n        s.connect(('127.0.0.1', %d))\n        return 'LEAK'\n    except OSError:\n        return 'clean'" % port,
}
with open(work + '/suite.jsonl', 'w') as su, open(work + '/answers.jsonl', 'w') as an:
    for name, body in probes.items():
        su.write(json.dumps({'id': 'probe/' + name, 'language': 'python', 'kind': 'function',
            'entry_point': 'probe', 'prompt': 'def probe():\n', 'reference': "    return 'clean'\n",
            'tests': 'def check(candidate):\n    got = candidate()\n    assert got == "clean", got\n'}) + '\n')
        an.write(json.dumps({'task_id': 'probe/' + name, 'completion': '    ' + body + '\n'}) + '\n')
        open('%s/control_%s.py' % (work, name), 'w').write('def probe():\n    ' + body + '\nprint(probe())\n')
PYEOF
TB_PLANTED_KEY=$key "$TB" eval-predictions --suite "$WORK/suite.jsonl" --predictions "$WORK/answers.jsonl" \
	--name attacker --out "$WORK/run" --quiet || true
for name in env proc_environ parent_environ results_dir socket; do
	st=$($PY -c "import json; print([r for r in map(json.loads, open('$WORK/run/samples.jsonl')) if r['task']=='probe/$name'][0]['status'])")
	[ "$st" = passed ] || fail "probe $name: status $st in the sandbox (passed means the attempt failed): $(grep "probe/$name" "$WORK/run/samples.jsonl")"
	ctl=$(cd "$WORK" && TB_PLANTED_KEY=$key timeout 10 $PY "control_$name.py" 2>&1)
	[ "$ctl" = LEAK ] || fail "control for $name outside the sandbox printed '$ctl', so the probe proves nothing"
done
[ "$(grep -c . "$WORK/connections.log")" = 1 ] || fail "the loopback listener saw $(grep -c . "$WORK/connections.log") connections (want only the control's)"
grep -rq "$key" "$WORK/run" && fail "the planted key reached the run directory"
echo "5 probes blocked in the sandbox (env, /proc/*/environ, parent environ, results dir, loopback socket); all 5 succeed outside it"
