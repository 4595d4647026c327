# Repository tasks through the simulator in each edit format (unified diff,
# whole files, search/replace), with a second try after failing tests.
source "$(dirname "$0")/lib.sh"
$PY - providers/demo.json "$WORK/providers.json" <<'PYEOF'
import json, sys
ps = [p for p in json.load(open(sys.argv[1]))['providers'] if p['name'] in ('sim-budget-mini', 'sim-open-weight')]
for p in ps:
    p['sim']['skill'] = 0.55  # enough failures to need second tries
    p['sim']['style']['wrong_language'] = 0.3  # and patches that do not apply
json.dump({'providers': ps}, open(sys.argv[2], 'w'))
PYEOF
start_sim --profiles "$WORK/providers.json"
export TOKENBENCH_SIM_PORT=$SIM_PORT
for f in diff whole search_replace; do
	"$TB" run --suite tasks/swe-starter --providers "$WORK/providers.json" --limit 8 --edit-format $f --tries 2 \
		--out "$WORK/$f" --quiet >"$WORK/$f.log" 2>&1
	rc=$?
	[ $rc -le 1 ] || fail "$f: exit $rc: $(tail -3 "$WORK/$f.log")"
done
stop_sim >/dev/null
$PY - "$WORK" <<'PYEOF' || exit 1
import json, sys
work = sys.argv[1]
for f in ('diff', 'whole', 'search_replace'):
    recs = [json.loads(l) for l in open('%s/%s/samples.jsonl' % (work, f))]
    assert len(recs) == 16, (f, len(recs))
    assert all(r['status'] in ('passed', 'failed') for r in recs), [r for r in recs if r['status'] == 'error'][:2]
    fmts = set(r['edit_format'] for r in recs if 'edit_format' in r)
    assert fmts == {f}, (f, fmts)
    assert any(r['status'] == 'passed' for r in recs), f
    assert any(r.get('tries') for r in recs), 'no sample took a second try: ' + f
    for r in recs:
        if r.get('tries'):
            assert len(r['tries']) == 2 and r['tries'][0]['status'] == 'failed', r['tries']
            assert abs(r['cost_usd'] - sum(t['cost_usd'] for t in r['tries'])) < 1e-9
    s = json.load(open('%s/%s/summary.json' % (work, f)))
    for p in s['providers']:
        assert len(p['pass_at_try']) == 2 and p['pass_at_try'][1] >= p['pass_at_try'][0], p
        assert 0 <= p['well_formed_rate'] <= 1
    bad = [r for r in recs if r.get('fail_reason') in ('patch_does_not_apply', 'malformed_edit')]
    print(f, 'passed', sum(r['status'] == 'passed' for r in recs), 'of', len(recs), 'not well-formed', len(bad))
PYEOF
echo "diff, whole and search_replace: answers applied, second tries recorded, pass@try1/2 reported"
