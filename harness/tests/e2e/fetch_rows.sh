# tokenbench fetch swebench-lite swebench-verified (issue 14), never
# reaching the internet: harness/tests/data/fetch_mirror.py plays the
# Hugging Face dataset viewer's rows interface on 127.0.0.1 from the
# reference exports in ../shared/datasets/swebench, page by page, and
# misbehaves on request: a 503 once (tried again), a slow page, a 404, a
# cell cut short (in big pages only: fewer rows a page; always: an error
# naming the row), a wrong total, a partial split, a wrong id (the ids
# digest), a page that is not JSON, a server that stays down, one that
# never stops sending; and through
# http_proxy (the mirror is the proxy). Checked: the
# rows written are the reference rows, a present matching copy is not
# fetched again, nothing is left behind by a failure, --suite NAME reads
# the fetched copy.
source "$(dirname "$0")/lib.sh"
SWE=$DATA/swebench
[ -f "$SWE/swebench_lite_test.jsonl" ] && [ -f "$SWE/swebench_verified_test.jsonl" ] ||
	skip "no $SWE/swebench_{lite,verified}_test.jsonl (set TOKENBENCH_DATASETS to the shared datasets folder)"
mkdir -p "$WORK/root"
: >"$WORK/mode"
: >"$WORK/log"
$PY harness/tests/data/fetch_mirror.py "$WORK/root" "$WORK/mode" "$WORK/log" \
	princeton-nlp/SWE-bench_Lite="$SWE/swebench_lite_test.jsonl" \
	princeton-nlp/SWE-bench_Verified="$SWE/swebench_verified_test.jsonl" >"$WORK/mirror.out" 2>&1 &
BG_PIDS="$BG_PIDS $!"
wait_port PORT "$WORK/mirror.out" 's/^port //p' "the rows mirror"
export TOKENBENCH_FETCH_MIRROR=http://127.0.0.1:$PORT TOKENBENCH_DATA=$WORK/cache
ROWS="http://127.0.0.1:$PORT/datasets-server.huggingface.co/rows?dataset=princeton-nlp/SWE-bench_Lite&config=default&split=test"
# same JSON lines, in the same order, as the reference file
same_rows() {
	$PY -c 'import json, sys
a, b = ([json.loads(l) for l in open(f) if l.strip()] for f in sys.argv[1:])
sys.exit(a != b)' "$1" "$2"
}

# the pins --list shows are those of the reference files
"$TB" fetch --list >"$WORK/list" || fail "fetch --list exited $?"
for s in lite verified; do
	want=$($PY -c 'import hashlib, json, sys
ids = sorted(json.loads(l)["instance_id"].encode() for l in open(sys.argv[1]) if l.strip())
print(len(ids), "rows, ids digest", hashlib.sha256(b"".join(i + b"\n" for i in ids)).hexdigest())' "$SWE/swebench_${s}_test.jsonl")
	grep -A2 "^swebench-$s " "$WORK/list" | grep -qF "$want" || fail "--list does not pin swebench-$s as $want: $(cat "$WORK/list")"
done
grep -q "JSON rows" "$WORK/list" || fail "--list does not say which interface: $(cat "$WORK/list")"

# before any fetch: --suite NAME says the command
"$TB" eval-predictions --suite swebench-lite --gold --out "$WORK/x" 2>"$WORK/e0" && fail "--suite swebench-lite ran unfetched"
grep -q "run \`tokenbench fetch swebench-lite\`" "$WORK/e0" || fail "unfetched message: $(cat "$WORK/e0")"

# both splits, with one 503 on the way (tried again)
echo flaky >"$WORK/mode"
"$TB" fetch swebench-lite swebench-verified >"$WORK/paths" 2>"$WORK/err" || fail "fetch exited $?: $(cat "$WORK/err")"
printf '%s\n' "$WORK/cache/swebench_lite_test.jsonl" "$WORK/cache/swebench_verified_test.jsonl" | cmp -s - "$WORK/paths" ||
	fail "fetch printed $(cat "$WORK/paths")"
grep -q "HTTP 503: trying again in 1 s" "$WORK/err" || fail "no retry said: $(cat "$WORK/err")"
same_rows "$WORK/cache/swebench_lite_test.jsonl" "$SWE/swebench_lite_test.jsonl" || fail "Lite rows differ from the reference"
same_rows "$WORK/cache/swebench_verified_test.jsonl" "$SWE/swebench_verified_test.jsonl" || fail "Verified rows differ"
grep -qE 'length=([0-9]{4,}|[2-9][0-9]{2}|1[1-9][0-9]|10[1-9])[^0-9]' "$WORK/log" && fail "a page of more than 100 rows asked for"
[ "$(grep -c 'SWE-bench_Verified.*offset=' "$WORK/log")" = 5 ] || fail "Verified not in 5 pages: $(cat "$WORK/log")"

# present and matching: nothing asked for; --offline is content with it
before=$(wc -l <"$WORK/log")
"$TB" fetch swebench-lite swebench-verified >/dev/null 2>"$WORK/again" || fail "fetch again exited $?"
[ "$(wc -l <"$WORK/log")" = "$before" ] || fail "a matching copy was fetched again"
grep -q "swebench-lite: already here, rows and ids digest checked" "$WORK/again" || fail "again: $(cat "$WORK/again")"
TOKENBENCH_FETCH_MIRROR=http://127.0.0.1:1 "$TB" fetch --offline swebench-verified >/dev/null 2>&1 || fail "--offline exited $?"

# --suite NAME reads the fetched copy (scoring it needs the repositories:
# none here, so the error names the repository, not the suite)
"$TB" eval-predictions --suite swebench-lite --gold --instances <(echo astropy__astropy-12907) \
	--repos "$WORK/norepos" --out "$WORK/r" --quiet >"$WORK/r.log" 2>&1
$PY -c 'import json, sys; m = json.load(open(sys.argv[1] + "/run.json"))
sys.exit(not (m["tasks"] == 1 and m["suites"][0]["path"] == sys.argv[2]))' "$WORK/r" "$WORK/cache/swebench_lite_test.jsonl" ||
	fail "--suite swebench-lite did not read the fetched copy: $(cat "$WORK/r.log")"
grep -q "repository 'astropy/astropy' is not in '$WORK/norepos'" "$WORK/r.log" || fail "repos: $(cat "$WORK/r.log")"

# and run's: a dry run of two instances by five providers
"$TB" run --suite swebench-lite --providers providers/demo.json --dry-run --out "$WORK/dry" \
	--instances <(printf '%s\n' astropy__astropy-12907 django__django-11422) >"$WORK/dry.log" 2>&1 ||
	fail "run --suite swebench-lite --dry-run exited $?: $(tail -3 "$WORK/dry.log")"
grep -q '^total  *10 ' "$WORK/dry.log" || fail "run --suite swebench-lite --dry-run: $(tail -3 "$WORK/dry.log")"

# a copy that differs (one id changed) is fetched again, with both digests said
sed -i '1s/"instance_id": *"\([^"]*\)"/"instance_id":"\1-changed"/' "$WORK/cache/swebench_lite_test.jsonl"
"$TB" fetch swebench-lite >/dev/null 2>"$WORK/err" || fail "refetch exited $?: $(cat "$WORK/err")"
grep -qE "has 300 rows with ids digest [0-9a-f]{64}, not the pinned 300 with 6b9850de[0-9a-f]{56}: fetching it again" "$WORK/err" ||
	fail "changed copy: $(cat "$WORK/err")"
same_rows "$WORK/cache/swebench_lite_test.jsonl" "$SWE/swebench_lite_test.jsonl" || fail "the refetched rows differ"

# cells cut short in big pages only: fewer rows a page, and the same rows
export TOKENBENCH_DATA=$WORK/cache2
echo bigpage >"$WORK/mode"
"$TB" fetch swebench-lite >/dev/null 2>"$WORK/err" || fail "bigpage exited $?: $(cat "$WORK/err")"
grep -q "row 5 (django__django-11422) has cells cut short (patch): asking for fewer rows a page" "$WORK/err" ||
	fail "bigpage: $(cat "$WORK/err")"
same_rows "$WORK/cache2/swebench_lite_test.jsonl" "$SWE/swebench_lite_test.jsonl" || fail "bigpage rows differ"
# a slow page (2 s) within the transfer's bound
echo slow >"$WORK/mode"
rm -rf "$WORK/cache2"
start=$SECONDS
"$TB" fetch swebench-lite >/dev/null 2>"$WORK/err" || fail "slow exited $?: $(cat "$WORK/err")"
[ $((SECONDS - start)) -ge 2 ] || fail "the slow page was not slow"

# through a proxy, as curl users set it: the mirror named by an address
# nothing listens on (127.0.0.2:1), the proxy (the mirror itself) serves it
: >"$WORK/mode"
rm -rf "$WORK/cache2"
env -u no_proxy -u NO_PROXY http_proxy=http://127.0.0.1:$PORT TOKENBENCH_FETCH_MIRROR=http://127.0.0.2:1 \
	"$TB" fetch swebench-lite >/dev/null 2>"$WORK/err" || fail "through the proxy: exited $?: $(cat "$WORK/err")"
[ "$(grep -c '^proxied /datasets-server.huggingface.co/rows?dataset=princeton-nlp/SWE-bench_Lite&' "$WORK/log")" = 3 ] ||
	fail "not through the proxy: $(tail -5 "$WORK/log")"
same_rows "$WORK/cache2/swebench_lite_test.jsonl" "$SWE/swebench_lite_test.jsonl" || fail "proxied rows differ"

# failures: an error naming the address and both values; nothing kept
export TOKENBENCH_DATA=$WORK/cache3
check_fails() {  # MODE PATTERN
	echo "$1" >"$WORK/mode"
	"$TB" fetch swebench-lite >"$WORK/out" 2>"$WORK/err" && fail "$1: fetch exited 0"
	[ -s "$WORK/out" ] && fail "$1: a path printed: $(cat "$WORK/out")"
	grep -qF -- "$2" "$WORK/err" || fail "$1: $(cat "$WORK/err")"
	[ -z "$(ls -A "$WORK/cache3")" ] || fail "$1: left behind: $(ls -A "$WORK/cache3")"
	echo "$1: $(grep 'error:' "$WORK/err" | tail -1 | cut -c1-160)"
}
check_fails 404 "error: $ROWS&offset=0&length=100: HTTP 404"
check_fails truncated "error: $ROWS&offset=5&length=1: row 5 (django__django-11422) has cells the viewer cut short even alone: patch"
check_fails total "error: $ROWS&offset=0&length=100: the split has 301 rows (num_rows_total), the catalog pins 300"
check_fails partial "the viewer serves only part of the split (\"partial\": true)"
check_fails wrongid "error: swebench-lite: $ROWS gave rows whose ids digest is"
grep -q "not the pinned 6b9850decb64f71aaed19d394195eb254b666a4abe7f113365195b3e4de2b450: not kept" "$WORK/err" ||
	fail "wrongid: $(cat "$WORK/err")"
check_fails garbage "error: $ROWS&offset=200&length=100: the answer is not a JSON object"
check_fails down "error: $ROWS&offset=0&length=100: HTTP 503 (after 4 tries)"
check_fails endless "error: $ROWS&offset=0&length=100: more than 64 MiB: not a suite"
echo "SWE-bench Lite and Verified read page by page from the loopback rows interface: retried, checked, reused, --suite by name; bad pages refused naming the address"
