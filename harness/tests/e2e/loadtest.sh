# loadtest against the simulator serving like a GPU (sim_serve.c) with a
# known serving model: the saturation throughput within 5% and the knee at
# the concurrency the model's parameters put it; $/Mtok as computed by
# hand; --write-price writes the price and keeps the rest of the file; a
# simulator that fails and stalls, and an endpoint where nothing listens,
# give errors within the bounds, never a hang.
source "$(dirname "$0")/lib.sh"
# the serving model: itl(b) = 6 + 2 b ms, 5 ms prefill whatever the
# prompt, 8 sequences at most; 32 tokens an answer. Hundreds of ms a
# request, and the SLO (18 ms) 4 ms from the rungs on either side of the
# knee (14 and 22 ms): large against a loaded machine's scheduling noise
cat >"$WORK/p.json" <<'JSON'
{"providers": [
 {"name": "gpu", "protocol": "openai", "base_url": "http://127.0.0.1:${TOKENBENCH_SIM_PORT:-8089}/v1",
  "model": "gpu-model", "api_key_env": "TOKENBENCH_SIM_KEY",
  "price": {"input": 0.3, "output": 1.2, "as_of": "2026-11-28", "source": "api"},
  "params": {"temperature": 0.2},
  "selfhost": {"gpu_hour_usd": {"value": 2.5, "source": "a rental quote"}, "power_w": 700, "pue": 1.3, "kwh_usd": 0.15},
  "sim": {"serve": {"decode_base_ms": 6, "decode_ms_per_seq": 2, "prefill_base_ms": 5,
                    "prefill_ms_per_token": 0, "max_batch": 8, "source": "test"}}},
 {"name": "flaky", "protocol": "openai", "base_url": "http://127.0.0.1:${TOKENBENCH_SIM_PORT:-8089}/v1",
  "model": "flaky-model", "api_key_env": "TOKENBENCH_SIM_KEY",
  "price": {"input": 1, "output": 1, "as_of": "2026-11-28", "source": "api"},
  "sim": {"serve": {"decode_base_ms": 2, "decode_ms_per_seq": 0, "prefill_base_ms": 5, "prefill_ms_per_token": 0,
                    "max_batch": 64},
          "faults": [{"kind": "500", "rate": 0.2}, {"kind": "stall", "rate": 0.05}]}}
]}
JSON
cp "$WORK/p.json" "$WORK/orig.json"
t0=$SECONDS
start_sim --profiles "$WORK/p.json"
export TOKENBENCH_SIM_PORT=$SIM_PORT
"$TB" loadtest --providers "$WORK/p.json" --provider gpu --concurrency 1,2,4,8,16 --output-tokens 32 \
	--input-tokens 200 --slo 5000,18 --step-seconds 20 --timeout 20 --write-price --out "$WORK/lt" >"$WORK/lt.log" 2>&1 \
	|| fail "loadtest exited $?: $(cat "$WORK/lt.log")"
cat "$WORK/lt.log"
[ -s "$WORK/lt/loadtest.png" ] && [ -s "$WORK/lt/loadtest.gp" ] || fail "no chart"
$PY - "$WORK/lt/loadtest.json" "$WORK/p.json" "$WORK/orig.json" <<'PYEOF' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))
base, per_seq, prefill, B, out = 6.0, 2.0, 5.0, 8, 32
itl = lambda c: base + per_seq * min(c, B)
# the truth from the serving model: c sequences (at most B) each make out
# tokens every prefill + (out - 1) itl ms
truth = lambda c: min(c, B) * out / ((prefill + (out - 1) * itl(c)) / 1e3)
steps = {s['concurrency']: s for s in r['steps']}
assert sorted(steps) == [1, 2, 4, 8, 16], steps.keys()
for c, s in steps.items():
    assert s['errors'] == 0, s
    got = s['output_tokens_per_s']
    print(f"concurrency {c}: {got:.1f} output tokens/s, truth {truth(c):.1f}, itl p50 {s['itl_ms_p50']:.2f} ms, truth {itl(c):.2f}")
    assert abs(got - truth(c)) <= 0.05 * truth(c), (c, got, truth(c))
# saturation: beyond B sequences the throughput stays at B's
sat = truth(16)
assert abs(steps[16]['output_tokens_per_s'] - sat) <= 0.05 * sat
assert steps[16]['ttft_ms_p50'] > (prefill + (out - 1) * itl(B)) * 0.9, "requests beyond the batch did not queue"
# the knee: the highest concurrency whose p95 inter-token latency is within 18 ms
want = max(c for c in steps if itl(c) <= 18)
assert r['knee'] and r['knee']['concurrency'] == want == 4, (r['knee'], want)
# $/Mtok by hand: (2.5 / utilisation 1) + 0.7 kW x 1.3 x $0.15 an hour
hour = 2.5 + 0.7 * 1.3 * 0.15
assert abs(r['selfhost']['hour_usd'] - hour) < 1e-9, r['selfhost']
assert r['selfhost']['inputs']['gpu_hour_usd']['source'] == 'a rental quote'
for s in r['steps']:
    share = min(1, s['input_tokens_per_s'] * s['prefill_ms_per_input_token'] / 1e3)
    assert abs(s['prefill_share'] - share) < 1e-9
    o = hour / 3600 * (1 - share) / s['output_tokens_per_s'] * 1e6
    i = hour / 3600 * share / s['input_tokens_per_s'] * 1e6
    assert abs(s['output_usd_per_mtok'] - o) < 1e-9 * o and abs(s['input_usd_per_mtok'] - i) < 1e-9 * i, s
# --write-price: the knee's price into the file, the rest of it unchanged
new, old = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
p = new['providers'][0]['price']
assert abs(p['output'] - r['knee']['output_usd_per_mtok']) < 1e-12 and abs(p['input'] - r['knee']['input_usd_per_mtok']) < 1e-12, p
assert p['source'].startswith('loadtest ') and 'gpu-model' in p['source'] and p['as_of'] in p['source'], p
for a, b in zip(new['providers'], old['providers']):
    a = dict(a); b = dict(b)
    if a['name'] == 'gpu':
        del a['price'], b['price']
    assert a == b, (a, b)
PYEOF
echo "ladder: $((SECONDS - t0))s"
# reprice takes the written price like an API's: a record of the provider
# (a samples.jsonl written here, as another tool could) costs its usage at it
mkdir -p "$WORK/run"
cat >"$WORK/run/samples.jsonl" <<'JSONL'
{"task": "t1", "provider": "gpu", "sample": 0, "status": "passed", "usage": {"input": 1000000, "cached_input": 0, "cache_write": 0, "output": 2000000, "reasoning": 0}, "cost_usd": 2.7, "cost_source": "price_table", "latency_ms": 100, "attempts": 1, "cluster": "c"}
JSONL
"$TB" reprice "$WORK/run" --providers "$WORK/p.json" --out "$WORK/rp" --quiet || fail "reprice exited $?"
grep -qE '"source":[[:space:]]*"loadtest ' "$WORK/rp/run.json" || fail "the repriced run does not name the loadtest price"
$PY - "$WORK/rp/samples.jsonl" "$WORK/p.json" <<'PYEOF' || exit 1
import json, sys
r = json.loads(open(sys.argv[1]).readline())
p = json.load(open(sys.argv[2]))['providers'][0]['price']
want = 1 * p['input'] + 2 * p['output']
assert abs(r['cost_usd'] - want) < 1e-9 and r['repriced_from_usd'] == 2.7, (r, want)
PYEOF
# --alongside: the provider at both prices, same answers, the copy marked
"$TB" reprice "$WORK/run" --providers "$WORK/p.json" --alongside "(self-hosted)" --out "$WORK/both" --quiet \
	|| fail "reprice --alongside exited $?"
$PY - "$WORK/both/samples.jsonl" "$WORK/both/summary.json" <<'PYEOF' || exit 1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert [r['provider'] for r in recs] == ['gpu', 'gpu (self-hosted)'], recs
assert recs[0]['cost_usd'] == 2.7 and recs[1]['cost_usd'] != 2.7 and recs[0]['usage'] == recs[1]['usage'], recs
names = {p['name'] for p in json.load(open(sys.argv[2]))['providers']}
assert names == {'gpu', 'gpu (self-hosted)'}, names
PYEOF
echo "reprice: $((SECONDS - t0))s"
# faults: 20% answer 500, 5% stall until the 1 s timeout; bounded in time
start=$SECONDS
"$TB" loadtest --providers "$WORK/p.json" --provider flaky --concurrency 2,8 --output-tokens 16 --requests 400 \
	--max-errors 1000 --step-seconds 3 --timeout 1 --out "$WORK/fl" >"$WORK/fl.log" 2>&1
rc=$?
took=$((SECONDS - start))
cat "$WORK/fl.log"
[ "$rc" = 1 ] || fail "a failing endpoint should exit 1, not $rc"
# each step: 3 s sending, then at most the 1 s timeout and 1 s more
[ "$took" -le 12 ] || fail "the faulty load test took ${took}s"
$PY - "$WORK/fl/loadtest.json" <<'PYEOF' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))
s = r['steps']
assert len(s) == 2 and all(x['errors'] > 0 and x['ok'] > 0 for x in s), s
assert all(x['stopped_by'] == 'seconds' for x in s), s
kinds = ' '.join(x.get('first_error', '') for x in s)
assert 'http 500' in kinds or 'timed out' in kinds.lower(), kinds
assert r['knee'] is None, 'a step with errors met the SLO'
PYEOF
echo "faults: $((SECONDS - t0))s"
stop_sim >/dev/null

# nothing listens: every request fails at once; the ladder stops
dead=$(free_port)
sed "s/\${TOKENBENCH_SIM_PORT:-8089}/$dead/" "$WORK/orig.json" >"$WORK/dead.json"
start=$SECONDS
"$TB" loadtest --providers "$WORK/dead.json" --provider gpu --concurrency 1,2,4 --max-errors 5 --timeout 2 \
	--out "$WORK/dead" >"$WORK/dead.log" 2>&1
rc=$?
cat "$WORK/dead.log"
[ "$rc" = 1 ] || fail "a dead endpoint should exit 1, not $rc"
[ $((SECONDS - start)) -le 10 ] || fail "the dead endpoint took $((SECONDS - start))s"
grep -q "stopped the ladder at concurrency 1" "$WORK/dead.log" || fail "the ladder went on against a dead endpoint"
$PY -c "import json,sys; r=json.load(open(sys.argv[1])); s=r['steps']; assert len(s)==1 and s[0]['ok']==0 and 5<=s[0]['errors']<=6, s" \
	"$WORK/dead/loadtest.json" || fail "dead endpoint: wrong errors"
echo "dead: $((SECONDS - t0))s"
echo "loadtest: throughput and knee as the serving model says, price by hand, faults bounded"
