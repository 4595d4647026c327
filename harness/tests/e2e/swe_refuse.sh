# SWE-bench prediction files (JSON object, list, JSONL) are scored; patches
# that reach outside the repository, make a symlink, or write through one
# are refused as malformed, never applied.
source "$(dirname "$0")/lib.sh"
# the shared tiny repository (tests/data/double_repo.py), its docs/ a
# symbolic link out of it
repo=$WORK/src/linky
mkdir -p "$repo"
ln -s /tmp "$repo/docs"
$PY - "$WORK" "$repo" <<'PYEOF'
import json, sys
sys.path.insert(0, 'harness/tests/data')
import double_repo
work, repo = sys.argv[1:3]
fix = double_repo.FIX
task = double_repo.task('linky-1', repo, double_repo.commit(repo))
open(work + '/suite.jsonl', 'w').write(json.dumps(task) + '\n')
evil = {
  'through_symlink': 'diff --git a/docs/pwned b/docs/pwned\nnew file mode 100644\n--- /dev/null\n+++ b/docs/pwned\n@@ -0,0 +1 @@\n+x\n',
  'dotdot': '--- a/../outside\n+++ b/../outside\n@@ -0,0 +1 @@\n+x\n',
  'new_symlink': 'diff --git a/pkg/evil b/pkg/evil\nnew file mode 120000\n--- /dev/null\n+++ b/pkg/evil\n@@ -0,0 +1 @@\n+/etc/passwd\n',
}
# SWE-bench's three prediction formats: an object keyed by id, a list, JSONL
json.dump({'linky-1': {'model_name_or_path': 'gold-obj', 'model_patch': fix}}, open(work + '/obj.json', 'w'))
json.dump([{'instance_id': 'linky-1', 'model_name_or_path': name, 'model_patch': p} for name, p in evil.items()],
          open(work + '/list.json', 'w'))
with open(work + '/lines.jsonl', 'w') as f:
    f.write(json.dumps({'instance_id': 'linky-1', 'model_name_or_path': 'empty', 'model_patch': None}) + '\n')
PYEOF
"$TB" eval-predictions --suite "$WORK/suite.jsonl" --predictions "$WORK/obj.json" --out "$WORK/run" --quiet || fail "gold-obj exited $?"
"$TB" eval-predictions --suite "$WORK/suite.jsonl" --predictions "$WORK/list.json" --out "$WORK/run" --quiet
"$TB" eval-predictions --suite "$WORK/suite.jsonl" --predictions "$WORK/lines.jsonl" --out "$WORK/run" --quiet
[ ! -e /tmp/pwned ] || fail "a patch wrote through the symlink to /tmp/pwned"
$PY - "$WORK/run/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
r = {x['provider']: x for x in map(json.loads, open(sys.argv[1]))}
assert r['gold-obj']['status'] == 'passed', r['gold-obj']
for name in ('through_symlink', 'dotdot', 'new_symlink'):
    x = r[name]
    assert x['status'] == 'failed' and x['fail_reason'] == 'malformed_edit', x
    assert x['detail'].startswith('refused'), x
    assert x['well_formed'] is False
e = r['empty']
assert e['status'] == 'failed' and e['edit_format'] == 'none', e
PYEOF
echo "gold resolves; patches through a symlink, with .., or making a symlink refused; empty patch unresolved"
