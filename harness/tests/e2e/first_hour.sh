# A fresh user's first hour (issue 14, "Done when"): a home with nothing in
# its cache, `tokenbench fetch humaneval mbpp-sanitized swebench-lite`
# against a loopback mirror of the canonical addresses
# (harness/tests/data/fetch_mirror.py: the files of ../shared/datasets at
# RAW/HOST/PATH, SWE-bench Lite through the Hugging Face rows interface),
# then `eval-predictions --suite humaneval --gold` passes 164/164 and
# `--suite mbpp-sanitized --gold` (the JSON array as distributed) 427/427:
# the counts printed and summary.json are checked. Nothing leaves 127.0.0.1.
source "$(dirname "$0")/lib.sh"
for f in humaneval/HumanEval.jsonl.gz mbpp/sanitized-mbpp.json swebench/swebench_lite_test.jsonl; do
	[ -f "$DATA/$f" ] || skip "no $DATA/$f (set TOKENBENCH_DATASETS to the shared datasets folder)"
done
# the mirror's files, where --list says the canonical addresses are
"$TB" fetch --list >"$WORK/list" || fail "fetch --list exited $?"
for pair in humaneval=humaneval/HumanEval.jsonl.gz mbpp-sanitized=mbpp/sanitized-mbpp.json; do
	url=$(grep -A1 "^${pair%%=*} " "$WORK/list" | sed -n '2s/^ *//p')
	case $url in https://*) ;; *) fail "no address for ${pair%%=*} in --list: $(cat "$WORK/list")" ;; esac
	mkdir -p "$(dirname "$WORK/root/${url#https://}")"
	cp "$DATA/${pair#*=}" "$WORK/root/${url#https://}"
done
: >"$WORK/mode"
$PY harness/tests/data/fetch_mirror.py "$WORK/root" "$WORK/mode" "$WORK/log" \
	princeton-nlp/SWE-bench_Lite="$DATA/swebench/swebench_lite_test.jsonl" >"$WORK/mirror.out" 2>&1 &
BG_PIDS="$BG_PIDS $!"
wait_port PORT "$WORK/mirror.out" 's/^port //p' "the mirror"

# a fresh user: an empty home, no TOKENBENCH_DATA, no XDG_CACHE_HOME
mkdir -p "$WORK/home"
export HOME=$WORK/home TOKENBENCH_FETCH_MIRROR=http://127.0.0.1:$PORT
unset TOKENBENCH_DATA XDG_CACHE_HOME
cache=$HOME/.cache/tokenbench/suites
"$TB" fetch humaneval mbpp-sanitized swebench-lite >"$WORK/paths" 2>"$WORK/fetch.err" ||
	fail "fetch exited $?: $(cat "$WORK/fetch.err")"
printf '%s\n' "$cache/HumanEval.jsonl.gz" "$cache/sanitized-mbpp.json" "$cache/swebench_lite_test.jsonl" |
	cmp -s - "$WORK/paths" || fail "fetch printed: $(cat "$WORK/paths")"
[ "$(ls "$cache" | wc -l)" = 3 ] || fail "the cache holds: $(ls -A "$cache")"

# gold_run NAME N: eval-predictions --suite NAME --gold passes N of N, as
# printed and in summary.json
gold_run() {
	local start=$SECONDS
	"$TB" eval-predictions --suite "$1" --gold --out "$WORK/$1" >"$WORK/$1.log" 2>&1 ||
		fail "--suite $1 --gold exited $?: $(tail -5 "$WORK/$1.log")"
	grep -q "^gold: $2 of $2 tasks pass with the reference solution$" "$WORK/$1.log" ||
		fail "$1: $(tail -5 "$WORK/$1.log")"
	$PY -c 'import json, sys
p = json.load(open(sys.argv[1] + "/summary.json"))["providers"]
n = int(sys.argv[2])
ok = len(p) == 1 and p[0]["name"] == "gold" and (p[0]["tasks"], p[0]["samples"], p[0]["passed"], p[0]["failed"],
     p[0]["errors"], p[0]["not_attempted"]) == (n, n, n, 0, 0, 0) and p[0]["pass_rate"] == 1
sys.exit(not ok)' "$WORK/$1" "$2" || fail "$1 summary.json: $(head -c 600 "$WORK/$1/summary.json")"
	echo "$1: $(grep '^gold:' "$WORK/$1.log") ($((SECONDS - start)) s)"
}
gold_run humaneval 164
gold_run mbpp-sanitized 427
echo "fresh home: fetched humaneval, mbpp-sanitized, swebench-lite from the loopback mirror; humaneval gold 164/164, mbpp-sanitized gold 427/427"
