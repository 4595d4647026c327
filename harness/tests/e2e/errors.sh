# Infrastructure failures are errors, never model failures. With preflight
# and the circuit breaker off (--no-preflight --breaker 0; breaker.sh shows
# them at work), a provider that refuses connections is retried then
# recorded as `error`; an unknown model
# (HTTP 404) fails at once with the provider's message; the others still run.
# A transfer libcurl refuses to set up (a URL past its 8 MB limit) is an
# error that names the option, and nothing is sent.
source "$(dirname "$0")/lib.sh"
start_sim --latency-ms 10
dead=$(free_port)
$PY - "$SIM_PORT" "$dead" "$WORK/providers.json" <<'PYEOF'
import json, sys
port, dead, out = sys.argv[1:4]
def prov(name, p, model):
    return {'name': name, 'protocol': 'openai', 'base_url': 'http://127.0.0.1:%s/v1' % p, 'model': model,
            'api_key_env': 'NONE', 'max_concurrency': 4, 'params': {'max_tokens': 2048},
            'price': {'input': 1, 'output': 2, 'as_of': '2026-11-28', 'source': 'test'}}
json.dump([prov('good', port, 'sim-balanced'), prov('refused', dead, 'sim-balanced'),
           prov('unknown', port, 'no-such-model')], open(out, 'w'))
PYEOF
"$TB" run --suite tasks/starter --providers "$WORK/providers.json" --limit 5 --max-attempts 2 --out "$WORK/run" --quiet \
	--no-preflight --breaker 0
rc=$?
[ $rc = 1 ] || fail "exit $rc (want 1: finished with errors)"
f=$WORK/run/samples.jsonl
[ "$(count "$f" "r['provider']=='good' and r['status'] in ('passed','failed')")" = 5 ] || fail "the good provider did not finish"
[ "$(count "$f" "r['provider']=='refused' and r['status']=='error' and r['error_kind']=='connect' and r['attempts']==2")" = 5 ] \
	|| fail "refused: $(grep refused "$f" | head -2)"
[ "$(count "$f" "r['provider']=='unknown' and r['status']=='error' and r['error_kind']=='http_404' and r['attempts']==1 and 'does not exist' in r['detail']")" = 5 ] \
	|| fail "unknown model: $(grep unknown "$f" | head -2)"
"$TB" report "$WORK/run" --format json | $PY -c "
import json, sys
s = {p['name']: p for p in json.load(sys.stdin)['providers']}
assert s['refused']['errors'] == 5 and s['refused']['failed'] == 0 and s['refused']['pass_rate'] is None, s['refused']
assert s['unknown']['errors'] == 5
" || fail "report does not count errors apart from failures"
$PY - "$WORK/long.json" <<'PYEOF'
import json, sys
json.dump([{'name': 'long-url', 'protocol': 'openai', 'base_url': 'http://127.0.0.1:9/v1/' + 'x' * 8000000,
            'model': 'sim-balanced', 'api_key_env': 'NONE', 'max_concurrency': 2, 'params': {'max_tokens': 64},
            'price': {'input': 1, 'output': 2, 'as_of': '2026-11-28', 'source': 'test'}}], open(sys.argv[1], 'w'))
PYEOF
"$TB" run --suite tasks/starter --providers "$WORK/long.json" --limit 2 --no-report --out "$WORK/long" --quiet \
	--no-preflight
rc=$?
[ $rc = 1 ] || fail "a URL libcurl refuses: exit $rc (want 1)"
f=$WORK/long/samples.jsonl
[ "$(count "$f" "r['status']=='error' and r['error_kind']=='transport' and r['attempts']==0 and 'CURLOPT_URL: ' in r['detail']")" = 2 ] \
	|| fail "a URL libcurl refuses: $(cut -c1-300 "$f")"
echo "connection refused: 5 errors after 2 attempts each; HTTP 404: 5 errors after 1 attempt; good provider unaffected; a URL libcurl refuses: an error naming CURLOPT_URL"
