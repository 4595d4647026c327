# report.html in a real browser: a small run against the simulator (the 5
# models of providers/demo.json, 5 starter tasks and one hostile task whose
# answer, prompt, cluster and test output carry markup and script), then
# headless Chromium over the DevTools protocol (scripts/cdp.py) checks the
# page (harness/tests/e2e/report_html.py): the provider table against
# summary.json, sorting, a failed cell's answer and test output, the charts,
# nothing run or fetched, no key or machine path in it; again from a copy
# of the directory served by a static server on loopback. The screenshot
# and the run directory are kept in results/e2e-report-html/.
source "$(dirname "$0")/lib.sh"
command -v "${TOKENBENCH_CHROMIUM:-chromium}" >/dev/null ||
	skip "no chromium (scripts/install-deps installs Debian's)"
$PY - "$WORK" <<'PYEOF' || exit 1
import json, sys
work = sys.argv[1]
keep = ('py/digit_sum', 'py/grade_letter', 'py/second_largest', 'py/mask_card', 'py/caesar_shift')
tasks = [json.loads(l) for l in open('tasks/starter/starter.jsonl')]
tasks = [t for t in tasks if t['id'] in keep]
payload = '</script><script>alert(1)</script><img src="http://127.0.0.1:CANARY/img" onerror="alert(2)">'
tasks.append({
    'id': 'py/hostile', 'language': 'python', 'kind': 'function', 'difficulty': 1,
    'cluster': '</option><img src=x onerror=alert(3)>', 'entry_point': 'shout', 'timeout_s': 10,
    'prompt': 'def shout(text, times):\n    """Return text in upper case, times times (none below 1).\n'
              '    Mind ' + payload + '\n    """\n',
    'reference': '    # ' + payload + '\n    if times < 1:\n        return ""\n    return text.upper() * times\n',
    # always fails, after 64 KB of output: a hostile test output too long to inline
    'tests': 'def check(candidate):\n    print(' + repr(payload) + ')\n    print("x" * 65536)\n'
             '    assert candidate("ab", 2) == "nope", ' + repr(payload) + '\n'})
with open(work + '/suite.jsonl', 'w') as f:
    for t in tasks:
        f.write(json.dumps(t) + '\n')
PYEOF
canary=$(free_port)
sed -i "s/CANARY/$canary/g" "$WORK/suite.jsonl"
start_sim --suite "$WORK/suite.jsonl" --latency-ms 40
export TOKENBENCH_SIM_PORT=$SIM_PORT
key=sk-planted-$RANDOM$RANDOM$RANDOM
TOKENBENCH_SIM_KEY=$key "$TB" run --suite "$WORK/suite.jsonl" --providers providers/demo.json --samples 2 \
	--seed 7 --out "$WORK/run" --quiet >"$WORK/run.log" 2>&1
rc=$?
[ $rc = 0 ] || fail "run exited $rc: $(tail -3 "$WORK/run.log")"
stop_sim >/dev/null
[ -s "$WORK/run/report.html" ] || fail "run wrote no report.html"
# the page on standard output is the one run wrote
"$TB" report "$WORK/run" --format html >"$WORK/stdout.html" || fail "report --format html exited $?"
cmp -s "$WORK/stdout.html" "$WORK/run/report.html" || fail "report --format html differs from run's report.html"
# report --write writes it again, the same
cp "$WORK/run/report.html" "$WORK/first.html"
"$TB" report "$WORK/run" --write >/dev/null || fail "report --write exited $?"
cmp -s "$WORK/first.html" "$WORK/run/report.html" || fail "report --write wrote another page"
leak=$(grep -l -e "$key" -e "$WORK" -e "$PWD" "$WORK/run/report.html")
[ -z "$leak" ] || fail "report.html holds the planted key, the run directory's or the working directory's path"
keep=results/e2e-report-html
rm -rf "$keep" && mkdir -p results && cp -r "$WORK/run" "$keep"
$PY harness/tests/e2e/report_html.py "$keep" "$canary" "$WORK/copy" || fail "the browser's checks failed"
echo "report.html checked in Chromium (file:// and a static server); screenshot: $keep/screenshot.png"
