# Bad input gets a clear message naming the file and line (or entry), exit 2.
source "$(dirname "$0")/lib.sh"
printf '%s\n' '{"id": "py/a", "language": "python", "entry_point": "f", "prompt": "def f():\n", "reference": "    return 1\n", "tests": "def check(c):\n    assert c() == 1\n"}' '{"id": "py/b", "language": ' >"$WORK/bad.jsonl"
"$TB" run --suite "$WORK/bad.jsonl" --providers providers/demo.json --dry-run >"$WORK/o" 2>&1
rc=$?
[ $rc = 2 ] || fail "malformed suite: exit $rc"
grep -q "bad.jsonl:2: not a JSON object" "$WORK/o" || fail "malformed suite message: $(cat "$WORK/o")"
echo '[{"name": "x", "protocol": "openai", "base_url": "http://127.0.0.1:1/v1", "model": "m", "api_key_env": "K", "price": {"input": 1, "output": 1}}]' >"$WORK/p.json"
"$TB" run --suite tasks/starter --providers "$WORK/p.json" --dry-run >"$WORK/o" 2>&1
[ $? = 2 ] && grep -q "p.json: provider 1: price of 'x' needs 'as_of'" "$WORK/o" || fail "provider file message: $(cat "$WORK/o")"
echo '{"task_id": "nope/1", "completion": "x"}' >"$WORK/pred.jsonl"
"$TB" eval-predictions --suite tasks/starter --predictions "$WORK/pred.jsonl" --name x --out "$WORK/e" >"$WORK/o" 2>&1
[ $? = 2 ] && grep -q "pred.jsonl:1: task 'nope/1' is not in the suite" "$WORK/o" || fail "predictions message: $(cat "$WORK/o")"
"$TB" run --bogus >"$WORK/o" 2>&1
[ $? = 2 ] || fail "unknown option did not exit 2"
"$TB" report "$WORK/none" >"$WORK/o" 2>&1
[ $? = 2 ] || fail "report of a missing directory did not exit 2"
echo "malformed suite line, provider file, predictions and options: exit 2 with file:line messages"
