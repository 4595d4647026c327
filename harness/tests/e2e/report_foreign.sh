# report and plot need nothing but a samples.jsonl, whoever wrote it: here a
# minimal file written by another tool (no cost, no usage, no latency).
source "$(dirname "$0")/lib.sh"
$PY - "$WORK/foreign" <<'PYEOF'
import json, os, sys
os.makedirs(sys.argv[1])
with open(sys.argv[1] + '/samples.jsonl', 'w') as f:
    for i in range(40):
        for prov, p in (('alpha', 0.8), ('beta', 0.55)):
            st = 'passed' if (i * 7919 % 100) / 100 < p else 'failed'
            f.write(json.dumps({'task': 't%d' % i, 'provider': prov, 'sample': 0, 'status': st,
                                'cost_usd': 0.002 if prov == 'alpha' else 0.0004}) + '\n')
    f.write('this line is not json\n')
PYEOF
"$TB" report "$WORK/foreign" --format json >"$WORK/s.json" 2>"$WORK/err" || fail "report failed: $(cat "$WORK/err")"
grep -q "samples.jsonl:81: not a sample record" "$WORK/err" || fail "the bad line was not reported: $(cat "$WORK/err")"
$PY -c "
import json
s = {p['name']: p for p in json.load(open('$WORK/s.json'))['providers']}
assert s['alpha']['tasks'] == 40 and abs(s['alpha']['cost_usd'] - 0.08) < 1e-9
assert s['beta']['on_frontier'] and s['alpha']['on_frontier']
" || fail "summary of a foreign file is wrong"
"$TB" plot "$WORK/foreign" --out "$WORK/chart.svg" >/dev/null 2>&1 || fail "plot --out svg failed"
$PY -c "import xml.dom.minidom; xml.dom.minidom.parse('$WORK/chart.svg')" || fail "chart.svg is not XML"
"$TB" plot "$WORK/foreign" >/dev/null 2>&1 && [ -s "$WORK/foreign/frontier.png" ] || fail "plot DIR failed"
# a chart's script redraws it from its directory, wherever that has moved
mv "$WORK/foreign" "$WORK/moved"
rm "$WORK/moved/forest.png" "$WORK/moved/forest.svg"
(cd "$WORK/moved" && gnuplot forest.gp) >"$WORK/gp.log" 2>&1 && [ -s "$WORK/moved/forest.png" ] &&
	[ -s "$WORK/moved/forest.svg" ] || fail "gnuplot forest.gp in the moved directory: $(cat "$WORK/gp.log")"
echo "foreign samples.jsonl: report (json) and plot (png, svg) work, and the moved charts redraw from their scripts; the malformed line is named"
