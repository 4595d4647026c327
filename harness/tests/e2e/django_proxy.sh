# The django environment of tasks/swebench/envs/debian12.json (untested_here:
# django's repository is too large to mirror here) checked on a proxy:
# Debian 12's own django source package (3.2, fetched by scripts/install-deps
# into build/debian-src/ as one git commit). Three SWE-bench instances whose
# reference patch and test patch apply to that tree, with it as their base
# commit: the runner (tests/runtests.py --settings=test_sqlite --parallel 1),
# the module labels taken from the test patch (three files for custom_pk),
# and the log parser (Python 3.11's test names mapped
# back to SWE-bench's, tests named by their docstring's first line) must
# make every reference patch resolve and every empty patch fail. A proxy:
# these runs say nothing of django's own repository at those commits, and
# count for no table of usable instances.
source "$(dirname "$0")/lib.sh"
REPO=build/debian-src/python-django.git
git --git-dir="$REPO" rev-parse -q --verify HEAD >/dev/null 2>&1 \
	|| skip "no Debian django source in $REPO (scripts/install-deps fetches it)"
for p in python3-asgiref python3-sqlparse python3-tz; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || skip "$p is not installed (scripts/install-deps)"
done
LITE=$DATA/swebench/swebench_lite_test.jsonl
VERIFIED=$DATA/swebench/swebench_verified_test.jsonl
[ -f "$LITE" ] && [ -f "$VERIFIED" ] || skip "no SWE-bench Lite and Verified files under $DATA/swebench"
base=$(git --git-dir="$REPO" rev-parse HEAD)
mkdir -p "$WORK/mirrors"
ln -s "$PWD/$REPO" "$WORK/mirrors/django__django"
$PY - "$LITE" "$VERIFIED" "$base" "$WORK/proxy.jsonl" <<'PYEOF' || fail "could not write the proxy suite"
import json, sys
ids = ["django__django-14007", "django__django-14053", "django__django-14089"]
seen = {}
for f in sys.argv[1:3]:
    for l in open(f):
        d = json.loads(l)
        if d["instance_id"] in ids:
            seen.setdefault(d["instance_id"], d)
assert sorted(seen) == ids, sorted(seen)
with open(sys.argv[4], "w") as out:
    for i in ids:
        d = dict(seen[i], base_commit=sys.argv[3])
        out.write(json.dumps(d) + "\n")
PYEOF
ENV=tasks/swebench/envs/debian12.json
for mode in gold empty; do
	"$TB" eval-predictions --suite "$WORK/proxy.jsonl" --$mode --repos "$WORK/mirrors" --env "$ENV" --jobs 2 \
		--out "$WORK/$mode" >"$WORK/$mode.log" 2>&1
	[ $? -le 1 ] || fail "--$mode: $(tail -5 "$WORK/$mode.log")"
done
grep -q "django/django: this environment was written without being run where" "$WORK/gold.log" \
	|| fail "no note that the environment is untested here: $(head -5 "$WORK/gold.log")"
grep -q "gold: 3 of 3 tasks pass with the reference solution" "$WORK/gold.log" || fail "gold: $(tail -8 "$WORK/gold.log")"
grep -q "empty: 3 of 3 tasks fail with an empty answer" "$WORK/empty.log" || fail "empty: $(tail -8 "$WORK/empty.log")"
$PY - "$WORK" <<'PYEOF' || exit 1
import json, sys
w = sys.argv[1]
gold = {r["task"]: r for r in map(json.loads, open(w + "/gold/samples.jsonl"))}
# the labels (custom_pk.fields custom_pk.models custom_pk.tests) all load: a
# label the runner cannot import is a _FailedTest
for i in gold:
    log = open(w + "/gold/logs/gold/%s/0/test_output.txt" % i).read()
    assert "_FailedTest" not in log and "ImportError" not in log, (i, log[-800:])
ts = gold["django__django-14053"]["report"]["tests_status"]
# a FAIL_TO_PASS test named by its docstring; PASS_TO_PASS names in SWE-bench's (Python 3.9) form
assert ts["FAIL_TO_PASS"]["success"] == ["post_processing behaves correctly."], ts
assert "test_loaded_cache (staticfiles_tests.test_storage.TestCollectionManifestStorage)" in ts["PASS_TO_PASS"]["success"], ts
for r in map(json.loads, open(w + "/empty/samples.jsonl")):
    assert r["status"] == "failed", r
    assert r["report"]["tests_status"]["FAIL_TO_PASS"]["success"] == [], r
PYEOF
echo "django's runner, labels and log parser on Debian's django 3.2 tree (a proxy, counted nowhere): gold 3/3 resolve, empty 0/3"
