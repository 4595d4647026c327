# A plan run as 3 shards (run --shard I/3, at the same time) and merged
# equals the same plan run at once: the same records apart from timing, the
# same statistics (bootstrap included). The budget is split in proportion
# to each shard's worst case. merge refuses a missing shard (unless
# --allow-partial), a shard given twice, a shard of another plan, a foreign
# record and a record written twice; merge --no-report writes no report;
# the merged directory can be retried with --retry-errors.
source "$(dirname "$0")/lib.sh"
start_sim
export TOKENBENCH_SIM_PORT=$SIM_PORT
args=(--suite tasks/starter --providers providers/demo.json --samples 2 --limit 8 --seed 7 --max-cost 50 --quiet)
"$TB" run "${args[@]}" --out "$WORK/single" || fail "the single run exited $?: $(grep -v "\"status\":\"passed\"\|\"status\":\"failed\"" "$WORK/single/samples.jsonl" | head -n 3)"
pids=""
for i in 0 1 2; do
	timeout 300 "$TB" run "${args[@]}" --shard "$i/3" --jobs 1 --out "$WORK/shard-$i" >"$WORK/shard-$i.log" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || fail "a shard exited $?: $(cat "$WORK"/shard-*.log)"
done
"$TB" merge "$WORK/merged" "$WORK/shard-2" "$WORK/shard-0" "$WORK/shard-1" --quiet || fail "merge exited $?"
same=$(same_results "$WORK/single" "$WORK/merged") || fail "merged and single runs differ: $same"
$PY - "$WORK" <<'PYEOF' || exit 1
import json, sys
w = sys.argv[1]
shards = [json.load(open('%s/shard-%d/run.json' % (w, i))) for i in range(3)]
single = json.load(open(w + '/single/run.json'))
assert all(s['plan']['sha256'] == single['plan']['sha256'] for s in shards), 'plan hashes differ'
assert sum(s['shard']['samples'] for s in shards) == single['plan']['samples_total'] == 80
assert sorted(s['shard']['index'] for s in shards) == [0, 1, 2]
caps = [s['shard']['budget']['max_cost_usd'] for s in shards]
assert sum(caps) <= 50 and sum(caps) > 50 - 3e-6, caps
for s, cap in zip(shards, caps):
    b = s['shard']['budget']
    assert b['plan_max_cost_usd'] == 50 and s['max_cost_usd'] == 50
    share = b['worst_case_usd'] / b['plan_worst_case_usd']
    assert abs(cap - 50 * share) <= 1.01e-6, (cap, share)
merged = json.load(open(w + '/merged/run.json'))
assert 'shard' not in merged and merged['merge']['missing'] == 0 and merged['merge']['records'] == 80
c = merged['command']
assert c[0] == 'run' and '--shard' not in c and c[c.index('--out') + 1] == w + '/merged', c
# every shard's raw responses, as the shards' own packs
import glob, os
packs = sorted(glob.glob(w + '/merged/cache/pack-*.jsonl'))
assert packs and all(os.path.basename(p).startswith('pack-s') for p in packs), packs
assert sum(1 for p in packs for l in open(p)) == 80, packs
assert merged['cache'] == w + '/merged/cache', merged['cache']
# each shard measured time limits for its own tasks only; the merged run has them all
for s in shards:
    own = set(s['time_limits']['tasks'])
    assert len(own) == s['shard']['tasks'], (len(own), s['shard']['tasks'])
assert set(merged['time_limits']['tasks']) == set(single['plan']['tasks'])
PYEOF
# --no-report: the records, run.json and raw responses, no report
"$TB" merge "$WORK/bare" "$WORK/shard-0" "$WORK/shard-1" "$WORK/shard-2" --quiet --no-report ||
	fail "merge --no-report exited $?"
[ -s "$WORK/bare/samples.jsonl" ] && [ -s "$WORK/bare/run.json" ] && [ -d "$WORK/bare/cache" ] &&
	[ ! -e "$WORK/bare/summary.json" ] || fail "merge --no-report wrote: $(ls "$WORK/bare")"
cmp -s "$WORK/bare/samples.jsonl" "$WORK/merged/samples.jsonl" || fail "merge --no-report wrote other records"
# a shard left out: refused, then merged with --allow-partial (exit 1)
"$TB" merge "$WORK/part" "$WORK/shard-0" "$WORK/shard-2" --quiet 2>"$WORK/err"
rc=$?
[ $rc = 2 ] || fail "merging without shard 1 exited $rc (want 2)"
grep -q "shard 1/3: no directory given" "$WORK/err" || fail "no word of the missing shard: $(cat "$WORK/err")"
"$TB" merge "$WORK/part" "$WORK/shard-0" "$WORK/shard-2" --quiet --allow-partial 2>/dev/null
rc=$?
[ $rc = 1 ] || fail "--allow-partial exited $rc (want 1)"
[ -s "$WORK/part/summary.json" ] || fail "--allow-partial wrote no summary"
# a shard given twice
"$TB" merge "$WORK/dup" "$WORK/shard-0" "$WORK/shard-1" "$WORK/shard-2" "$WORK/shard-1" --quiet 2>"$WORK/err"
[ $? = 2 ] && grep -q "given twice" "$WORK/err" || fail "a duplicate shard was not refused: $(cat "$WORK/err")"
# a shard of another plan (one sample per task)
other=("${args[@]}")
other[5]=1
"$TB" run "${other[@]}" --shard 1/3 --out "$WORK/other-1" || fail "the other plan's shard exited $?"
"$TB" merge "$WORK/mixed" "$WORK/shard-0" "$WORK/other-1" "$WORK/shard-2" --quiet 2>"$WORK/err"
[ $? = 2 ] && grep -q "not from the same plan.*samples per task differ" "$WORK/err" ||
	fail "a shard of another plan was not refused: $(cat "$WORK/err")"
# a record of shard 0 written twice
cp -r "$WORK/shard-0" "$WORK/twice-0"
head -n 1 "$WORK/shard-0/samples.jsonl" >>"$WORK/twice-0/samples.jsonl"
"$TB" merge "$WORK/twice" "$WORK/twice-0" "$WORK/shard-1" "$WORK/shard-2" --quiet 2>"$WORK/err"
[ $? = 2 ] && grep -q "duplicates the .* record of line 1" "$WORK/err" ||
	fail "a duplicate record was not refused: $(cat "$WORK/err")"
# a record of shard 1's task copied into shard 0
cp -r "$WORK/shard-0" "$WORK/bad-0"
head -n 1 "$WORK/shard-1/samples.jsonl" >>"$WORK/bad-0/samples.jsonl"
"$TB" merge "$WORK/bad" "$WORK/bad-0" "$WORK/shard-1" "$WORK/shard-2" --quiet 2>"$WORK/err"
[ $? = 2 ] && grep -q "belongs to shard 1/3" "$WORK/err" || fail "a foreign record was not refused: $(cat "$WORK/err")"
# the merged directory is a run directory: its errors can be retried (none here)
"$TB" run --retry-errors "$WORK/merged" --quiet || fail "run --retry-errors on the merged directory exited $?"
served=$(stop_sim)
other_n=$($PY -c 'import json, sys; print(json.load(open(sys.argv[1]))["shard"]["samples"])' "$WORK/other-1/run.json")
# and the 5 runs that planned requests (single, 3 shards, other-1) each
# checked the 5 providers first (preflight: GET /v1/models/{id})
[ "$served" = $((160 + other_n + 25)) ] || fail "the simulator served $served requests (want 80 + 80 + $other_n + 5 x 5 preflight checks)"
echo "3 shards merged = one run: $same; refusals ok"
