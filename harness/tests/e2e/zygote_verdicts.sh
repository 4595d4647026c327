# Verdicts with and without the warm zygote (--zygote on|off) are the same,
# record by record (status and fail reason), for Python tasks (the only
# ones a zygote runs): the starter suite's gold and empty answers, a few
# hundred simulated answers (the second run takes the first one's responses
# from its cache), and, with ../shared/datasets, HumanEval's canonical
# solutions and empty answers (every fourth task) and MBPP's reference code
# (every sixteenth). An answer that runs away (an endless loop that also
# grows a list) fails at whichever of its limits it reaches first, and
# that depends on speed, not on the zygote (a zygote's child starts
# sooner, so it allocates more before the clock runs out): two runaway
# limits (time, memory, CPU) on the same sample count as the same verdict,
# and are named. The whole datasets compare the same way by hand:
#   tokenbench eval-predictions --suite FILE --gold --zygote on|off --out DIR
source "$(dirname "$0")/lib.sh"
same() { # same DIR_ON DIR_OFF WHAT: the two runs' records agree
	$PY - "$1/samples.jsonl" "$2/samples.jsonl" "$3" <<'PYEOF' || exit 1
import json, sys
def load(p):
    return {(r['task'], r['provider'], r['sample']): (r['status'], r.get('fail_reason'))
            for r in map(json.loads, open(p))}
on, off = load(sys.argv[1]), load(sys.argv[2])
if set(on) != set(off):
    print('FAIL: %s: the runs hold different samples (%d, %d)' % (sys.argv[3], len(on), len(off)))
    sys.exit(1)
RUNAWAY = {'timeout', 'memory', 'cpu_limit'}
def same_verdict(a, b):
    return a == b or (a[0] == b[0] == 'failed' and a[1] in RUNAWAY and b[1] in RUNAWAY)
raced = ['%s (on %s, off %s)' % ('/'.join(map(str, k)), on[k][1], off[k][1])
         for k in sorted(on) if on[k] != off[k] and same_verdict(on[k], off[k])]
diff = ['%s: on %s, off %s' % ('/'.join(map(str, k)), on[k], off[k]) for k in sorted(on)
        if not same_verdict(on[k], off[k])]
if diff:
    print('FAIL: %s: %d of %d verdicts differ: %s' % (sys.argv[3], len(diff), len(on), '; '.join(diff[:5])))
    sys.exit(1)
passed = sum(v[0] == 'passed' for v in on.values())
print('%s: %d verdicts the same (%d passed)%s' % (sys.argv[3], len(on), passed,
      '; a runaway answer stopped by another limit: ' + ', '.join(raced) if raced else ''))
PYEOF
}
both() { # both NAME ARGS...: eval-predictions with the zygote on and off
	local name=$1
	shift
	for m in on off; do
		"$TB" eval-predictions "$@" --zygote $m --out "$WORK/$name-$m" --quiet >"$WORK/$name-$m.log" 2>&1
		[ $? -le 1 ] || fail "$name --zygote $m: $(tail -3 "$WORK/$name-$m.log")"
	done
	same "$WORK/$name-on" "$WORK/$name-off" "$name" | tee -a "$WORK/summary"
	[ "${PIPESTATUS[0]}" = 0 ] || exit 1
}
grep -o '"id": "py/[^"]*"' tasks/starter/starter.jsonl | cut -d'"' -f4 >"$WORK/py-ids.txt"
[ "$(wc -l <"$WORK/py-ids.txt")" -ge 25 ] || fail "the starter suite has $(wc -l <"$WORK/py-ids.txt") Python tasks"
both starter-gold --suite tasks/starter --instances "$WORK/py-ids.txt" --gold
both starter-empty --suite tasks/starter --instances "$WORK/py-ids.txt" --empty
start_sim
export TOKENBENCH_SIM_PORT=$SIM_PORT
args=(--suite tasks/starter --instances "$WORK/py-ids.txt" --providers providers/demo.json --samples 2 --seed 11
	--quiet --no-report)
"$TB" run "${args[@]}" --out "$WORK/sim-on" --zygote on >"$WORK/sim-on.log" 2>&1
[ $? -le 1 ] || fail "simulated run: $(tail -3 "$WORK/sim-on.log")"
"$TB" run "${args[@]}" --out "$WORK/sim-off" --cache "$WORK/sim-on/cache" --zygote off >"$WORK/sim-off.log" 2>&1
[ $? -le 1 ] || fail "simulated run --zygote off: $(tail -3 "$WORK/sim-off.log")"
same "$WORK/sim-on" "$WORK/sim-off" "simulated answers" | tee -a "$WORK/summary"
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
he=$DATA/humaneval/HumanEval.jsonl.gz
mbpp=$DATA/mbpp/mbpp.jsonl
if [ -f "$he" ] && [ -f "$mbpp" ]; then
	$PY - "$he" "$mbpp" "$WORK" <<'PYEOF'
import gzip, json, sys
tasks = [json.loads(l) for l in gzip.open(sys.argv[1], 'rt')]
with open(sys.argv[3] + '/he-gold.jsonl', 'w') as g, open(sys.argv[3] + '/he-empty.jsonl', 'w') as e:
    for t in tasks[::4]:
        g.write(json.dumps({'task_id': t['task_id'], 'completion': t['canonical_solution']}) + '\n')
        e.write(json.dumps({'task_id': t['task_id'], 'completion': ''}) + '\n')
ids = [json.loads(l)['task_id'] for l in open(sys.argv[2])][::16]
open(sys.argv[3] + '/mbpp-ids.txt', 'w').write(''.join('Mbpp/%d\n' % i for i in ids))
PYEOF
	cut -d'"' -f4 "$WORK/he-gold.jsonl" >"$WORK/he-ids.txt"
	both humaneval-gold --suite "$he" --instances "$WORK/he-ids.txt" --predictions "$WORK/he-gold.jsonl" --name gold
	both humaneval-empty --suite "$he" --instances "$WORK/he-ids.txt" --predictions "$WORK/he-empty.jsonl" --name empty
	both mbpp-gold --suite "$mbpp" --instances "$WORK/mbpp-ids.txt" --gold
else
	echo "no $he or $mbpp: HumanEval and MBPP not compared (set TOKENBENCH_DATASETS)" | tee -a "$WORK/summary"
fi
echo "$(wc -l <"$WORK/summary") comparisons, every verdict the same with the zygote on and off"
