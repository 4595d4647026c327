# SWE-bench's harness edits some files of the work copy before it applies a
# patch (sphinx: setup.py and tox.ini). A prediction that edits them too may
# not apply there, so its published verdict can be "unresolved" whatever the
# tests say. Here it is scored on what it changes, and the report, the
# SWE-bench summary and the printed note name the files, so that a
# comparison with published verdicts knows why they may differ.
source "$(dirname "$0")/lib.sh"
# a tiny SWE-bench-style repository, mirrored as owner__name
repo=$WORK/mirrors/acme__tiny
mkdir -p "$repo/tiny" "$repo/tests"
printf 'def double(x):\n    return x + x + 1\n' >"$repo/tiny/__init__.py"
printf 'import tiny\n\ndef test_one():\n    assert tiny.double(0) >= 0\n' >"$repo/tests/test_tiny.py"
printf '[testenv]\ncommands =\n    python -m pytest {posargs}\n' >"$repo/tox.ini"
git -C "$repo" init -q && git -C "$repo" add -A && git -C "$repo" -c user.name=t -c user.email=t@t commit -qm base
base=$(git -C "$repo" rev-parse HEAD)
$PY - "$WORK" "$base" <<'PYEOF'
import json, sys
work, base = sys.argv[1:3]
fix = ('diff --git a/tiny/__init__.py b/tiny/__init__.py\n--- a/tiny/__init__.py\n+++ b/tiny/__init__.py\n'
       '@@ -1,2 +1,2 @@\n def double(x):\n-    return x + x + 1\n+    return x + x\n')
tox = ('diff --git a/tox.ini b/tox.ini\n--- a/tox.ini\n+++ b/tox.ini\n'
       '@@ -1,3 +1,3 @@\n [testenv]\n commands =\n-    python -m pytest {posargs}\n+    python -m pytest -rA {posargs}\n')
test = ('diff --git a/tests/test_tiny.py b/tests/test_tiny.py\n--- a/tests/test_tiny.py\n+++ b/tests/test_tiny.py\n'
        '@@ -2,3 +2,6 @@ import tiny\n \n def test_one():\n     assert tiny.double(0) >= 0\n+\n+def test_two():\n+    assert tiny.double(2) == 4\n')
inst = {'instance_id': 'acme__tiny-1', 'repo': 'acme/tiny', 'base_commit': base, 'version': '1.0',
        'problem_statement': 'double(2) returns 5', 'patch': fix, 'test_patch': test,
        'FAIL_TO_PASS': json.dumps(['tests/test_tiny.py::test_two']),
        'PASS_TO_PASS': json.dumps(['tests/test_tiny.py::test_one'])}
open(work + '/suite.jsonl', 'w').write(json.dumps(inst) + '\n')
spec = {'name': 'tiny', 'repos': {'acme/tiny': [{
    'versions': ['1.0'], 'pythonpath': ['.'], 'log_parser': 'pytest',
    'test_cmd': '/usr/bin/python3 -m pytest -rA -p no:cacheprovider {tests}',
    'harness_edits': ['setup.py', 'tox.ini']}]}}
json.dump(spec, open(work + '/env.json', 'w'))
with open(work + '/preds.jsonl', 'w') as f:
    for name, p in (('fix-only', fix), ('fix-and-tox', fix + tox), ('tox-only', tox)):
        f.write(json.dumps({'instance_id': 'acme__tiny-1', 'model_name_or_path': name, 'model_patch': p}) + '\n')
PYEOF
"$TB" eval-predictions --suite "$WORK/suite.jsonl" --predictions "$WORK/preds.jsonl" --repos "$WORK/mirrors" \
	--env "$WORK/env.json" --jobs 2 --out "$WORK/run" --quiet >"$WORK/out.txt" 2>&1 || fail "exit $?: $(tail -5 "$WORK/out.txt")"
grep -q "^patches that edit files SWE-bench's harness edits before it applies a patch" "$WORK/out.txt" \
	|| fail "no note: $(cat "$WORK/out.txt")"
grep -q "^  acme__tiny-1 (fix-and-tox): tox.ini; resolved here$" "$WORK/out.txt" || fail "$(cat "$WORK/out.txt")"
grep -q "^  acme__tiny-1 (tox-only): tox.ini; not resolved here$" "$WORK/out.txt" || fail "$(cat "$WORK/out.txt")"
grep -q "(fix-only)" "$WORK/out.txt" && fail "fix-only named: $(cat "$WORK/out.txt")"
$PY - "$WORK/run" <<'PYEOF' || exit 1
import json, sys
run = sys.argv[1]
r = {x['provider']: x for x in map(json.loads, open(run + '/samples.jsonl'))}
assert r['fix-only']['status'] == 'passed' and r['fix-and-tox']['status'] == 'passed', r
assert r['tox-only']['status'] == 'failed', r['tox-only']
for name, files in (('fix-only', None), ('fix-and-tox', ['tox.ini']), ('tox-only', ['tox.ini'])):
    rep = json.load(open('%s/logs/%s/acme__tiny-1/0/report.json' % (run, name)))['acme__tiny-1']
    assert rep.get('edits_harness_edited_files') == files, (name, rep)
    s = json.load(open('%s/%s.swebench.json' % (run, name)))
    assert s['edits_harness_edited_files'] == ({'acme__tiny-1': files} if files else {}), (name, s)
PYEOF
echo "a patch that edits tox.ini is scored on its change and named as one SWE-bench's harness may not apply"
