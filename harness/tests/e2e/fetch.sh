# tokenbench fetch (issue 14), never reaching the internet: a loopback
# server plays the canonical addresses (TOKENBENCH_FETCH_MIRROR, laid out
# by host) with the files of ../shared/datasets, and a second one serves a
# corrupted, a truncated and a missing (404) copy. From an empty cache,
# fetch humaneval, mbpp-sanitized and humaneval-x-python; --suite NAME
# finds them (humaneval-x-python's --gold passes; first_hour scores the
# other two whole); a present, matching copy is not fetched again; a
# mismatch names both digests and keeps nothing; --suite NAME before any
# fetch says the command to run; bash completion offers the names. The
# SWE-bench splits (the rows interface) are fetch_rows's.
source "$(dirname "$0")/lib.sh"
[ -f "$DATA/humaneval/HumanEval.jsonl.gz" ] || skip "no $DATA (set TOKENBENCH_DATASETS to the shared datasets folder)"
"$TB" fetch --list >"$WORK/list" || fail "fetch --list exited $?"
# both mirrors, laid out as MIRROR/HOST/PATH of each canonical address
$PY - "$WORK/list" "$DATA" "$WORK" <<'PYEOF'
import os, sys
lines = open(sys.argv[1]).read().split('\n')
src = {'humaneval': 'humaneval/HumanEval.jsonl.gz', 'humaneval-plus': 'humanevalplus/HumanEvalPlus.jsonl.gz',
       'mbpp': 'mbpp/mbpp.jsonl', 'mbpp-sanitized': 'mbpp/sanitized-mbpp.json',
       'humaneval-x-cpp': 'humaneval-x/humaneval_cpp.jsonl.gz',
       'humaneval-x-python': 'humaneval-x/humaneval_python.jsonl.gz'}
data, work = sys.argv[2], sys.argv[3]
# an entry: its name and what it is, then its address, then its pin (the
# SWE-bench splits, read page by page, are fetch_rows's)
for i in range(len(lines) - 2):
    if not lines[i] or lines[i][0] == ' ' or not lines[i + 2].lstrip().startswith('sha256 '):
        continue
    name, url = lines[i].split()[0], lines[i + 1].split()[0]
    assert url.startswith('https://'), url
    rel = url[len('https://'):]
    body = open(os.path.join(data, src.pop(name)), 'rb').read()
    for mirror, b in (('good', body), ('bad', {'humaneval': body[:100] + bytes([body[100] ^ 1]) + body[101:],
                                               'mbpp-sanitized': body[:len(body) // 2]}.get(name))):
        if b is None:
            continue  # the bad mirror has no humaneval-x-cpp and the rest: 404
        p = os.path.join(work, mirror, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, 'wb').write(b)
assert not src, 'not in --list: %s' % src
PYEOF
serve() {  # serve DIR: a loopback HTTP server; sets PORT and LOG
	LOG=$(mktemp "$WORK/http.XXXXXX")
	$PY -c 'import functools, http.server, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
print("port", s.server_address[1], flush=True)
s.serve_forever()' "$1" >"$LOG" 2>&1 &
	BG_PIDS="$BG_PIDS $!"
	wait_port PORT "$LOG" 's/^port //p' "the loopback server"
}
serve "$WORK/good"; GOOD=$PORT; GOODLOG=$LOG
serve "$WORK/bad"; BAD=$PORT
export TOKENBENCH_DATA=$WORK/cache
# before any fetch: --suite NAME says what to run
"$TB" eval-predictions --suite humaneval --gold --out "$WORK/x" 2>"$WORK/e0" && fail "--suite humaneval ran unfetched"
grep -q "suite 'humaneval' is not fetched yet (no $WORK/cache/HumanEval.jsonl.gz): run \`tokenbench fetch humaneval\`" \
	"$WORK/e0" || fail "unfetched message: $(cat "$WORK/e0")"
"$TB" fetch humaneval --offline 2>"$WORK/e0" && fail "--offline fetched"
# a fresh user's fetch
TOKENBENCH_FETCH_MIRROR=http://127.0.0.1:$GOOD "$TB" fetch humaneval mbpp-sanitized humaneval-x-python >"$WORK/paths" \
	2>"$WORK/fetch.err" || fail "fetch exited $?: $(cat "$WORK/fetch.err")"
printf '%s\n' "$WORK/cache/HumanEval.jsonl.gz" "$WORK/cache/sanitized-mbpp.json" "$WORK/cache/humaneval_python.jsonl.gz" |
	cmp -s - "$WORK/paths" ||
	fail "fetch printed $(cat "$WORK/paths")"
cmp -s "$WORK/cache/HumanEval.jsonl.gz" "$DATA/humaneval/HumanEval.jsonl.gz" || fail "HumanEval differs from its source"
grep -q 'GET /raw.githubusercontent.com/openai/human-eval/[0-9a-f]*/data/HumanEval.jsonl.gz' "$GOODLOG" ||
	fail "not fetched from the canonical path: $(cat "$GOODLOG")"
# again: present and matching, nothing downloaded (offline proves it too)
before=$(grep -c 'GET ' "$GOODLOG")
TOKENBENCH_FETCH_MIRROR=http://127.0.0.1:$GOOD "$TB" fetch humaneval mbpp-sanitized >/dev/null 2>"$WORK/again" ||
	fail "fetch again exited $?"
[ "$(grep -c 'GET ' "$GOODLOG")" = "$before" ] || fail "a matching copy was fetched again"
grep -q 'humaneval: already here, digest checked' "$WORK/again" || fail "again: $(cat "$WORK/again")"
"$TB" fetch --offline humaneval >/dev/null 2>&1 || fail "--offline with the copy present exited $?"
# --suite NAME: the fetched copies (first_hour scores humaneval and
# mbpp-sanitized whole by name)
# HumanEval-X's Python version: its tests call check() themselves
"$TB" eval-predictions --suite humaneval-x-python --gold --instances <(printf 'Python/%d\n' 0 1 2 3) \
	--out "$WORK/hx" --quiet >"$WORK/hx.log" 2>&1 || fail "--suite humaneval-x-python --gold exited $?: $(tail -3 "$WORK/hx.log")"
[ "$(count "$WORK/hx/samples.jsonl" "r['status'] == 'passed'")" = 4 ] || fail "humaneval-x-python gold: $(tail -3 "$WORK/hx.log")"
# the bad mirror: corrupted, truncated, missing; nothing kept
export TOKENBENCH_DATA=$WORK/cache2
for name in humaneval mbpp-sanitized humaneval-x-cpp; do
	TOKENBENCH_FETCH_MIRROR=http://127.0.0.1:$BAD/ "$TB" fetch $name >"$WORK/out" 2>"$WORK/err" && fail "$name: a bad copy was taken"
	[ -s "$WORK/out" ] && fail "$name: a path printed for a bad copy"
	echo "$name: $(grep error "$WORK/err")"
	ls "$WORK/cache2" | grep -q . && fail "$name: a bad copy was kept: $(ls "$WORK/cache2")"
done
grep -q "humaneval-x-cpp.jsonl.gz: HTTP 404\|humaneval_cpp.jsonl.gz: HTTP 404" "$WORK/err" || fail "404: $(cat "$WORK/err")"
TOKENBENCH_FETCH_MIRROR=http://127.0.0.1:$BAD "$TB" fetch humaneval 2>"$WORK/err"
grep -qE "humaneval: http://127.0.0.1:$BAD/raw.githubusercontent.com/.* has sha256 [0-9a-f]{64}, not the pinned b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef: not kept" \
	"$WORK/err" || fail "mismatch message: $(cat "$WORK/err")"
# bash completion: the catalogue's names after fetch and --suite
out=$(PATH=$PWD:$PATH bash -c '
	source scripts/tokenbench.bash-completion
	c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _tokenbench; echo "${COMPREPLY[*]}"; }
	c tokenbench fetch swe
	c tokenbench run --suite humaneval-x
	c tokenbench eval-predictions --suite mbpp')
want="swebench-lite swebench-verified
humaneval-x-cpp humaneval-x-python
mbpp mbpp-sanitized"
[ "$out" = "$want" ] || fail "completion gave
$out
want
$want"
"$TB" fetch nosuch 2>"$WORK/err" && fail "fetch nosuch exited 0"
grep -q "no suite called 'nosuch'" "$WORK/err" || fail "unknown name: $(cat "$WORK/err")"
echo "fetched from the loopback mirror, checked, reused, --suite by name; bad copies refused with both digests"
