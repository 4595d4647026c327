# On a real Slurm cluster: one node on loopback (munged, slurmctld and
# slurmd from Debian's munge and slurm-wlm, started by
# scripts/slurm/local-cluster), scripts/slurm/submit runs a plan as a
# 4-shard job array against the simulator plus a merge job that waits for
# it (afterok); the merged results equal the same plan run on this machine
# in one go, apart from timing fields. Every daemon the test started is
# stopped by its process id. Skipped (exit 77) when Slurm cannot be
# installed or started here.
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "slurmd must run as root to start jobs, and this is not root"
for b in munged slurmctld slurmd sbatch; do
	command -v "$b" >/dev/null && continue
	timeout 600 scripts/install-deps --slurm >"$WORK/install.log" 2>&1 ||
		skip "Slurm is not installed and could not be (scripts/install-deps --slurm): $(tail -n 2 "$WORK/install.log")"
	break
done
CLUSTER=$WORK/cluster
# munged wants every directory above its socket searchable by all
chmod 711 "$WORK"
trap 'scripts/slurm/local-cluster stop "$CLUSTER"; cleanup' EXIT
trap 'exit 143' TERM INT # so that a timeout still stops the daemons
scripts/slurm/local-cluster start "$CLUSTER" >"$WORK/cluster.log" 2>&1 ||
	skip "Slurm could not be started here: $(grep -v '^---' "$WORK/cluster.log" | tail -n 3 | tr '\n' ' ')"
export SLURM_CONF=$CLUSTER/slurm.conf
start_sim
export TOKENBENCH_SIM_PORT=$SIM_PORT

# the plan: 8 tasks x 5 simulated models x 2 samples, capped at $50
args=(--suite tasks/starter --providers providers/demo.json --samples 2 --limit 8 --seed 7 --max-cost 50)
# on this machine: as many sandbox jobs as cores
start=$(date +%s%N)
"$TB" run "${args[@]}" --quiet --out "$WORK/single" || fail "the single-machine run exited $?"
single_ms=$((($(date +%s%N) - start) / 1000000))

# on Slurm: 4 array tasks of one CPU (and one sandbox job) each
start=$(date +%s%N)
submitted=$(scripts/slurm/submit --shards 4 --jobs 1 --out "$WORK/slurm" -- "${args[@]}") ||
	fail "submit failed: $submitted"
array=$(echo "$submitted" | sed -n 's/^shards job \([0-9][0-9]*\):.*/\1/p')
merge=$(echo "$submitted" | sed -n 's/^merge job \([0-9][0-9]*\):.*/\1/p')
[ -n "$array" ] && [ -n "$merge" ] || fail "submit printed no job ids: $submitted"
left="?"
deadline=$((SECONDS + 240))
while [ $SECONDS -lt $deadline ]; do
	# done when squeue answers and lists neither job any more
	left=$(timeout 10 squeue -h -j "$array,$merge" -o %i 2>/dev/null) && [ -z "$left" ] && break
	sleep 0.5
done
slurm_ms=$((($(date +%s%N) - start) / 1000000))
[ -z "$left" ] || fail "the jobs were not done after 240 s: $(squeue 2>&1 | tail -n 5)"
n_done=$(scontrol show job "$array" | grep -c 'JobState=COMPLETED')
[ "$n_done" = 4 ] || fail "$n_done of 4 array tasks completed: $(scontrol show job "$array" | grep -o 'JobState=[A-Z]*' | tr '\n' ' ') $(tail -n 3 "$WORK"/slurm/logs/shard-*.out)"
scontrol show job "$merge" | grep -q 'JobState=COMPLETED' ||
	fail "the merge job did not complete: $(scontrol show job "$merge" | grep -o 'JobState=[A-Z]*') $(tail -n 5 "$WORK/slurm/logs/merge.out")"
scontrol show job "$merge" | grep -q "Dependency=" || fail "the merge job had no dependency"
# each array task asked for --jobs CPUs and, per job, the most one sandbox
# can hold (tokenbench sandbox --limits) plus 512 MB for tokenbench
slot_mb=$("$TB" sandbox --limits | sed -n 's/.*"slot_mb":[[:space:]]*\([0-9]*\).*/\1/p')
want="cpu=1,mem=$((slot_mb + 512))M"
got=$(scontrol show job "$array" | sed -n 's/^ *TRES=\([^ ]*\).*/\1/p' | sort | uniq -c)
[ "$(echo "$got" | grep -c " $want,")" = 1 ] && [ "$(echo "$got" | wc -l)" = 1 ] &&
	[ "$(echo "$got" | awk '{print $1}')" = 4 ] || fail "the array tasks were given '$got', not 4 x $want"
for i in 0 1 2 3; do
	grep -q "shard $i/4:.*exit 0" "$WORK/slurm/logs/shard-$i.out" || fail "shard $i: $(cat "$WORK/slurm/logs/shard-$i.out")"
done
same=$(same_results "$WORK/single" "$WORK/slurm/merged") || fail "the merged Slurm run differs from the single run: $same"
$PY - "$WORK/slurm" <<'PYEOF' || exit 1
import json, sys
d = sys.argv[1]
m = json.load(open(d + '/merged/run.json'))
assert m['merge']['count'] == 4 and m['merge']['missing'] == 0 and len(m['merge']['shards']) == 4, m['merge']
caps = [s['max_cost_usd'] for s in m['merge']['shards']]
assert sum(caps) <= 50, caps
PYEOF
# where the time went, in seconds after submit: each job's script from its
# first line to tokenbench's end (the logs' UTC times of day)
timeline=$($PY - "$WORK/slurm/logs" "$((start / 1000000))" <<'PYEOF'
import re, sys
logs, submit_ms = sys.argv[1], int(sys.argv[2])
def off(t):
    h, m, s = t.split(':')
    return ((int(h) * 3600 + int(m) * 60 + float(s)) - (submit_ms / 1000.0) % 86400) % 86400
def span(path):
    text = open(path).read()
    a = re.search(r'from (\d\d:\d\d:\d\d\.\d+)', text)
    b = re.search(r'exit \d+ after [0-9.]+ s, at (\d\d:\d\d:\d\d\.\d+)', text)
    return '%.1f-%.1f' % (off(a.group(1)), off(b.group(1))) if a and b else '?'
print('shards %s, merge %s' % (' '.join(span('%s/shard-%d.out' % (logs, i)) for i in range(4)),
                               span(logs + '/merge.out')))
PYEOF
)
merge_s=$(sed -n 's/^tokenbench merge: exit 0 after \([0-9.]*\) s.*/\1/p' "$WORK/slurm/logs/merge.out")
shard_s=$(sed -n 's/^tokenbench shard .*exit 0 after \([0-9.]*\) s.*/\1/p' "$WORK/slurm/logs"/shard-*.out | tr '\n' ' ')
echo "Slurm: 4 shards + merge in $((slurm_ms / 1000)).$((slurm_ms % 1000 / 100)) s (tokenbench: shards ${shard_s% } s, merge ${merge_s} s; s after submit: $timeline); single run $((single_ms / 1000)).$((single_ms % 1000 / 100)) s; $same"
