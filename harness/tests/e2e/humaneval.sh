# HumanEval through the real pipeline: canonical solutions as predictions pass
# 164/164, empty predictions fail 164/164 as failures; the Wilson bound is right.
source "$(dirname "$0")/lib.sh"
he=$DATA/humaneval/HumanEval.jsonl.gz
[ -f "$he" ] || skip "no $he (set TOKENBENCH_DATASETS to the shared datasets folder)"
$PY - "$he" "$WORK" <<'PYEOF'
import gzip, json, sys
tasks = [json.loads(l) for l in gzip.open(sys.argv[1], 'rt')]
with open(sys.argv[2] + '/gold.jsonl', 'w') as g, open(sys.argv[2] + '/empty.jsonl', 'w') as e:
    for t in tasks:
        g.write(json.dumps({'task_id': t['task_id'], 'completion': t['canonical_solution']}) + '\n')
        e.write(json.dumps({'task_id': t['task_id'], 'completion': ''}) + '\n')
PYEOF
"$TB" eval-predictions --suite "$he" --predictions "$WORK/gold.jsonl" --name gold --out "$WORK/gold" --quiet || fail "gold run exited non-zero"
"$TB" eval-predictions --suite "$he" --predictions "$WORK/empty.jsonl" --name empty --out "$WORK/empty" --quiet
gp=$(count "$WORK/gold/samples.jsonl" "r['status']=='passed'")
ef=$(count "$WORK/empty/samples.jsonl" "r['status']=='failed'")
ee=$(count "$WORK/empty/samples.jsonl" "r['status']=='error'")
[ "$gp" = 164 ] || fail "gold passed $gp/164"
[ "$ef" = 164 ] && [ "$ee" = 0 ] || fail "empty: $ef failed, $ee errors (want 164, 0)"
"$TB" report "$WORK/gold" --format json >"$WORK/g.json" || fail "report --format json"
lo=$($PY -c "import json; p=json.load(open('$WORK/g.json'))['providers'][0]; print(round(p['ci_low'],5), p['ci_method'])")
[ "$lo" = "0.97776 clopper_pearson" ] || fail "gold ci_low/method: $lo (want 0.97776 clopper_pearson: no failures)"
# HumanEval's own sample file: several completions per task, mostly wrong
"$TB" eval-predictions --suite "$DATA/humaneval/example_problem.jsonl" --predictions "$DATA/humaneval/example_samples.jsonl" --out "$WORK/ex" --quiet
ex=$(count "$WORK/ex/samples.jsonl" "True")
[ "$ex" = 6 ] || fail "example_samples: $ex records (want 6)"
echo "gold 164/164 passed, empty 164/164 failed, Wilson low $lo"
