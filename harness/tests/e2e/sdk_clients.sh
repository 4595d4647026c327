# The official SDKs (npm openai and @anthropic-ai/sdk, pinned in
# scripts/sdk-tests/package.json, installed by scripts/install-deps) as the
# simulator's clients: plain and streamed calls through their stream
# helpers, usage, n > 1, models, count_tokens, every fault as the SDK's
# typed error, Retry-After through the SDK's own retry, request ids
# (scripts/sdk-tests/sdk-test.mjs). Then `prices import` of the simulator's
# OpenRouter model list gives back the prices it was started with.
source "$(dirname "$0")/lib.sh"
SDK=$PWD/scripts/sdk-tests
command -v node >/dev/null || skip "node is not installed (scripts/install-deps installs it)"
for p in openai @anthropic-ai/sdk; do
	[ -f "$SDK/node_modules/$p/package.json" ] || skip "npm package $p is not in $SDK/node_modules (run scripts/install-deps)"
done
$PY - "$WORK/profiles.json" <<'PYEOF'
import json, sys
def prof(model, fault=None, **extra):
    p = {'model': model, 'skill': 1.0, 'latency_ms': {'median': 20, 'sigma': 0},
         'price': {'input': 3, 'output': 15, 'cached_input': 0.3, 'cache_write': 3.75}}
    if fault:
        p['faults'] = [fault]
    p.update(extra)
    return p
always = lambda kind: {'kind': kind, 'rate': 1.0}
json.dump([
    prof('sdk-plain'),
    prof('sdk-reasoner', tokens={'reasoning_mean': 400}),
    prof('sdk-openrouter', dialect='openrouter', tokens={'reasoning_mean': 200}),
    prof('sdk-deepseek', dialect='deepseek', tokens={'reasoning_mean': 200}),
    prof('sdk-429', {'kind': '429', 'first_attempts': 1, 'retry_after': '1'}),
    prof('sdk-500', always('500')), prof('sdk-503', always('503')), prof('sdk-reset', always('reset')),
    prof('sdk-stall', always('stall')), prof('sdk-truncate', always('truncate')),
    prof('sdk-malformed', always('malformed')), prof('sdk-nousage', always('no_usage')),
    prof('sdk-auth', always('auth_echo')), prof('sdk-streamerr', always('stream_error')),
], open(sys.argv[1], 'w'))
PYEOF
start_sim --profiles "$WORK/profiles.json" --suite tasks/starter
timeout 120 node "$SDK/sdk-test.mjs" "http://127.0.0.1:$SIM_PORT" >"$WORK/sdk.log" 2>&1
rc=$?
cat "$WORK/sdk.log"
[ $rc = 0 ] || fail "the SDK checks exited $rc: $(grep FAIL "$WORK/sdk.log" | head -3)"
last=$(tail -n 1 "$WORK/sdk.log")

# prices import reads what the simulator lists as OpenRouter's /api/v1/models
curl -sf "http://127.0.0.1:$SIM_PORT/api/v1/models" -o "$WORK/models.json" || fail "GET /api/v1/models failed"
"$TB" prices import "$WORK/models.json" --match sdk-openrouter --as-of 2026-12-01 --out "$WORK/or.json" 2>"$WORK/imp.log" \
	|| fail "prices import exited $?: $(cat "$WORK/imp.log")"
$PY - "$WORK/or.json" <<'PYEOF' || exit 1
import json, sys
p = json.load(open(sys.argv[1]))['providers']
assert len(p) == 1 and p[0]['model'] == 'sdk-openrouter', p
pr = p[0]['price']
assert (pr['input'], pr['output'], pr['cached_input'], pr['cache_write']) == (3, 15, 0.3, 3.75), pr
PYEOF
stop_sim >/dev/null
echo "SDK clients: $last; prices import of the simulator's OpenRouter list: its prices"
