# The bundled starter suite: every reference solution passes in the sandbox,
# every empty answer fails (as a failure, not an error), and the suite has
# the size the issue asks for.
source "$(dirname "$0")/lib.sh"
suite=tasks/starter
py=$($PY -c "import json,glob; print(sum(json.loads(l)['language']=='python' for f in glob.glob('$suite/*.jsonl') for l in open(f) if l.strip()))")
c=$($PY -c "import json,glob; print(sum(json.loads(l)['language']=='c' for f in glob.glob('$suite/*.jsonl') for l in open(f) if l.strip()))")
[ "$py" -ge 25 ] && [ "$c" -ge 15 ] || fail "starter has $py Python and $c C tasks (want >= 25 and >= 15)"
n=$((py + c))
"$TB" eval-predictions --suite $suite --gold --out "$WORK/gold" --quiet || fail "gold run failed"
"$TB" eval-predictions --suite $suite --empty --out "$WORK/empty" --quiet
gp=$(count "$WORK/gold/samples.jsonl" "r['status']=='passed'")
ef=$(count "$WORK/empty/samples.jsonl" "r['status']=='failed'")
[ "$gp" = "$n" ] || fail "gold: $gp of $n passed: $(grep -v '"passed"' "$WORK/gold/samples.jsonl" | head -3)"
[ "$ef" = "$n" ] || fail "empty: $ef of $n failed"
echo "starter: $n tasks ($py Python, $c C): gold $gp/$n passed, empty $ef/$n failed"
